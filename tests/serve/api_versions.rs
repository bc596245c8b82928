//! `api-versions`: the real kubectl against `kubelite serve`, kubelite against the same
//! server (remote) and against an embedded cluster: the same bytes and exit codes.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite};

fn kubelite_remote(server: &Server, cache: &TempDir, args: &[&str]) -> Run {
    let mut all = vec!["--cache-dir", cache.0.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    kubelite(&server.home.0, false, &all)
}

#[test]
fn api_versions_match_kubectl() {
    require_kubectl!();
    let server = Server::start(false);
    let cache = TempDir::new("api-versions-cache");
    let embedded = TempDir::new("api-versions-home");
    for args in [&["api-versions"][..], &["api-versions", "a", "b"]] {
        let want = server.kubectl(args);
        assert!(
            want.code != 0 || want.stdout.lines().any(|l| l == "apps/v1"),
            "kubectl lists apps/v1: {}",
            want.stdout
        );
        for (what, got) in [
            ("remote", kubelite_remote(&server, &cache, args)),
            ("embedded", kubelite(&embedded.0, false, args)),
        ] {
            assert_eq!(got.stdout, want.stdout, "{what} {args:?}: stdout");
            assert_eq!(got.stderr, want.stderr, "{what} {args:?}: stderr");
            assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
        }
    }
}
