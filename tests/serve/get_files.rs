//! `get -f FILE|DIR [-R]` and `create|replace|delete --raw`: the real kubectl against one
//! `kubelite serve`, kubelite against a second one (remote) and against an embedded
//! cluster, step by step: the same stdout, stderr and exit code each step. Clocks are
//! pinned, so ages print alike; only ConfigMaps, ServiceAccounts and Namespaces are
//! made (nothing whose columns depend on a control plane's timing). `-l` beside `-f`
//! filters tables oddly in kubectl (it matches the Table read for each object, which has
//! no labels), and kubelite does the same.

use super::node_verbs::normalized;
use super::support::{BIN, FIXED_NOW, Run, Server, TempDir, kubectl_available};
use std::path::Path;
use std::process::{Command, Stdio};

const MIXED: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  labels: {tier: web}\ndata:\n  a: \"1\"\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: bot\n";
const IN_SYSTEM: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c2\n  namespace: kube-system\n";
const C3: &str =
    r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c3"},"data":{"k":"v"}}"#;
const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n";
const MISSING: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n";
const RAW: &str =
    r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raw1"},"data":{"r":"1"}}"#;
const RAW_B: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw1\ndata:\n  r: \"2\"\n";

const CMS: &str = "/api/v1/namespaces/default/configmaps";

#[rustfmt::skip]
const STEPS: &[&[&str]] = &[
    &["create", "-f", "mixed.yaml"],
    &["create", "-R", "-f", "dir"],
    &["create", "-f", "ns.yaml"],
    &["get", "-f", "mixed.yaml"],
    &["get", "-f", "dir"],
    &["get", "-R", "-f", "dir"],
    &["get", "-R", "-f", "dir", "-o", "name"],
    &["get", "-f", "mixed.yaml,ns.yaml"],
    &["get", "-f", "mixed.yaml", "-f", "dir/sub/c3.json"],
    &["get", "-f", "ns.yaml", "-o", "jsonpath={.metadata.name} {.kind}"],
    &["get", "-f", "dir/sub/c3.json", "-o", "jsonpath={.data}"],
    &["get", "-R", "-f", "dir", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}"],
    &["get", "-R", "-f", "dir", "-A"],
    &["get", "-f", "mixed.yaml", "-A"],
    &["get", "-f", "mixed.yaml", "--show-kind", "--show-labels"],
    &["get", "-f", "mixed.yaml", "-l", "tier=web"],
    &["get", "-f", "mixed.yaml", "-l", "tier!=web"],
    &["get", "-f", "mixed.yaml", "-l", "tier=web", "-o", "name"],
    &["get", "-f", "mixed.yaml", "-l", "tier=web", "-o", "jsonpath={.kind}"],
    &["get", "-f", "missing.yaml"],
    &["get", "-f", "missing.yaml", "--ignore-not-found"],
    &["get", "-f", "missing.yaml", "-o", "yaml"],
    &["get", "-f", "missing.yaml,dir/sub/c3.json", "-o", "name"],
    &["get", "-f", "empty.yaml"],
    &["get", "-f", "nope.yaml"],
    &["get", "pods", "-f", "mixed.yaml"],
    &["get", "-R", "-f", "dir", "-n", "other"],
    &["get", "-f", "mixed.yaml", "-w"],
    &["get", "-f", "mixed.yaml", "-f", "dir/sub/c3.json", "-w", "-o", "name", "--request-timeout=1s"],
    &["get", "cm", "nope", "--ignore-not-found", "-o", "json"],
    &["create", "--raw", CMS, "-f", "raw.json"],
    &["create", "--raw", CMS, "-f", "raw.json"],
    &["get", "cm", "raw1", "-o", "jsonpath={.data}"],
    &["replace", "--raw", "/api/v1/namespaces/default/configmaps/raw1", "-f", "rawb.yaml"],
    &["get", "cm", "raw1", "-o", "jsonpath={.data}"],
    &["delete", "--raw", "/api/v1/namespaces/default/configmaps/nope"],
    &["delete", "--raw", "/api/v1/namespaces/default/configmaps/raw1", "-o", "name"],
    &["create", "--raw", CMS, "-f", "dir"],
    &["create", "--raw", CMS, "-f", "absent.json"],
];

fn write_manifests(dir: &Path) {
    for (name, text) in [
        ("mixed.yaml", MIXED),
        ("dir/a.yaml", IN_SYSTEM),
        ("dir/sub/c3.json", C3),
        ("ns.yaml", NS),
        ("missing.yaml", MISSING),
        ("empty.yaml", ""),
        ("raw.json", RAW),
        ("rawb.yaml", RAW_B),
    ] {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(p, text).expect("manifest");
    }
}

fn run(mut cmd: Command, dir: &Path) -> Run {
    cmd.current_dir(dir)
        .env_remove("KUBECONFIG")
        .stdin(Stdio::null());
    cmd.output().expect("run").into()
}

/// The uid and resourceVersion a server gave, which differ between two servers, and
/// the field manager it named after the client's program (`kubectl`, `kubelite`).
fn masked(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let next = |r: &str| {
        ["\"uid\":\"", "\"resourceVersion\":\"", "\"manager\":\""]
            .iter()
            .filter_map(|k| r.find(k))
            .min()
    };
    while let Some(at) = next(rest) {
        let key_end = at + rest[at..].find(":\"").expect("a key") + 2;
        out.push_str(&rest[..key_end]);
        rest = &rest[key_end..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push('…');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn get_files_and_raw_writes_match_kubectl() {
    require_kubectl!();
    let oracle = Server::start(true);
    let remote = Server::start(true);
    let embedded = TempDir::new("getf-home");
    let files = TempDir::new("getf-files");
    write_manifests(&files.0);
    for args in STEPS {
        let kubectl = oracle.kubectl_command(args);
        let want = run(kubectl, &files.0);
        // What --raw makes exists on the servers only: the embedded cluster has no HTTP
        // paths, so it refuses --raw loudly (after the same file checks) and its later
        // reads of raw1 are not compared.
        let raw_only = args.iter().any(|a| a.contains("raw"));
        for (what, home) in [("remote", &remote.home.0), ("embedded", &embedded.0)] {
            let mut kubelite = Command::new(BIN);
            kubelite
                .env("KUBELITE_HOME", home)
                .env("KUBELITE_NOW", FIXED_NOW)
                .args(*args);
            let got = run(kubelite, &files.0);
            if what == "embedded" && raw_only {
                if got.stderr.contains("--raw needs an API server") {
                    assert_eq!((got.code, got.stdout.as_str()), (1, ""), "{args:?}");
                    continue;
                }
                if !args.contains(&"--raw") {
                    continue;
                }
            }
            assert_eq!(
                masked(&got.stdout),
                masked(&want.stdout),
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
}
