//! kubectl proxy's request filter: comma-separated regular expressions for the hosts,
//! paths and methods it accepts or rejects. A rejected request gets `403 Forbidden`.

use super::ProxyArgs;
use regex_lite::Regex;

pub const ACCEPT_HOSTS: &str = r"^localhost$,^127\.0\.0\.1$,^\[::1\]$";
pub const ACCEPT_PATHS: &str = "^.*";
pub const REJECT_PATHS: &str = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";
pub const REJECT_METHODS: &str = "^$";

pub struct Filters {
    accept_hosts: Vec<Regex>,
    accept_paths: Vec<Regex>,
    reject_paths: Vec<Regex>,
    reject_methods: Vec<Regex>,
}

fn compile(list: &str) -> Result<Vec<Regex>, String> {
    list.split(',')
        .map(|p| Regex::new(p).map_err(|e| e.to_string()))
        .collect()
}

fn any(res: &[Regex], text: &str) -> bool {
    res.iter().any(|r| r.is_match(text))
}

impl Filters {
    pub fn new(args: &ProxyArgs) -> Result<Filters, String> {
        Ok(Filters {
            accept_hosts: compile(&args.accept_hosts)?,
            accept_paths: compile(&args.accept_paths)?,
            reject_paths: compile(&args.reject_paths)?,
            reject_methods: compile(&args.reject_methods)?,
        })
    }

    /// Whether a request passes: `host` is the Host header without its port (and without
    /// an IPv6 address's brackets, as Go splits it).
    pub fn accept(&self, method: &str, path: &str, host: &str) -> bool {
        if any(&self.reject_paths, path) || any(&self.reject_methods, method) {
            return false;
        }
        any(&self.accept_paths, path) && any(&self.accept_hosts, host)
    }
}

/// The host part of a Host header, as Go's SplitHostPort gives it (the whole header when it
/// has no port).
pub fn host_of(header: &str) -> &str {
    if let Some(rest) = header.strip_prefix('[')
        && let Some((inner, tail)) = rest.split_once(']')
        && tail.starts_with(':')
    {
        return inner;
    }
    match header.rsplit_once(':') {
        Some((h, _)) if !h.contains(':') => h,
        _ => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Filters {
        Filters {
            accept_hosts: compile(ACCEPT_HOSTS).unwrap(),
            accept_paths: compile(ACCEPT_PATHS).unwrap(),
            reject_paths: compile(REJECT_PATHS).unwrap(),
            reject_methods: compile(REJECT_METHODS).unwrap(),
        }
    }

    #[test]
    fn the_defaults_take_local_hosts_and_refuse_exec_and_attach() {
        let f = defaults();
        assert!(f.accept("GET", "/api/v1/pods", "localhost"));
        assert!(f.accept("GET", "/api/v1/pods", "127.0.0.1"));
        assert!(!f.accept("GET", "/api/v1/pods", "evil.example"));
        assert!(!f.accept("GET", "/api/v1/namespaces/a/pods/b/exec", "localhost"));
        assert!(!f.accept("POST", "/api/v1/namespaces/a/pods/b/attach", "localhost"));
        assert!(f.accept("GET", "/api/v1/namespaces/a/pods/b/log", "localhost"));
    }

    #[test]
    fn hosts_lose_their_port_as_go_splits_them() {
        assert_eq!(host_of("localhost:8001"), "localhost");
        assert_eq!(host_of("localhost"), "localhost");
        assert_eq!(host_of("[::1]:8001"), "::1");
        assert_eq!(host_of("::1"), "::1");
    }
}
