//! `replace`: the real kubectl against one `kubelite serve`, kubelite against a second one
//! (remote) and against an embedded cluster, step by step: the same stdout, stderr and
//! exit code each step, and the same objects afterwards.

use super::node_verbs::normalized;
use super::support::{BIN, Run, Server, TempDir, kubectl_available};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: \"1\"\n";
const CM_B: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: \"2\"\n";
const STALE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n  resourceVersion: \"1\"\ndata:\n  a: \"3\"\n";
const TWO: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n  namespace: default\ndata:\n  b: \"2\"\n";
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
const POD_B: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\n  labels: {v: \"2\"}\nspec:\n  containers:\n  - name: c\n    image: nginx:2\n";

/// The steps: arguments (file names inside the manifest directory) and stdin.
#[rustfmt::skip]
const STEPS: &[(&[&str], Option<&str>)] = &[
    (&["replace", "-f", "cm.yaml"], None),
    (&["create", "-f", "cm.yaml"], None),
    (&["replace", "-f", "cmb.yaml"], None),
    (&["replace", "-f", "cm.yaml", "-o", "name"], None),
    (&["replace", "-f", "cmb.yaml", "--dry-run=client"], None),
    (&["replace", "-f", "cmb.yaml", "--dry-run=client", "-o", "yaml"], None),
    (&["create", "-f", "cmb.yaml", "--dry-run=client", "-o", "json"], None),
    (&["create", "-f", "two.yaml", "--dry-run=client", "-o", "yaml"], None),
    (&["replace", "-f", "two.yaml", "--dry-run=client", "-o", "yaml"], None),
    (&["replace", "-f", "cm.yaml", "--dry-run=server", "-o", "jsonpath={.data.a}"], None),
    (&["replace", "-f", "stale.yaml"], None),
    (&["replace", "-f", "-"], Some(CM_B)),
    (&["replace", "-f", "two.yaml"], None),
    (&["replace", "-f", "two.yaml", "--dry-run=client", "-o", "name"], None),
    (&["replace", "--force", "-f", "two.yaml"], None),
    (&["replace", "--force", "-f", "cm.yaml", "--dry-run=client"], None),
    (&["replace", "--force", "-f", "cm.yaml", "-o", "name"], None),
    (&["replace", "--force", "-f", "-"], Some(CM_B)),
    (&["replace", "--force", "-f", "cm.yaml", "-o", "jsonpath={.data.a}"], None),
    (&["replace", "-f", "cm.yaml", "-n", "other"], None),
    (&["replace", "-f", "cm.yaml", "-o", "wide"], None),
    (&["replace", "-f", "cm.yaml", "--dry-run=bogus"], None),
    (&["replace"], None),
    (&["replace", "-f", "missing.yaml"], None),
    (&["replace", "-R", "-f", "dir"], None),
    (&["replace", "-f", "dir"], None),
    (&["replace", "-f", "two.yaml", "-n", "other"], None),
    (&["create", "-f", "pod.yaml"], None),
    (&["replace", "-f", "podb.yaml"], None),
    (&["replace", "--force", "-f", "podb.yaml"], None),
    (&["get", "pods,configmaps", "-o", "jsonpath={range .items[*]}{.kind} {.metadata.name} {.metadata.labels} {.data}{\"\\n\"}{end}"], None),
];

fn write_manifests(dir: &Path) {
    for (name, text) in [
        ("cm.yaml", CM),
        ("cmb.yaml", CM_B),
        ("stale.yaml", STALE),
        ("two.yaml", TWO),
        ("pod.yaml", POD),
        ("podb.yaml", POD_B),
        ("dir/sub/cm.yaml", CM),
    ] {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(p, text).expect("manifest");
    }
}

/// Runs a program in `dir` with stdin given (or closed).
fn run(mut cmd: Command, dir: &Path, stdin: Option<&str>) -> Run {
    cmd.current_dir(dir)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("wait").into()
}

#[test]
fn replace_matches_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let remote = Server::start(false);
    let embedded = TempDir::new("replace-home");
    let files = TempDir::new("replace-files");
    write_manifests(&files.0);
    oracle.wait_until_settled();
    remote.wait_until_settled();
    for (args, stdin) in STEPS {
        let kubectl = oracle.kubectl_command(args);
        let want = run(kubectl, &files.0, *stdin);
        for (what, home) in [("remote", &remote.home.0), ("embedded", &embedded.0)] {
            let mut kubelite = Command::new(BIN);
            kubelite.env("KUBELITE_HOME", home).args(*args);
            let got = run(kubelite, &files.0, *stdin);
            assert_eq!(
                super::support::without_root_ca(&got.stdout),
                super::support::without_root_ca(&want.stdout),
                "{what} {args:?}: stdout"
            );
            assert_eq!(
                normalized(&got.stderr),
                normalized(&want.stderr),
                "{what} {args:?}: stderr"
            );
            assert_eq!(got.code, want.code, "{what} {args:?}: exit code");
        }
    }
    // kubectl flags kubelite does not have are refused, not ignored.
    for flag in [
        "--save-config",
        "--grace-period=0",
        "--cascade=orphan",
        "--subresource=status",
    ] {
        let mut kubelite = Command::new(BIN);
        kubelite
            .env("KUBELITE_HOME", &embedded.0)
            .args(["replace", "-f", "cm.yaml", flag]);
        let got = run(kubelite, &files.0, None);
        assert_eq!(got.code, 1, "{flag}: {}", got.stderr);
        let name = flag.split('=').next().unwrap_or(flag);
        assert!(got.stderr.contains(name), "{flag}: {}", got.stderr);
        assert!(got.stdout.is_empty(), "{flag}: {}", got.stdout);
    }
}
