//! `label`, `annotate` and `patch` against a remote server, compared with kubectl. Every
//! command line that changes the cluster runs after the same reset for each tool, so both
//! start from the same objects.

use super::compare::{Both, Comparison};
use super::support::{Server, TempDir, manifest};

const POD_FILE: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n";

/// A server with pods `web` (app=web) and `db` (app=db) and a deployment `dep`.
fn server() -> Server {
    let s = Server::start(true);
    for args in [
        &["run", "web", "--image=nginx", "--labels=app=web"][..],
        &["run", "db", "--image=redis", "--labels=app=db"],
        &["create", "deployment", "dep", "--image=nginx"],
    ] {
        s.kubectl(args).ok("fixture");
    }
    s.wait_until_settled();
    s
}

/// Puts the labels and annotations the commands below change back as they were.
const RESET: &[&[&str]] = &[
    &["label", "pods", "--all", "-A", "x-", "tier-"],
    &["label", "pod", "web", "app=web", "--overwrite"],
    &["label", "pod", "db", "app=db", "--overwrite"],
    &["annotate", "pod", "web", "note=a", "other-", "--overwrite"],
    &["label", "node", "node01", "x-"],
];

#[test]
fn label_and_annotate_match_kubectl() {
    require_kubectl!();
    let s = server();
    let dir = TempDir::new("label-files");
    let file = manifest(&dir.0, "web.yaml", POD_FILE);
    let file = file.to_str().expect("path");
    let mut c = Comparison::default();
    for args in [
        &["label", "pod", "web", "x=1"][..],
        &["label", "pod", "web", "app=other"],
        &["label", "pod", "web", "app=other", "--overwrite"],
        &["label", "pod", "web", "app=web"],
        &["label", "pod", "web", "tier-"],
        &["label", "pod", "web", "app-"],
        &["label", "pod", "web", "app-", "--overwrite"],
        &["label", "pod/web", "pod/db", "x=1"],
        &["label", "pod", "web", "db", "tier=a", "x=2"],
        &["label", "pods", "--all", "x=1"],
        &["label", "pods", "-l", "app=web", "tier=fe"],
        &["label", "pods", "-l", "app=none", "tier=fe"],
        &["label", "pods", "--all", "-A", "x=1"],
        &["label", "pod", "web", "x=1", "-o", "name"],
        &[
            "label",
            "pod",
            "web",
            "x=1",
            "-o",
            "jsonpath={.metadata.labels}",
        ],
        &["label", "pod", "web", "x=1", "--dry-run=client"],
        &["label", "pod", "web", "x=1", "--dry-run=server"],
        &[
            "label",
            "pod",
            "web",
            "x=1",
            "--dry-run=client",
            "-o",
            "name",
        ],
        &["label", "pod", "web", "--list"],
        &["label", "pods", "-l", "app=web", "--list"],
        &["label", "pod", "web", "pod/db", "--list"],
        // (kubectl lists in Go's random map order: one label keeps the order fixed.)
        &["label", "pod", "web", "app=other", "--overwrite", "--list"],
        &["label", "pod", "web", "x=1", "--resource-version=1"],
        &["label", "pods", "--all", "x=1", "--resource-version=5"],
        &["label", "pod", "web", "app=web", "--resource-version=0"],
        &["label", "pod", "web", "db", "x=1", "--resource-version=5"],
        &["label", "pod", "web", "x=1", "-o", "wide"],
        &[
            "label",
            "pod",
            "web",
            "x=1",
            "-o",
            "jsonpath={.metadata.name}",
        ],
        &["label", "pod", "nope", "x=1"],
        &["label", "pod/nope", "pod/web", "x=1"],
        &["label", "pod/nope", "pod/gone", "x=1"],
        &["label", "pod/web", "pod/db", "app=z"],
        &["label", "pod", "web"],
        &["label", "x=1"],
        &["label", "pod", "web", "a=b=c"],
        &["label", "pod", "web", "a=b c"],
        &["label", "pod", "web", "bad%=1"],
        &["label", "pod", "web", "x=1", "pod"],
        &["label", "pods", "x=1"],
        &["label", "pods", "--all", "-l", "app=web", "x=1"],
        &["label", "pod", "web", "-l", "app=web", "x=1"],
        &["label", "pod", "web", "-A", "x=1"],
        &["label", "pod", "web", "a=1", "a-"],
        &["label", "pod", "web", "--dry-run=bogus", "x=1"],
        &["label", "pod", "web", "--list", "-o", "name"],
        &["label", "node", "node01", "x=1"],
        &["label", "-f", file, "x=1"],
        &["label", "-f", file, "pod", "x=1"],
        &["annotate", "pod", "web", "other=1"],
        &["annotate", "pod", "web", "note=b"],
        &["annotate", "pod", "web", "note=a"],
        &["annotate", "pod", "web", "note=b", "--overwrite"],
        &["annotate", "pod", "web", "note-"],
        &["annotate", "pod", "web", "other-"],
        &["annotate", "pod", "web", "other=a=b", "-o", "name"],
        &["annotate", "pod", "web", "other=1", "--dry-run=server"],
        &["annotate", "pod", "web", "--list"],
        &["annotate", "pod", "web"],
        &["annotate", "pod", "web", "a=1", "a-"],
        &["annotate", "-f", file, "other=2"],
    ] {
        c.same_after(&s, RESET, args);
    }
    // Pinned to the current resourceVersion, which each tool reads just before its turn.
    let rv_of_web = || {
        s.kubectl(&[
            "get",
            "pod",
            "web",
            "-o",
            "jsonpath={.metadata.resourceVersion}",
        ])
        .ok("resourceVersion")
    };
    for change in ["x=1", "app-", "app=web"] {
        for r in RESET {
            s.kubectl(r);
        }
        let pin = format!("--resource-version={}", rv_of_web());
        let ours = s.kubelite(&["label", "pod", "web", change, pin.as_str()]);
        for r in RESET {
            s.kubectl(r);
        }
        let pin = format!("--resource-version={}", rv_of_web());
        let theirs = s.kubectl(&["label", "pod", "web", change, pin.as_str()]);
        c.record(
            &[
                "label",
                "pod",
                "web",
                change,
                "--resource-version=<current>",
            ],
            &ours,
            &theirs,
        );
    }
    c.assert_none();
}

const PATCH_RESET: &[&[&str]] = &[
    &["label", "pod", "web", "app=web", "x-", "--overwrite"],
    &["scale", "deployment", "dep", "--replicas=1"],
    // The Scale's status follows the controller: wait for it, or a patch that changes
    // nothing may see the status move under it ("patched" instead of "(no change)").
    &[
        "wait",
        "--for=jsonpath={.status.replicas}=1",
        "deployment/dep",
        "--timeout=30s",
    ],
];

#[test]
fn patch_matches_kubectl() {
    require_kubectl!();
    let s = server();
    let dir = TempDir::new("patch-files");
    let file = manifest(&dir.0, "web.yaml", POD_FILE);
    let file = file.to_str().expect("path");
    let patch_file = manifest(
        &dir.0,
        "patch.yaml",
        "metadata:\n  labels:\n    x: from-file\n",
    );
    let patch_file = patch_file.to_str().expect("path");
    let label_x = r#"{"metadata":{"labels":{"x":"1"}}}"#;
    let mut c = Comparison::default();
    for args in [
        &["patch", "pod", "web", "-p", label_x][..],
        &[
            "patch",
            "pod",
            "web",
            "-p",
            r#"{"metadata":{"labels":{"app":"web"}}}"#,
        ],
        &["patch", "pod", "web", "-p", "{}"],
        &[
            "patch", "pod", "web", "--type", "merge", "-p", label_x, "-o", "name",
        ],
        &[
            "patch",
            "pod",
            "web",
            "--type=json",
            "-p",
            r#"[{"op":"add","path":"/metadata/labels/x","value":"2"}]"#,
        ],
        &["patch", "pod", "web", "--type", "json", "-p", "{}"],
        &["patch", "pod", "web", "-p", "{bad"],
        &["patch", "pod", "web", "-p", "[1]"],
        &["patch", "pod", "web", "--type=foo", "-p", "{}"],
        &["patch", "pod", "web", "-p", "{}", "-o", "wide"],
        &[
            "patch",
            "pod",
            "web",
            "-p",
            "{}",
            "-o",
            "custom-columns=N:.metadata.name",
        ],
        &["patch", "pod", "web"],
        &["patch", "pod", "nope", "-p", "{}"],
        &["patch", "pod/web", "pod/nope", "-p", "{}"],
        &["patch", "pods", "-p", "{}"],
        &[
            "patch",
            "pod",
            "web",
            "-p",
            "metadata: {labels: {x: \"3\"}}",
        ],
        &["patch", "pod", "web", "-p", label_x, "--dry-run=client"],
        &["patch", "pod", "web", "-p", "{}", "--dry-run=client"],
        &["patch", "pod", "web", "-p", label_x, "--dry-run=server"],
        &["patch", "pod", "web", "--patch-file", patch_file],
        &["patch", "pod", "web", "--patch-file", "/nonexistent/patch"],
        &[
            "patch",
            "pod",
            "web",
            "-p",
            "{}",
            "--patch-file",
            patch_file,
        ],
        &["patch", "-f", file, "-p", label_x],
        &[
            "patch",
            "pod",
            "web",
            "-p",
            r#"{"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#,
        ],
        &[
            "patch",
            "deployment",
            "dep",
            "--subresource=scale",
            "-p",
            r#"{"spec":{"replicas":2}}"#,
        ],
        &[
            "patch",
            "deployment",
            "dep",
            "--subresource=scale",
            "--type=merge",
            "-p",
            r#"{"spec":{"replicas":1}}"#,
        ],
        &[
            "patch",
            "deployment",
            "dep",
            "--subresource=scale",
            "-p",
            r#"{"spec":{"replicas":2}}"#,
            "-o",
            "name",
        ],
        // (Controllers write status concurrently: only a patch that changes nothing is
        // deterministic here.)
        &[
            "patch",
            "pod",
            "web",
            "--subresource=status",
            "--type=merge",
            "-p",
            r#"{"status":{}}"#,
        ],
        &["patch", "pod", "web", "--subresource=scale", "-p", "{}"],
    ] {
        c.same_after(&s, PATCH_RESET, args);
    }
    c.assert_none();
}
