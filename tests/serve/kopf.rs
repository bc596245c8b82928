//! kopf (the Python operator framework, `pip install kopf`) against `kubelite serve`: a tiny
//! operator run as `kopf run --standalone -n default` that writes status when a custom
//! object is created and when its size changes, and records its deletion through kopf's
//! finalizer. What the operator did is read back through the API with the real kubectl.
//! Skipped, with a note, where kopf or kubectl is missing.

use super::support::{Server, TempDir, kubectl_available, manifest};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.clients.kubelite.dev
spec:
  group: clients.kubelite.dev
  scope: Namespaced
  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
"#;

const GIZMO: &str = r#"apiVersion: clients.kubelite.dev/v1
kind: Gizmo
metadata:
  name: g
spec:
  size: 2
"#;

/// The operator: status and an Event on create, status on a size change, a ConfigMap when
/// deleted (kopf holds the object with its finalizer until the handler succeeds).
const OPERATOR: &str = r#"
import kopf
import kubernetes

@kopf.on.startup()
def configure(settings, **_):
    settings.watching.server_timeout = 30
    kubernetes.config.load_kube_config()

@kopf.on.create("clients.kubelite.dev", "v1", "gizmos")
def created(body, spec, patch, **_):
    kopf.info(body, reason="Ready", message="size %s" % spec.get("size"))
    patch.status["phase"] = "Ready"
    patch.status["observedSize"] = spec.get("size")
    return {"message": "created by kopf"}

@kopf.on.field("clients.kubelite.dev", "v1", "gizmos", field="spec.size")
def resized(new, patch, **_):
    patch.status["observedSize"] = new

@kopf.on.delete("clients.kubelite.dev", "v1", "gizmos")
def deleted(name, namespace, spec, **_):
    kubernetes.client.CoreV1Api().create_namespaced_config_map(namespace, {
        "metadata": {"name": "cleaned-" + name},
        "data": {"size": str(spec.get("size"))},
    })
"#;

fn kopf_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import kopf, kubernetes"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The operator process, killed and reaped on drop.
struct Operator(Child);

impl Drop for Operator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls kubectl `args` every 100 ms for up to 60 s until its stdout is `want`; the
/// operator's log is shown otherwise.
fn eventually(s: &Server, args: &[&str], want: &str, log: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let run = s.kubectl(args);
        if run.stdout == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{args:?}: still {:?} {:?}, want {want:?}\nkopf's log:\n{}",
            run.stdout,
            run.stderr,
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_kopf_operator_sets_status_and_finalizes_a_custom_resource() {
    require_kubectl!();
    if !kopf_installed() {
        eprintln!("the Python packages `kopf` and `kubernetes` are not installed: SKIPPED");
        return;
    }
    let s = Server::start(false);
    let dir = TempDir::new("kopf");
    s.kubectl(&[
        "apply",
        "-f",
        manifest(&dir.0, "crd.yaml", CRD).to_str().expect("path"),
    ])
    .ok("create the CRD");
    s.kubectl(&[
        "wait",
        "--for=condition=Established",
        "crd/gizmos.clients.kubelite.dev",
    ])
    .ok("CRD established");

    let log = dir.0.join("kopf.log");
    let operator = manifest(&dir.0, "operator.py", OPERATOR);
    let out = std::fs::File::create(&log).expect("log");
    let _kopf = Operator(
        Command::new("python3")
            .args([
                "-m",
                "kopf",
                "run",
                "--standalone",
                "--verbose",
                "-n",
                "default",
            ])
            .arg(&operator)
            .env("KUBECONFIG", s.kubeconfig())
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("start kopf"),
    );

    let gizmo = manifest(&dir.0, "gizmo.yaml", GIZMO);
    s.kubectl(&["apply", "-f", gizmo.to_str().expect("path")])
        .ok("create the gizmo");
    let status = "jsonpath={.status.phase} {.status.observedSize} {.status.created.message}";
    eventually(
        &s,
        &["get", "gizmo", "g", "-o", status],
        "Ready 2 created by kopf",
        &log,
    );
    eventually(
        &s,
        &[
            "get",
            "events",
            "--field-selector=involvedObject.name=g,reason=Ready",
            "-o",
            "jsonpath={.items[*].message} {.items[*].involvedObject.kind} {.items[*].source.component}",
        ],
        "size 2 Gizmo kopf",
        &log,
    );
    eventually(
        &s,
        &["get", "gizmo", "g", "-o", "jsonpath={.metadata.finalizers}"],
        r#"["kopf.zalando.org/KopfFinalizerMarker"]"#,
        &log,
    );

    s.kubectl(&[
        "patch",
        "gizmo",
        "g",
        "--type=merge",
        "-p",
        r#"{"spec":{"size":7}}"#,
    ])
    .ok("resize");
    eventually(
        &s,
        &["get", "gizmo", "g", "-o", "jsonpath={.status.observedSize}"],
        "7",
        &log,
    );

    s.kubectl(&["delete", "gizmo", "g", "--wait=false"])
        .ok("delete the gizmo");
    eventually(
        &s,
        &[
            "get",
            "configmap",
            "cleaned-g",
            "-o",
            "jsonpath={.data.size}",
        ],
        "7",
        &log,
    );
    eventually(
        &s,
        &["get", "gizmos", "-o", "name", "--ignore-not-found"],
        "",
        &log,
    );
}
