//! The simulated container runtime (a containerd stand-in): image references as containerd
//! reports them, pull durations and image sizes, container and image ids. Every value is
//! derived from a seed, so the same cluster history gives the same bytes.

use crate::api::ids::hash64;

/// Images kubeadm pre-pulls onto every node: present before any pod asks for them.
const PREPULLED_REGISTRY: &str = "registry.k8s.io/";

/// Sizes of a few well-known images, as containerd reports them after a pull.
const KNOWN_SIZES: &[(&str, u64)] = &[
    ("docker.io/library/nginx:latest", 72_195_292),
    ("docker.io/library/nginx:1.27", 72_099_410),
    ("docker.io/library/busybox:latest", 2_155_564),
    ("docker.io/library/busybox:1.36", 2_159_953),
];

/// The fully qualified reference containerd reports for an image: `nginx` becomes
/// `docker.io/library/nginx:latest`, `team/app:1` becomes `docker.io/team/app:1`.
pub fn normalize_image(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let (first, _) = name.split_once('/').unwrap_or(("", name));
    let has_domain =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let mut full = if has_domain {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    let last = full.rsplit('/').next().unwrap_or("");
    if let Some(d) = digest {
        full.push('@');
        full.push_str(d);
    } else if !last.contains(':') {
        full.push_str(":latest");
    }
    full
}

/// The repository of a normalized reference (no tag, no digest).
fn repository(normalized: &str) -> &str {
    let no_digest = normalized.split('@').next().unwrap_or(normalized);
    let slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    match no_digest[slash..].find(':') {
        Some(colon) => &no_digest[..slash + colon],
        None => no_digest,
    }
}

/// `docker.io/library/nginx@sha256:<digest>`: the image id, stable per reference.
pub fn image_id(image: &str) -> String {
    let normalized = normalize_image(image);
    if let Some((repo, digest)) = normalized.split_once('@') {
        return format!("{}@{digest}", repository(repo));
    }
    format!(
        "{}@sha256:{}",
        repository(&normalized),
        hex64(&format!("image/{normalized}"))
    )
}

/// `containerd://<64 hex>`, one per container instance.
pub fn container_id(seed: &str) -> String {
    format!("containerd://{}", hex64(&format!("container/{seed}")))
}

/// 64 hex digits drawn from a seed.
pub fn hex64(seed: &str) -> String {
    (0..4)
        .map(|i| format!("{:016x}", hash64(&format!("{seed}#{i}"))))
        .collect()
}

/// The size of an image in bytes.
pub fn image_size(image: &str) -> u64 {
    let normalized = normalize_image(image);
    KNOWN_SIZES
        .iter()
        .find(|(name, _)| *name == normalized)
        .map(|(_, size)| *size)
        .unwrap_or_else(|| 5_000_000 + hash64(&format!("size/{normalized}")) % 120_000_000)
}

/// How long a pull of `image` takes, in milliseconds (between 0.4 s and 4 s).
pub fn pull_millis(image: &str, seed: &str) -> u64 {
    400 + hash64(&format!("pull/{image}/{seed}")) % 3_600
}

/// Whether an image is already on every node (kubeadm's control-plane images).
pub fn prepulled(image: &str) -> bool {
    image.starts_with(PREPULLED_REGISTRY) && !missing(image)
}

/// Whether a tag is one a repository publishes.
type TagCheck = fn(&str) -> bool;

/// The control-plane repositories of registry.k8s.io and how their tags look.
const CONTROL_PLANE_REPOSITORIES: &[(&str, TagCheck)] = &[
    ("etcd", etcd_tag),
    ("kube-apiserver", kube_tag),
    ("kube-controller-manager", kube_tag),
    ("kube-scheduler", kube_tag),
    ("kube-proxy", kube_tag),
];

/// Whether the registry is known not to have `image`: kubelite cannot know every registry,
/// so it knows the one a static pod manifest names. A `registry.k8s.io/kube-*` repository
/// that is not a control-plane one, or a tag that is not a release's (`v1.32.2`, etcd's
/// `3.5.16-0`), is not there: the typo an exam puts in a manifest fails to pull.
pub fn missing(image: &str) -> bool {
    let Some(rest) = image.strip_prefix(PREPULLED_REGISTRY) else {
        return false;
    };
    if rest.contains('@') {
        return false;
    }
    let (repo, tag) = rest.split_once(':').unwrap_or((rest, "latest"));
    match CONTROL_PLANE_REPOSITORIES.iter().find(|(r, _)| *r == repo) {
        Some((_, valid)) => !valid(tag),
        None => repo.starts_with("kube-"),
    }
}

fn numbers(text: &str, count: usize) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == count
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn kube_tag(tag: &str) -> bool {
    tag.strip_prefix("v1.").is_some_and(|t| numbers(t, 2))
}

fn etcd_tag(tag: &str) -> bool {
    tag.strip_prefix("3.")
        .and_then(|t| t.strip_suffix("-0"))
        .is_some_and(|t| numbers(t, 2))
}

/// A duration of `millis` as Go's `time.Duration` prints it: `684ms`, `1.846s`, `2s`.
pub fn go_duration(millis: u64) -> String {
    crate::go::duration::format(std::time::Duration::from_millis(millis))
}

/// The message of a successful pull, as kubelet 1.32 words it.
pub fn pulled_message(image: &str, millis: u64) -> String {
    let d = go_duration(millis);
    format!(
        "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
        image_size(image)
    )
}

/// The error of a failed pull, as containerd reports a missing image.
pub fn pull_error(image: &str) -> String {
    let reference = normalize_image(image);
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": {reference}: not found"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_plane_images_exist_only_as_released() {
        assert!(!missing("registry.k8s.io/kube-scheduler:v1.32.2"));
        assert!(!missing("registry.k8s.io/etcd:3.5.16-0"));
        assert!(missing("registry.k8s.io/kube-schedulerr:v1.32.2"));
        assert!(missing("registry.k8s.io/kube-scheduler:v1.32.2x"));
        assert!(missing("registry.k8s.io/etcd:3.5.16"));
        assert!(!missing("registry.k8s.io/pause:3.10"));
        assert!(!missing("nginx:1.27"));
        assert!(!prepulled("registry.k8s.io/kube-apiserver:latest"));
    }

    #[test]
    fn images_normalize_like_containerd() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            normalize_image("nginx:1.27"),
            "docker.io/library/nginx:1.27"
        );
        assert_eq!(normalize_image("team/app"), "docker.io/team/app:latest");
        assert_eq!(
            normalize_image("ghcr.io/example/team-a-api:1.4.2"),
            "ghcr.io/example/team-a-api:1.4.2"
        );
        assert_eq!(
            normalize_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(
            normalize_image("nginx@sha256:abc"),
            "docker.io/library/nginx@sha256:abc"
        );
    }

    #[test]
    fn image_ids_name_the_repository_and_a_digest() {
        let id = image_id("nginx");
        assert!(id.starts_with("docker.io/library/nginx@sha256:"), "{id}");
        assert_eq!(id.len(), "docker.io/library/nginx@sha256:".len() + 64);
        assert_eq!(id, image_id("docker.io/library/nginx:latest"));
        assert_ne!(id, image_id("nginx:1.27"));
        assert_eq!(
            image_id("localhost:5000/app:2"),
            format!(
                "localhost:5000/app@sha256:{}",
                hex64("image/localhost:5000/app:2")
            )
        );
    }

    #[test]
    fn durations_print_as_go_does() {
        assert_eq!(go_duration(684), "684ms");
        assert_eq!(go_duration(1_846), "1.846s");
        assert_eq!(go_duration(1_500), "1.5s");
        assert_eq!(go_duration(2_000), "2s");
    }

    #[test]
    fn pulled_message_has_kubelet_wording() {
        assert_eq!(
            pulled_message("nginx", 1_846),
            "Successfully pulled image \"nginx\" in 1.846s (1.846s including waiting). Image size: 72195292 bytes."
        );
    }

    #[test]
    fn container_ids_are_64_hex() {
        let id = container_id("uid/nginx/0");
        let hex = id.strip_prefix("containerd://").unwrap_or("");
        assert_eq!(hex.len(), 64);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, container_id("uid/nginx/1"));
    }
}
