//! `matchPolicy` across the versions of a custom resource, as kube-apiserver 1.32 documents
//! it: under `Equivalent` (the default) a webhook or ValidatingAdmissionPolicy whose rules
//! name only one version of a CRD still sees writes made through another, with the object
//! converted to the version its rule names (conversion `None`: the apiVersion changes),
//! `request.kind`/`request.resource` at that version and `requestKind`/`requestResource` at
//! the one the request came through; a mutating webhook's patch lands in the stored object;
//! under `Exact` the other version does not match.

use super::support::{Server, kubectl_available, manifest};
use super::webhook_server::WebhookServer;
use serde_json::Value;

/// Stored at v1, served at v1 and v2.
const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v2
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"#;

fn widget(version: &str, name: &str) -> String {
    format!(
        "apiVersion: example.com/{version}\nkind: Widget\nmetadata:\n  name: {name}\nspec:\n  size: 1\n"
    )
}

/// A webhook configuration of `kind` whose one webhook's rules name `version` of widgets.
fn webhook(
    kind: &str,
    name: &str,
    hook: &WebhookServer,
    path: &str,
    version: &str,
    policy: &str,
) -> String {
    format!(
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: {kind}
metadata:
  name: {name}
webhooks:
- name: {name}.example.com
  clientConfig:
    url: {}
    caBundle: {}
  rules:
  - operations: ["CREATE", "UPDATE"]
    apiGroups: ["example.com"]
    apiVersions: ["{version}"]
    resources: ["widgets"]
  {policy}
  sideEffects: None
  admissionReviewVersions: ["v1"]
"#,
        hook.url(path),
        hook.ca_bundle
    )
}

fn gvk(v: &Value) -> String {
    let kind = v
        .get("kind")
        .or_else(|| v.get("resource"))
        .unwrap_or(&Value::Null);
    format!(
        "{}/{}/{}",
        v["group"].as_str().unwrap_or(""),
        v["version"].as_str().unwrap_or(""),
        kind.as_str().unwrap_or("")
    )
}

/// The last review `path` got, for the object `name`.
fn last_review(hook: &WebhookServer, path: &str, name: &str) -> Option<Value> {
    hook.reviews_on(&format!("{path}?timeout=10s"))
        .into_iter()
        .rev()
        .map(|r| r["request"].clone())
        .find(|r| r["name"] == name)
}

#[test]
fn equivalent_webhooks_see_other_versions_converted_and_exact_ones_do_not() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;
    let crd = manifest(dir, "crd.yaml", CRD);
    server
        .kubectl(&["apply", "-f", crd.to_str().unwrap()])
        .ok("crd");
    let configs = [
        webhook(
            "ValidatingWebhookConfiguration",
            "v1-equivalent",
            &hook,
            "/v1-equivalent",
            "v1",
            "",
        ),
        webhook(
            "ValidatingWebhookConfiguration",
            "v1-exact",
            &hook,
            "/v1-exact",
            "v1",
            "matchPolicy: Exact",
        ),
        webhook(
            "ValidatingWebhookConfiguration",
            "v2-equivalent",
            &hook,
            "/v2-equivalent",
            "v2",
            "matchPolicy: Equivalent",
        ),
        webhook(
            "MutatingWebhookConfiguration",
            "mutate",
            &hook,
            "/mutate",
            "v1",
            "",
        ),
    ];
    let hooks = manifest(dir, "hooks.yaml", &configs.join("---\n"));
    server
        .kubectl(&["apply", "-f", hooks.to_str().unwrap()])
        .ok("webhooks");

    // A write through v2 reaches the v1 webhook with the object at v1.
    let w2 = manifest(dir, "w2.yaml", &widget("v2", "through-v2"));
    server
        .kubectl(&["create", "-f", w2.to_str().unwrap()])
        .ok("create through v2");
    let req = last_review(&hook, "/v1-equivalent", "through-v2").expect("the v1 webhook is called");
    assert_eq!(gvk(&req["kind"]), "example.com/v1/Widget");
    assert_eq!(gvk(&req["resource"]), "example.com/v1/widgets");
    assert_eq!(gvk(&req["requestKind"]), "example.com/v2/Widget");
    assert_eq!(gvk(&req["requestResource"]), "example.com/v2/widgets");
    assert_eq!(req["object"]["apiVersion"], "example.com/v1");
    // The mutating webhook's patch was applied to the object it saw at v1 and kept.
    assert_eq!(req["object"]["metadata"]["labels"]["mutated"], "yes");
    let mutated = last_review(&hook, "/mutate", "through-v2").expect("the mutating webhook");
    assert_eq!(mutated["object"]["apiVersion"], "example.com/v1");
    assert_eq!(gvk(&mutated["requestKind"]), "example.com/v2/Widget");
    // The v2 webhook sees the v2 request as it came.
    let req = last_review(&hook, "/v2-equivalent", "through-v2").expect("the v2 webhook");
    assert_eq!(gvk(&req["kind"]), "example.com/v2/Widget");
    assert_eq!(gvk(&req["requestKind"]), "example.com/v2/Widget");
    assert_eq!(req["object"]["apiVersion"], "example.com/v2");
    // Exact: the v1 rule does not match a v2 request.
    assert!(last_review(&hook, "/v1-exact", "through-v2").is_none());
    // What was stored carries the label, read at either version.
    for version in ["v1", "v2"] {
        let got = server.kubectl(&[
            "get",
            &format!("widgets.{version}.example.com"),
            "through-v2",
            "-o",
            "jsonpath={.apiVersion} {.metadata.labels.mutated}",
        ]);
        assert_eq!(got.ok("get"), format!("example.com/{version} yes"));
    }

    // A write through v1 (the stored version): the v2 webhook gets it converted to v2;
    // the exact v1 webhook gets it; an update through v2 reaches the v1 webhooks again.
    let w1 = manifest(dir, "w1.yaml", &widget("v1", "through-v1"));
    server
        .kubectl(&["create", "-f", w1.to_str().unwrap()])
        .ok("create through v1");
    let req = last_review(&hook, "/v2-equivalent", "through-v1").expect("the v2 webhook");
    assert_eq!(gvk(&req["kind"]), "example.com/v2/Widget");
    assert_eq!(gvk(&req["requestKind"]), "example.com/v1/Widget");
    assert_eq!(req["object"]["apiVersion"], "example.com/v2");
    let req = last_review(&hook, "/v1-exact", "through-v1").expect("the exact webhook");
    assert_eq!(gvk(&req["kind"]), "example.com/v1/Widget");
    let before = hook.reviews_on("/v1-exact?timeout=10s").len();
    server
        .kubectl(&[
            "label",
            "widgets.v2.example.com",
            "through-v1",
            "touched=yes",
        ])
        .ok("label through v2");
    let req = last_review(&hook, "/v1-equivalent", "through-v1").expect("update");
    assert_eq!(req["operation"], "UPDATE");
    assert_eq!(gvk(&req["requestKind"]), "example.com/v2/Widget");
    assert_eq!(req["object"]["apiVersion"], "example.com/v1");
    assert_eq!(req["oldObject"]["apiVersion"], "example.com/v1");
    assert_eq!(req["object"]["metadata"]["labels"]["touched"], "yes");
    assert_eq!(hook.reviews_on("/v1-exact?timeout=10s").len(), before);
}

/// A policy on widgets at `version` that refuses names not starting with `ok`, saying how
/// it saw the object.
fn policy(name: &str, version: &str, match_policy: &str) -> String {
    format!(
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: {name}
spec:
  matchConstraints:
    matchPolicy: {match_policy}
    resourceRules:
    - apiGroups: ["example.com"]
      apiVersions: ["{version}"]
      operations: ["CREATE"]
      resources: ["widgets"]
  validations:
  - expression: "object.metadata.name.startsWith('ok')"
    messageExpression: "'seen as ' + object.apiVersion + ' (' + request.kind.version + ', ' + request.resource.version + ') through ' + request.requestKind.version + ', ' + request.requestResource.version"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: {name}
spec:
  policyName: {name}
  validationActions: [Deny]
"#
    )
}

#[test]
fn equivalent_policies_see_other_versions_converted_and_exact_ones_do_not() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    let crd = manifest(dir, "crd.yaml", CRD);
    server
        .kubectl(&["apply", "-f", crd.to_str().unwrap()])
        .ok("crd");
    let create = |version: &str, name: &str| {
        let path = manifest(dir, &format!("{name}.yaml"), &widget(version, name));
        server.kubectl(&["create", "-f", path.to_str().unwrap()])
    };
    let denied = |name: &str, policy: &str, how: &str| {
        format!(
            "The widgets \"{name}\" is invalid: : ValidatingAdmissionPolicy '{policy}' with binding '{policy}' denied request: seen as {how}\n"
        )
    };
    let apply = |name: &str, version: &str, match_policy: &str| {
        let path = manifest(
            dir,
            &format!("policy-{name}.yaml"),
            &policy(name, version, match_policy),
        );
        server
            .kubectl(&["apply", "-f", path.to_str().unwrap()])
            .ok("policy");
        path
    };

    // Exact: a v2 request does not match the v1 rule; a v1 one does.
    let exact = apply("v1-exact", "v1", "Exact");
    create("v2", "a").ok("exact lets a v2 write through");
    let run = create("v1", "b");
    assert_eq!(
        run.stderr,
        denied("b", "v1-exact", "example.com/v1 (v1, v1) through v1, v1")
    );
    assert_eq!(run.code, 1);
    server
        .kubectl(&["delete", "-f", exact.to_str().unwrap()])
        .ok("delete policy");

    // Equivalent: the v2 request is seen at v1, and a v1 request by a v2 rule at v2.
    let v1 = apply("v1-equivalent", "v1", "Equivalent");
    let run = create("v2", "c");
    assert_eq!(
        run.stderr,
        denied(
            "c",
            "v1-equivalent",
            "example.com/v1 (v1, v1) through v2, v2"
        )
    );
    assert_eq!(run.code, 1);
    server
        .kubectl(&["delete", "-f", v1.to_str().unwrap()])
        .ok("delete policy");
    apply("v2-equivalent", "v2", "Equivalent");
    let run = create("v1", "d");
    assert_eq!(
        run.stderr,
        denied(
            "d",
            "v2-equivalent",
            "example.com/v2 (v2, v2) through v1, v1"
        )
    );
    assert_eq!(run.code, 1);
    create("v1", "ok-e").ok("a name the policy allows");
}

/// Built-in resources served at two versions are equivalent too: an autoscaling/v1
/// HorizontalPodAutoscaler reaches webhooks whose rules name autoscaling/v2, converted.
#[test]
fn a_v1_autoscaler_reaches_v2_webhooks_converted() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;
    let rule = |kind: &str, name: &str, path: &str| {
        webhook(kind, name, &hook, path, "v2", "")
            .replace("[\"example.com\"]", "[\"autoscaling\"]")
            .replace("[\"widgets\"]", "[\"horizontalpodautoscalers\"]")
    };
    let configs = [
        rule("ValidatingWebhookConfiguration", "hpa-v2", "/hpa-v2"),
        rule("MutatingWebhookConfiguration", "hpa-mutate", "/mutate"),
    ];
    let hooks = manifest(dir, "hooks.yaml", &configs.join("---\n"));
    server
        .kubectl(&["apply", "-f", hooks.to_str().unwrap()])
        .ok("webhooks");
    let hpa = manifest(
        dir,
        "hpa.yaml",
        "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 3\n  targetCPUUtilizationPercentage: 50\n",
    );
    server
        .kubectl(&["create", "-f", hpa.to_str().unwrap()])
        .ok("create v1");
    let req = last_review(&hook, "/hpa-v2", "web").expect("the v2 webhook is called");
    assert_eq!(gvk(&req["kind"]), "autoscaling/v2/HorizontalPodAutoscaler");
    assert_eq!(
        gvk(&req["requestKind"]),
        "autoscaling/v1/HorizontalPodAutoscaler"
    );
    assert_eq!(
        gvk(&req["requestResource"]),
        "autoscaling/v1/horizontalpodautoscalers"
    );
    assert_eq!(req["object"]["apiVersion"], "autoscaling/v2");
    assert_eq!(
        req["object"]["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
        50
    );
    assert_eq!(req["object"]["metadata"]["labels"]["mutated"], "yes");
    let got = server.kubectl(&[
        "get",
        "horizontalpodautoscalers.v1.autoscaling",
        "web",
        "-o",
        "jsonpath={.apiVersion} {.metadata.labels.mutated} {.spec.targetCPUUtilizationPercentage}",
    ]);
    assert_eq!(got.ok("get"), "autoscaling/v1 yes 50");
}
