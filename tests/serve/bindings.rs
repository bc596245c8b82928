//! The v1 `bindings` collection (`POST /api/v1/namespaces/{ns}/bindings`): create-only, it
//! binds the pod a Binding names as `pods/binding` does, with kube's refusals. The real
//! kubectl against `kubelite serve` is the oracle for kubelite's CLI through serve and on
//! an embedded cluster.

use super::support::{Run, Server, TempDir, kubectl_available, kubelite, manifest, same};

/// A pod no scheduler of the cluster takes (another scheduler's), so only a Binding binds it.
const FREE: &str = "apiVersion: v1
kind: Pod
metadata: {name: free}
spec:
  schedulerName: my-scheduler
  containers: [{name: c, image: nginx}]
";

const GATED: &str = "apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: wait}]
  containers: [{name: c, image: nginx}]
";

fn binding(pod: &str, target: &str) -> String {
    format!("apiVersion: v1\nkind: Binding\nmetadata: {{name: {pod}}}\ntarget: {target}\n")
}

/// kubectl on one server, kubelite through another and kubelite on an embedded cluster take
/// the same steps; every step prints the same.
#[test]
fn bindings_bind_the_named_pod_as_kube_does() {
    require_kubectl!();
    let s = Server::start(true);
    let ours = Server::start(true);
    let embedded = TempDir::new("bindings-embedded");
    let dir = TempDir::new("bindings-files");
    let file = |name: &str, text: &str| {
        manifest(&dir.0, name, text)
            .to_str()
            .expect("utf-8")
            .to_string()
    };
    let free = file("free.yaml", FREE);
    let gated = file("gated.yaml", GATED);
    let bind_free = file(
        "bind-free.yaml",
        &binding("free", "{kind: Node, name: node01}"),
    );
    let bind_gated = file("bind-gated.yaml", &binding("gated", "{name: node01}"));
    let bind_missing = file("bind-missing.yaml", &binding("nope", "{name: node01}"));
    let no_node = file("no-node.yaml", &binding("free", "{kind: Pod}"));
    let steps: &[&[&str]] = &[
        &["create", "-f", &free],
        &["create", "-f", &gated],
        &["create", "-f", &bind_gated],
        &["create", "-f", &no_node],
        &["create", "-f", &bind_missing],
        &["create", "-f", &bind_free, "--dry-run=server", "-o", "name"],
        &["get", "pod", "free", "-o", "jsonpath={.spec.nodeName}"],
        &["create", "-f", &bind_free, "-o", "json"],
        &[
            "get",
            "pod",
            "free",
            "-o",
            "jsonpath={.spec.nodeName} {.status.conditions[?(@.type==\"PodScheduled\")].status}",
        ],
        &["create", "-f", &bind_free],
        &["get", "bindings"],
        &["get", "binding", "free"],
        &["delete", "binding", "free"],
        &["apply", "-f", &bind_free],
    ];
    for args in steps {
        let want = s.kubectl(args);
        same(
            "through serve",
            &kubelite(&ours.home.0, true, args),
            &want,
            args,
        );
        same("embedded", &kubelite(&embedded.0, true, args), &want, args);
    }
    // What the steps must have shown: bound once, refused after.
    let get = |args: &[&str]| -> Run { s.kubectl(args) };
    assert_eq!(
        get(&["get", "pod", "free", "-o", "jsonpath={.spec.nodeName}"]).stdout,
        "node01"
    );
    let again = get(&["create", "-f", &bind_free]);
    assert_eq!(
        again.stderr,
        format!(
            "Error from server (Conflict): error when creating \"{bind_free}\": Operation cannot be fulfilled on pods/binding \"free\": pod free is already assigned to node \"node01\"\n"
        )
    );
    assert_eq!(
        get(&["create", "-f", &bind_gated]).stderr,
        format!(
            "Error from server (Conflict): error when creating \"{bind_gated}\": Operation cannot be fulfilled on pods/binding \"gated\": pod gated has non-empty .spec.schedulingGates\n"
        )
    );
    assert_eq!(
        get(&["create", "-f", &no_node]).stderr,
        format!(
            "Error from server: error when creating \"{no_node}\": [target.kind: Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\", target.name: Required value]\n"
        )
    );
    assert_eq!(
        get(&["create", "-f", &bind_missing]).stderr,
        format!(
            "Error from server (NotFound): error when creating \"{bind_missing}\": pods \"nope\" not found\n"
        )
    );
    assert_eq!(
        get(&["get", "bindings"]).stderr,
        "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n"
    );
}

/// Discovery lists `bindings` as kube-apiserver does: namespaced, verbs `create` only.
#[test]
fn bindings_are_discovered_create_only() {
    require_kubectl!();
    let s = Server::start(true);
    let want = "bindings      v1   true   Binding   create\n";
    let args = [
        "api-resources",
        "--api-group=",
        "--verbs=create",
        "-o",
        "wide",
        "--no-headers",
    ];
    let rows = s.kubectl(&args).ok("api-resources");
    let row = rows
        .lines()
        .find(|l| l.starts_with("bindings "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>());
    assert_eq!(
        row,
        Some(want.split_whitespace().collect::<Vec<_>>()),
        "{rows}"
    );
    let embedded = TempDir::new("bindings-discovery");
    same(
        "embedded",
        &kubelite(&embedded.0, true, &args),
        &s.kubectl(&args),
        &args,
    );
    same(
        "through serve",
        &kubelite(&s.home.0, true, &args),
        &s.kubectl(&args),
        &args,
    );
}
