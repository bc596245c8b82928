//! `debug` against the mock: the ephemeral container's strategic merge patch to
//! `pods/NAME/ephemeralcontainers`, the copied pod, the node debugger pod and `--replace`'s
//! delete must be the requests kubectl 1.32 sends, with its messages (the random name
//! suffixes are masked; see `run.rs`).

use super::run;
use super::world::World;
use serde_json::json;

/// `cluster`, a pod that already has an ephemeral container, and a node.
fn debuggable(w: &World) {
    super::cluster(w);
    w.add(
        "pods",
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "db", "namespace": "default", "labels": {"app": "db"},
                            "annotations": {"team": "a"}},
               "spec": {"containers": [{"name": "pg", "image": "postgres:16",
                                        "readinessProbe": {"exec": {"command": ["true"]}}}],
                        "ephemeralContainers": [{"name": "old", "image": "busybox",
                                                 "terminationMessagePolicy": "File"}],
                        "nodeName": "node-1"},
               "status": {"phase": "Running"}}),
    );
    w.add(
        "nodes",
        json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"},
               "spec": {}, "status": {}}),
    );
}

#[test]
fn debug_sends_kubectls_requests() {
    require_kubectl!();
    super::check(
        &debuggable,
        &[
            &["debug", "web-1", "--image=busybox"],
            &[
                "debug",
                "db",
                "--image=busybox",
                "-c",
                "shell",
                "--target=pg",
                "--profile=general",
                "--env=A=1",
                "--",
                "sh",
            ],
            &[
                "debug",
                "pod/db",
                "--image=busybox",
                "--profile=restricted",
                "-q",
            ],
            &[
                "debug",
                "web-1",
                "--image=busybox",
                "--profile=sysadmin",
                "--arguments-only",
                "--",
                "-x",
            ],
            &[
                "debug",
                "db",
                "--copy-to=db-copy",
                "--image=busybox",
                "--profile=general",
                "--set-image=pg=postgres:17",
                "--keep-labels",
            ],
            &[
                "debug",
                "web-1",
                "--copy-to=web-copy",
                "--set-image=*=nginx:2",
                "--replace",
                "--same-node",
            ],
            // `node/node-1` is left to the serve test: the mock keeps only the metadata of
            // a protobuf body, and kubectl reads the created pod's containers back.
            &["debug", "node/nope", "--image=busybox", "--profile=general"],
            &["debug", "nope", "--image=busybox", "--profile=general"],
            &["debug", "web-1"],
            &["debug", "web-1", "--image=busybox", "--replace"],
        ],
    );
}

/// With `-i`, the container the mock reports running at once is attached to (its process
/// prints a line and exits), after kubectl's list-then-watch wait.
#[test]
fn debug_attaches_as_kubectl_does() {
    require_kubectl!();
    super::check(
        &|w: &World| {
            debuggable(w);
            w.run_exec("attached output\n");
        },
        &[
            &[
                "debug",
                "web-1",
                "-i",
                "--image=busybox",
                "--profile=general",
            ],
            &[
                "debug",
                "db",
                "--attach",
                "-c",
                "shell",
                "--image=busybox",
                "-q",
                "--profile=general",
            ],
        ],
    );
}
