//! `apply set-last-applied` and `apply edit-last-applied`: the real kubectl against one
//! `kubelite serve`, kubelite against a second one (remote) and an embedded cluster, with
//! `edit`'s editor script: output, exit codes, files the editor saw, and the annotations
//! left behind.

use super::edit::{EDITOR, kept, masked, run};
use super::node_verbs::normalized;
use super::support::{BIN, Server, TempDir, kubectl_available};
use std::process::Command;

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\ndata:\n  b: \"1\"\n";
const CM_B: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\ndata:\n  b: \"2\"\n";
const MISSING: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nocm\n";

#[rustfmt::skip]
const STEPS: &[(&[&str], &str, &str)] = &[
    (&["create", "-f", "cm.yaml"], "", ""),
    (&["apply", "set-last-applied", "-f", "cm.yaml"], "", ""),
    (&["apply", "edit-last-applied", "cm", "cm2"], ":", ""),
    (&["apply", "set-last-applied", "-f", "cm.yaml", "--create-annotation"], "", ""),
    (&["apply", "set-last-applied", "-f", "cm.yaml"], "", ""),
    (&["apply", "set-last-applied", "-f", "cmb.yaml", "--dry-run=client"], "", ""),
    (&["apply", "set-last-applied", "-f", "cmb.yaml", "--dry-run=server"], "", ""),
    (&["apply", "set-last-applied", "-f", "cmb.yaml", "-o", "name"], "", ""),
    (&["apply", "set-last-applied", "-f", "cm.yaml", "-o", "yaml"], "", ""),
    (&["apply", "set-last-applied", "-f", "missing.yaml"], "", ""),
    (&["apply", "set-last-applied"], "", ""),
    (&["apply", "edit-last-applied", "cm", "cm2"], r#"sed -i 's/b: "1"/b: "7"/' "$1""#, ""),
    (&["apply", "edit-last-applied", "configmap/cm2", "-o", "json"], r#"sed -i 's/"b": "7"/"b": "8"/' "$1""#, ""),
    (&["apply", "edit-last-applied", "cm", "cm2"], ":", ""),
    (&["apply", "edit-last-applied", "-f", "cm.yaml"], r#"printf 'a: [\n' >> "$1""#, ":"),
    (&["apply", "view-last-applied", "cm", "cm2"], "", ""),
    (&["get", "cm", "cm2", "-o", "jsonpath={.data} {.metadata.annotations}"], "", ""),
];

#[test]
fn last_applied_subcommands_match_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let remote = Server::start(false);
    let embedded = TempDir::new("lastapplied-home");
    let files = TempDir::new("lastapplied-files");
    let tmp = TempDir::new("lastapplied-tmp");
    let script = super::support::script(&files.0, "editor.sh", EDITOR);
    for (name, text) in [
        ("cm.yaml", CM),
        ("cmb.yaml", CM_B),
        ("missing.yaml", MISSING),
    ] {
        std::fs::write(files.0.join(name), text).expect("manifest");
    }
    for (i, (args, step1, step2)) in STEPS.iter().enumerate() {
        let kubectl = oracle.kubectl_command(args);
        let (want, want_seen) = run(kubectl, &files.0, &tmp.0, &script, (step1, step2));
        let want_kept = kept(&tmp.0);
        for (what, home) in [("remote", &remote.home.0), ("embedded", &embedded.0)] {
            let mut kubelite = Command::new(BIN);
            kubelite.env("KUBELITE_HOME", home).args(*args);
            let (got, got_seen) = run(kubelite, &files.0, &tmp.0, &script, (step1, step2));
            let got_kept = kept(&tmp.0);
            let step = format!("#{i} {what} {args:?}");
            assert_eq!(
                masked(&got.stdout, &tmp.0),
                masked(&want.stdout, &tmp.0),
                "{step}: stdout"
            );
            assert_eq!(
                masked(&normalized(&got.stderr), &tmp.0),
                masked(&normalized(&want.stderr), &tmp.0),
                "{step}: stderr"
            );
            assert_eq!(got.code, want.code, "{step}: exit code");
            assert_eq!(got_seen, want_seen, "{step}: files the editor saw");
            assert_eq!(got_kept, want_kept, "{step}: files kept");
        }
    }
}
