//! What every request says about itself, and what the server says back beside the
//! reply: the User-Agent, and `Warning` headers printed as kubectl prints them.

use std::collections::HashSet;
use std::sync::Mutex;

/// `NAME/VERSION (OS/ARCH) kubernetes/COMMIT`, the form of kubectl's User-Agent.
pub(super) fn user_agent() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!(
        "kubelite/v{} ({}/{arch}) kubernetes/unknown",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS
    )
}

/// The server's warnings already printed: kubectl prints each text once per command.
#[derive(Default)]
pub(super) struct Warnings(Mutex<HashSet<String>>);

impl Warnings {
    /// Prints the server's `Warning: 299 - "text"` headers as kubectl does, each once.
    pub(super) fn print(&self, headers: &reqwest::header::HeaderMap) {
        for value in headers.get_all("warning") {
            let Some(text) = value.to_str().ok().and_then(warning_text) else {
                continue;
            };
            let mut warned = self.0.lock().unwrap_or_else(|p| p.into_inner());
            if warned.insert(text.clone()) {
                eprintln!("Warning: {text}");
            }
        }
    }
}

/// The text of a `Warning` header (`299 - "text"`, RFC 7234), unescaped.
fn warning_text(header: &str) -> Option<String> {
    let mut parts = header.splitn(3, ' ');
    let (_code, _agent, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let quoted = rest.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next()?),
            '"' => return Some(text),
            c => text.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_unquoted() {
        assert_eq!(
            warning_text(r#"299 - "unknown field \"spec.x\"""#).as_deref(),
            Some(r#"unknown field "spec.x""#)
        );
        assert_eq!(warning_text("299 - unquoted"), None);
    }
}
