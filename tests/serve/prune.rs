//! `apply --prune`: the real kubectl against one `kubelite serve`, kubelite against a
//! second one (remote) and an embedded cluster, step by step: output, exit codes and the
//! config maps left. Only objects applied before (with the annotation), matching the
//! selector or `--all`, of allow-listed kinds and not in the files are deleted.

use super::node_verbs::normalized;
use super::support::{BIN, Run, Server, TempDir, kubectl_available};
use std::path::Path;
use std::process::Command;

const ALL: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p1\n  labels: {app: pr}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p2\n  labels: {app: pr}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p3\n";
const ONE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p1\n  labels: {app: pr}\n";
const PLAIN: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made\n  labels: {app: pr}\n";

const CM: &str = "--prune-allowlist=core/v1/ConfigMap";

#[rustfmt::skip]
const STEPS: &[&[&str]] = &[
    &["apply", "-f", "all.yaml"],
    &["create", "-f", "plain.yaml"],
    &["apply", "-f", "one.yaml", "--prune", "-l", "app=pr"],
    &["apply", "-f", "one.yaml", "--prune", "-l", "app=pr", CM, "--dry-run=client"],
    &["apply", "-f", "one.yaml", "--prune", "-l", "app=pr", CM, "--dry-run=server"],
    &["apply", "-f", "one.yaml", "--prune", "-l", "app=pr", CM],
    &["apply", "-f", "all.yaml", "-l", "app=pr"],
    &["apply", "-f", "one.yaml", "--prune", "--all", CM, "-o", "name"],
    &["apply", "-f", "one.yaml", "--prune"],
    &["apply", "-f", "one.yaml", "--prune", "--all", "-l", "app=pr"],
    &["apply", "-f", "one.yaml", "--prune", "--all", "--prune-allowlist=v1/ConfigMap"],
    &["apply", "-f", "one.yaml", "--prune", "--all", "--prune-allowlist=core/v1/Bogus"],
    &["get", "cm", "-o", "name"],
];

fn run(mut cmd: Command, dir: &Path) -> Run {
    cmd.current_dir(dir)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .output()
        .expect("run")
        .into()
}

#[test]
fn prune_matches_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let remote = Server::start(false);
    let embedded = TempDir::new("prune-home");
    let files = TempDir::new("prune-files");
    for (name, text) in [("all.yaml", ALL), ("one.yaml", ONE), ("plain.yaml", PLAIN)] {
        std::fs::write(files.0.join(name), text).expect("manifest");
    }
    for (i, args) in STEPS.iter().enumerate() {
        let kubectl = oracle.kubectl_command(args);
        let want = run(kubectl, &files.0);
        for (what, home) in [("remote", &remote.home.0), ("embedded", &embedded.0)] {
            let mut kubelite = Command::new(BIN);
            kubelite.env("KUBELITE_HOME", home).args(*args);
            let got = run(kubelite, &files.0);
            let step = format!("#{i} {what} {args:?}");
            assert_eq!(got.stdout, want.stdout, "{step}: stdout");
            assert_eq!(
                normalized(&got.stderr),
                normalized(&want.stderr),
                "{step}: stderr"
            );
            assert_eq!(got.code, want.code, "{step}: exit code");
        }
    }
}
