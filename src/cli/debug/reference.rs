//! Whether an image name is a container image reference, by the grammar kubectl checks
//! (`[domain[:port]/]path[:tag][@digest]`, lower-case path components).

use regex_lite::Regex;
use std::sync::OnceLock;

pub fn is_image_reference(image: &str) -> bool {
    static GRAMMAR: OnceLock<Regex> = OnceLock::new();
    GRAMMAR
        .get_or_init(|| {
            let alnum = "[a-z0-9]+";
            let separator = "(?:[._]|__|[-]+)";
            let component = format!("{alnum}(?:{separator}{alnum})*");
            let domain_part = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
            let host = format!(r"(?:{domain_part}(?:\.{domain_part})*|\[[a-fA-F0-9:]+\])");
            let domain = format!("{host}(?::[0-9]+)?");
            let name = format!("(?:{domain}/)?{component}(?:/{component})*");
            let tag = r"[\w][\w.-]{0,127}";
            let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
            Regex::new(&format!("^{name}(?::{tag})?(?:@{digest})?$")).expect("image grammar")
        })
        .is_match(image)
}

#[cfg(test)]
mod tests {
    use super::is_image_reference;

    #[test]
    fn accepts_references_and_refuses_the_rest() {
        for ok in [
            "busybox",
            "busybox:1.36",
            "registry.k8s.io/e2e-test-images/agnhost:2.43",
            "localhost:5000/a/b_c__d-e",
            "nginx@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in ["Bad:Image", "", "a b", "busybox:", "-x", "a//b"] {
            assert!(!is_image_reference(bad), "{bad}");
        }
    }
}
