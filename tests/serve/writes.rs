//! The write paths with the real kubectl: client-side apply, server-side apply (field
//! ownership, conflicts, force), the three patch types with strategic merge directives, and
//! `fieldValidation` in its three modes. Each checks what kubectl printed, its exit status
//! and the object that resulted.

use super::support::{
    MULTI, Server, TempDir, kubectl_available, kubelite, manifest, status_warnings_and_json,
};
use serde_json::{Value, json};

/// The web Deployment: the first document of `MULTI`.
fn deployment() -> &'static str {
    MULTI.split("---\n").next().expect("a first document")
}

/// The object as JSON, managedFields included.
fn get_json(s: &Server, what: &[&str]) -> Value {
    let mut args = vec!["get"];
    args.extend_from_slice(what);
    args.extend_from_slice(&["-o", "json", "--show-managed-fields"]);
    let out = s.kubectl(&args).ok("get -o json");
    serde_json::from_str(&out).expect("kubectl printed JSON")
}

/// `manager/operation/subresource` of each managedFields entry, in order.
fn managers(obj: &Value) -> Vec<String> {
    obj["metadata"]["managedFields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    format!(
                        "{}/{}/{}",
                        e["manager"].as_str().unwrap_or(""),
                        e["operation"].as_str().unwrap_or(""),
                        e["subresource"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn fields_of<'a>(obj: &'a Value, manager: &str, operation: &str) -> &'a Value {
    obj["metadata"]["managedFields"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|e| e["manager"] == manager && e["operation"] == operation)
        })
        .map(|e| &e["fieldsV1"])
        .unwrap_or(&Value::Null)
}

/// What kubectl prints after the Status message of an apply conflict (its own text).
const CONFLICT_HINT: &str =
    "Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
";

#[test]
fn client_side_apply_records_its_fields() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("csa");
    let file = manifest(&dir.0, "web.yaml", deployment());
    let file = file.to_str().expect("path");
    assert_eq!(
        s.kubectl(&["apply", "-f", file]).ok("apply"),
        "deployment.apps/web created\n"
    );
    assert_eq!(
        s.kubectl(&["apply", "-f", file]).ok("apply again"),
        "deployment.apps/web unchanged\n"
    );
    let changed = deployment()
        .replace("replicas: 2", "replicas: 3")
        .replace("nginx:1.25", "nginx:1.26");
    std::fs::write(file, changed).expect("rewrite");
    assert_eq!(
        s.kubectl(&["apply", "-f", file]).ok("apply changed"),
        "deployment.apps/web configured\n"
    );
    let obj = get_json(&s, &["deploy", "web"]);
    assert_eq!(obj["spec"]["replicas"], 3);
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.26"
    );
    assert_eq!(managers(&obj), ["kubectl-client-side-apply/Update/"]);
    let entry = &obj["metadata"]["managedFields"][0];
    assert_eq!(entry["apiVersion"], "apps/v1");
    assert_eq!(entry["fieldsType"], "FieldsV1");
    // The fields it sent and the defaults filled in when it sent them, as kube-apiserver
    // records them ("." where a node is owned and has owned children).
    let fields = &entry["fieldsV1"];
    assert_eq!(
        fields["f:metadata"],
        json!({"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}},
               "f:labels": {".": {}, "f:app": {}}})
    );
    let container =
        &fields["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"nginx\"}"];
    assert_eq!(
        container,
        &json!({".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {},
            "f:ports": {".": {}, "k:{\"containerPort\":80,\"protocol\":\"TCP\"}":
                {".": {}, "f:containerPort": {}, "f:protocol": {}}},
            "f:resources": {}, "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}})
    );
    assert_eq!(fields["f:spec"]["f:selector"], json!({}));
    assert!(fields.get("f:status").is_none());
    // kubectl shows managedFields only when asked.
    let yaml = s.kubectl(&["get", "deploy", "web", "-o", "yaml"]).ok("get");
    assert!(!yaml.contains("managedFields"), "{yaml}");
    let yaml = s
        .kubectl(&[
            "get",
            "deploy",
            "web",
            "-o",
            "yaml",
            "--show-managed-fields",
        ])
        .ok("get --show-managed-fields");
    assert!(yaml.contains("    manager: kubectl-client-side-apply\n    operation: Update\n"));
}

const CSA_BEFORE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: csa
  labels: {a: \"1\", b: \"2\"}
spec:
  replicas: 1
  selector: {matchLabels: {app: csa}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1}
  template:
    metadata: {labels: {app: csa}}
    spec:
      volumes:
      - name: v
        emptyDir: {}
      containers:
      - name: a
        image: busybox
        env: [{name: A, value: \"1\"}, {name: B, value: \"2\"}]
        ports: [{containerPort: 80}, {containerPort: 81}]
      - name: b
        image: busybox
";

/// The same Deployment with a label, a variable, a port, the rolling update parameters
/// dropped, the volume's source switched and the containers swapped.
const CSA_AFTER: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: csa
  labels: {a: \"1\"}
spec:
  replicas: 1
  selector: {matchLabels: {app: csa}}
  strategy:
    type: Recreate
  template:
    metadata: {labels: {app: csa}}
    spec:
      volumes:
      - name: v
        hostPath: {path: /tmp}
      containers:
      - name: b
        image: busybox
      - name: a
        image: busybox
        env: [{name: B, value: \"2\"}]
        ports: [{containerPort: 81}]
";

/// kubectl's three-way patch (null for removed keys, `$patch: delete` for removed list
/// elements, `$retainKeys` for unions, `$setElementOrder` for order) gives the new file.
#[test]
fn client_side_apply_removes_what_the_file_no_longer_has() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("csa3");
    let file = manifest(&dir.0, "csa.yaml", CSA_BEFORE);
    let file = file.to_str().expect("path");
    s.kubectl(&["apply", "-f", file]).ok("apply");
    std::fs::write(file, CSA_AFTER).expect("rewrite");
    assert_eq!(
        s.kubectl(&["apply", "-f", file]).ok("apply changed"),
        "deployment.apps/csa configured\n"
    );
    let obj = get_json(&s, &["deploy", "csa"]);
    assert_eq!(obj["metadata"]["labels"], json!({"a": "1"}));
    assert_eq!(obj["spec"]["strategy"], json!({"type": "Recreate"}));
    let spec = &obj["spec"]["template"]["spec"];
    assert_eq!(
        spec["volumes"],
        json!([{"name": "v", "hostPath": {"path": "/tmp", "type": ""}}])
    );
    let containers: Vec<(String, Value, Value)> = spec["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_string(),
                c.get("env").cloned().unwrap_or(Value::Null),
                c.get("ports").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        containers,
        [
            ("b".to_string(), Value::Null, Value::Null),
            (
                "a".to_string(),
                json!([{"name": "B", "value": "2"}]),
                json!([{"containerPort": 81, "protocol": "TCP"}])
            )
        ]
    );
}

#[test]
fn server_side_apply_owns_conflicts_and_forces() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("ssa");
    let file = manifest(&dir.0, "web.yaml", deployment());
    let file = file.to_str().expect("path");
    let ssa = |extra: &[&str]| {
        let mut args = vec!["apply", "--server-side", "-f", file];
        args.extend_from_slice(extra);
        s.kubectl(&args)
    };
    assert_eq!(
        ssa(&[]).ok("create"),
        "deployment.apps/web serverside-applied\n"
    );
    assert_eq!(
        ssa(&[]).ok("unchanged"),
        "deployment.apps/web serverside-applied\n"
    );
    let obj = get_json(&s, &["deploy", "web"]);
    assert_eq!(managers(&obj), ["kubectl/Apply/"]);
    // An applier owns exactly what it applied: no defaults, no "." for declared fields.
    assert_eq!(
        fields_of(&obj, "kubectl", "Apply"),
        &json!({"f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {"f:containers": {"k:{\"name\":\"nginx\"}": {".": {}, "f:image": {},
                    "f:name": {}, "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":
                        {".": {}, "f:containerPort": {}}}}}}}}})
    );

    // Another manager changes replicas; applying a different value conflicts with it.
    let run = s.kubectl(&["scale", "deploy", "web", "--replicas=4"]);
    assert_eq!(run.ok("scale"), "deployment.apps/web scaled\n");
    let run = ssa(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas\n{CONFLICT_HINT}"
        )
    );
    assert_eq!(get_json(&s, &["deploy", "web"])["spec"]["replicas"], 4);
    assert_eq!(
        ssa(&["--force-conflicts"]).ok("force"),
        "deployment.apps/web serverside-applied\n"
    );
    let obj = get_json(&s, &["deploy", "web"]);
    assert_eq!(obj["spec"]["replicas"], 2);
    // The scaler lost replicas, its only field, and with it its entry.
    assert_eq!(managers(&obj), ["kubectl/Apply/"]);

    // A field the applier drops from its configuration is removed.
    let without_labels = deployment().replace("  labels:\n    app: web\nspec:", "spec:");
    std::fs::write(file, without_labels).expect("rewrite");
    ssa(&[]).ok("apply without labels");
    let obj = get_json(&s, &["deploy", "web"]);
    assert_eq!(obj["metadata"].get("labels"), None, "{obj}");
}

#[test]
fn server_side_apply_after_client_side_apply_conflicts_with_it() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("csa-ssa");
    let file = manifest(&dir.0, "web.yaml", deployment());
    let file = file.to_str().expect("path");
    s.kubectl(&["apply", "-f", file]).ok("client-side apply");
    std::fs::write(file, deployment().replace("replicas: 2", "replicas: 5")).expect("rewrite");
    let run = s.kubectl(&["apply", "--server-side", "-f", file]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas\n{CONFLICT_HINT}"
        )
    );
    // Two conflicting fields: kube lists them under their manager.
    std::fs::write(
        file,
        deployment()
            .replace("replicas: 2", "replicas: 5")
            .replace("nginx:1.25", "nginx:1.27"),
    )
    .expect("rewrite");
    let run = s.kubectl(&["apply", "--server-side", "-f", file]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image\n"
        ),
        "{}",
        run.stderr
    );
    let run = s.kubectl(&["apply", "--server-side", "--force-conflicts", "-f", file]);
    assert_eq!(run.ok("force"), "deployment.apps/web serverside-applied\n");
    let obj = get_json(&s, &["deploy", "web"]);
    assert_eq!(obj["spec"]["replicas"], 5);
    assert_eq!(
        obj["spec"]["template"]["spec"]["containers"][0]["image"],
        "nginx:1.27"
    );
    // kubectl moved the client-side applier's fields to itself and had the annotation
    // applied by `kubectl-last-applied`.
    let ms = managers(&obj);
    assert!(ms.contains(&"kubectl/Apply/".to_string()), "{ms:?}");
    assert!(
        ms.contains(&"kubectl-last-applied/Apply/".to_string()),
        "{ms:?}"
    );
    assert!(
        !ms.iter()
            .any(|m| m.starts_with("kubectl-client-side-apply")),
        "{ms:?}"
    );
}

/// Client-side apply after server-side apply: kubectl adds its annotation (with a warning)
/// and, as an updater, takes over the fields it changes without any conflict.
#[test]
fn client_side_apply_after_server_side_apply_takes_what_it_changes() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("ssa-csa");
    let file = manifest(&dir.0, "web.yaml", deployment());
    let file = file.to_str().expect("path");
    s.kubectl(&["apply", "--server-side", "-f", file])
        .ok("server-side apply");
    std::fs::write(file, deployment().replace("replicas: 2", "replicas: 3")).expect("rewrite");
    let run = s.kubectl(&["apply", "-f", file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "deployment.apps/web configured\n");
    assert_eq!(
        run.stderr,
        "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
    );
    let obj = get_json(&s, &["deploy", "web"]);
    assert_eq!(obj["spec"]["replicas"], 3);
    assert_eq!(
        managers(&obj),
        ["kubectl/Apply/", "kubectl-client-side-apply/Update/"]
    );
    let csa = fields_of(&obj, "kubectl-client-side-apply", "Update");
    // (whether annotations gets "." depends on whether the deployment controller wrote its
    // revision annotation first, as in a real cluster)
    assert_eq!(
        csa["f:metadata"]["f:annotations"]["f:kubectl.kubernetes.io/last-applied-configuration"],
        json!({})
    );
    assert_eq!(csa["f:spec"], json!({"f:replicas": {}}));
    assert_eq!(
        fields_of(&obj, "kubectl", "Apply")["f:spec"].get("f:replicas"),
        None
    );
}

/// A Deployment whose pod template has two containers, the first with two variables.
const TWO_CONTAINERS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
  labels:
    a: \"1\"
    b: \"2\"
  finalizers:
  - example.com/one
spec:
  replicas: 0
  selector:
    matchLabels:
      app: two
  template:
    metadata:
      labels:
        app: two
    spec:
      containers:
      - name: one
        image: busybox
        env:
        - name: A
          value: \"1\"
        - name: B
          value: \"2\"
      - name: two
        image: busybox
";

fn patch(s: &Server, kind: &str, body: &str) {
    let out = s
        .kubectl(&["patch", "deploy", "two", "--type", kind, "-p", body])
        .ok(&format!("patch --type {kind} {body}"));
    assert_eq!(out, "deployment.apps/two patched\n");
}

fn two(s: &Server) -> Value {
    get_json(s, &["deploy", "two"])
}

#[test]
fn patches_of_all_three_types_with_directives() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("patch");
    let file = manifest(&dir.0, "two.yaml", TWO_CONTAINERS);
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("create");
    let env = |s: &Server| two(s)["spec"]["template"]["spec"]["containers"][0]["env"].clone();
    let containers =
        |body: &str| format!(r#"{{"spec":{{"template":{{"spec":{{"containers":{body}}}}}}}}}"#);

    // Merge patch: maps merge, null deletes.
    patch(&s, "merge", r#"{"metadata":{"labels":{"a":null,"c":"3"}}}"#);
    assert_eq!(two(&s)["metadata"]["labels"], json!({"b": "2", "c": "3"}));
    // JSON patch.
    patch(
        &s,
        "json",
        r#"[{"op":"replace","path":"/metadata/labels/b","value":"20"},{"op":"add","path":"/metadata/annotations","value":{"x":"y"}}]"#,
    );
    let obj = two(&s);
    assert_eq!(obj["metadata"]["labels"]["b"], "20");
    assert_eq!(obj["metadata"]["annotations"]["x"], "y");

    // Strategic: list elements merge by name; `$patch: delete` removes one.
    patch(
        &s,
        "strategic",
        &containers(
            r#"[{"name":"one","env":[{"name":"A","$patch":"delete"},{"name":"C","value":"3"}]}]"#,
        ),
    );
    assert_eq!(
        env(&s),
        json!([{"name": "B", "value": "2"}, {"name": "C", "value": "3"}])
    );
    // `$setElementOrder` puts them in the given order.
    patch(
        &s,
        "strategic",
        &containers(r#"[{"name":"one","$setElementOrder/env":[{"name":"C"},{"name":"B"}]}]"#),
    );
    assert_eq!(
        env(&s),
        json!([{"name": "C", "value": "3"}, {"name": "B", "value": "2"}])
    );
    // `$patch: replace` in a list replaces it whole.
    patch(
        &s,
        "strategic",
        &containers(r#"[{"name":"one","env":[{"name":"Z","value":"26"},{"$patch":"replace"}]}]"#),
    );
    assert_eq!(env(&s), json!([{"name": "Z", "value": "26"}]));
    // `$patch: replace` of a map, `$patch: delete` of a map.
    patch(
        &s,
        "strategic",
        r#"{"metadata":{"labels":{"$patch":"replace","only":"this"},"annotations":{"$patch":"delete"}}}"#,
    );
    let obj = two(&s);
    assert_eq!(obj["metadata"]["labels"], json!({"only": "this"}));
    // (the deployment controller may have written its revision annotation again since)
    assert_eq!(obj["metadata"]["annotations"].get("x"), None);
    // Finalizers merge as a set; `$deleteFromPrimitiveList` removes from it.
    patch(
        &s,
        "strategic",
        r#"{"metadata":{"finalizers":["example.com/two"]}}"#,
    );
    assert_eq!(
        two(&s)["metadata"]["finalizers"],
        json!(["example.com/one", "example.com/two"])
    );
    patch(
        &s,
        "strategic",
        r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/one","example.com/two"]}}"#,
    );
    assert_eq!(two(&s)["metadata"].get("finalizers"), None);
    // A whole container deleted by its name.
    patch(
        &s,
        "strategic",
        &containers(r#"[{"name":"two","$patch":"delete"}]"#),
    );
    let obj = two(&s);
    let names: Vec<&str> = obj["spec"]["template"]["spec"]["containers"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["one"]);
    // The patches were recorded as updates by kubectl-patch, after kubectl-create's.
    assert_eq!(
        managers(&obj),
        ["kubectl-create/Update/", "kubectl-patch/Update/"]
    );
    let patched = fields_of(&obj, "kubectl-patch", "Update");
    // The labels map existed before: only the label is new.
    assert_eq!(patched["f:metadata"]["f:labels"], json!({"f:only": {}}));
}

#[test]
fn retain_keys_drops_the_other_members_of_a_union() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("retain");
    let file = manifest(&dir.0, "web.yaml", deployment());
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("create");
    let out = s
        .kubectl(&[
            "patch",
            "deploy",
            "web",
            "-p",
            r#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
        ])
        .ok("patch");
    assert_eq!(out, "deployment.apps/web patched\n");
    assert_eq!(
        get_json(&s, &["deploy", "web"])["spec"]["strategy"],
        json!({"type": "Recreate"})
    );
}

const BAD_CONFIG_MAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: bad
  bogus: 1
data:
  a: \"1\"
foo: bar
";

#[test]
fn field_validation_strict_warn_and_ignore() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("validate");
    let file = manifest(&dir.0, "bad.yaml", BAD_CONFIG_MAP);
    let file = file.to_str().expect("path");
    let run = s.kubectl(&["create", "-f", file]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "Error from server (BadRequest): error when creating \"{file}\": ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"foo\", unknown field \"metadata.bogus\"\n"
        )
    );
    let run = s.kubectl(&["get", "cm", "bad"]);
    assert_eq!(run.code, 1, "nothing was created");

    let run = s.kubectl(&["create", "-f", file, "--validate=warn"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "configmap/bad created\n");
    assert_eq!(
        run.stderr,
        "Warning: unknown field \"foo\"\nWarning: unknown field \"metadata.bogus\"\n"
    );
    let obj = get_json(&s, &["cm", "bad"]);
    assert_eq!(obj.get("foo"), None, "unknown fields are dropped");
    assert_eq!(obj["metadata"].get("bogus"), None);
    s.kubectl(&["delete", "cm", "bad"]).ok("delete");

    let run = s.kubectl(&["create", "-f", file, "--validate=ignore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "configmap/bad created\n");
    assert_eq!(run.stderr, "");
    assert_eq!(get_json(&s, &["cm", "bad"]).get("foo"), None);

    // Server-side apply refuses undeclared fields whatever the mode.
    let run = s.kubectl(&["apply", "--server-side", "-f", file]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "Error from server (BadRequest): failed to create typed patch object (default/bad; /v1, Kind=ConfigMap): errors:\n  .foo: field not declared in schema\n  .metadata.bogus: field not declared in schema\n"
    );
}

/// The embedded cluster judges undeclared fields as serve does: kubelite's one-shot verbs
/// print what the real kubectl prints against serve, in each `--validate` mode.
#[test]
fn embedded_verbs_validate_fields_as_kubectl_does_against_serve() {
    require_kubectl!();
    let s = Server::start(true);
    let home = TempDir::new("validate-home");
    let dir = TempDir::new("validate-embedded");
    let file = manifest(&dir.0, "bad.yaml", BAD_CONFIG_MAP);
    let file = file.to_str().expect("path");
    for mode in ["--validate=strict", "--validate=warn", "--validate=ignore"] {
        let theirs = s.kubectl(&["create", "-f", file, mode]);
        let ours = kubelite(&home.0, true, &["create", "-f", file, mode]);
        assert_eq!(
            (ours.code, ours.stdout.as_str(), ours.stderr.as_str()),
            (theirs.code, theirs.stdout.as_str(), theirs.stderr.as_str()),
            "{mode}"
        );
        let stored = kubelite(&home.0, true, &["get", "cm", "bad", "-o", "json"]);
        if theirs.code == 0 {
            let obj: Value = serde_json::from_str(&stored.stdout).expect("json");
            assert_eq!(obj.get("foo"), None, "{mode}: unknown fields are dropped");
            kubelite(&home.0, true, &["delete", "cm", "bad"]).ok("delete");
            s.kubectl(&["delete", "cm", "bad"]).ok("delete");
        } else {
            assert_eq!(stored.code, 1, "{mode}: nothing was created");
        }
    }
}

fn http(s: &Server) -> reqwest::blocking::Client {
    s.https()
}

/// What raw clients see: duplicate keys, the manager taken from the User-Agent, apply
/// without a manager, apply creating (201) and updating (200), and the conflict Status.
#[test]
fn raw_requests_see_kube_apiserver_answers() {
    let s = Server::start(false);
    let c = http(&s);
    let auth = format!("Bearer {}", s.token());
    let cms = format!("{}/api/v1/namespaces/default/configmaps", s.url);
    let dup = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"}}"#;
    let post = |query: &str, body: &str| {
        status_warnings_and_json(
            c.post(format!("{cms}{query}"))
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .header("User-Agent", "my-tool/1.0 (linux) extra")
                .body(body.to_string()),
        )
    };
    let (code, _, body) = post("?fieldValidation=Strict", dup);
    assert_eq!(code, 400);
    assert_eq!(
        body["message"],
        "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"data.a\""
    );
    let (code, _, _) = post("?fieldValidation=Bogus", dup);
    assert_eq!(code, 400);
    let (code, warnings, body) = post("", dup);
    assert_eq!(code, 201);
    assert_eq!(warnings, ["299 - \"duplicate field \\\"data.a\\\"\""]);
    assert_eq!(body["data"], json!({"a": "2"}));
    let entry = &body["metadata"]["managedFields"][0];
    assert_eq!(entry["manager"], "my-tool");
    assert_eq!(entry["fieldsV1"], json!({"f:data": {".": {}, "f:a": {}}}));

    let apply = |name: &str, query: &str, body: &str| {
        status_warnings_and_json(
            c.patch(format!("{cms}/{name}{query}"))
                .header("Authorization", &auth)
                .header("Content-Type", "application/apply-patch+yaml")
                .body(body.to_string()),
        )
    };
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n";
    let (code, _, body) = apply("app", "", yaml);
    assert_eq!(code, 422, "{body}");
    assert_eq!(
        body["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
    let with_fields = yaml.replace(
        "  name: app\n",
        "  name: app\n  managedFields: [{manager: x}]\n",
    );
    let (code, _, body) = apply("app", "?fieldManager=one", &with_fields);
    assert_eq!(body["message"], "metadata.managedFields must be nil");
    assert_eq!(code, 400);
    let (code, _, body) = apply("app", "?fieldManager=one", yaml);
    assert_eq!(code, 201, "{body}");
    assert_eq!(body["data"], json!({"k": "v"}));
    assert_eq!(body["metadata"]["managedFields"][0]["operation"], "Apply");
    let (code, _, body) = apply("app", "?fieldManager=one", yaml);
    assert_eq!(code, 200, "{body}");
    let (code, _, body) = apply("app", "?fieldManager=two", &yaml.replace("k: v", "k: w"));
    assert_eq!(code, 409);
    assert_eq!(
        body,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "Apply failed with 1 conflict: conflict with \"one\": .data.k",
            "reason": "Conflict",
            "details": {"causes": [{"reason": "FieldManagerConflict",
                "message": "conflict with \"one\"", "field": ".data.k"}]},
            "code": 409})
    );
    let (code, _, body) = apply(
        "app",
        "?fieldManager=two&force=true",
        &yaml.replace("k: v", "k: w"),
    );
    assert_eq!(code, 200);
    assert_eq!(body["data"], json!({"k": "w"}));
    // "one" lost its only field and with it its entry.
    let managers: Vec<&str> = body["metadata"]["managedFields"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["manager"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(managers, ["two"]);
    // `force` belongs to apply only.
    let (code, _, body) = status_warnings_and_json(
        c.patch(format!("{cms}/app?force=true"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/merge-patch+json")
            .body(r#"{"data":{"k":"x"}}"#),
    );
    assert_eq!(code, 422);
    assert_eq!(
        body["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
    );
}
