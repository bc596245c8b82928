//! CustomResourceDefinitions and custom objects: the real kubectl against `kubelite serve`
//! and kubelite (through serve, and embedded on its own home) print the same bytes; a CRD and
//! a custom object round trip over the REST API; deleting the CRD removes its objects.

use super::support::{
    Run, Server, TempDir, kubectl_available, kubelite, manifest, status_and_json,
};
use serde_json::json;

const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
    - name: Color
      type: string
      jsonPath: .spec.color
      priority: 1
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.example.org
spec:
  group: example.org
  scope: Cluster
  names:
    plural: gizmos
    kind: Gizmo
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"#;

const OBJECTS: &str = r#"apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
spec:
  size: 3
  color: red
---
apiVersion: example.com/v1beta1
kind: Widget
metadata:
  name: w2
spec:
  size: 5
---
apiVersion: example.org/v1alpha1
kind: Gizmo
metadata:
  name: g1
spec:
  anything: [1, 2]
"#;

fn same(what: &str, got: &Run, want: &Run) {
    assert_eq!(got.stdout, want.stdout, "{what}: stdout");
    assert_eq!(got.stderr, want.stderr, "{what}: stderr");
    assert_eq!(got.code, want.code, "{what}: exit code");
}

const READS: &[&[&str]] = &[
    &["get", "crd"],
    &["get", "widgets"],
    &["get", "wd", "-o", "wide"],
    &["get", "widget.example.com", "w1"],
    &["get", "Widget", "w2", "-o", "yaml"],
    &["get", "widgets.v1beta1.example.com", "w2", "-o", "json"],
    &["get", "gizmos"],
    &["get", "gizmo", "g1", "-o", "yaml"],
    &["get", "all"],
    &["describe", "widget", "w1"],
    &["describe", "crd", "widgets.example.com"],
    &["get", "wd", "nope"],
    &["explain", "widgets"],
    &["explain", "gizmo.spec"],
    &["explain", "wd.metadata.name"],
];

#[test]
fn crds_and_custom_objects_print_like_kubectl() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crds");
    let crds = manifest(&dir.0, "crds.yaml", CRD);
    let objects = manifest(&dir.0, "objects.yaml", OBJECTS);
    let out = s
        .kubectl(&["create", "-f", crds.to_str().expect("path")])
        .ok("create crds");
    assert_eq!(
        out,
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\ncustomresourcedefinition.apiextensions.k8s.io/gizmos.example.org created\n"
    );
    // Served at once, without a restart.
    let out = s
        .kubectl(&["create", "-f", objects.to_str().expect("path")])
        .ok("create objects");
    assert_eq!(
        out,
        "widget.example.com/w1 created\nwidget.example.com/w2 created\ngizmo.example.org/g1 created\n"
    );
    let rows = s.kubectl(&["api-resources"]).ok("api-resources");
    for want in [
        ["widgets", "wd", "example.com/v1", "true", "Widget"].as_slice(),
        &["gizmos", "example.org/v1alpha1", "false", "Gizmo"],
        &[
            "customresourcedefinitions",
            "crd,crds",
            "apiextensions.k8s.io/v1",
            "false",
            "CustomResourceDefinition",
        ],
    ] {
        assert!(
            rows.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == want),
            "{want:?} missing:\n{rows}"
        );
    }
    let wide = s.kubectl(&["get", "wd", "-o", "wide"]).ok("wide");
    assert_eq!(wide.lines().next(), Some("NAME   SIZE   COLOR"), "{wide}");
    // kubelite's CLI on serve's home (it reaches serve over HTTP).
    for args in READS {
        let theirs = s.kubectl(args);
        let ours = kubelite(&s.home.0, true, args);
        same(&format!("{args:?}"), &ours, &theirs);
    }
    // Custom objects take no strategic merge patch, as kube refuses it.
    let smp = s.kubectl(&["patch", "wd", "w1", "-p", r#"{"spec":{"size":4}}"#]);
    assert_eq!(
        smp.stderr,
        "error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n"
    );
    assert_eq!(smp.code, 1);
    let merged = s.kubectl(&[
        "patch",
        "wd",
        "w1",
        "--type=merge",
        "-p",
        r#"{"spec":{"size":4}}"#,
    ]);
    assert_eq!(merged.ok("merge patch"), "widget.example.com/w1 patched\n");
    let json_patch = s.kubectl(&[
        "patch",
        "wd",
        "w1",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/size","value":6}]"#,
    ]);
    assert_eq!(
        json_patch.ok("json patch"),
        "widget.example.com/w1 patched\n"
    );
    let size = s
        .kubectl(&[
            "get",
            "wd",
            "w1",
            "-o",
            "jsonpath={.spec.size} {.metadata.generation}",
        ])
        .ok("size");
    assert_eq!(size, "6 3");
    // Deleting the CRD removes its objects.
    let out = s
        .kubectl(&["delete", "crd", "widgets.example.com"])
        .ok("delete crd");
    assert_eq!(
        out,
        "customresourcedefinition.apiextensions.k8s.io \"widgets.example.com\" deleted\n"
    );
    let gone = s.kubectl(&["get", "widgets.example.com"]);
    assert_eq!(
        gone.stderr,
        "error: the server doesn't have a resource type \"widgets\"\n"
    );
    let recreated = s
        .kubectl(&["create", "-f", crds.to_str().expect("path")])
        .stderr;
    assert!(
        recreated.contains("gizmos.example.org\" already exists"),
        "{recreated}"
    );
    let none = s.kubectl(&["get", "widgets", "-A"]);
    assert_eq!(none.stderr, "No resources found\n");
}

#[test]
fn embedded_cluster_serves_crds_as_serve_does() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crds-embedded");
    let crds = manifest(&dir.0, "crds.yaml", CRD);
    let objects = manifest(&dir.0, "objects.yaml", OBJECTS);
    for f in [&crds, &objects] {
        s.kubectl(&["create", "-f", f.to_str().expect("path")])
            .ok("create");
    }
    // A one-shot embedded cluster on its own home: it reads the CRDs when it opens.
    let home = TempDir::new("crds-embedded-home");
    for f in [&crds, &objects] {
        kubelite(&home.0, true, &["create", "-f", f.to_str().expect("path")]).ok("create");
    }
    // kubelite's scale writes a custom object's replicas at its CRD's path.
    let scaled = crds.with_file_name("scaled.yaml");
    std::fs::write(
        &scaled,
        CRD.replace(
            "      status: {}\n",
            "      status: {}\n      scale:\n        specReplicasPath: .spec.size\n        statusReplicasPath: .status.size\n",
        ),
    )
    .expect("write");
    let scale_home = TempDir::new("crds-embedded-scale");
    for f in [&scaled, &objects] {
        kubelite(
            &scale_home.0,
            true,
            &["create", "-f", f.to_str().expect("path")],
        )
        .ok("create");
    }
    assert_eq!(
        kubelite(&scale_home.0, true, &["scale", "wd", "w1", "--replicas=7"]).ok("scale"),
        "widget.example.com/w1 scaled\n"
    );
    let mismatch = kubelite(
        &scale_home.0,
        true,
        &["scale", "wd", "w1", "--current-replicas=2", "--replicas=1"],
    );
    assert_eq!(mismatch.stderr, "error: Expected replicas to be 2, was 7\n");
    assert_eq!(
        kubelite(
            &scale_home.0,
            true,
            &["get", "wd", "w1", "-o", "jsonpath={.spec.size}"]
        )
        .ok("size"),
        "7"
    );
    for args in [
        ["get", "wd", "-o", "wide"].as_slice(),
        &["get", "gizmos"],
        &["get", "widget.example.com", "w1"],
        &["get", "all"],
        &["get", "crd"],
        &["explain", "widgets"],
    ] {
        let theirs = s.kubectl(args);
        let ours = kubelite(&home.0, true, args);
        same(&format!("embedded {args:?}"), &ours, &theirs);
    }
}

/// `api-resources` reads the discovery cache only under `--cached`, as kubectl: a cache
/// written before a CRD existed does not hide it, and the fresh answer is cached again.
#[test]
fn api_resources_reads_the_discovery_cache_only_when_asked() {
    require_kubectl!();
    let s = Server::start(true);
    let stale = TempDir::new("crds-stale-cache");
    let cache = stale.0.to_str().expect("path");
    let kubectl = |args: &[&str]| -> Run {
        std::process::Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(s.kubeconfig())
            .args(["--cache-dir", cache])
            .args(args)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubectl")
            .into()
    };
    let ours = |args: &[&str]| {
        let mut all = vec!["--cache-dir", cache];
        all.extend_from_slice(args);
        kubelite(&s.home.0, true, &all)
    };
    let group = "--api-group=example.com";
    kubectl(&["api-resources", group]).ok("fill the cache");
    let dir = TempDir::new("crds-cache");
    let crds = manifest(&dir.0, "crds.yaml", CRD);
    s.kubectl(&["create", "-f", crds.to_str().expect("path")])
        .ok("create crds");
    eventually(
        &s,
        &["get", "widgets"],
        "No resources found in default namespace.\n",
    );
    let cached = ["api-resources", group, "--cached"];
    let stale_rows = kubectl(&cached);
    assert!(
        !stale_rows.stdout.contains("widgets"),
        "{}",
        stale_rows.stdout
    );
    same("--cached, stale", &ours(&cached), &stale_rows);
    let fresh = ours(&["api-resources", group]);
    assert!(
        fresh.stdout.contains("widgets"),
        "{}{}",
        fresh.stdout,
        fresh.stderr
    );
    same("--cached, after ours refreshed", &ours(&cached), &fresh);
    same("afresh", &fresh, &kubectl(&["api-resources", group]));
}

#[test]
fn crd_and_custom_object_round_trip_over_rest() {
    let s = Server::start(true);
    let http = s.https();
    let auth = format!("Bearer {}", s.token());
    let crd: serde_json::Value = serde_saphyr::from_multiple::<serde_json::Value>(CRD)
        .expect("yaml")
        .remove(0);
    let (code, made) = status_and_json(
        http.post(format!(
            "{}/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            s.url
        ))
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body(crd.to_string()),
    );
    assert_eq!(code, 201, "{made}");
    let types: Vec<&str> = made["status"]["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .filter_map(|c| c["type"].as_str())
        .collect();
    assert_eq!(types, ["NamesAccepted", "Established"]);
    assert_eq!(made["status"]["acceptedNames"]["kind"], "Widget");
    assert_eq!(made["status"]["storedVersions"], json!(["v1"]));
    assert_eq!(made["spec"]["conversion"], json!({"strategy": "None"}));
    let base = format!(
        "{}/apis/example.com/v1beta1/namespaces/default/widgets",
        s.url
    );
    let (code, w) = status_and_json(
        http.post(&base)
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(
                json!({"apiVersion": "example.com/v1beta1", "kind": "Widget",
                          "metadata": {"name": "w"}, "spec": {"size": 1}})
                .to_string(),
            ),
    );
    assert_eq!(code, 201, "{w}");
    // Written at v1beta1, stored at v1 (conversion None rewrites apiVersion).
    assert_eq!(w["apiVersion"], "example.com/v1beta1");
    let (_, at_v1) = status_and_json(
        http.get(format!(
            "{}/apis/example.com/v1/namespaces/default/widgets/w",
            s.url
        ))
        .header("authorization", &auth),
    );
    assert_eq!(at_v1["apiVersion"], "example.com/v1");
    // /status changes only the status; the main resource ignores status.
    let mut with_status = at_v1;
    with_status["status"] = json!({"ready": true});
    with_status["spec"]["size"] = json!(9);
    let (code, st) = status_and_json(
        http.put(format!(
            "{}/apis/example.com/v1/namespaces/default/widgets/w/status",
            s.url
        ))
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body(with_status.to_string()),
    );
    assert_eq!(code, 200, "{st}");
    assert_eq!(
        (st["status"]["ready"].clone(), st["spec"]["size"].clone()),
        (json!(true), json!(1))
    );
    let (_, list) = status_and_json(
        http.get(format!("{}/apis/example.com/v1/widgets", s.url))
            .header("authorization", &auth),
    );
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    let (code, _) = status_and_json(
        http.delete(format!(
            "{}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
            s.url
        ))
        .header("authorization", &auth),
    );
    assert_eq!(code, 200);
    let (code, _) = status_and_json(
        http.get(format!("{}/apis/example.com/v1/widgets", s.url))
            .header("authorization", &auth),
    );
    assert_eq!(code, 404);
}

#[test]
fn invalid_crds_are_refused_in_kubes_words() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crds-invalid");
    let bad = manifest(
        &dir.0,
        "bad.yaml",
        &CRD.split("---")
            .next()
            .expect("first")
            .replace("name: widgets.example.com", "name: widgets.other.com"),
    );
    let out = s.kubectl(&["create", "-f", bad.to_str().expect("path")]);
    assert_eq!(
        out.stderr,
        "The CustomResourceDefinition \"widgets.other.com\" is invalid: metadata.name: Invalid value: \"widgets.other.com\": must be spec.names.plural+\".\"+spec.group\n"
    );
    assert_eq!(out.code, 1);
    let webhook = manifest(
        &dir.0,
        "webhook.yaml",
        &CRD.split("---").next().expect("first").replace(
            "  scope: Namespaced\n",
            "  scope: Namespaced\n  conversion:\n    strategy: Webhook\n",
        ),
    );
    let out = s.kubectl(&["create", "-f", webhook.to_str().expect("path")]);
    assert!(
        out.stderr
            .contains("spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook"),
        "{}",
        out.stderr
    );
    // A rule reading a variable kube does not declare (only self and oldSelf are).
    let undeclared = manifest(
        &dir.0,
        "undeclared.yaml",
        &CRD.split("---").next().expect("first").replace(
            "          spec:\n            type: object\n",
            "          spec:\n            type: object\n            x-kubernetes-validations:\n            - rule: size > 1\n",
        ),
    );
    let out = s.kubectl(&["create", "-f", undeclared.to_str().expect("path")]);
    assert!(
        out.stderr.ends_with(
            ": compilation failed: ERROR: <input>:1:1: undeclared reference to 'size' (in container '')\n | size > 1\n | ^\n"
        ) && out.stderr.starts_with(
            "The CustomResourceDefinition \"widgets.example.com\" is invalid: spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "
        ),
        "{}",
        out.stderr
    );
}

/// Takes the finalizers off the widget `held`, so its deletion can finish.
fn release_held(s: &Server) {
    s.kubectl(&[
        "patch",
        "wd",
        "held",
        "--type=merge",
        "-p",
        r#"{"metadata":{"finalizers":null}}"#,
    ])
    .ok("release held");
}

/// Polls `get` until it prints `want` (stdout, then stderr), for at most 30 s.
fn eventually(s: &Server, args: &[&str], want: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let run = s.kubectl(args);
        let seen = format!("{}{}", run.stdout, run.stderr);
        if seen == want {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{args:?}: still {seen:?}, want {want:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn scale_finalizers_namespaces_and_garbage_collection_reach_custom_objects() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crds-lifecycle");
    let crd = CRD.split("---").next().expect("first").replace(
        "      status: {}\n",
        "      status: {}\n      scale:\n        specReplicasPath: .spec.size\n        statusReplicasPath: .status.size\n",
    );
    let crd = manifest(&dir.0, "crd.yaml", &crd);
    s.kubectl(&["create", "-f", crd.to_str().expect("path")])
        .ok("crd");
    s.kubectl(&["create", "namespace", "team"]).ok("ns");
    let objects = manifest(
        &dir.0,
        "objects.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 1\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\nspec:\n  size: 1\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: in-team\n  namespace: team\nspec:\n  size: 1\n",
    );
    s.kubectl(&["create", "-f", objects.to_str().expect("path")])
        .ok("objects");
    // kubectl scale goes through the scale subresource at the CRD's paths.
    assert_eq!(
        s.kubectl(&["scale", "wd", "w1", "--replicas=4"])
            .ok("scale"),
        "widget.example.com/w1 scaled\n"
    );
    assert_eq!(
        s.kubectl(&["get", "wd", "w1", "-o", "jsonpath={.spec.size}"])
            .ok("size"),
        "4"
    );
    // A finalizer holds a deleted custom object until it is removed.
    s.kubectl(&["delete", "wd", "held", "--wait=false"])
        .ok("delete held");
    let ts = s
        .kubectl(&[
            "get",
            "wd",
            "held",
            "-o",
            "jsonpath={.metadata.deletionTimestamp}",
        ])
        .ok("held");
    assert!(!ts.is_empty(), "held was removed despite its finalizer");
    release_held(&s);
    eventually(
        &s,
        &["get", "wd", "held"],
        "Error from server (NotFound): widgets.example.com \"held\" not found\n",
    );
    // Namespace deletion removes the custom objects in it.
    s.kubectl(&["delete", "namespace", "team"]).ok("delete ns");
    eventually(
        &s,
        &["get", "wd", "-n", "team"],
        "No resources found in team namespace.\n",
    );
    // Garbage collection through ownerReferences, custom owner and custom dependent.
    let uid = s
        .kubectl(&["get", "wd", "w1", "-o", "jsonpath={.metadata.uid}"])
        .ok("uid");
    let owned = manifest(
        &dir.0,
        "owned.yaml",
        &format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n  ownerReferences:\n  - apiVersion: example.com/v1\n    kind: Widget\n    name: w1\n    uid: {uid}\n"
        ),
    );
    s.kubectl(&["create", "-f", owned.to_str().expect("path")])
        .ok("owned");
    s.kubectl(&["delete", "wd", "w1"]).ok("delete owner");
    eventually(
        &s,
        &["get", "configmap", "owned"],
        "Error from server (NotFound): configmaps \"owned\" not found\n",
    );
    // A CRD whose objects are held stays Terminating, with kube's condition, until they go.
    s.kubectl(&["create", "-f", objects.to_str().expect("path")]);
    s.kubectl(&["delete", "crd", "widgets.example.com", "--wait=false"])
        .ok("delete crd");
    let terminating = s
        .kubectl(&[
            "get",
            "crd",
            "widgets.example.com",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Terminating\")].reason} {.metadata.finalizers}",
        ])
        .ok("terminating");
    assert_eq!(
        terminating,
        "InstanceDeletionInProgress [\"customresourcecleanup.apiextensions.k8s.io\"]"
    );
    release_held(&s);
    eventually(
        &s,
        &["get", "crd", "widgets.example.com"],
        "Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io \"widgets.example.com\" not found\n",
    );
}

const SCHEMA_CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, minimum: 1, maximum: 10, default: 3}
              color: {type: string, enum: [red, blue]}
            x-kubernetes-validations:
            - rule: "self.size < 8 || self.color == 'red'"
              message: "big gadgets must be red"
"#;

fn gadget(name: &str, spec: &str) -> String {
    format!("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {{name: {name}}}\nspec: {spec}\n")
}

/// Custom objects go through the CRD's schema as kube-apiserver puts them: unknown fields
/// refused under strict field validation (kubectl's default) and pruned otherwise, defaults
/// filled in, value checks and CEL rules in kube's words; the same through serve and
/// embedded (but strict field validation, which kubelite's embedded verbs do not make for
/// any kind yet). A schema that is not structural refuses its CRD.
#[test]
fn custom_objects_are_pruned_defaulted_and_validated_by_their_schema() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crds-schema");
    let home = TempDir::new("crds-schema-home");
    let crd = manifest(&dir.0, "crd.yaml", SCHEMA_CRD);
    let crd = crd.to_str().expect("path");
    s.kubectl(&["create", "-f", crd]).ok("create crd");
    kubelite(&home.0, true, &["create", "-f", crd]).ok("create crd");
    // (file, object, flags, kubectl's stderr, whether embedded kubelite must match)
    let cases = [
        (
            "unknown.yaml",
            gadget("g1", "{size: 2, extra: 1}"),
            &[][..],
            "Error from server (BadRequest): error when creating \"FILE\": Gadget in version \"v1\" cannot be handled as a Gadget: strict decoding error: unknown field \"spec.extra\"\n",
            false,
        ),
        (
            "rule.yaml",
            gadget("g2", "{size: 9, color: blue}"),
            &[][..],
            "The Gadget \"g2\" is invalid: spec: Invalid value: \"object\": big gadgets must be red\n",
            true,
        ),
        (
            "bounds.yaml",
            gadget("g3", "{size: 11, color: green}"),
            &[][..],
            "The Gadget \"g3\" is invalid: \n* spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\"\n* spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10\n* <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation\n",
            true,
        ),
        (
            "pruned.yaml",
            gadget("g4", "{extra: 1}"),
            &["--validate=false"][..],
            "",
            true,
        ),
    ];
    for (file, text, flags, want_err, embedded_too) in cases {
        let path = manifest(&dir.0, file, &text);
        let path = path.to_str().expect("path");
        let mut args = vec!["create", "-f", path];
        args.extend_from_slice(flags);
        let want_err = want_err.replace("FILE", path);
        let served = s.kubectl(&args);
        assert_eq!(served.stderr, want_err, "{file}: kubectl's stderr");
        assert_eq!(served.code, i32::from(!want_err.is_empty()), "{file}");
        if embedded_too {
            same(file, &kubelite(&home.0, true, &args), &served);
        }
    }
    // Pruned and defaulted: only the size the schema gave it.
    let read = ["get", "gadget", "g4", "-o", "jsonpath={.spec}"];
    let served = s.kubectl(&read);
    assert_eq!(served.stdout, "{\"size\":3}");
    same("g4", &kubelite(&home.0, true, &read), &served);

    let loose = manifest(
        &dir.0,
        "loose.yaml",
        &SCHEMA_CRD
            .replace("gadgets", "doodads")
            .replace("gadget", "doodad")
            .replace("Gadget", "Doodad")
            .replace(
                "            type: object\n            properties:",
                "            properties:",
            ),
    );
    let out = s.kubectl(&["create", "-f", loose.to_str().expect("path")]);
    assert!(
        out.stderr.starts_with(
            "The CustomResourceDefinition \"doodads.example.com\" is invalid: spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 1);
    let out = s.kubectl(&["get", "crd", "doodads.example.com"]);
    assert_eq!(out.code, 1, "a refused CRD is not stored");
}

/// kube-apiserver's naming and establishing controllers act on every write to a CRD, its
/// status too: a CRD unestablished or stripped of its accepted names through the status
/// subresource is named and established again.
#[test]
fn crd_status_writes_are_settled_as_kubes_controllers_settle_them() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crd-status");
    let file = manifest(&dir.0, "crd.yaml", CRD.split("---").next().expect("first"));
    s.kubectl(&["create", "-f", file.to_str().expect("path")])
        .ok("crd");
    let status = |args: &[&str]| {
        let mut all = vec![
            "patch",
            "crd",
            "widgets.example.com",
            "--subresource=status",
        ];
        all.extend(args);
        s.kubectl(&all).ok("status patch");
    };
    let established = r#"jsonpath={.status.conditions[?(@.type=="Established")].status} {.status.conditions[?(@.type=="Established")].reason}"#;
    status(&[
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/status/conditions/1/status","value":"False"},{"op":"replace","path":"/status/conditions/1/reason","value":"Manual"}]"#,
    ]);
    eventually(
        &s,
        &["get", "crd", "widgets.example.com", "-o", established],
        "True InitialNamesAccepted",
    );
    eventually(
        &s,
        &["get", "widgets"],
        "No resources found in default namespace.\n",
    );
    status(&[
        "--type=merge",
        "-p",
        r#"{"status":{"acceptedNames":{"plural":"","kind":"","shortNames":null}}}"#,
    ]);
    eventually(
        &s,
        &[
            "get",
            "crd",
            "widgets.example.com",
            "-o",
            "jsonpath={.status.acceptedNames}",
        ],
        r#"{"categories":["all"],"kind":"Widget","listKind":"WidgetList","plural":"widgets","shortNames":["wd"],"singular":"widget"}"#,
    );
    eventually(
        &s,
        &["get", "wd"],
        "No resources found in default namespace.\n",
    );
    // Stored versions are checked on every write: none left, or one dropped from the spec.
    let out = s.kubectl(&[
        "patch",
        "crd",
        "widgets.example.com",
        "--subresource=status",
        "--type=merge",
        "-p",
        r#"{"status":{"storedVersions":[]}}"#,
    ]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "The CustomResourceDefinition \"widgets.example.com\" is invalid: status.storedVersions: Invalid value: []string{}: must have at least one stored version\n"
        )
    );
    let out = s.kubectl(&[
        "patch",
        "crd",
        "widgets.example.com",
        "--type=json",
        "-p",
        r#"[{"op":"remove","path":"/spec/versions/0"},{"op":"replace","path":"/spec/versions/0/storage","value":true}]"#,
    ]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "The CustomResourceDefinition \"widgets.example.com\" is invalid: status.storedVersions[0]: Invalid value: \"v1\": missing from spec.versions; v1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1 and removes v1 from status.storedVersions\n"
        )
    );
}

/// A `[]byte` field that is not base64 stops kube's decoder before anything else: a CRD's
/// conversion `caBundle`, a webhook's, a Secret's data, in the decoder's words.
#[test]
fn bytes_fields_that_are_not_base64_are_refused_by_the_decoder() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crd-base64");
    let crd = CRD.split("---").next().expect("first").replace(
        "  scope: Namespaced\n",
        "  scope: Namespaced\n  conversion:\n    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig:\n        url: https://127.0.0.1:1/convert\n        caBundle: not base64\n",
    );
    let hook = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: hook
webhooks:
- name: hook.example.com
  clientConfig:
    url: https://127.0.0.1:1/hook
    caBundle: "Cg==Cg=="
  sideEffects: None
  admissionReviewVersions: ["v1"]
"#;
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: Zm9v!\n";
    for (name, text, kind, at) in [
        ("crd.yaml", crd.as_str(), "CustomResourceDefinition", 3),
        ("hook.yaml", hook, "ValidatingWebhookConfiguration", 4),
        ("secret.yaml", secret, "Secret", 4),
    ] {
        let path = manifest(&dir.0, name, text);
        let path = path.to_str().expect("path");
        let out = s.kubectl(&["create", "-f", path]);
        assert_eq!(
            (out.code, out.stderr),
            (
                1,
                format!(
                    "Error from server (BadRequest): error when creating {path:?}: {kind} in version \"v1\" cannot be handled as a {kind}: illegal base64 data at input byte {at}\n"
                )
            )
        );
    }
}

/// A CRD whose kind another CRD of its group holds is not accepted (kube's KindConflict)
/// and not served; once that CRD is deleted, kube's naming controller looks at the group
/// again and the names, now free, are accepted and the CRD established.
#[test]
fn a_crd_whose_names_were_taken_is_accepted_once_they_are_freed() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crd-names");
    let first = CRD.split("---").next().expect("first");
    let holder = manifest(&dir.0, "holder.yaml", first);
    let taker = manifest(
        &dir.0,
        "taker.yaml",
        &first
            .replace("name: widgets.example.com", "name: things.example.com")
            .replace("plural: widgets", "plural: things")
            .replace("singular: widget", "singular: thing")
            .replace("shortNames: [wd]", "shortNames: [th]"),
    );
    for file in [&holder, &taker] {
        s.kubectl(&["create", "-f", file.to_str().expect("path")])
            .ok("crd");
    }
    let conditions =
        r#"jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}/{.message};{end}"#;
    eventually(
        &s,
        &["get", "crd", "things.example.com", "-o", conditions],
        r#"NamesAccepted=False/ListKindConflict/"WidgetList" is already in use;Established=False/NotAccepted/not all names are accepted;"#,
    );
    eventually(
        &s,
        &["get", "things"],
        "error: the server doesn't have a resource type \"things\"\n",
    );
    s.kubectl(&["delete", "-f", holder.to_str().expect("path")])
        .ok("delete holder");
    eventually(
        &s,
        &["get", "crd", "things.example.com", "-o", conditions],
        "NamesAccepted=True/NoConflicts/no conflicts found;Established=True/InitialNamesAccepted/the initial names have been accepted;",
    );
    eventually(
        &s,
        &["get", "things"],
        "No resources found in default namespace.\n",
    );
}

/// kube's lists library in CRD rules: `isSorted`, `sum`, `min`, `max`, `indexOf`.
#[test]
fn crd_rules_use_kubes_list_functions() {
    require_kubectl!();
    let s = Server::start(true);
    let dir = TempDir::new("crds-lists");
    let crd = SCHEMA_CRD.replace(
        "              color: {type: string, enum: [red, blue]}\n            x-kubernetes-validations:\n",
        "              color: {type: string, enum: [red, blue]}\n              parts: {type: array, maxItems: 10, items: {type: integer}}\n            x-kubernetes-validations:\n            - rule: \"!has(self.parts) || (self.parts.isSorted() && self.parts.sum() <= 10 && self.parts.min() >= 1 && self.parts.max() - self.parts.min() < 5 && self.parts.indexOf(7) == -1)\"\n              message: \"parts must be sorted, small and not 7\"\n",
    );
    let crd = manifest(&dir.0, "crd.yaml", &crd);
    s.kubectl(&["create", "-f", crd.to_str().expect("path")])
        .ok("create crd");
    for (name, parts, refused) in [
        ("ok", "[1, 2, 3, 4]", false),
        ("unsorted", "[2, 1]", true),
        ("large", "[5, 6]", true),
        ("seven", "[7]", true),
        ("wide", "[1, 6]", true),
    ] {
        let file = manifest(
            &dir.0,
            &format!("{name}.yaml"),
            &gadget(name, &format!("{{parts: {parts}}}")),
        );
        let out = s.kubectl(&["create", "-f", file.to_str().expect("path")]);
        let want = if refused {
            format!(
                "The Gadget \"{name}\" is invalid: spec: Invalid value: \"object\": parts must be sorted, small and not 7\n"
            )
        } else {
            String::new()
        };
        assert_eq!((out.code, out.stderr), (i32::from(refused), want), "{name}");
    }
}
