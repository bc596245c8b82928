//! The scenarios shipped in `examples/` (the course's chapters as runnable exercises) pass
//! through `kubelite test`, as a user would run them.

use std::path::Path;
use std::process::Command;

#[test]
fn examples_pass() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .arg("test")
        .arg(&examples)
        .output()
        .expect("run kubelite test");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && printed.contains("test result: ok. "),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every chapter of the course the examples follow is there.
    for chapter in [
        "etcd-keys",
        "static-pods",
        "scheduling",
        "node-failure",
        "replicaset",
        "kube-proxy",
        "seed-on-the-nodes",
        "exam-broken-static-pod",
        "exam-etcd-backup-restore",
        "exam-kubelet-down",
    ] {
        assert!(
            printed.contains(chapter),
            "no {chapter} example:\n{printed}"
        );
    }
}
