//! What an admission webhook adds to a create: sequential ConfigMap creates over HTTPS from
//! one client against `kubelite serve`, with a webhook configuration that does not match
//! them and then through a validating webhook that allows everything (the test suite's
//! webhook server), beside the webhook's own latency (the same AdmissionReview POSTed to it
//! directly). The budget: a create through a webhook costs at most the webhook's own latency
//! plus 1 ms. Measured on dry-run creates (the whole pipeline, admission included, without
//! the fsync whose jitter would hide a millisecond), and on durable ones for scale.
//!
//!
//! Also a custom object's create over HTTPS from one client (a CRD's Widget, durable and dry
//! run, beside a ConfigMap's), whose budget is a p50 of at most 1 ms.
//!
//! `cargo bench --bench webhooks` (release build). Prints one line per figure.

#[path = "support/serve_child.rs"]
mod serve_child;
#[path = "../tests/serve/trust.rs"]
mod trust;
#[path = "../tests/serve/webhook_server.rs"]
mod webhook_server;

use serve_child::ServeChild;
use std::process::Stdio;
use std::time::{Duration, Instant};

const N: usize = 500;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let home = std::env::temp_dir().join(format!("kubelite-webhook-bench-{}", std::process::id()));
    let process = ServeChild::spawn(home.clone(), Stdio::inherit());
    let url = process.url(Duration::from_secs(60));
    let token = std::fs::read_to_string(home.join("serve-token")).expect("token");
    let auth = format!("Bearer {}", token.trim());
    let ca = std::fs::read(home.join("ca.crt")).expect("ca");
    let client = trust::https_builder(&String::from_utf8_lossy(&ca))
        .build()
        .expect("client");
    let hook = webhook_server::WebhookServer::start();

    let post = |path: &str, body: &serde_json::Value| {
        let resp = client
            .post(format!("{url}{path}"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .expect("post");
        assert_eq!(resp.status().as_u16(), 201, "{path}");
    };
    // `N` creates at `collection` of what `object` makes of a name; the median.
    let timed = |collection: &str, dry_run: bool, object: &dyn Fn(String) -> serde_json::Value| {
        let mut times = Vec::with_capacity(N);
        for i in 0..N {
            let body = object(format!("o-{i:05}"));
            let started = Instant::now();
            let resp = client
                .post(format!(
                    "{url}{collection}{}",
                    if dry_run { "?dryRun=All" } else { "" }
                ))
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .send()
                .expect("create");
            assert_eq!(resp.status().as_u16(), 201);
            times.push(started.elapsed());
        }
        median(times)
    };

    // ConfigMaps named `<prefix>-<i>`.
    let configmaps = "/api/v1/namespaces/default/configmaps";
    let creates = |prefix: &str, dry_run: bool| -> Duration {
        timed(configmaps, dry_run, &|n| {
            serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("{prefix}-{n}")}, "data": {"k": "v"}})
        })
    };

    let configure = |name: &str, resource: &str| {
        let vwc = serde_json::json!({
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": name},
            "webhooks": [{
                "name": format!("{name}.example.com"),
                "clientConfig": {"url": hook.url("/allow"), "caBundle": hook.ca_bundle},
                "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"],
                    "resources": [resource]}],
                "sideEffects": "None",
                "admissionReviewVersions": ["v1"]
            }]
        });
        let resp = client
            .post(format!(
                "{url}/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"
            ))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .body(vwc.to_string())
            .send()
            .expect("create vwc");
        assert_eq!(resp.status().as_u16(), 201);
    };
    let durable_plain = creates("plain", false);
    let dry_plain = creates("plain-dry", true);

    // Custom objects: a Widget with a schema, before any webhook is configured.
    post(
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        &serde_json::json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "kind": "Widget"},
                "versions": [{"name": "v1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                        "spec": {"type": "object", "properties": {
                            "size": {"type": "integer", "minimum": 0},
                            "color": {"type": "string", "enum": ["red", "blue"]}}}}}}}]}
        }),
    );
    let widget = |name: String| {
        serde_json::json!({"apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": {"name": name}, "spec": {"size": 3, "color": "red"}})
    };
    let widgets = "/apis/example.com/v1/namespaces/default/widgets";
    let durable_custom = timed(widgets, false, &widget);
    let dry_custom = timed(widgets, true, &|n| widget(format!("dry-{n}")));
    configure("elsewhere", "secrets");
    let unmatched = creates("unmatched", true);
    configure("allow", "configmaps");
    let through = creates("hooked", true);
    let durable_through = creates("durable", false);
    let calls = hook.reviews_on("/allow?timeout=10s");
    assert!(
        calls.len() >= 2 * N,
        "the webhook saw {} creates",
        calls.len()
    );

    // The webhook's own latency: the last review it got, POSTed to it again.
    let review = calls.last().cloned().expect("a review");
    let pem = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &hook.ca_bundle)
        .expect("ca");
    let direct = trust::https_builder(&String::from_utf8_lossy(&pem))
        .build()
        .expect("client");
    let mut own = Vec::with_capacity(N);
    for _ in 0..N {
        let started = Instant::now();
        let resp = direct
            .post(hook.url("/allow"))
            .header("Content-Type", "application/json")
            .body(review.to_string())
            .send()
            .expect("webhook");
        assert_eq!(resp.status().as_u16(), 200);
        let _ = resp.bytes();
        own.push(started.elapsed());
    }
    let own = median(own);
    let added = through.saturating_sub(unmatched);
    println!("custom object (Widget) durable create p50: {durable_custom:?} (budget 1 ms)");
    println!("custom object (Widget) dry-run create p50: {dry_custom:?}");
    println!("ConfigMap dry-run create p50 without webhooks: {dry_plain:?}");
    println!("durable create p50 without webhooks: {durable_plain:?}");
    println!("durable create p50 through a no-op validating webhook: {durable_through:?}");
    println!("dry-run create p50, webhook configured but not matching: {unmatched:?}");
    println!("dry-run create p50 through a no-op validating webhook: {through:?}");
    println!("webhook's own latency p50 (direct POST): {own:?}");
    println!(
        "added by the webhook: {added:?}, beyond the webhook's own latency: {:?} (budget 1 ms)",
        added.saturating_sub(own)
    );
}
