//! For the same cluster state, kubelite's `get` (every resource it knows × every output
//! format, one namespace, all namespaces, one object) and `describe` print what kubectl
//! prints.

use super::compare::{Comparison, kubelite};
use super::support::{MULTI, Server, TempDir, manifest};

/// Objects of the resources a fresh cluster has none of. kubectl describes ConfigMap data
/// and LimitRange resources in Go map order (varies from run to run): one key each.
const EXTRA: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    app: web
data:
  greeting: |
    hello
    world
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
type: Opaque
stringData:
  password: hunter2
---
apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
    defaultRequest:
      cpu: 100m
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
spec:
  hard:
    pods: \"10\"
    requests.cpu: \"4\"
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
";

/// The name of the first pod of the `web` deployment.
pub fn web_pod(s: &Server) -> String {
    s.kubectl(&[
        "get",
        "pods",
        "-l",
        "app=web",
        "-o",
        "jsonpath={.items[0].metadata.name}",
    ])
    .ok("web pod")
}

/// The namespaces' keys, read by etcdctl in the etcd pod: `exec` through to the store.
pub const ETCDCTL_NAMESPACE_KEYS: &[&str] = &[
    "exec",
    "etcd-master",
    "-n",
    "kube-system",
    "--",
    "etcdctl",
    "get",
    "/registry/namespaces",
    "--prefix",
    "--keys-only",
];

/// A server holding a deployment, a service, a bare pod and one object of every other
/// kind, settled.
pub fn populated_server() -> Server {
    let s = Server::start(true);
    let dir = TempDir::new("remote-manifests");
    for (file, text) in [("multi.yaml", MULTI), ("extra.yaml", EXTRA)] {
        let path = manifest(&dir.0, file, text);
        s.kubectl(&["create", "-f", path.to_str().expect("path")])
            .ok("create fixtures");
    }
    s.wait_until_settled();
    s
}

const OUTPUTS: &[&str] = &[
    "",
    "-o=wide",
    "-o=yaml",
    "-o=json",
    "-o=name",
    "-o=jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}",
    "-o=custom-columns=NAME:.metadata.name,NS:.metadata.namespace,LABELS:.metadata.labels",
];

/// The same, for one object (jsonpath without the list).
const ONE_OUTPUTS: &[&str] = &[
    "",
    "-o=wide",
    "-o=yaml",
    "-o=json",
    "-o=name",
    "-o=jsonpath={.metadata.name} {.metadata.uid}",
    "-o=custom-columns=NAME:.metadata.name,NS:.metadata.namespace,LABELS:.metadata.labels",
];

/// Every resource kubelite knows that can be listed: its own `api-resources -o name
/// --verbs=list` (the self-subject reviews are only ever created).
fn resources(s: &Server) -> Vec<String> {
    let out = kubelite(s, &["api-resources", "-o", "name", "--verbs=list"])
        .ok("api-resources -o name --verbs=list");
    let names: Vec<String> = out.lines().map(str::to_string).collect();
    assert!(names.len() >= 16, "{out}");
    names
}

/// `namespace/name` (or `/name`) of the first object of a resource, if it has one (kinds
/// with no objects have no first one: `items[0]` would be out of bounds).
fn first_object(s: &Server, resource: &str) -> Option<(String, String)> {
    let out = s
        .kubectl(&[
            "get",
            resource,
            "-A",
            "-o",
            "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}",
        ])
        .ok("first object");
    let (ns, name) = out.lines().next()?.split_once('/')?;
    (!name.is_empty()).then(|| (ns.to_string(), name.to_string()))
}

#[test]
fn get_every_resource_in_every_format_matches_kubectl() {
    require_kubectl!();
    let s = populated_server();
    let mut c = Comparison::default();
    for resource in resources(&s) {
        let r = resource.as_str();
        for o in OUTPUTS {
            let with = |extra: &[&'static str]| {
                let mut v = vec!["get", r];
                v.extend_from_slice(extra);
                if !o.is_empty() {
                    v.push(o);
                }
                v
            };
            c.same(&s, &with(&[]));
            c.same(&s, &with(&["-A"]));
            c.same(&s, &with(&["-n", "kube-system"]));
        }
        if let Some((ns, name)) = first_object(&s, r) {
            for o in ONE_OUTPUTS {
                let mut v = vec!["get", r, name.as_str()];
                if !ns.is_empty() {
                    v.extend(["-n", ns.as_str()]);
                }
                if !o.is_empty() {
                    v.push(o);
                }
                c.same(&s, &v);
            }
        }
    }
    c.assert_none();
}

#[test]
fn describe_every_resource_matches_kubectl() {
    require_kubectl!();
    let s = populated_server();
    let mut c = Comparison::default();
    for resource in resources(&s) {
        let r = resource.as_str();
        c.same(&s, &["describe", r]);
        c.same(&s, &["describe", r, "-A"]);
        if let Some((ns, name)) = first_object(&s, r) {
            let mut v = vec!["describe", r, name.as_str()];
            if !ns.is_empty() {
                v.extend(["-n", ns.as_str()]);
            }
            c.same(&s, &v);
        }
    }
    for args in [
        &["describe", "deploy", "web"][..],
        &["describe", "svc", "web"],
        &["describe", "pod", "db"],
        &["describe", "pods", "-l", "app=web"],
        &["describe", "nodes", "node01"],
        &["describe", "pod", "nope"],
        &["describe", "pod", "we"],
        &["describe", "pod", "db", "--show-events=false"],
        &["describe", "nothing"],
        &["describe"],
    ] {
        c.same(&s, args);
    }
    c.assert_none();
}

#[test]
fn get_flags_match_kubectl() {
    require_kubectl!();
    let s = populated_server();
    let mut c = Comparison::default();
    for args in [
        &["get", "all"][..],
        &["get", "all", "-A"],
        &["get", "pods,svc", "-o", "wide"],
        &["get", "deploy/web", "svc/web"],
        &["get", "pods", "-l", "app=web"],
        &["get", "pods", "-l", "app=nothing"],
        &[
            "get",
            "pods",
            "-A",
            "--field-selector",
            "spec.nodeName=node01",
        ],
        &["get", "pods", "--show-labels"],
        // managedFields written by kubectl's create (a Deployment's: kubectl-create, and the
        // status the control plane writes, which names no manager).
        &[
            "get",
            "deploy",
            "web",
            "-o",
            "yaml",
            "--show-managed-fields",
        ],
        &[
            "get",
            "configmap",
            "settings",
            "-o",
            "json",
            "--show-managed-fields",
        ],
        &["get", "configmaps", "-o", "yaml", "--show-managed-fields"],
        &["get", "pods", "-A", "-L", "app,tier"],
        &["get", "pods", "-A", "--no-headers"],
        &["get", "pods", "-A", "--sort-by", ".metadata.name"],
        &[
            "get",
            "pods",
            "-A",
            "-o",
            "name",
            "--sort-by",
            "{.metadata.name}",
        ],
        &["get", "pods", "--show-kind"],
        &["get", "pod", "db", "nope"],
        &["get", "pod", "nope"],
        &["get", "pod", "nope", "--ignore-not-found"],
        &["get", "pod", "nope", "-o", "yaml"],
        &["get", "secrets", "-o", "name"],
        &["get", "secrets", "-n", "kube-public", "-o", "name"],
        &[
            "get",
            "secrets",
            "-n",
            "kube-public",
            "-o",
            "custom-columns=N:.metadata.name",
        ],
        &["get", "secrets", "-n", "kube-public", "-o", "yaml"],
        &["get", "secrets", "-n", "kube-public"],
        &["get", "nothing"],
        &["get"],
        &["get", "pods", "-o", "bogus"],
        &["get", "deployments.apps"],
        &["get", "deployments.v1.apps", "-o", "name"],
        &["get", "po,deploy,rs", "-l", "app=web", "-o", "name"],
    ] {
        c.same(&s, args);
    }
    c.assert_none();
}
