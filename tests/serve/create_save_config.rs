//! `create -f --save-config`: the last-applied annotation as kubectl writes it (the object
//! with its namespace, keys sorted, `annotations` kept), in a client dry run, on the server
//! and in the embedded cluster; and `create -f -l`, which keeps the files' objects whose
//! labels match.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite, manifest};
use std::process::Command;

const CMS: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: c1
  labels: {x: \"1\"}
  annotations: {a: b}
data: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c2}
";

fn remote(s: &Server, args: &[&str]) -> Run {
    Command::new(BIN)
        .args(args)
        .env("KUBECONFIG", s.kubeconfig())
        .output()
        .expect("run kubelite")
        .into()
}

fn annotations(s: &Server, ns: &str) -> String {
    let args = [
        "get",
        "cm",
        "-n",
        ns,
        "-o",
        "jsonpath={range .items[*]}{.metadata.annotations}{\"\\n\"}{end}",
    ];
    s.kubectl(&args).ok("get annotations")
}

#[test]
fn create_save_config_records_what_kubectl_records() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("create-save-config");
    let file = manifest(&dir.0, "cms.yaml", CMS);
    let file = file.to_str().expect("utf-8 path");
    let home = TempDir::new("create-save-config-home");
    for args in [
        &[
            "create",
            "-f",
            file,
            "--save-config",
            "--dry-run=client",
            "-o",
            "json",
        ][..],
        &[
            "create",
            "-f",
            file,
            "--save-config",
            "--dry-run=client",
            "-o",
            "yaml",
            "-n",
            "x",
        ],
    ] {
        let want = s.kubectl(args);
        let got = remote(&s, args);
        assert_eq!(
            (got.code, &got.stdout, &got.stderr),
            (want.code, &want.stdout, &want.stderr)
        );
        let got = kubelite(&home.0, false, args);
        assert_eq!(
            (got.code, &got.stdout, &got.stderr),
            (want.code, &want.stdout, &want.stderr)
        );
    }
    s.kubectl(&["create", "namespace", "theirs"]).ok("ns");
    s.kubectl(&["create", "namespace", "ours"]).ok("ns");
    s.kubectl(&["create", "-f", file, "--save-config", "-n", "theirs"])
        .ok("kubectl create");
    remote(&s, &["create", "-f", file, "--save-config", "-n", "ours"]).ok("kubelite create");
    let theirs = annotations(&s, "theirs");
    assert!(theirs.contains("last-applied-configuration"), "{theirs}");
    assert_eq!(
        annotations(&s, "ours").replace("\\\"ours\\\"", "\\\"theirs\\\""),
        theirs
    );
}

#[test]
fn create_selector_filters_the_files_objects_as_kubectl_does() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("create-selector");
    let file = manifest(&dir.0, "cms.yaml", CMS);
    let file = file.to_str().expect("utf-8 path");
    let home = TempDir::new("create-selector-home");
    for selector in ["x=1", "x=2", "x in (1,2)", "!x", "a b", ""] {
        let args = [
            "create",
            "-f",
            file,
            "-l",
            selector,
            "--dry-run=client",
            "-o",
            "name",
        ];
        let want = s.kubectl(&args);
        let got = remote(&s, &args);
        assert_eq!(
            (got.code, &got.stdout, &got.stderr),
            (want.code, &want.stdout, &want.stderr),
            "serve -l {selector:?}"
        );
        let got = kubelite(&home.0, false, &args);
        assert_eq!(
            (got.code, &got.stdout, &got.stderr),
            (want.code, &want.stdout, &want.stderr),
            "embedded -l {selector:?}"
        );
    }
    let args = ["create", "-f", file, "-l", "x=1"];
    remote(&s, &args).ok("create -l");
    let names = s.kubectl(&["get", "cm", "-o", "name"]).ok("get");
    assert!(
        names.contains("configmap/c1\n") && !names.contains("configmap/c2"),
        "{names}"
    );
}
