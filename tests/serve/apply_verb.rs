//! `kubelite apply` against the real kubectl: the same sequence of applies (create,
//! unchanged, changed, a field dropped from the file, a field someone else set, containers
//! added and removed, dry runs, server-side apply with a conflict and its force) run by
//! kubectl on one `kubelite serve`, by kubelite on another and by kubelite on an embedded
//! cluster. What each printed, its exit status and the objects that resulted must agree.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite};
use serde_json::Value;
use std::path::Path;

/// One of the three runners of the sequence.
enum Runner<'a> {
    Kubectl(&'a Server),
    Ours(&'a Server),
    Embedded(&'a Path),
}

impl Runner<'_> {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Run {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut cmd = match self {
            Runner::Kubectl(s) => {
                let mut c = Command::new("kubectl");
                c.env("KUBECONFIG", s.kubeconfig());
                c
            }
            Runner::Ours(s) => {
                let mut c = Command::new(BIN);
                c.env("KUBELITE_HOME", &s.home.0).env_remove("KUBECONFIG");
                c
            }
            Runner::Embedded(home) => {
                if stdin.is_none() {
                    return kubelite(home, false, args);
                }
                let mut c = Command::new(BIN);
                c.env("KUBELITE_HOME", home).env_remove("KUBECONFIG");
                c
            }
        };
        let mut child = cmd
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        if let Some(mut pipe) = child.stdin.take() {
            let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
        }
        child.wait_with_output().expect("wait").into()
    }

    /// The object as JSON with what the server assigns masked.
    fn object(&self, kind: &str, name: &str) -> Value {
        let run = self.run(
            &["get", kind, name, "-o", "json", "--show-managed-fields"],
            None,
        );
        assert_eq!(run.code, 0, "get {kind} {name}: {}", run.stderr);
        let mut v: Value = serde_json::from_str(&run.stdout).expect("json");
        if let Some(o) = v.as_object_mut() {
            o.remove("status");
        }
        let meta = v["metadata"].as_object_mut().expect("metadata");
        for key in ["uid", "resourceVersion", "creationTimestamp"] {
            meta.remove(key);
        }
        if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            // The rollout controller's count, timed by the controllers, not by apply.
            a.remove("deployment.kubernetes.io/revision");
        }
        if let Some(fields) = meta.get_mut("managedFields").and_then(Value::as_array_mut) {
            for f in fields.iter_mut() {
                f["time"] = Value::Null;
            }
            // Controllers write status on their own time.
            fields.retain(|f| f["subresource"] != "status");
            // Entries of one operation are ordered by their time's second, then by manager:
            // two writes either side of a second boundary swap. The order by manager alone
            // does not depend on how fast the commands ran.
            fields.sort_by(|a, b| {
                (a["operation"].as_str(), a["manager"].as_str())
                    .cmp(&(b["operation"].as_str(), b["manager"].as_str()))
            });
        }
        v
    }
}

const V1: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx:1.25
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {a: \"1\", b: \"x<y>&\"}
";

/// The sequence: each step's file (none: keep the last) and command line.
fn steps() -> Vec<(Option<String>, Vec<&'static str>)> {
    let v2 = V1.replace("replicas: 2", "replicas: 3");
    // tier and b dropped from the file: they must go from the objects.
    let v3 = v2
        .replace("{app: web, tier: front}", "{app: web}")
        .replace(", b: \"x<y>&\"", "");
    let v4 = v3.replace(
        "        ports: [{containerPort: 80}]\n",
        "        ports: [{containerPort: 80}]\n      - name: side\n        image: busybox\n        args: [sleep, \"1000\"]\n",
    );
    let v5 = v4.replace("nginx:1.25", "nginx:1.27").replace(
        "      - name: side\n        image: busybox\n        args: [sleep, \"1000\"]\n",
        "",
    );
    let f = "FILE";
    vec![
        (Some(V1.to_string()), vec!["apply", "-f", f]),
        (None, vec!["apply", "-f", f]),
        (Some(v2), vec!["apply", "-f", f]),
        (Some(v3), vec!["apply", "-f", f]),
        (None, vec!["label", "deploy", "web", "owner=ops"]),
        (None, vec!["annotate", "cm", "cm", "note=kept"]),
        (None, vec!["apply", "-f", f]),
        (Some(v4), vec!["apply", "-f", f, "--dry-run=client"]),
        (None, vec!["apply", "-f", f, "--dry-run=server"]),
        (None, vec!["apply", "-f", f, "-o", "name"]),
        (Some(v5), vec!["apply", "-f", f]),
        (None, vec!["apply", "-f", "-"]),
        (
            Some("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fresh, labels: {z: w}}\ndata: {k: v}\n".into()),
            vec!["apply", "-f", f, "--dry-run=client", "-o", "yaml"],
        ),
        (None, vec!["apply", "-f", f, "--dry-run=client", "-o", "json"]),
        (None, vec!["apply", "--server-side", "-f", f]),
        (None, vec!["apply", "--server-side", "-f", f]),
        (None, vec!["label", "cm", "fresh", "z=other", "--overwrite"]),
        (None, vec!["apply", "--server-side", "-f", f]),
        (None, vec!["apply", "--server-side", "--force-conflicts", "-f", f]),
        (None, vec!["apply"]),
        (None, vec!["apply", "--force-conflicts", "-f", f]),
        (None, vec!["apply", "--server-side", "--dry-run=client", "-f", f]),
        (None, vec!["apply", "-f", "/nonexistent/x.yaml"]),
        (None, vec!["apply", "view-last-applied", "deploy", "web"]),
        (None, vec!["apply", "view-last-applied", "cm/cm", "-o", "json"]),
        (None, vec!["apply", "view-last-applied", "cm", "fresh"]),
        // Several objects print as one List.
        (
            Some("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: l1}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: l2}\nstringData: {k: v}\n".into()),
            vec!["apply", "-f", f, "--dry-run=client", "-o", "json"],
        ),
        (None, vec!["apply", "-f", f, "--dry-run=client", "-o", "yaml"]),
        (
            Some("apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\ndata: {k: v}\n".into()),
            vec!["apply", "-f", f],
        ),
    ]
}

#[test]
fn apply_sequence_matches_kubectl() {
    require_kubectl!();
    let theirs = Server::start(false);
    let ours = Server::start(false);
    let embedded = TempDir::new("apply-embedded");
    let dir = TempDir::new("apply-files");
    let file = dir.0.join("objects.yaml");
    let file = file.to_str().expect("path");
    let runners = [
        Runner::Kubectl(&theirs),
        Runner::Ours(&ours),
        Runner::Embedded(&embedded.0),
    ];
    let mut text = String::new();
    for (content, args) in steps() {
        if let Some(c) = content {
            text = c;
            std::fs::write(file, &text).expect("write manifest");
        }
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "FILE" { file } else { a })
            .collect();
        let stdin = args.contains(&"-").then_some(text.as_str());
        let runs: Vec<Run> = runners.iter().map(|r| r.run(&args, stdin)).collect();
        let what = args.join(" ");
        for (name, run) in ["serve", "embedded"].iter().zip(&runs[1..]) {
            assert_eq!(
                (runs[0].code, &runs[0].stdout, &runs[0].stderr),
                (run.code, &run.stdout, &run.stderr),
                "{what}: kubectl (left) and kubelite on {name} (right) differ"
            );
        }
        for (kind, name) in [("deploy", "web"), ("cm", "cm")] {
            let want = runners[0].object(kind, name);
            for r in &runners[1..] {
                assert_eq!(want, r.object(kind, name), "{what}: {kind}/{name} differs");
            }
        }
    }
    // The sequence did what it says, not merely the same thing thrice.
    let web = runners[1].object("deploy", "web");
    assert_eq!(web["spec"]["replicas"], 3);
    assert_eq!(web["metadata"]["labels"]["owner"], "ops");
    assert_eq!(web["metadata"]["labels"].get("tier"), None);
    let containers = &web["spec"]["template"]["spec"]["containers"];
    assert_eq!(containers.as_array().map(Vec::len), Some(1));
    assert_eq!(containers[0]["image"], "nginx:1.27");
    let cm = runners[2].object("cm", "cm");
    assert_eq!(cm["data"].get("b"), None);
    assert_eq!(cm["metadata"]["annotations"]["note"], "kept");
    assert_eq!(
        runners[1].object("cm", "fresh")["metadata"]["labels"]["z"],
        "w"
    );
}

#[test]
fn refuses_what_it_does_not_build() {
    let home = TempDir::new("apply-refused");
    let cases: &[(&[&str], &str)] = &[
        (
            &["apply", "--prune", "-f", "x.yaml"],
            "error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n",
        ),
        (
            &["apply", "edit-last-applied", "-k", "dir"],
            "error: kubelite does not support -k on apply edit-last-applied: build with `kubelite kustomize DIR > objects.yaml` and pass -f objects.yaml\n",
        ),
    ];
    for (args, want) in cases {
        let run = kubelite(&home.0, false, args);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (1, "", *want),
            "{}",
            args.join(" ")
        );
    }
}

#[test]
fn apply_over_an_object_made_otherwise_warns_and_keeps_its_other_fields() {
    require_kubectl!();
    let theirs = Server::start(false);
    let ours = Server::start(false);
    let dir = TempDir::new("apply-unannotated");
    let file = dir.0.join("plain.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: \"3\"}\n",
    )
    .expect("write manifest");
    let file = file.to_str().expect("path");
    let runners = [Runner::Kubectl(&theirs), Runner::Ours(&ours)];
    let mut runs = Vec::new();
    for r in &runners {
        let made = r.run(
            &[
                "create",
                "configmap",
                "plain",
                "--from-literal=a=1",
                "--from-literal=b=2",
            ],
            None,
        );
        assert_eq!(made.code, 0, "{}", made.stderr);
        runs.push(r.run(&["apply", "-f", file], None));
    }
    let warning = "Warning: resource configmaps/plain is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by ";
    for run in &runs {
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "configmap/plain configured\n")
        );
        assert!(run.stderr.starts_with(warning), "{}", run.stderr);
    }
    let want = runners[0].object("cm", "plain");
    assert_eq!(want, runners[1].object("cm", "plain"));
    // Without a last applied configuration nothing is deleted: b stays.
    assert_eq!(want["data"], serde_json::json!({"a": "3", "b": "2"}));
}
