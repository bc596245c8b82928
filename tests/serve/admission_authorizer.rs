//! `authorizer` in ValidatingAdmissionPolicy expressions, as kube-apiserver 1.32 documents
//! its authorization library: checks for the request's user (`kubectl --as`) answered by
//! the cluster's RBAC, `authorizer.requestResource`, `authorizer.serviceAccount(ns, name)`,
//! `authorizer.path(p)`, `.reason()`, and refused in messageExpressions at compile time;
//! the same `authorizer` in a webhook's matchConditions.

use super::support::{Server, kubectl_available, manifest};
use super::webhook_server::WebhookServer;

const POLICY: &str = r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: secret-listers-only
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["configmaps"]
  variables:
  - name: lists
    expression: "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('list')"
  validations:
  - expression: "variables.lists.allowed()"
    messageExpression: "'user ' + request.userInfo.username + ' may not list secrets'"
  - expression: "authorizer.requestResource.check('create').allowed()"
    message: "requestResource says no"
  - expression: "!object.metadata.name.startsWith('reason')"
    messageExpression: "variables.lists.reason()"
  - expression: "!authorizer.serviceAccount(object.metadata.namespace, 'robot').group('').resource('configmaps').namespace(object.metadata.namespace).check('create').allowed()"
    message: "robots may create config maps: none may"
  - expression: "authorizer.path('/metrics').check('get').allowed() || !object.metadata.name.startsWith('metrics')"
    message: "metrics are for those who may read /metrics"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: secret-listers-only
spec:
  policyName: secret-listers-only
  validationActions: [Deny]
"#;

fn denied(name: &str, message: &str) -> String {
    format!(
        "error: failed to create configmap: configmaps \"{name}\" is forbidden: ValidatingAdmissionPolicy 'secret-listers-only' with binding 'secret-listers-only' denied request: {message}\n"
    )
}

#[test]
fn policies_ask_the_clusters_authorizer_for_the_requests_user() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    let k = |args: &[&str]| server.kubectl(args);
    for (role, verb, resource) in [
        ("cm-writer", "create", "configmaps"),
        ("secret-lister", "list", "secrets"),
    ] {
        k(&[
            "create",
            "role",
            role,
            "--verb",
            verb,
            "--resource",
            resource,
        ])
        .ok("role");
    }
    k(&[
        "create",
        "rolebinding",
        "cm-writers",
        "--role=cm-writer",
        "--user=writer",
        "--user=lister",
        "--serviceaccount=default:robot",
    ])
    .ok("binding");
    k(&[
        "create",
        "rolebinding",
        "secret-listers",
        "--role=secret-lister",
        "--user=lister",
    ])
    .ok("binding");
    k(&[
        "create",
        "clusterrole",
        "health-reader",
        "--verb=get",
        "--non-resource-url=/metrics",
    ])
    .ok("clusterrole");
    k(&[
        "create",
        "clusterrolebinding",
        "health-readers",
        "--clusterrole=health-reader",
        "--user=lister",
    ])
    .ok("binding");
    let policy = manifest(dir, "policy.yaml", POLICY);
    k(&["apply", "-f", policy.to_str().unwrap()]).ok("policy");

    // The robot may create config maps, so every create is refused by the third rule...
    let run = k(&["--as", "lister", "create", "configmap", "c1"]);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            denied("c1", "robots may create config maps: none may").as_str(),
            1
        )
    );
    k(&["delete", "rolebinding", "cm-writers"]).ok("unbind");
    k(&[
        "create",
        "rolebinding",
        "cm-writers",
        "--role=cm-writer",
        "--user=writer",
        "--user=lister",
    ])
    .ok("rebind");
    // ...until it may not. A user who may not list secrets is refused in the message's
    // words; one who may passes, and may read /metrics.
    let run = k(&["--as", "writer", "create", "configmap", "c2"]);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (denied("c2", "user writer may not list secrets").as_str(), 1)
    );
    k(&["--as", "lister", "create", "configmap", "c3"]).ok("a lister may");
    // An allowed check's reason is RBAC's.
    let run = k(&["--as", "lister", "create", "configmap", "reason-1"]);
    assert_eq!(
        run.stderr,
        denied(
            "reason-1",
            "RBAC: allowed by RoleBinding \"secret-listers/default\" of Role \"secret-lister\" to User \"lister\""
        )
    );
    k(&["--as", "lister", "create", "configmap", "metrics-1"]).ok("a metrics reader may");
    k(&["delete", "clusterrolebinding", "health-readers"]).ok("unbind health");
    let run = k(&["--as", "lister", "create", "configmap", "metrics-2"]);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            denied("metrics-2", "metrics are for those who may read /metrics").as_str(),
            1
        )
    );
    // The cluster's admin (system:masters) may do everything.
    k(&["create", "configmap", "metrics-3"]).ok("admin");

    // messageExpressions have no authorizer, as in kube.
    let bad = manifest(
        dir,
        "bad.yaml",
        &POLICY.replace(
            "'user ' + request.userInfo.username + ' may not list secrets'",
            "authorizer.path('/x').check('get').reason()",
        ),
    );
    let run = k(&["apply", "-f", bad.to_str().unwrap()]);
    assert!(
        run.stderr.contains("spec.validations[0].messageExpression: Invalid value: \"authorizer.path('/x').check('get').reason()\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'authorizer' (in container '')"),
        "{}",
        run.stderr
    );
}

#[test]
fn webhook_match_conditions_ask_the_authorizer_too() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;
    let k = |args: &[&str]| server.kubectl(args);
    k(&[
        "create",
        "role",
        "cm-writer",
        "--verb=create",
        "--resource=configmaps",
    ])
    .ok("role");
    k(&[
        "create",
        "rolebinding",
        "cm-writers",
        "--role=cm-writer",
        "--user=writer",
    ])
    .ok("binding");
    // Denies (through the webhook) only those who may not delete config maps.
    let config = format!(
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: deleters-only
webhooks:
- name: deleters-only.example.com
  clientConfig:
    url: {}
    caBundle: {}
  rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["configmaps"]
  matchConditions:
  - name: may-not-delete
    expression: "!authorizer.requestResource.check('delete').allowed()"
  sideEffects: None
  admissionReviewVersions: ["v1"]
"#,
        hook.url("/deny"),
        hook.ca_bundle
    );
    let path = manifest(dir, "hook.yaml", &config);
    k(&["apply", "-f", path.to_str().unwrap()]).ok("webhook");
    let run = k(&["--as", "writer", "create", "configmap", "w1"]);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            "error: failed to create configmap: admission webhook \"deleters-only.example.com\" denied the request: no pods today\n",
            1
        )
    );
    // The admin may delete them: the condition is false, the webhook not called.
    let before = hook.reviews_on("/deny?timeout=10s").len();
    k(&["create", "configmap", "a1"]).ok("admin");
    assert_eq!(hook.reviews_on("/deny?timeout=10s").len(), before);
}
