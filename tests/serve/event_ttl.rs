//! `serve --event-ttl`: Events expire on the server's clock, swept by its own loop (the
//! wall clock here, so the TTL is a few seconds and the waits are bounded polls).

use super::support::{BIN, Server, manifest};
use std::process::Command;
use std::time::{Duration, Instant};

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

/// The names of the Events about pod p1, through kubelite's own remote client.
fn pod_events(s: &Server) -> Vec<String> {
    let out = Command::new(BIN)
        .arg("--kubeconfig")
        .arg(s.kubeconfig())
        .args(["get", "events", "-o", "name"])
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .output()
        .expect("run kubelite");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("event/p1."))
        .map(str::to_string)
        .collect()
}

/// Polls `cond` every 100 ms for up to `bound`.
fn eventually(bound: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + bound;
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn events_expire_after_the_event_ttl_in_serve() {
    let s = Server::start_with(false, &["--event-ttl=10s"]);
    let dir = super::support::TempDir::new("eventttl");
    let pod = manifest(&dir.0, "pod.yaml", POD);
    let created = Command::new(BIN)
        .arg("--kubeconfig")
        .arg(s.kubeconfig())
        .args(["create", "-f"])
        .arg(&pod)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .status()
        .expect("create");
    assert!(created.success());
    let mut seen = Vec::new();
    assert!(
        eventually(Duration::from_secs(10), || {
            seen = pod_events(&s);
            !seen.is_empty()
        }),
        "no Events about p1 appeared"
    );
    // 10 s of TTL (no reuse window at this size), swept within a second of it.
    assert!(
        eventually(Duration::from_secs(60), || pod_events(&s).is_empty()),
        "Events {seen:?} outlived --event-ttl=10s"
    );
}
