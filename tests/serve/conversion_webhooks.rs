//! CustomResourceDefinition conversion webhooks, as kube-apiserver 1.32 calls them: widgets
//! stored at v1 (`spec.size`, an integer) and served at v2 (`spec.replicas`, a string)
//! through the test's HTTPS webhook; the real kubectl reads and writes either version, the
//! store keeps v1, a list goes in one review; the CRD's conversion is validated in kube's
//! words, and a webhook that cannot be reached or answers wrongly gives kube's errors.

use super::support::{Server, kubectl_available, kubelite, manifest};
use super::webhook_server::WebhookServer;
use serde_json::Value;

fn crd(conversion: &str) -> String {
    format!(
        r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {{plural: widgets, singular: widget, kind: Widget}}
{conversion}  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {{name: Size, type: integer, jsonPath: .spec.size}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {{type: integer}}
  - name: v2
    served: true
    storage: false
    additionalPrinterColumns:
    - {{name: Replicas, type: string, jsonPath: .spec.replicas}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              replicas: {{type: string}}
"#
    )
}

fn webhook_conversion(url: &str, ca_bundle: &str) -> String {
    format!(
        "  conversion:\n    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig:\n        url: {url}\n        caBundle: {ca_bundle}\n"
    )
}

/// Points the CRD's webhook at `url`.
fn repoint(server: &Server, url: &str) {
    let patch = format!(
        r#"{{"spec":{{"conversion":{{"webhook":{{"clientConfig":{{"url":"{url}"}}}}}}}}}}"#
    );
    server
        .kubectl(&[
            "patch",
            "crd",
            "widgets.example.com",
            "--type=merge",
            "-p",
            &patch,
        ])
        .ok("repoint");
}

/// The stored value of a widget, read with etcdctl in the etcd pod (which may not run
/// yet on a server that just started).
fn stored(server: &Server, name: &str) -> Value {
    let key = format!("/registry/example.com/widgets/default/{name}");
    let args = [
        "exec",
        "etcd-master",
        "-n",
        "kube-system",
        "--",
        "etcdctl",
        "get",
        &key,
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let out = server.kubectl(&args);
        if out.code == 0 {
            let value = out.stdout.lines().nth(1).unwrap_or("");
            return serde_json::from_str(value).expect("stored JSON");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "etcdctl get: {}",
            out.stderr
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// A server whose Widgets are converted by `hook` at `path` (the CRD created by kubectl).
fn converting_through(hook: &WebhookServer, path: &str) -> Server {
    let server = Server::start(false);
    let crd = manifest(
        &server.home.0,
        "crd.yaml",
        &crd(&webhook_conversion(&hook.url(path), &hook.ca_bundle)),
    );
    server
        .kubectl(&["create", "-f", crd.to_str().unwrap()])
        .ok("crd");
    server
}

/// Creates the Widget `w1` at v1 (size 3).
fn create_w1(server: &Server) {
    let w1 = manifest(
        &server.home.0,
        "w1.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n",
    );
    server
        .kubectl(&["create", "-f", w1.to_str().unwrap()])
        .ok("create v1");
}

fn reviews_for(hook: &WebhookServer, desired: &str) -> Vec<Value> {
    hook.reviews_on("/convert?timeout=30s")
        .into_iter()
        .filter(|r| r["request"]["desiredAPIVersion"] == desired)
        .collect()
}

#[test]
fn conversion_webhook_converts_reads_and_writes_between_versions() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = converting_through(&hook, "/convert");
    let dir = &server.home.0;
    create_w1(&server);
    // Written at v2: converted to v1 for the store, and back for the answer.
    let w2 = manifest(
        dir,
        "w2.yaml",
        "apiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: w2\nspec:\n  replicas: \"5\"\n",
    );
    let created = server.kubectl(&["create", "-f", w2.to_str().unwrap(), "-o", "json"]);
    let created: Value = serde_json::from_str(&created.ok("create v2")).expect("json");
    assert_eq!(created["apiVersion"], "example.com/v2");
    assert_eq!(created["spec"], serde_json::json!({"replicas": "5"}));
    let w2_stored = stored(&server, "w2");
    assert_eq!(w2_stored["apiVersion"], "example.com/v1");
    assert_eq!(w2_stored["spec"], serde_json::json!({"size": 5}));
    assert_eq!(
        reviews_for(&hook, "example.com/v1")[0]["request"]["objects"][0]["spec"],
        serde_json::json!({"replicas": "5"})
    );

    // Read at v2: one object, then the list in one review.
    let yaml = server.kubectl(&["get", "widgets.v2.example.com", "w1", "-o", "yaml"]);
    let yaml = yaml.ok("get v2");
    assert!(yaml.starts_with("apiVersion: example.com/v2\n"), "{yaml}");
    assert!(yaml.contains("spec:\n  replicas: \"3\"\n"), "{yaml}");
    let ours = kubelite(
        dir,
        false,
        &["get", "widgets.v2.example.com", "w1", "-o", "yaml"],
    );
    assert_eq!(ours.ok("kubelite get v2"), yaml);
    let before = reviews_for(&hook, "example.com/v2").len();
    let table = server
        .kubectl(&["get", "widgets.v2.example.com"])
        .ok("table");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().take(2).collect())
        .collect();
    assert_eq!(
        rows,
        vec![vec!["NAME", "REPLICAS"], vec!["w1", "3"], vec!["w2", "5"]]
    );
    let lists: Vec<Value> = reviews_for(&hook, "example.com/v2")[before..].to_vec();
    assert_eq!(lists.len(), 1, "one review for the list: {lists:?}");
    let first = &lists[0]["request"]["objects"][0];
    assert_eq!(
        (&first["apiVersion"], &first["kind"]),
        (&"example.com/v1".into(), &"Widget".into())
    );
    assert_eq!(
        lists[0]["request"]["objects"].as_array().map(Vec::len),
        Some(2)
    );
    // The storage version is read without a call.
    let before = hook.reviews_on("/convert?timeout=30s").len();
    let size = server.kubectl(&[
        "get",
        "widgets.v1.example.com",
        "w2",
        "-o",
        "jsonpath={.spec.size}",
    ]);
    assert_eq!(size.ok("get v1"), "5");
    assert_eq!(hook.reviews_on("/convert?timeout=30s").len(), before);

    // A patch at v2 lands converted in the store.
    server
        .kubectl(&[
            "patch",
            "widgets.v2.example.com",
            "w1",
            "--type=merge",
            "-p",
            r#"{"spec":{"replicas":"7"}}"#,
        ])
        .ok("patch v2");
    assert_eq!(
        stored(&server, "w1")["spec"],
        serde_json::json!({"size": 7})
    );

    // A watch at v2 sees its events converted.
    let list_url = format!(
        "{}/apis/example.com/v2/namespaces/default/widgets",
        server.url
    );
    let auth = format!("Bearer {}", server.token());
    let list = server
        .https()
        .get(&list_url)
        .header("Authorization", &auth)
        .send()
        .expect("list")
        .text()
        .expect("list body");
    let list: Value = serde_json::from_str(&list).expect("list json");
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .expect("rv")
        .to_string();
    server
        .kubectl(&[
            "patch",
            "widgets.v1.example.com",
            "w2",
            "--type=merge",
            "-p",
            r#"{"spec":{"size":9}}"#,
        ])
        .ok("patch v1");
    let events = server
        .https()
        .get(format!(
            "{list_url}?watch=1&resourceVersion={rv}&timeoutSeconds=1"
        ))
        .header("Authorization", &auth)
        .send()
        .expect("watch")
        .text()
        .expect("watch body");
    let event: Value =
        serde_json::from_str(events.lines().next().expect("an event")).expect("event");
    assert_eq!(event["type"], "MODIFIED");
    assert_eq!(event["object"]["apiVersion"], "example.com/v2");
    assert_eq!(
        event["object"]["spec"],
        serde_json::json!({"replicas": "9"})
    );
    // In Table form, with v2's columns.
    let events = server
        .https()
        .get(format!(
            "{list_url}?watch=1&resourceVersion={rv}&timeoutSeconds=1"
        ))
        .header("Authorization", &auth)
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
        .send()
        .expect("table watch")
        .text()
        .expect("table watch body");
    let event: Value =
        serde_json::from_str(events.lines().next().expect("an event")).expect("event");
    assert_eq!(event["object"]["columnDefinitions"][1]["name"], "Replicas");
    assert_eq!(event["object"]["rows"][0]["cells"][1], "9");

    // Server-side apply and delete at v2.
    let w3 = manifest(
        dir,
        "w3.yaml",
        "apiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: w3\nspec:\n  replicas: \"4\"\n",
    );
    server
        .kubectl(&["apply", "--server-side", "-f", w3.to_str().unwrap()])
        .ok("apply v2");
    assert_eq!(
        stored(&server, "w3")["spec"],
        serde_json::json!({"size": 4})
    );
    let deleted = server.kubectl(&["delete", "widgets.v2.example.com", "w3"]);
    assert_eq!(
        deleted.ok("delete v2"),
        "widget.example.com \"w3\" deleted\n"
    );
}

#[test]
fn conversion_webhook_failures_and_crd_validation_in_kubes_words() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;
    let invalid = |name: &str, conversion: &str, want: &str| {
        let path = manifest(dir, name, &crd(conversion));
        let out = server.kubectl(&["create", "-f", path.to_str().unwrap()]);
        assert_eq!(out.code, 1, "{name}: {}", out.stdout);
        assert_eq!(
            out.stderr,
            format!("The CustomResourceDefinition \"widgets.example.com\" is invalid: {want}\n"),
            "{name}"
        );
    };
    invalid(
        "bare.yaml",
        "  conversion:\n    strategy: Webhook\n",
        "\n* spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook\n* spec.conversion.conversionReviewVersions: Required value",
    );
    invalid(
        "none.yaml",
        "  conversion:\n    strategy: None\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig:\n        url: https://127.0.0.1:1/convert\n",
        "\n* spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook\n* spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook",
    );
    invalid(
        "versions.yaml",
        "  conversion:\n    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v2]\n      clientConfig:\n        url: http://127.0.0.1:1/convert\n",
        "\n* spec.conversion.webhookClientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]\n* spec.conversion.conversionReviewVersions: Invalid value: []string{\"v2\"}: must include at least one of v1, v1beta1",
    );

    let crd = manifest(
        dir,
        "crd.yaml",
        &crd(&webhook_conversion(&hook.url("/convert"), &hook.ca_bundle)),
    );
    server
        .kubectl(&["create", "-f", crd.to_str().unwrap()])
        .ok("crd");
    create_w1(&server);
    let get_v2 = ["get", "widgets.v2.example.com", "w1"];
    let failing = |url: &str, want: &str| {
        repoint(&server, url);
        let out = server.kubectl(&get_v2);
        assert_eq!(out.code, 1, "{url}: {}", out.stdout);
        assert_eq!(out.stderr, format!("Error from server: {want}\n"), "{url}");
    };
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let nobody = format!("https://127.0.0.1:{refused}/convert");
    failing(
        &nobody,
        &format!(
            "conversion webhook for example.com/v1, Kind=Widget failed: Post \"{nobody}?timeout=30s\": dial tcp 127.0.0.1:{refused}: connect: connection refused"
        ),
    );
    failing(
        &hook.url("/convert-fail"),
        "conversion webhook for example.com/v1, Kind=Widget failed: cannot convert today",
    );
    failing(
        &hook.url("/convert-rename"),
        "conversion webhook for example.com/v1, Kind=Widget returned invalid object: must have the same name: w1 != renamed",
    );
    repoint(&server, &hook.url("/convert-uid"));
    let out = server.kubectl(&get_v2);
    assert!(
        out.stderr.starts_with(
            "Error from server: conversion webhook for example.com/v1, Kind=Widget failed: expected response.uid="
        ) && out.stderr.ends_with(", got \"not-the-uid\"\n"),
        "{}",
        out.stderr
    );
    repoint(&server, &hook.url("/garbage"));
    let out = server.kubectl(&get_v2);
    assert!(
        out.stderr.starts_with(
            "Error from server: conversion webhook for example.com/v1, Kind=Widget failed: couldn't get version/kind; json parse error: "
        ),
        "{}",
        out.stderr
    );
    // A write at v2 that cannot be converted stores nothing.
    repoint(&server, &hook.url("/convert-fail"));
    let w2 = manifest(
        dir,
        "w2.yaml",
        "apiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: w2\nspec:\n  replicas: \"5\"\n",
    );
    let out = server.kubectl(&["create", "-f", w2.to_str().unwrap()]);
    assert_eq!(
        out.stderr,
        format!(
            "Error from server: error when creating \"{}\": conversion webhook for example.com/v2, Kind=Widget failed: cannot convert today\n",
            w2.display()
        )
    );
    let out = server.kubectl(&["get", "widgets.v1.example.com", "w2"]);
    assert_eq!(
        out.stderr,
        "Error from server (NotFound): widgets.example.com \"w2\" not found\n"
    );
    // The storage version still reads, and a working webhook serves v2 again.
    server
        .kubectl(&["get", "widgets.v1.example.com", "w1"])
        .ok("get v1");
    repoint(&server, &hook.url("/convert"));
    server.kubectl(&get_v2).ok("get v2 again");
}

/// An admission webhook whose rules name only v2 sees a write made at v1 converted by the
/// conversion webhook (`matchPolicy: Equivalent`, the default).
#[test]
fn equivalent_admission_webhooks_see_objects_through_the_conversion_webhook() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = converting_through(&hook, "/convert");
    let dir = &server.home.0;
    let config = manifest(
        dir,
        "validating.yaml",
        &format!(
            r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: v2-only
webhooks:
- name: v2-only.example.com
  clientConfig:
    url: {}
    caBundle: {}
  rules:
  - operations: ["CREATE"]
    apiGroups: ["example.com"]
    apiVersions: ["v2"]
    resources: ["widgets"]
  sideEffects: None
  admissionReviewVersions: ["v1"]
"#,
            hook.url("/allow"),
            hook.ca_bundle
        ),
    );
    server
        .kubectl(&["create", "-f", config.to_str().unwrap()])
        .ok("webhook configuration");
    let w1 = manifest(
        dir,
        "w1.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 2\n",
    );
    server
        .kubectl(&["create", "-f", w1.to_str().unwrap()])
        .ok("create v1");
    let seen = hook.reviews_on("/allow?timeout=10s");
    let object = &seen.last().expect("an admission review")["request"]["object"];
    assert_eq!(object["apiVersion"], "example.com/v2");
    assert_eq!(object["spec"], serde_json::json!({"replicas": "2"}));
}

/// The reason of the CRD's Established condition, and its status.
fn established(server: &Server) -> String {
    server
        .kubectl(&[
            "get",
            "crd",
            "widgets.example.com",
            "-o",
            r#"jsonpath={.status.conditions[?(@.type=="Established")].status} {.status.conditions[?(@.type=="Established")].reason}: {.status.conditions[?(@.type=="Established")].message}"#,
        ])
        .ok("conditions")
}

/// kube-apiserver 1.32 keeps a new CRD whose conversion `caBundle` holds no certificate but
/// does not establish it (its resource is not discovered); mending the bundle establishes
/// it; an Established CRD may not be given an invalid bundle.
#[test]
fn a_crd_with_an_invalid_ca_bundle_is_kept_but_not_established_until_mended() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let dir = &server.home.0;
    let bad = manifest(
        dir,
        "crd.yaml",
        &crd(&webhook_conversion(&hook.url("/convert"), "Cg==")),
    );
    server
        .kubectl(&["create", "-f", bad.to_str().unwrap()])
        .ok("created with a bad bundle");
    assert_eq!(
        established(&server),
        "False InvalidCABundle: The conversion webhook CABundle is invalid"
    );
    let out = server.kubectl(&["get", "widgets"]);
    assert_eq!(
        out.stderr,
        "error: the server doesn't have a resource type \"widgets\"\n"
    );
    // kube's handler takes the resource's paths but cannot build its converter.
    let raw = "/apis/example.com/v1/namespaces/default/widgets";
    let out = server.kubectl(&["get", "--raw", raw]);
    assert_eq!(
        out.stderr,
        "Error from server (InternalError): Internal error occurred: error resolving resource\n"
    );
    // Not Established: an update may keep the bad bundle.
    server
        .kubectl(&["label", "crd", "widgets.example.com", "kept=yes"])
        .ok("update keeping the bundle");
    assert!(established(&server).starts_with("False InvalidCABundle"));
    let bundle = |b: &str| {
        let patch = format!(
            r#"{{"spec":{{"conversion":{{"webhook":{{"clientConfig":{{"caBundle":"{b}"}}}}}}}}}}"#
        );
        server.kubectl(&[
            "patch",
            "crd",
            "widgets.example.com",
            "--type=merge",
            "-p",
            &patch,
        ])
    };
    bundle(&hook.ca_bundle).ok("mend");
    assert_eq!(
        established(&server),
        "True InitialNamesAccepted: the initial names have been accepted"
    );
    create_w1(&server);
    server
        .kubectl(&["get", "widgets.v2.example.com", "w1"])
        .ok("read through the webhook");
    server.kubectl(&["get", "--raw", raw]).ok("raw list");
    let out = bundle("Cg==");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(
        out.stderr,
        "The CustomResourceDefinition \"widgets.example.com\" is invalid: spec.conversion.webhookClientConfig.caBundle: Invalid value: []byte{0xa}: unable to load root certificates: unable to parse bytes as PEM block\n"
    );
    assert!(established(&server).starts_with("True "));
}

/// A conversion webhook that never answers is cut at kube's fixed 30 s.
#[test]
fn a_conversion_webhook_that_never_answers_is_cut_at_thirty_seconds() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = converting_through(&hook, "/silent");
    create_w1(&server);
    let started = std::time::Instant::now();
    let out = server.kubectl(&["get", "widgets.v2.example.com", "w1"]);
    let took = started.elapsed();
    assert!(
        took >= std::time::Duration::from_secs(29) && took < std::time::Duration::from_secs(50),
        "{took:?}"
    );
    assert_eq!(
        out.stderr,
        format!(
            "Error from server: conversion webhook for example.com/v1, Kind=Widget failed: Post \"{}?timeout=30s\": context deadline exceeded\n",
            hook.url("/silent")
        )
    );
}
