//! `run` and `expose` against the real kubectl: client dry runs byte for byte (kubelite's
//! answered offline, with no cluster home made), errors and exit codes, and the objects the
//! two create on the same `kubelite serve` after masking what the server assigns.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite, manifest};
use serde_json::Value;
use std::process::Command;

/// kubelite on a home that does not exist: a client dry run of `run` must not make it.
fn kubelite_offline(args: &[&str]) -> (Run, bool) {
    let dir = TempDir::new("run-offline");
    let home = dir.0.join("never-made");
    let run: Run = Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", &home)
        .env_remove("KUBECONFIG")
        .output()
        .expect("run kubelite")
        .into();
    (run, home.exists())
}

fn same(what: &str, kubectl: &Run, ours: &Run) {
    assert_eq!(
        (kubectl.code, &kubectl.stdout, &kubectl.stderr),
        (ours.code, &ours.stdout, &ours.stderr),
        "{what}: kubectl (left) and kubelite (right) differ"
    );
}

#[test]
fn run_client_dry_run_matches_kubectl_offline() {
    require_kubectl!();
    let server = Server::start(true);
    let cases: &[&[&str]] = &[
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--port=80",
            "-l",
            "a=b,c=d",
            "--env=X=1",
            "--env=Y=2",
            "--restart=Never",
            "--image-pull-policy=IfNotPresent",
            "--annotations=k=v",
            "-n",
            "foo",
            "--dry-run=client",
            "-o",
            "json",
            "--",
            "sleep",
            "10",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--command",
            "--restart=OnFailure",
            "--dry-run=client",
            "-o",
            "yaml",
            "--",
            "sleep",
            "10",
        ],
        &["run", "nginx", "--image=nginx", "--dry-run=client"],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--privileged",
            "-i",
            "-t",
            "--image-pull-policy=Never",
            "--attach=false",
            "--dry-run=client",
            "-o",
            "json",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--dry-run=client",
            "-o",
            "name",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--dry-run=client",
            "-o",
            "yaml",
            "a",
            "b",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--expose",
            "--port=80",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--expose",
            "--port=80",
            "-l",
            "a=b",
            "-n",
            "foo",
            "--dry-run=client",
            "-o",
            "json",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--expose",
            "--port=80",
            "--dry-run=client",
        ],
        &[
            "run",
            "nginx",
            "--image=nginx",
            "--expose",
            "--dry-run=client",
        ],
        &["run", "a", "--image=b", "--env=X", "--dry-run=client"],
        &["run", "a", "--image=b", "-l", "bad", "--dry-run=client"],
        &[
            "run",
            "a",
            "--image=b",
            "--annotations=bad",
            "--dry-run=client",
        ],
        &["run", "a", "--image=b", "--port=x", "--dry-run=client"],
        &["run", "a", "--image=b", "--rm", "--dry-run=client"],
        &["run", "a", "--image=b", "-o", "wide", "--dry-run=client"],
        &["run", "a", "--image=b", "--restart=Bad", "--dry-run=client"],
        &[
            "run",
            "a",
            "--image=b",
            "--image-pull-policy=Bad",
            "--dry-run=client",
        ],
        &["run", "a", "--image=b", "--dry-run=bad"],
        &[
            "run",
            "a",
            "--image=b",
            "--dry-run=client",
            "-o",
            "go-template={{.metadata.name}} {{.spec.containers}}",
        ],
        &[
            "run",
            "a",
            "--image=b",
            "--dry-run=client",
            "--template={{.metadata.name}}",
        ],
        &[
            "run",
            "a",
            "--image=b",
            "--port=80",
            "--expose",
            "--dry-run=client",
            "-o",
            "jsonpath={.kind} ",
        ],
        &[
            "run",
            "a",
            "--image=b",
            "--dry-run=client",
            "-o",
            "jsonpath-as-json={.metadata.labels}",
        ],
        &[
            "run",
            "a",
            "--image=b",
            "--dry-run=client",
            "-o",
            "go-template",
        ],
        &["run", "--image=b", "--dry-run=client"],
    ];
    for args in cases {
        let theirs = server.kubectl(args);
        let (ours, made_home) = kubelite_offline(args);
        same(&args.join(" "), &theirs, &ours);
        assert!(!made_home, "{}: a cluster home was created", args.join(" "));
    }
}

/// `--overrides` with each `--override-type`: the generated Pod patched, then decoded as
/// kubectl's Go Pod (unknown fields dropped, Go's field order in JSON), and kubectl's words
/// for a bad override or patch. Attaching is in run_attach.rs.
#[test]
fn run_overrides_match_kubectl_offline() {
    require_kubectl!();
    let server = Server::start(true);
    let merge = r#"{"spec":{"nodeSelector":{"a":"b"},"containers":[{"name":"x","image":"y"}]},"metadata":{"labels":{"z":"1"}},"zzz":1}"#;
    let json = r#"[{"op":"add","path":"/spec/hostname","value":"h"},{"op":"replace","path":"/spec/containers/0/image","value":"busybox"},{"op":"replace","path":"/x","value":1}]"#;
    let strategic = r#"{"spec":{"containers":[{"name":"p","env":[{"name":"A","value":"1"}]},{"name":"side","image":"b"}]}}"#;
    let mut cases: Vec<Vec<String>> = Vec::new();
    for (kind, text) in [
        ("merge", merge),
        ("merge", r#"{"metadata":null,"spec":null}"#),
        ("json", json),
        ("strategic", strategic),
        ("merge", "{"),
        ("merge", "[1]"),
        ("merge", "1"),
        ("merge", r#"{"spec":{"containers":"x"}}"#),
        ("merge", r#"{"apiVersion":"apps/v1"}"#),
        ("merge", r#"{"apiVersion":null}"#),
        ("merge", r#"{"kind":null}"#),
        ("bad", "{}"),
        ("json", "{}"),
        ("json", "{"),
        ("json", r#"[{"op":"bad","path":"/spec"}]"#),
        ("json", r#"[{"path":"/x"}]"#),
        ("json", r#"[{"op":"remove","path":"/spec/nope"}]"#),
        ("json", r#"[{"op":"remove","path":"/spec/containers/5"}]"#),
        ("json", r#"[{"op":"add","path":"/x/y","value":"h"}]"#),
        ("json", r#"[{"op":"test","path":"/kind","value":"Svc"}]"#),
        ("strategic", "[]"),
        ("strategic", r#"{"spec":{"containers":[{"image":"b"}]}}"#),
        ("strategic", r#"{"spec":{"$patch":"bogus"}}"#),
        ("strategic", r#"{"metadata":{"labels":{"a":1}}}"#),
    ] {
        for output in ["json", "yaml"] {
            cases.push(
                [
                    "run",
                    "p",
                    "--image=nginx",
                    "--dry-run=client",
                    "-o",
                    output,
                    &format!("--override-type={kind}"),
                    &format!("--overrides={text}"),
                ]
                .map(String::from)
                .to_vec(),
            );
        }
    }
    // Without an override, its type is not looked at.
    cases.push(
        [
            "run",
            "p",
            "--image=b",
            "--override-type=bad",
            "--dry-run=client",
        ]
        .map(String::from)
        .to_vec(),
    );
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let theirs = server.kubectl(&args);
        let (ours, made_home) = kubelite_offline(&args);
        same(&args.join(" "), &theirs, &ours);
        assert!(!made_home, "{}: a cluster home was created", args.join(" "));
    }
}

const OBJECTS: &str = "apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rx}
spec:
  selector:
    matchExpressions: [{key: a, operator: In, values: [b]}]
  template:
    metadata: {labels: {a: b}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ry, labels: {q: r}}
spec:
  selector:
    matchLabels: {a: c}
  template:
    metadata: {labels: {a: c}}
    spec:
      containers:
      - {name: c, image: nginx, ports: [{containerPort: 1, name: one}, {containerPort: 2, protocol: UDP}]}
      - {name: d, image: x, ports: [{containerPort: 3}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: both}
spec:
  selector:
    matchLabels: {a: b}
    matchExpressions: [{key: c, operator: In, values: [d, e]}]
  template:
    metadata: {labels: {a: b, c: d}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: nolabels}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}, {containerPort: 80, protocol: UDP}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: nosel}
spec: {ports: [{port: 80, targetPort: 9090, name: http}, {port: 81, protocol: UDP, name: u}]}
";

#[test]
fn expose_matches_kubectl() {
    require_kubectl!();
    let server = Server::start(true);
    let dir = TempDir::new("expose");
    let file = manifest(&dir.0, "objects.yaml", OBJECTS);
    let file = file.to_str().expect("path");
    server.kubectl(&["create", "-f", file]).ok("create objects");
    server
        .kubectl(&[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--port=8080",
        ])
        .ok("create web");
    server
        .kubectl(&["run", "p1", "--image=nginx", "-l", "app=x", "--port=81"])
        .ok("run p1");
    server.kubectl(&["run", "p2", "--image=nginx"]).ok("run p2");
    let dry: &[&[&str]] = &[
        &["expose", "pod", "p1", "-o", "yaml"],
        &["expose", "pod", "p2", "-o", "yaml"],
        &["expose", "pod", "p2", "--cluster-ip=None", "-o", "json"],
        &["expose", "deployment", "web", "-o", "json"],
        &[
            "expose",
            "deployment",
            "web",
            "--port=90",
            "--target-port=8080",
            "--name=w2",
            "--type=NodePort",
            "--protocol=UDP",
            "--labels=l=1",
            "--external-ip=1.2.3.4",
            "--session-affinity=ClientIP",
            "--cluster-ip=None",
            "-o",
            "json",
        ],
        &[
            "expose",
            "deployment",
            "web",
            "--selector=x=y,z=w",
            "-o",
            "yaml",
        ],
        &["expose", "rs", "rx", "--port=5", "-o", "yaml"],
        // kubectl keeps --load-balancer-ip only on a LoadBalancer Service.
        &[
            "expose",
            "deployment",
            "web",
            "--type=LoadBalancer",
            "--load-balancer-ip=10.1.2.3",
            "--session-affinity=ClientIP",
            "-o",
            "json",
        ],
        &[
            "expose",
            "deployment",
            "web",
            "--load-balancer-ip=10.1.2.3",
            "-o",
            "yaml",
        ],
        &[
            "expose",
            "deployment",
            "web",
            "-o",
            "json",
            r#"--overrides={"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30080},{"name":"x"}]},"bogus":1}"#,
        ],
        &[
            "expose",
            "deployment",
            "web",
            "-o",
            "yaml",
            "--override-type=strategic",
            r#"--overrides={"spec":{"ports":[{"port":8080,"name":"http"}]},"status":null}"#,
        ],
        &[
            "expose",
            "deployment",
            "web",
            "--override-type=json",
            r#"--overrides=[{"op":"add","path":"/spec/externalIPs","value":["1.2.3.4"]}]"#,
            "-o",
            "json",
        ],
        &[
            "expose",
            "deployment",
            "web",
            r#"--overrides={"spec":{"ports":"x"}}"#,
        ],
        &[
            "expose",
            "deployment",
            "web",
            "--override-type=bad",
            "--overrides={}",
        ],
        &[
            "expose",
            "rs",
            "rx",
            "--port=5",
            "--selector=a=b",
            "-o",
            "yaml",
        ],
        &["expose", "rs", "ry", "-o", "yaml"],
        &["expose", "rs/ry", "-o", "name"],
        &[
            "expose",
            "rs",
            "ry",
            "--port=2,1",
            "--target-port=9",
            "-o",
            "yaml",
        ],
        &[
            "expose",
            "rs",
            "ry",
            "--port=7",
            "--target-port=name",
            "-o",
            "yaml",
        ],
        &["expose", "rs", "ry", "--protocol=SCTP", "-o", "yaml"],
        &["expose", "rs", "ry"],
        &["expose", "-f", file],
        &["expose", "pod", "nolabels", "-o", "yaml"],
        &["expose", "pod", "nolabels", "--selector=a=b", "-o", "yaml"],
        &["expose", "svc", "nosel", "-o", "yaml"],
        &[
            "expose",
            "svc",
            "nosel",
            "--selector=a=b",
            "--name=x",
            "-o",
            "yaml",
        ],
        &["expose", "deploy", "both", "--port=80"],
        &["expose", "deploy", "both", "web", "nope", "--port=80"],
        &["expose", "deploy", "web", "both", "-o", "yaml"],
        &["expose", "deploy", "web", "rs", "ry"],
        &["expose", "deploy"],
        &["expose", "rs", "ry", "deploy/web"],
        &["expose", "pod", "p1", "pod/p2", "-o", "json"],
        &["expose", "rs", "ry", "--port=bad"],
        &["expose", "deploy", "web", "--labels=bad"],
        &["expose", "deploy", "web", "-o", "wide"],
        &["expose", "configmap", "kube-root-ca.crt"],
        &["expose", "ns", "default"],
        &["expose", "pod", "nope"],
        &["expose"],
    ];
    for args in dry {
        let mut args = args.to_vec();
        args.push("--dry-run=client");
        let theirs = server.kubectl(&args);
        let ours = kubelite(&server.home.0, true, &args);
        same(&args.join(" "), &theirs, &ours);
    }
    let theirs = server.kubectl(&["expose", "rs", "ry", "--dry-run=server"]);
    let ours = kubelite(
        &server.home.0,
        true,
        &["expose", "rs", "ry", "--dry-run=server"],
    );
    same("expose --dry-run=server", &theirs, &ours);
}

/// An object with what the server assigns blanked: ids, versions, times, addresses.
fn masked(server: &Server, kind: &str, namespace: &str, name: &str) -> Value {
    let text = server
        .kubectl(&["get", kind, name, "-n", namespace, "-o", "json"])
        .ok("get created object");
    let mut v: Value = serde_json::from_str(&text).expect("json");
    let meta = v["metadata"].as_object_mut().expect("metadata");
    for key in ["uid", "resourceVersion", "creationTimestamp", "namespace"] {
        meta.remove(key);
    }
    if let Some(fields) = meta.get_mut("managedFields").and_then(Value::as_array_mut) {
        for f in fields {
            f["time"] = Value::Null;
        }
    }
    if kind == "svc" {
        let spec = v["spec"].as_object_mut().expect("spec");
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
        remove_in_items(spec, "ports", "nodePort");
    } else {
        // Where the scheduler put the pod and what its kubelet reported differ by nature.
        v.as_object_mut().expect("pod").remove("status");
        let spec = v["spec"].as_object_mut().expect("spec");
        spec.remove("nodeName");
        spec.remove("volumes");
        remove_in_items(spec, "containers", "volumeMounts");
    }
    v
}

/// Removes `field` from every object of the list `spec[list]` (if there is one).
fn remove_in_items(spec: &mut serde_json::Map<String, Value>, list: &str, field: &str) {
    let items = spec.get_mut(list).and_then(Value::as_array_mut);
    for item in items.into_iter().flatten() {
        if let Some(item) = item.as_object_mut() {
            item.remove(field);
        }
    }
}

#[test]
fn created_objects_match_kubectl() {
    require_kubectl!();
    let server = Server::start(false);
    server.kubectl(&["create", "namespace", "k"]).ok("ns k");
    server.kubectl(&["create", "namespace", "l"]).ok("ns l");
    server
        .kubectl(&[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--port=8080",
            "-n",
            "k",
        ])
        .ok("web in k");
    server
        .kubectl(&[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--port=8080",
            "-n",
            "l",
        ])
        .ok("web in l");
    let verbs: &[&[&str]] = &[
        &[
            "run",
            "x",
            "--image=nginx",
            "--port=80",
            "--expose",
            "-l",
            "app=x",
            "--env=A=1",
            "--restart=Never",
            "--annotations=a=b",
            "--image-pull-policy=Always",
            "--",
            "sleep",
            "5",
        ],
        &[
            "run",
            "z",
            "--image=nginx",
            "--port=80",
            "--expose",
            "--override-type=strategic",
            r#"--overrides={"metadata":{"labels":{"extra":"1"}},"spec":{"containers":[{"name":"z","env":[{"name":"A","value":"1"}]}],"hostname":"h"}}"#,
        ],
        &[
            "run",
            "y",
            "--image=nginx",
            "--command",
            "--",
            "sh",
            "-c",
            "true",
        ],
        &[
            "expose",
            "deploy",
            "web",
            "--name=w",
            "--type=NodePort",
            "--port=99",
            "--target-port=8080",
            "--session-affinity=ClientIP",
        ],
        &[
            "expose",
            "pod",
            "x",
            "--name=lb",
            "--type=LoadBalancer",
            "--labels=z=1",
        ],
    ];
    for args in verbs {
        // The namespace goes first: what follows `--` is the container's command.
        let theirs_args = [&["-n", "k"], *args].concat();
        let our_args = [&["-n", "l"], *args].concat();
        let theirs = server.kubectl(&theirs_args);
        let ours = kubelite(&server.home.0, false, &our_args);
        same(&args.join(" "), &theirs, &ours);
    }
    for (kind, name) in [
        ("svc", "x"),
        ("svc", "w"),
        ("svc", "lb"),
        ("pod", "x"),
        ("pod", "y"),
        ("pod", "z"),
        ("svc", "z"),
    ] {
        assert_eq!(
            masked(&server, kind, "k", name),
            masked(&server, kind, "l", name),
            "{kind}/{name}: made by kubectl (left) and by kubelite (right)"
        );
    }
}
