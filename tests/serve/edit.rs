//! `edit`: the real kubectl against one `kubelite serve`, kubelite against a second one
//! (remote) and against an embedded cluster, with the same editor script: what each
//! printed, its exit code, every file the editor was given (server-made values masked),
//! the files kept for the user, and the objects afterwards.

use super::node_verbs::normalized;
use super::support::{BIN, Run, Server, TempDir, kubectl_available};
use std::path::Path;
use std::process::{Command, Stdio};

/// The editor: each call copies the file it is given to `$EDIT_DIR/seen.N`, then runs
/// `$STEP1` on the first call and `$STEP2` on later ones (`$1` is the file).
pub(super) const EDITOR: &str = r#"#!/bin/sh
n=$(cat "$EDIT_DIR/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$EDIT_DIR/count"
cp "$1" "$EDIT_DIR/seen.$n"
if [ $n = 1 ]; then eval "$STEP1"; else eval "${STEP2:-:}"; fi
"#;

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: \"1\"\n";
const CM2: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\ndata:\n  b: \"1\"\n";
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

/// (arguments, first editor step, later editor step)
#[rustfmt::skip]
const STEPS: &[(&[&str], &str, &str)] = &[
    (&["create", "-f", "cm.yaml", "-f", "cm2.yaml", "-f", "pod.yaml"], "", ""),
    (&["edit", "cm", "cm1"], ":", ""),
    (&["edit", "configmap/cm1", "--output-patch"], r#"sed -i 's/a: "1"/a: "2"/' "$1""#, ""),
    (&["edit", "cm", "cm1"], r#"printf 'a: [\n' >> "$1""#, ":"),
    (&["edit", "cm", "cm1"], r#"sed -i 's/  a: "2"/  "a b": "2"/' "$1""#, ":"),
    (&["edit", "cm", "cm1"], r#"sed -i 's/  a: "2"/  "a b": "2"/' "$1""#, r#"sed -i 's/  "a b": "2"/  a: "3"/' "$1""#),
    (&["edit", "cm", "cm1"], r#"sed -i 's/name: cm1/name: cm9/' "$1""#, ""),
    (&["edit", "cm", "cm1"], r#"echo 'bogus: 1' >> "$1""#, ""),
    (&["edit", "cm", "cm1"], r#": > "$1""#, ":"),
    (&["edit", "cm", "cm1"], "exit 3", ""),
    (&["edit", "cm", "cm1", "-o", "json", "--output-patch"], r#"sed -i 's/"a": "3"/"a": "4"/' "$1""#, ""),
    (&["edit", "cm", "cm1", "cm2", "--validate=false"], r#"sed -i 's/b: "1"/b: "5"/' "$1""#, ""),
    (&["edit", "-f", "cm2.yaml", "--output-patch"], r#"sed -i 's/b: "5"/b: "6"/' "$1""#, ""),
    (&["edit", "pod/p1", "--output-patch"], r#"sed -i 's/image: nginx$/image: nginx:2/' "$1""#, ""),
    (&["edit", "pod/p1", "--subresource=status", "--output-patch"], r#"sed -i 's/phase: Running/phase: Succeeded/' "$1""#, ""),
    (&["edit", "cm", "cm1", "--subresource=scale"], ":", ""),
    (&["edit", "cm", "cm1", "--windows-line-endings"], ":", ""),
    (&["edit", "cm", "cm1", "--windows-line-endings"], r#"sed -i 's/a: "4"/a: "5"/' "$1""#, ""),
    (&["edit", "cm", "nope"], ":", ""),
    (&["edit"], ":", ""),
    (&["edit", "cm", "cm1", "-o", "wide"], ":", ""),
    (&["edit", "cm", "cm1", "--validate=bogus"], ":", ""),
    (&["get", "cm,pods", "-o", "jsonpath={range .items[*]}{.metadata.name} {.data} {.spec.containers[*].image}{\"\\n\"}{end}"], "", ""),
];

/// Server-made values and temp file names, which differ from run to run.
pub(super) fn masked(text: &str, tmp: &Path) -> String {
    let tmp = tmp.to_string_lossy();
    let mut out = String::new();
    for line in super::support::without_root_ca(text).split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches('"');
        let varying = ["creationTimestamp", "resourceVersion", "uid"]
            .iter()
            .any(|k| t.starts_with(&format!("{k}:")) || t.starts_with(&format!("{k}\":")));
        if varying {
            out.push_str("<varies>\n");
            continue;
        }
        // The YAML parser's own words for a syntax error are not Go's.
        let line = match line.find("failed validation\": yaml: ") {
            Some(at) => format!("{}<yaml error>\n", &line[..at]),
            None => line.to_string(),
        };
        out.push_str(&line);
    }
    let mut rest = out.as_str();
    let mut done = String::new();
    let needle = format!("{tmp}/");
    while let Some(at) = rest.find(&needle) {
        done.push_str(&rest[..at]);
        let after = &rest[at + needle.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .unwrap_or(after.len());
        let name = &after[..end];
        let kind = name.rsplit('.').next().unwrap_or("");
        done.push_str(&format!("<TMP>/edit-file.{kind}"));
        rest = &after[end..];
    }
    done.push_str(rest);
    done.replace("`kubelite replace", "`kubectl replace")
}

/// Runs a program with the editor script and a fresh record of what it was given.
pub(super) fn run(
    mut cmd: Command,
    dir: &Path,
    tmp: &Path,
    script: &Path,
    step: (&str, &str),
) -> (Run, Vec<String>) {
    let record = dir.join("record");
    let _ = std::fs::remove_dir_all(&record);
    std::fs::create_dir_all(&record).expect("record dir");
    let out = cmd
        .current_dir(dir)
        .env_remove("KUBECONFIG")
        .env_remove("KUBELITE_NOW")
        .env_remove("EDITOR")
        .env("KUBE_EDITOR", script)
        .env("EDIT_DIR", &record)
        .env("STEP1", step.0)
        .env("STEP2", step.1)
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let mut seen = Vec::new();
    for n in 1.. {
        match std::fs::read_to_string(record.join(format!("seen.{n}"))) {
            Ok(text) => seen.push(masked(&text, tmp)),
            Err(_) => break,
        }
    }
    (out.into(), seen)
}

/// The files left in the temp dir (the user's kept changes), masked, and then removed.
pub(super) fn kept(tmp: &Path) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for e in std::fs::read_dir(tmp).expect("tmp").flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        files.push(masked(&text, tmp));
        let _ = std::fs::remove_file(e.path());
    }
    files.sort();
    files
}

#[test]
fn edit_matches_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let remote = Server::start(false);
    let embedded = TempDir::new("edit-home");
    let files = TempDir::new("edit-files");
    let tmp = TempDir::new("edit-tmp");
    let script = super::support::script(&files.0, "editor.sh", EDITOR);
    for (name, text) in [("cm.yaml", CM), ("cm2.yaml", CM2), ("pod.yaml", POD)] {
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
            assert_eq!(
                masked(&got.stdout, &tmp.0),
                masked(&want.stdout, &tmp.0),
                "#{i} {what} {args:?}: stdout"
            );
            assert_eq!(
                masked(&normalized(&got.stderr), &tmp.0),
                masked(&normalized(&want.stderr), &tmp.0),
                "#{i} {what} {args:?}: stderr"
            );
            assert_eq!(got.code, want.code, "#{i} {what} {args:?}: exit code");
            // A pod's file holds what its node made (IPs, container ids): only its patch
            // is compared.
            if !args.contains(&"pod/p1") {
                assert_eq!(
                    got_seen, want_seen,
                    "#{i} {what} {args:?}: files the editor saw"
                );
            }
            assert_eq!(got_kept, want_kept, "#{i} {what} {args:?}: files kept");
        }
    }
}

/// With `--save-config` the object records itself (without managedFields' hiding) in
/// the last-applied annotation, as kubectl writes it; an invalid edit writes nothing.
#[test]
fn edit_on_the_embedded_cluster_saves_config_and_writes_nothing_when_invalid() {
    let home = TempDir::new("edit-embedded");
    let tmp = TempDir::new("edit-embedded-tmp");
    let files = TempDir::new("edit-embedded-files");
    let script = super::support::script(&files.0, "editor.sh", EDITOR);
    std::fs::write(files.0.join("cm.yaml"), CM).expect("manifest");
    let kubelite = |args: &[&str], step: (&str, &str)| {
        let mut cmd = Command::new(BIN);
        cmd.env("KUBELITE_HOME", &home.0).args(args);
        run(cmd, &files.0, &tmp.0, &script, step).0
    };
    assert_eq!(kubelite(&["create", "-f", "cm.yaml"], ("", "")).code, 0);
    let rv = |run: Run| run.stdout;
    let before = rv(kubelite(
        &[
            "get",
            "cm",
            "cm1",
            "-o",
            "jsonpath={.metadata.resourceVersion}",
        ],
        ("", ""),
    ));
    // Invalid, and left so: nothing is written, the file is kept.
    let r = kubelite(
        &["edit", "cm", "cm1"],
        (r#"sed -i 's/  a: "1"/  "a b": "1"/' "$1""#, ":"),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("A copy of your changes has been stored to"),
        "{}",
        r.stderr
    );
    let left = kept(&tmp.0);
    // kubectl's too: the file of the first try and the one left unfixed.
    assert_eq!(left.len(), 2);
    assert!(
        left.iter().all(|f| f.contains("\"a b\": \"1\"")),
        "{left:?}"
    );
    let after = rv(kubelite(
        &[
            "get",
            "cm",
            "cm1",
            "-o",
            "jsonpath={.metadata.resourceVersion}",
        ],
        ("", ""),
    ));
    assert_eq!(before, after, "an invalid edit wrote nothing");
    let r = kubelite(
        &["edit", "cm", "cm1", "--save-config"],
        (r#"sed -i 's/  a: "1"/  a: "2"/' "$1""#, ""),
    );
    assert_eq!(r.stdout, "configmap/cm1 edited\n", "{}", r.stderr);
    let saved = kubelite(
        &["apply", "view-last-applied", "cm", "cm1", "-o", "json"],
        ("", ""),
    );
    let v: serde_json::Value = serde_json::from_str(&saved.stdout).expect("json");
    assert_eq!(v["data"]["a"], "2");
    assert!(
        v["metadata"]["managedFields"].is_array(),
        "{}",
        saved.stdout
    );
    assert!(kept(&tmp.0).is_empty(), "a successful edit leaves no file");
}
