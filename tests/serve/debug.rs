//! `debug` three ways on the same pod: the real kubectl against serve, kubelite through
//! serve (remote), and kubelite's embedded cluster. They must print the same and make the
//! same objects (the ephemeral containers and their statuses, the copied pod, the node
//! debugger pod). Only the five-character suffixes kubectl draws at random are masked,
//! with the ids and times that differ between any two clusters.

use super::support::{BIN, Run, Server, TempDir, kubectl_available, kubelite, manifest};
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

const POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: "web"}
  annotations: {team: "a"}
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe: {exec: {command: ["true"]}}
  - name: sidecar
    image: busybox
"#;

#[derive(Clone, Copy, Debug)]
enum Tool {
    Kubectl,
    Remote,
    Embedded,
}

struct Clusters {
    kubectl: Server,
    remote: Server,
    embedded: TempDir,
}

impl Clusters {
    fn start() -> Clusters {
        let c = Clusters {
            kubectl: Server::start(false),
            remote: Server::start(false),
            embedded: TempDir::new("debug-embedded"),
        };
        let dir = TempDir::new("debug-files");
        let file = manifest(&dir.0, "web.yaml", POD);
        let file = file.to_str().unwrap();
        for tool in [Tool::Kubectl, Tool::Remote, Tool::Embedded] {
            c.run(tool, &["create", "-f", file]).ok("create the pod");
        }
        c.kubectl.wait_until_settled();
        c.remote.wait_until_settled();
        c
    }

    fn run(&self, tool: Tool, args: &[&str]) -> Run {
        match tool {
            Tool::Kubectl => self.kubectl.kubectl(args),
            Tool::Remote => Command::new(BIN)
                .args(args)
                .env("KUBELITE_HOME", &self.remote.home.0)
                .env_remove("KUBECONFIG")
                .output()
                .expect("kubelite through serve")
                .into(),
            Tool::Embedded => kubelite(&self.embedded.0, false, args),
        }
    }

    fn object(&self, tool: Tool, args: &[&str]) -> Value {
        let mut all = vec!["get"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", "json"]);
        let out = self.run(tool, &all).ok("get");
        serde_json::from_str(&out).expect("JSON")
    }

    /// The pod once every ephemeral container has a status (bounded poll: the kubelets
    /// of the servers run on their own timers).
    fn pod_with_statuses(&self, tool: Tool, name: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let pod = self.object(tool, &["pod", name]);
            let count = |p: &str| pod.pointer(p).and_then(Value::as_array).map_or(0, Vec::len);
            let running = pod
                .pointer("/status/ephemeralContainerStatuses")
                .and_then(Value::as_array)
                .is_some_and(|l| l.iter().all(|s| s.pointer("/state/running").is_some()));
            if count("/spec/ephemeralContainers") == count("/status/ephemeralContainerStatuses")
                && running
            {
                return pod;
            }
            assert!(Instant::now() < deadline, "{tool:?}: no statuses: {pod:#}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The same text with kubectl's random suffixes, container ids, image-pull times and
/// timestamps masked.
fn masked(text: &str) -> String {
    let rules = [
        (
            r"node-debugger-([a-z0-9.-]+)-[bcdfghjklmnpqrstvwxz2456789]{5}\b",
            "node-debugger-${1}-XXXXX",
        ),
        (
            r"debugger-[bcdfghjklmnpqrstvwxz2456789]{5}",
            "debugger-XXXXX",
        ),
        (r"kube-api-access-[a-z0-9]{5}", "kube-api-access-XXXXX"),
        (r"containerd://[0-9a-f]+", "containerd://ID"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME"),
    ];
    let mut out = text.to_string();
    for (pattern, with) in rules {
        out = regex_lite::Regex::new(pattern)
            .unwrap()
            .replace_all(&out, with)
            .into_owned();
    }
    out
}

fn said(run: &Run) -> (String, String, i32) {
    (masked(&run.stdout), masked(&run.stderr), run.code)
}

/// What the debug sessions made in a pod: its ephemeral containers and their statuses.
fn ephemeral_part(pod: &Value) -> String {
    let part = serde_json::json!({
        "containers": pod.pointer("/spec/ephemeralContainers"),
        "statuses": pod.pointer("/status/ephemeralContainerStatuses"),
    });
    masked(&serde_json::to_string_pretty(&part).unwrap())
}

/// A made pod's labels, annotations and spec (its node aside: the scheduler's choice).
fn made_part(pod: &Value) -> String {
    let mut spec = pod["spec"].clone();
    if let Some(m) = spec.as_object_mut() {
        m.shift_remove("nodeName");
    }
    let part = serde_json::json!({
        "labels": pod.pointer("/metadata/labels"),
        "annotations": pod.pointer("/metadata/annotations"),
        "spec": spec,
    });
    masked(&serde_json::to_string_pretty(&part).unwrap())
}

const TOOLS: [Tool; 3] = [Tool::Kubectl, Tool::Remote, Tool::Embedded];

#[test]
fn debug_makes_what_kubectl_makes_remote_and_embedded() {
    require_kubectl!();
    let c = Clusters::start();
    let cases: &[&[&str]] = &[
        &["debug", "web", "--image=busybox"],
        &[
            "debug",
            "web",
            "--image=busybox",
            "-c",
            "dbg",
            "--profile=general",
            "--target=app",
            "--env=A=1",
            "--",
            "sh",
            "-c",
            "true",
        ],
        &[
            "debug",
            "web",
            "--image=busybox:1.36",
            "--profile=restricted",
            "-q",
        ],
        &[
            "debug",
            "pod/web",
            "--image=busybox",
            "--profile=netadmin",
            "--image-pull-policy=IfNotPresent",
        ],
        // Errors: kubectl's checks, and the API server's (an existing name, a missing target).
        &[
            "debug",
            "web",
            "--image=busybox",
            "-c",
            "dbg",
            "--profile=general",
        ],
        &[
            "debug",
            "web",
            "--image=busybox",
            "-c",
            "app",
            "--profile=general",
        ],
        &[
            "debug",
            "web",
            "--image=busybox",
            "--target=nope",
            "--profile=general",
        ],
        &["debug", "web"],
        &["debug", "web", "--image=Bad:Image"],
        &["debug", "web", "--image=busybox", "--replace"],
        &["debug", "web", "--image=busybox", "-t"],
        &["debug", "web", "--image=busybox", "--profile=nope"],
        &["debug", "nope", "--image=busybox", "--profile=general"],
        &["debug", "node/nope", "--image=busybox", "--profile=general"],
        &["debug", "web", "--copy-to=x"],
        &[
            "debug",
            "web",
            "--copy-to=x",
            "--image=busybox",
            "--target=app",
        ],
        // A copy and a node debugger.
        &[
            "debug",
            "web",
            "--copy-to=web-copy",
            "--image=busybox",
            "--profile=general",
            "--set-image=sidecar=busybox:1.36",
            "--share-processes=false",
            "--keep-annotations",
        ],
        &[
            "debug",
            "web",
            "--copy-to=web-legacy",
            "--set-image=*=nginx:1.27",
        ],
        &[
            "debug",
            "node/node01",
            "--image=busybox",
            "--profile=sysadmin",
            "-c",
            "dd",
            "--",
            "sleep",
            "1",
        ],
    ];
    // --custom: a partial container spec merged over the profile's container.
    let files = TempDir::new("debug-custom");
    let custom = manifest(
        &files.0,
        "custom.yaml",
        "env:\n- name: DEBUG\n  value: \"1\"\nsecurityContext:\n  runAsUser: 0\nvolumeMounts:\n- name: x\n  mountPath: /x\n",
    );
    let bad = manifest(&files.0, "bad.json", "{\"image\": \"x\"}");
    let custom = format!("--custom={}", custom.display());
    let bad = format!("--custom={}", bad.display());
    let with_files: Vec<Vec<&str>> = vec![
        vec![
            "debug",
            "web",
            "--image=busybox",
            "-c",
            "cu",
            "--profile=general",
            &custom,
        ],
        vec![
            "debug",
            "node/node02",
            "--image=busybox",
            "--profile=general",
            &custom,
        ],
        vec!["debug", "web", "--image=busybox", &bad],
        vec![
            "debug",
            "web",
            "--image=busybox",
            "--custom=/nonexistent/c.yaml",
        ],
    ];
    let cases: Vec<&[&str]> = cases
        .iter()
        .copied()
        .chain(with_files.iter().map(Vec::as_slice))
        .collect();
    let mut failures = Vec::new();
    for args in &cases {
        let runs: Vec<(String, String, i32)> =
            TOOLS.iter().map(|t| said(&c.run(*t, args))).collect();
        for (tool, run) in TOOLS.iter().zip(&runs).skip(1) {
            if *run != runs[0] {
                failures.push(format!(
                    "{args:?}\n  kubectl: {:?}\n  {tool:?}: {run:?}",
                    runs[0]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let pods: Vec<Value> = TOOLS
        .iter()
        .map(|t| c.pod_with_statuses(*t, "web"))
        .collect();
    let theirs = ephemeral_part(&pods[0]);
    assert!(
        theirs.contains("\"targetContainerName\": \"app\""),
        "{theirs}"
    );
    for (tool, pod) in TOOLS.iter().zip(&pods).skip(1) {
        assert_eq!(ephemeral_part(pod), theirs, "{tool:?}");
    }
    for name in ["web-copy", "web-legacy"] {
        let made: Vec<String> = TOOLS
            .iter()
            .map(|t| made_part(&c.object(*t, &["pod", name])))
            .collect();
        assert_eq!(made[1], made[0], "{name}: remote");
        assert_eq!(made[2], made[0], "{name}: embedded");
    }
    let node_pods: Vec<String> = TOOLS
        .iter()
        .map(|t| {
            let list = c.object(*t, &["pods"]);
            let pod = list["items"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| {
                    p["metadata"]["name"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("node-debugger-node01-"))
                })
                .cloned()
                .unwrap_or_else(|| panic!("{t:?}: no node debugger pod"));
            made_part(&pod)
        })
        .collect();
    assert!(
        node_pods[0].contains("\"hostPID\": true"),
        "{}",
        node_pods[0]
    );
    // describe's "Ephemeral Containers:" section: kubelite's as kubectl's, on one cluster.
    let section = |text: &str| -> String {
        let from = text.find("Ephemeral Containers:").unwrap_or(text.len());
        let to = text[from..]
            .find("Conditions:")
            .map_or(text.len(), |i| from + i);
        text[from..to].to_string()
    };
    let theirs = section(&c.remote.kubectl(&["describe", "pod", "web"]).stdout);
    assert!(theirs.contains("  dbg:\n"), "{theirs}");
    let ours = section(&c.run(Tool::Remote, &["describe", "pod", "web"]).stdout);
    assert_eq!(ours, theirs);
    assert_eq!(node_pods[1], node_pods[0], "node pod: remote");
    assert_eq!(node_pods[2], node_pods[0], "node pod: embedded");
}

/// With `-i`, kubectl waits for the container, fails to attach to serve's simulated one,
/// and prints its (empty) log instead; kubelite through serve does the same. The embedded
/// cluster adds the container and then refuses the attach in `attach`'s words.
#[test]
fn debug_attach_falls_back_to_the_log_and_the_embedded_cluster_refuses_it() {
    require_kubectl!();
    let c = Clusters::start();
    let args = ["debug", "web", "-i", "--image=busybox", "--profile=general"];
    let theirs = said(&c.run(Tool::Kubectl, &args));
    assert_eq!(theirs.2, 0, "{theirs:?}");
    assert!(
        theirs
            .1
            .contains("warning: couldn't attach to pod/web, falling back to streaming logs: "),
        "{theirs:?}"
    );
    assert_eq!(said(&c.run(Tool::Remote, &args)), theirs);
    let ours = c.run(Tool::Embedded, &args);
    assert_eq!(ours.code, 1, "{}", ours.stderr);
    assert!(
        ours.stdout
            .starts_with("Defaulting debug container name to debugger-")
    );
    assert!(
        ours.stderr
            .starts_with("error: attach joins a container's running process"),
        "{}",
        ours.stderr
    );
    // The container was added all the same, and runs as far as the simulation goes.
    let pod = c.pod_with_statuses(Tool::Embedded, "web");
    assert_eq!(pod["spec"]["ephemeralContainers"][0]["stdin"], true);
}

/// `pods/ephemeralcontainers` through HTTP: a PUT that removes an ephemeral container or
/// changes one is refused as kube-apiserver refuses it, and static pods take none.
#[test]
fn serve_keeps_ephemeral_containers_once_added() {
    require_kubectl!();
    let c = Clusters::start();
    c.run(
        Tool::Kubectl,
        &[
            "debug",
            "web",
            "--image=busybox",
            "-c",
            "one",
            "--profile=general",
        ],
    )
    .ok("debug");
    let s = &c.kubectl;
    let url = format!(
        "{}/api/v1/namespaces/default/pods/web/ephemeralcontainers",
        s.url
    );
    let client = s.https();
    let (code, current) = super::support::status_and_json(client.get(&url).bearer_auth(s.token()));
    assert_eq!(code, 200, "{current}");
    // Unconditional PUTs: the kubelet may write the pod's status between this GET and the
    // PUTs, and a stale resourceVersion would rightly be answered 409 before validation.
    let mut current = current;
    current["metadata"]
        .as_object_mut()
        .expect("metadata")
        .remove("resourceVersion");
    let mut removed = current.clone();
    removed["spec"]["ephemeralContainers"] = serde_json::json!([]);
    let mut changed = current;
    changed["spec"]["ephemeralContainers"][0]["image"] = serde_json::json!("alpine");
    for (body, message) in [
        (
            removed,
            "Pod \"web\" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers \"one\" may not be removed\n",
        ),
        (
            changed,
            "Pod \"web\" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers \"one\" may not be changed\n",
        ),
    ] {
        let (code, status) = super::support::status_and_json(
            client
                .put(&url)
                .bearer_auth(s.token())
                .header("Content-Type", "application/json")
                .body(body.to_string()),
        );
        assert_eq!(code, 422, "{status}");
        assert_eq!(status["message"], message);
    }
    let static_pod = c.run(
        Tool::Kubectl,
        &[
            "-n",
            "kube-system",
            "debug",
            "etcd-master",
            "--image=busybox",
            "--profile=general",
            "-q",
        ],
    );
    assert_eq!(
        (static_pod.stderr.as_str(), static_pod.code),
        (
            "The Pod \"etcd-master\" is invalid: : Forbidden: static pods do not support ephemeral containers\n",
            1
        )
    );
}
