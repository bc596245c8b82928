//! `diff`: the real kubectl against one `kubelite serve`, kubelite against a second one
//! (remote) and against an embedded cluster, step by step: the same diff output (temp
//! dir names, file times and server-made values masked), stderr and exit code, and the
//! same objects afterwards. The embedded cluster's store must not move for a dry run.

use super::node_verbs::normalized;
use super::support::{BIN, FIXED_NOW, Run, Server, TempDir, kubectl_available};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n  labels: {app: web}\ndata:\n  a: \"1\"\n";
const CM_B: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n  labels: {app: web}\ndata:\n  a: \"2\"\n  b: \"3\"\n";
const NEW: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\ndata:\n  x: \"1\"\n";
const BAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"bad name\"\n";
const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  k: v\n";
const SECRET_B: &str =
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\ndata:\n  k: dzI=\n  j: ag==\n";
const CM3: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm3\ndata:\n  c: \"1\"\n";
const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {t: a}\n";

/// (arguments, KUBECTL_EXTERNAL_DIFF, stdin)
#[rustfmt::skip]
const STEPS: &[(&[&str], Option<&str>, Option<&str>)] = &[
    (&["apply", "-f", "cm.yaml"], None, None),
    (&["create", "-f", "cm3.yaml"], None, None),
    (&["diff", "-f", "cm3.yaml"], None, None),
    (&["diff", "-f", "cm.yaml"], None, None),
    (&["diff", "-f", "cmb.yaml"], None, None),
    (&["diff", "-f", "new.yaml"], None, None),
    (&["diff", "-f", "dir"], None, None),
    (&["diff", "-R", "-f", "dir"], None, None),
    (&["diff", "-f", "-"], None, Some(CM_B)),
    (&["diff", "-f", "cmb.yaml", "-l", "app=web"], None, None),
    (&["diff", "-f", "cmb.yaml", "-l", "app=db"], None, None),
    (&["diff", "-f", "cmb.yaml"], Some("diff -q"), None),
    (&["diff", "-f", "cmb.yaml"], Some("diff --bad;x -N"), None),
    (&["diff", "-f", "cmb.yaml"], Some("no-such-diff-program"), None),
    (&["diff", "-f", "cmb.yaml", "--server-side"], None, None),
    (&["diff", "-f", "cmb.yaml", "--server-side", "--force-conflicts"], None, None),
    (&["diff", "-f", "cmb.yaml", "--force-conflicts"], None, None),
    (&["diff", "-f", "bad.yaml"], None, None),
    (&["diff", "-f", "missing.yaml"], None, None),
    (&["diff"], None, None),
    (&["diff", "-f", "new.yaml", "--prune", "--prune-allowlist=core/v1/ConfigMap"], None, None),
    (&["diff", "-f", "new.yaml", "--prune", "-l", "app=web", "--prune-allowlist=core/v1/ConfigMap"], None, None),
    (&["diff", "-f", "cmb.yaml", "--prune", "-l", "app=web", "--prune-allowlist=core/v1/ConfigMap"], None, None),
    (&["diff", "-f", "new.yaml", "--prune", "-l", "app=web"], None, None),
    (&["diff", "-f", "new.yaml", "--prune", "--prune-allowlist=v1/ConfigMap"], None, None),
    (&["create", "-f", "secret.yaml"], None, None),
    (&["diff", "-f", "secretb.yaml"], None, None),
    (&["diff", "-f", "ns.yaml"], None, None),
    (&["get", "cm,secrets,ns", "-o", "jsonpath={range .items[*]}{.metadata.name} {.data}{\"\\n\"}{end}"], None, None),
];

fn write_manifests(dir: &Path) {
    for (name, text) in [
        ("cm.yaml", CM),
        ("cmb.yaml", CM_B),
        ("new.yaml", NEW),
        ("bad.yaml", BAD),
        ("secret.yaml", SECRET),
        ("secretb.yaml", SECRET_B),
        ("ns.yaml", NS),
        ("cm3.yaml", CM3),
        ("dir/cmb.yaml", CM_B),
        ("dir/sub/new.yaml", NEW),
    ] {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(p, text).expect("manifest");
    }
}

/// Temp dir numbers, file times and values each server makes its own.
fn masked(text: &str) -> String {
    let mut out = String::new();
    for line in super::support::without_root_ca(text).split_inclusive('\n') {
        let body = line.trim_start_matches(['+', '-', ' ']);
        if ["creationTimestamp:", "uid:", "resourceVersion:", "time:"]
            .iter()
            .any(|k| body.starts_with(k))
        {
            out.push_str(&line[..line.len() - body.len()]);
            out.push_str("<varies>\n");
            continue;
        }
        let mut line = line.to_string();
        if (line.starts_with("--- ") || line.starts_with("+++ "))
            && let Some(tab) = line.find('\t')
        {
            line = format!("{}\t<time>\n", &line[..tab]);
        }
        for dir in ["LIVE-", "MERGED-"] {
            while let Some(at) = line.find(dir) {
                let digits = line[at + dir.len()..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(line.len() - at - dir.len());
                if digits == 0 {
                    break;
                }
                line.replace_range(at..at + dir.len() + digits, &dir[..dir.len() - 1]);
            }
        }
        out.push_str(&line);
    }
    out
}

fn run(
    mut cmd: Command,
    dir: &Path,
    tmp: &Path,
    external: Option<&str>,
    stdin: Option<&str>,
) -> Run {
    cmd.current_dir(dir)
        .env_remove("KUBECONFIG")
        .env("TMPDIR", tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match external {
        Some(e) => cmd.env("KUBECTL_EXTERNAL_DIFF", e),
        None => cmd.env_remove("KUBECTL_EXTERNAL_DIFF"),
    };
    let mut child = cmd.spawn().expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("wait").into()
}

#[test]
fn diff_matches_kubectl() {
    require_kubectl!();
    let oracle = Server::start(false);
    let remote = Server::start(false);
    let embedded = TempDir::new("diff-home");
    let files = TempDir::new("diff-files");
    let tmp = TempDir::new("diff-tmp");
    write_manifests(&files.0);
    for (i, (args, external, stdin)) in STEPS.iter().enumerate() {
        let kubectl = oracle.kubectl_command(args);
        let want = run(kubectl, &files.0, &tmp.0, *external, *stdin);
        for (what, home) in [("remote", &remote.home.0), ("embedded", &embedded.0)] {
            let mut kubelite = Command::new(BIN);
            kubelite
                .env("KUBELITE_HOME", home)
                .env_remove("KUBELITE_NOW")
                .args(*args);
            let got = run(kubelite, &files.0, &tmp.0, *external, *stdin);
            assert_eq!(
                masked(&got.stdout),
                masked(&want.stdout),
                "#{i} {what} {args:?}: stdout"
            );
            assert_eq!(
                masked(&normalized(&got.stderr)),
                masked(&normalized(&want.stderr)),
                "#{i} {what} {args:?}: stderr"
            );
            assert_eq!(got.code, want.code, "#{i} {what} {args:?}: exit code");
        }
        // Both trees are removed afterwards.
        let left: Vec<_> = std::fs::read_dir(&tmp.0).expect("tmp").flatten().collect();
        assert!(left.is_empty(), "#{i}: temp files left: {left:?}");
    }
}

/// A dry run on the embedded cluster goes through its API server without writing: the
/// store's revision does not move. Nor does `--prune`, which only shows what it would delete.
#[test]
fn diff_on_the_embedded_cluster_writes_nothing() {
    let home = TempDir::new("diff-embedded");
    let files = TempDir::new("diff-embedded-files");
    let tmp = TempDir::new("diff-embedded-tmp");
    write_manifests(&files.0);
    let kubelite = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.env("KUBELITE_HOME", &home.0)
            .env("KUBELITE_NOW", FIXED_NOW)
            .args(args);
        run(cmd, &files.0, &tmp.0, None, stdin)
    };
    assert_eq!(kubelite(&["apply", "-f", "cm.yaml"], None).code, 0);
    // The store's own revision, as etcd reports it.
    let revision = || {
        let out = kubelite(&["etcdctl", "endpoint", "status", "-w", "json"], None).stdout;
        let v: serde_json::Value = serde_json::from_str(&out).expect("status json");
        v[0]["Status"]["header"]["revision"]
            .as_u64()
            .expect("revision")
    };
    let before = revision();
    for args in [
        &["diff", "-f", "cmb.yaml"][..],
        &["diff", "-f", "new.yaml"],
        &[
            "diff",
            "-f",
            "cmb.yaml",
            "--server-side",
            "--force-conflicts",
        ],
    ] {
        let r = kubelite(args, None);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("+++ "), "{args:?}: {}", r.stdout);
        assert_eq!(revision(), before, "{args:?} wrote to the store");
    }
    let r = kubelite(&["diff", "-f", "cm.yaml"], None);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    // What --prune would delete is shown, and stays.
    let r = kubelite(
        &[
            "diff",
            "-f",
            "new.yaml",
            "--prune",
            "--prune-allowlist=core/v1/ConfigMap",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("-  name: cm1\n"), "{}", r.stdout);
    assert_eq!(revision(), before, "diff --prune wrote to the store");
}
