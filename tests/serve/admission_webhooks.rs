//! Admission webhooks through `kubelite serve`, driven by the real kubectl and kubelite's
//! CLI against a webhook server written here (`webhook_server`): configurations served as
//! kube-apiserver 1.32 serves them, denial, mutation, warnings, a hanging webhook cut at its
//! timeout, failurePolicy Ignore, garbage answers, Service references through
//! EndpointSlices, dry runs, and the AdmissionReview the webhook gets.

use super::support::{Run, Server, kubectl_available, kubelite, manifest, same_as_kubectl};
use super::webhook_server::WebhookServer;
use serde_json::Value;

fn validating(name: &str, client: &str, extra: &str) -> String {
    format!(
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: {name}
webhooks:
- name: {name}.example.com
  clientConfig:
{client}
  rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["configmaps"]
  sideEffects: None
  admissionReviewVersions: ["v1"]
{extra}"#
    )
}

fn url_client(hook: &WebhookServer, path: &str) -> String {
    format!(
        "    url: {}\n    caBundle: {}",
        hook.url(path),
        hook.ca_bundle
    )
}

/// `kubectl create -f` of a ConfigMap named `name` (plus `more` flags).
fn create_cm(server: &Server, name: &str, more: &[&str]) -> Run {
    let path = manifest(
        &server.home.0,
        &format!("cm-{name}.yaml"),
        &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"),
    );
    let mut args = vec!["create", "-f", path.to_str().unwrap()];
    args.extend(more);
    server.kubectl(&args)
}

/// Ours (kubelite's CLI through serve) and kubectl print the same for `args`.
fn both(server: &Server, args: &[&str]) -> Run {
    same_as_kubectl(server, args, false)
}

#[test]
fn webhooks_deny_mutate_warn_and_fail_as_kube_apiserver_says() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;

    // A denial, in kube 1.32's words and with the webhook's code.
    let deny = manifest(
        dir,
        "deny.yaml",
        &validating("deny", &url_client(&hook, "/deny"), ""),
    );
    server
        .kubectl(&["apply", "-f", deny.to_str().unwrap()])
        .ok("create vwc");
    let run = create_cm(&server, "c1", &[]);
    assert_eq!(
        run.stderr,
        "Error from server: error when creating \"PATH\": admission webhook \"deny.example.com\" denied the request: no pods today\n"
            .replace("PATH", &dir.join("cm-c1.yaml").display().to_string())
    );
    assert_eq!(run.code, 1);
    // kubelite's CLI prints what kubectl prints.
    let cm = dir.join("cm-c1.yaml");
    let ours = kubelite(dir, false, &["create", "-f", cm.to_str().unwrap()]);
    assert_eq!((ours.stderr, ours.code), (run.stderr, run.code));
    // The review carries the request's attributes.
    let reviews = hook.reviews_on("/deny?timeout=10s");
    let req = &reviews.last().expect("a review")["request"];
    assert_eq!(req["operation"], "CREATE");
    assert_eq!(req["kind"]["kind"], "ConfigMap");
    assert_eq!(req["resource"]["resource"], "configmaps");
    assert_eq!(req["namespace"], "default");
    assert_eq!(req["name"], "c1");
    assert_eq!(req["dryRun"], false);
    assert_eq!(req["object"]["metadata"]["name"], "c1");
    assert_eq!(req["options"]["kind"], "CreateOptions");
    assert_eq!(req["userInfo"]["username"], "kubernetes-admin");
    assert!(req["uid"].as_str().is_some_and(|u| !u.is_empty()));

    // kubectl get lists the configuration with its webhook count, as kubelite prints it.
    let got = both(&server, &["get", "validatingwebhookconfigurations"]);
    assert!(
        got.stdout.starts_with("NAME   WEBHOOKS   AGE\ndeny   1 "),
        "{}",
        got.stdout
    );
    server
        .kubectl(&["delete", "-f", deny.to_str().unwrap()])
        .ok("delete vwc");

    // A mutating webhook's JSONPatch lands in the stored object; a validating one's
    // warning reaches kubectl.
    let mutate = manifest(
        dir,
        "mutate.yaml",
        &format!(
            r#"apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: mutate
webhooks:
- name: mutate.example.com
  clientConfig:
{}
  rules:
  - operations: ["CREATE", "UPDATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["configmaps"]
  sideEffects: NoneOnDryRun
  admissionReviewVersions: ["v1"]
"#,
            url_client(&hook, "/mutate")
        ),
    );
    server
        .kubectl(&["apply", "-f", mutate.to_str().unwrap()])
        .ok("create mwc");
    let warn = manifest(
        dir,
        "warn.yaml",
        &validating("warn", &url_client(&hook, "/warn"), ""),
    );
    server
        .kubectl(&["apply", "-f", warn.to_str().unwrap()])
        .ok("create warn");
    let run = server.kubectl(&["create", "configmap", "c2"]);
    assert_eq!(run.stdout, "configmap/c2 created\n");
    assert_eq!(run.stderr, "Warning: think twice\n");
    let labels = server.kubectl(&[
        "get",
        "configmap",
        "c2",
        "-o",
        "jsonpath={.metadata.labels}",
    ]);
    assert_eq!(labels.stdout, r#"{"mutated":"yes"}"#);
    // A dry run reaches webhooks without side effects, marked as one.
    let run = server.kubectl(&["create", "configmap", "c3", "--dry-run=server"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = hook.reviews_on("/mutate?timeout=10s");
    assert_eq!(last.last().expect("review")["request"]["dryRun"], true);
    server
        .kubectl(&["delete", "-f", warn.to_str().unwrap()])
        .ok("delete warn");
    server
        .kubectl(&["delete", "-f", mutate.to_str().unwrap()])
        .ok("delete mwc");

    // A hanging webhook is cut at its timeout: Fail refuses, Ignore lets through.
    let hang = manifest(
        dir,
        "hang.yaml",
        &validating("hang", &url_client(&hook, "/hang"), "  timeoutSeconds: 1\n"),
    );
    server
        .kubectl(&["apply", "-f", hang.to_str().unwrap()])
        .ok("create hang");
    let run = create_cm(&server, "c4", &[]);
    assert_eq!(
        run.stderr,
        format!(
            "Error from server (InternalError): error when creating \"{}\": Internal error occurred: failed calling webhook \"hang.example.com\": failed to call webhook: Post \"{}?timeout=1s\": context deadline exceeded\n",
            dir.join("cm-c4.yaml").display(),
            hook.url("/hang")
        )
    );
    let ignoring = manifest(
        dir,
        "hang-ignore.yaml",
        &validating(
            "hang",
            &url_client(&hook, "/hang"),
            "  timeoutSeconds: 1\n  failurePolicy: Ignore\n",
        ),
    );
    server
        .kubectl(&["apply", "-f", ignoring.to_str().unwrap()])
        .ok("ignore");
    server
        .kubectl(&["create", "configmap", "c5"])
        .ok("ignored hang");
    server
        .kubectl(&["delete", "-f", hang.to_str().unwrap()])
        .ok("delete hang");

    // Garbage follows failurePolicy Fail.
    let garbage = manifest(
        dir,
        "garbage.yaml",
        &validating("garbage", &url_client(&hook, "/garbage"), ""),
    );
    server
        .kubectl(&["apply", "-f", garbage.to_str().unwrap()])
        .ok("garbage");
    let run = server.kubectl(&["create", "configmap", "c6"]);
    assert!(
        run.stderr.starts_with("error: failed to create configmap: Internal error occurred: failed calling webhook \"garbage.example.com\": failed to call webhook: "),
        "{}",
        run.stderr
    );
    server
        .kubectl(&["delete", "-f", garbage.to_str().unwrap()])
        .ok("delete garbage");

    // A caBundle that does not sign the server's certificate fails the call.
    let wrong_ca = manifest(
        dir,
        "wrong-ca.yaml",
        &validating("wrongca", &format!("    url: {}", hook.url("/allow")), ""),
    );
    server
        .kubectl(&["apply", "-f", wrong_ca.to_str().unwrap()])
        .ok("wrong ca");
    let run = server.kubectl(&["create", "configmap", "c7"]);
    assert!(
        run.stderr.ends_with(
            "tls: failed to verify certificate: x509: certificate signed by unknown authority\n"
        ),
        "{}",
        run.stderr
    );
    server
        .kubectl(&["delete", "-f", wrong_ca.to_str().unwrap()])
        .ok("delete wrong ca");
}

#[test]
fn a_service_reference_reaches_the_host_through_its_endpointslice() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;
    let svc = manifest(
        dir,
        "svc.yaml",
        &format!(
            r#"apiVersion: v1
kind: Service
metadata:
  name: hook
spec:
  ports:
  - name: https
    port: 443
    targetPort: 9443
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: hook-1
  labels:
    kubernetes.io/service-name: hook
addressType: IPv4
ports:
- name: https
  port: {}
endpoints:
- addresses: ["127.0.0.1"]
"#,
            hook.port
        ),
    );
    server
        .kubectl(&["apply", "-f", svc.to_str().unwrap()])
        .ok("service");
    let client = format!(
        "    service:\n      namespace: default\n      name: hook\n      path: /deny\n    caBundle: {}",
        hook.ca_bundle
    );
    let vwc = manifest(dir, "vwc.yaml", &validating("svc", &client, ""));
    server
        .kubectl(&["apply", "-f", vwc.to_str().unwrap()])
        .ok("vwc");
    let run = server.kubectl(&["create", "configmap", "c1"]);
    assert_eq!(
        run.stderr,
        "error: failed to create configmap: admission webhook \"svc.example.com\" denied the request: no pods today\n"
    );
    // Stored with kube's defaults.
    let stored: Value = serde_json::from_str(
        &server
            .kubectl(&["get", "validatingwebhookconfiguration", "svc", "-o", "json"])
            .ok("get"),
    )
    .expect("json");
    let w = &stored["webhooks"][0];
    assert_eq!(w["clientConfig"]["service"]["port"], 443);
    assert_eq!(w["failurePolicy"], "Fail");
    assert_eq!(w["matchPolicy"], "Equivalent");
    assert_eq!(w["timeoutSeconds"], 10);
    assert_eq!(w["rules"][0]["scope"], "*");
    assert_eq!(w["namespaceSelector"], serde_json::json!({}));
    // kubelite's describe and yaml are kubectl's.
    both(
        &server,
        &["describe", "validatingwebhookconfiguration", "svc"],
    );
    both(
        &server,
        &["get", "validatingwebhookconfiguration", "svc", "-o", "yaml"],
    );
}

#[test]
fn invalid_configurations_are_refused_with_kubes_messages() {
    require_kubectl!();
    let server = Server::start(false);
    let dir = &server.home.0;
    let bad = manifest(
        dir,
        "bad.yaml",
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: bad
webhooks:
- name: bad
  clientConfig:
    url: http://127.0.0.1:1/x
  rules:
  - operations: ["EXPLODE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["pods"]
  sideEffects: Some
  timeoutSeconds: 31
  admissionReviewVersions: ["v1"]
"#,
    );
    let run = both(&server, &["create", "-f", bad.to_str().unwrap()]);
    assert_eq!(
        run.stderr,
        "The ValidatingWebhookConfiguration \"bad\" is invalid: \n\
* webhooks[0].name: Invalid value: \"bad\": should be a domain with at least three segments separated by dots\n\
* webhooks[0].rules[0].operations[0]: Unsupported value: \"EXPLODE\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"\n\
* webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"\n\
* webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds\n\
* webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]\n"
    );
}

#[test]
fn selectors_and_match_conditions_choose_the_requests_and_embedded_mode_calls_too() {
    let hook = WebhookServer::start();
    let home = super::support::TempDir::new("webhook-embedded");
    let dir = &home.0;
    // Only configmaps labelled deny=yes whose data names "secret" are sent to /deny.
    let extra = r#"  objectSelector:
    matchLabels:
      deny: "yes"
  matchConditions:
  - name: names-a-secret
    expression: "has(object.data) && 'secret' in object.data"
"#;
    let vwc = manifest(
        dir,
        "vwc.yaml",
        &validating("picky", &url_client(&hook, "/deny"), extra),
    );
    kubelite(dir, false, &["create", "-f", vwc.to_str().unwrap()]).ok("vwc");
    let cm = |name: &str, labels: &str, data: &str| {
        manifest(
            dir,
            &format!("{name}.yaml"),
            &format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels: {labels}\ndata: {data}\n"
            ),
        )
    };
    let unlabelled = cm("a", "{}", "{secret: x}");
    kubelite(dir, false, &["create", "-f", unlabelled.to_str().unwrap()]).ok("not selected");
    let harmless = cm("b", "{deny: \"yes\"}", "{other: x}");
    kubelite(dir, false, &["create", "-f", harmless.to_str().unwrap()]).ok("condition false");
    assert!(hook.reviews_on("/deny?timeout=10s").is_empty());
    let denied = cm("c", "{deny: \"yes\"}", "{secret: x}");
    let run = kubelite(dir, false, &["create", "-f", denied.to_str().unwrap()]);
    assert_eq!(
        run.stderr,
        format!(
            "Error from server: error when creating \"{}\": admission webhook \"picky.example.com\" denied the request: no pods today\n",
            denied.display()
        )
    );
    assert_eq!(hook.reviews_on("/deny?timeout=10s").len(), 1);
    // A matchCondition that does not compile is refused with the compiler's error.
    let bad = manifest(
        dir,
        "bad.yaml",
        &validating(
            "bad",
            &url_client(&hook, "/deny"),
            "  matchConditions:\n  - name: broken\n    expression: \"object.data ==\"\n",
        ),
    );
    let run = kubelite(dir, false, &["create", "-f", bad.to_str().unwrap()]);
    assert!(
        run.stderr.contains("webhooks[0].matchConditions[0].expression: Invalid value: \"object.data ==\": compilation failed: "),
        "{}",
        run.stderr
    );

    // A webhook's warning reaches the embedded cluster's user as kubectl prints it; what it
    // says about the control plane's own writes (a Deployment's pods) does not.
    let warn = manifest(
        dir,
        "warn.yaml",
        &validating("warn", &url_client(&hook, "/warn"), "").replace(
            r#"resources: ["configmaps"]"#,
            r#"resources: ["configmaps", "pods"]"#,
        ),
    );
    kubelite(dir, false, &["create", "-f", warn.to_str().unwrap()]).ok("warn vwc");
    let run = kubelite(dir, false, &["create", "configmap", "d"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str(), run.code),
        ("configmap/d created\n", "Warning: think twice\n", 0)
    );
    let reviewed = hook.reviews_on("/warn?timeout=10s").len();
    let run = kubelite(
        dir,
        false,
        &["create", "deployment", "web", "--image=nginx"],
    );
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str(), run.code),
        ("deployment.apps/web created\n", "", 0)
    );
    assert!(
        hook.reviews_on("/warn?timeout=10s").len() > reviewed,
        "the ReplicaSet controller's pod was reviewed (and warned about)"
    );
}

fn mutating(name: &str, client: &str, extra: &str) -> String {
    validating(name, client, extra).replace(
        "kind: ValidatingWebhookConfiguration",
        "kind: MutatingWebhookConfiguration",
    )
}

#[test]
fn an_if_needed_webhook_is_called_again_after_a_later_one_patches() {
    let hook = WebhookServer::start();
    let home = super::support::TempDir::new("webhook-reinvoke");
    let dir = &home.0;
    // Configurations run in name order: a-first (IfNeeded) sees the object before b-patch
    // adds its label, so it is asked once more; b-patch's own change does not call it again.
    let first = manifest(
        dir,
        "a.yaml",
        &mutating(
            "a-first",
            &url_client(&hook, "/allow"),
            "  reinvocationPolicy: IfNeeded\n",
        ),
    );
    let patch = manifest(
        dir,
        "b.yaml",
        &mutating(
            "b-patch",
            &url_client(&hook, "/mutate"),
            "  reinvocationPolicy: IfNeeded\n",
        ),
    );
    for f in [&first, &patch] {
        kubelite(dir, false, &["create", "-f", f.to_str().unwrap()]).ok("mwc");
    }
    kubelite(dir, false, &["create", "configmap", "c1"]).ok("create");
    let seen = hook.reviews_on("/allow?timeout=10s");
    assert_eq!(seen.len(), 2);
    assert!(seen[0]["request"]["object"]["metadata"]["labels"].is_null());
    assert_eq!(
        seen[1]["request"]["object"]["metadata"]["labels"]["mutated"],
        "yes"
    );
    assert_eq!(hook.reviews_on("/mutate?timeout=10s").len(), 1);
    let labels = kubelite(
        dir,
        false,
        &["get", "cm", "c1", "-o", "jsonpath={.metadata.labels}"],
    );
    assert_eq!(labels.ok("get"), r#"{"mutated":"yes"}"#);
}
