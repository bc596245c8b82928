//! What kube-apiserver 1.32 does with admission webhooks it cannot properly ask, through
//! `kubelite serve` and the real kubectl: a `caBundle` with no usable certificate is stored
//! but every call fails (`could not get REST client: unable to load root certificates:
//! ...`); a configuration whose review versions kube does not speak (written straight into
//! the store, as an older server would have kept it) may still be updated and fails its
//! calls; a webhook that never answers is cut at its `timeoutSeconds`. failurePolicy
//! decides each time whether the request goes through.

use super::support::{Server, kubectl_available, manifest};
use super::webhook_server::WebhookServer;
use std::time::{Duration, Instant};

fn configuration(kind: &str, name: &str, url: &str, ca_bundle: &str, extra: &str) -> String {
    format!(
        r#"apiVersion: admissionregistration.k8s.io/v1
kind: {kind}
metadata:
  name: {name}
webhooks:
- name: {name}.example.com
  clientConfig:
    url: {url}
    caBundle: {ca_bundle}
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

/// Applies a configuration and returns its file.
fn apply(server: &Server, file: &str, text: &str) -> std::path::PathBuf {
    let path = manifest(&server.home.0, file, text);
    server
        .kubectl(&["apply", "-f", path.to_str().unwrap()])
        .ok(file);
    path
}

fn delete(server: &Server, path: &std::path::Path) {
    server
        .kubectl(&["delete", "-f", path.to_str().unwrap()])
        .ok("delete");
}

/// kubectl's words for a ConfigMap create refused with kube's 500.
fn refused(why: &str) -> String {
    format!("error: failed to create configmap: Internal error occurred: {why}\n")
}

#[test]
fn a_ca_bundle_without_a_usable_certificate_fails_every_call() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    // "Cg==" is a lone newline; the others hold CERTIFICATE blocks that are no
    // certificate: five bytes of text, and a private key's DER (Go reads its outline).
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let garbage_cert = b64(b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n");
    let key_der = rcgen::KeyPair::generate().unwrap().serialize_der();
    let key_as_cert = b64(format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        b64(&key_der)
    )
    .as_bytes());
    for (bundle, reason) in [
        ("Cg==", "unable to parse bytes as PEM block"),
        (
            garbage_cert.as_str(),
            "failed to parse certificate: x509: malformed certificate",
        ),
        (
            key_as_cert.as_str(),
            "failed to parse certificate: x509: malformed tbs certificate",
        ),
    ] {
        // kube stores the configuration as written.
        let path = apply(
            &server,
            "bad-ca.yaml",
            &configuration(
                "ValidatingWebhookConfiguration",
                "badca",
                &hook.url("/allow"),
                bundle,
                "",
            ),
        );
        let out = server.kubectl(&["create", "configmap", "c1"]);
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert_eq!(
            out.stderr,
            refused(&format!(
                "failed calling webhook \"badca.example.com\": could not get REST client: unable to load root certificates: {reason}"
            ))
        );
        delete(&server, &path);
    }
    assert!(
        hook.reviews_on("/allow").is_empty(),
        "the webhook was called"
    );
    // failurePolicy Ignore lets the request through; a mended bundle calls the webhook.
    let path = apply(
        &server,
        "bad-ca-ignored.yaml",
        &configuration(
            "MutatingWebhookConfiguration",
            "badca",
            &hook.url("/allow"),
            "Cg==",
            "  failurePolicy: Ignore\n",
        ),
    );
    server.kubectl(&["create", "configmap", "c2"]).ok("ignored");
    apply(
        &server,
        "bad-ca-ignored.yaml",
        &configuration(
            "MutatingWebhookConfiguration",
            "badca",
            &hook.url("/allow"),
            &hook.ca_bundle,
            "",
        ),
    );
    server.kubectl(&["create", "configmap", "c3"]).ok("mended");
    assert_eq!(hook.reviews_on("/allow?timeout=10s").len(), 1);
    delete(&server, &path);
}

#[test]
fn stored_review_versions_kube_does_not_speak_are_kept_on_update_and_fail_calls() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    let text = configuration(
        "ValidatingWebhookConfiguration",
        "oldhook",
        &hook.url("/allow"),
        &hook.ca_bundle,
        "",
    );
    let unknown = text.replace(
        r#"admissionReviewVersions: ["v1"]"#,
        r#"admissionReviewVersions: ["v9"]"#,
    );
    let path = manifest(&server.home.0, "old.yaml", &unknown);
    // A new configuration must name a version kube speaks.
    let out = server.kubectl(&["create", "-f", path.to_str().unwrap()]);
    assert_eq!(
        out.stderr,
        "The ValidatingWebhookConfiguration \"oldhook\" is invalid: webhooks[0].admissionReviewVersions: Invalid value: []string{\"v9\"}: must include at least one of v1, v1beta1\n"
    );
    // One kept from before is stored as it is (etcd in its pod may not run yet).
    let good = apply(&server, "good.yaml", &text);
    let out = server.kubectl(&[
        "get",
        "validatingwebhookconfiguration",
        "oldhook",
        "-o",
        "json",
    ]);
    let mut stored: serde_json::Value = serde_json::from_str(&out.ok("get")).expect("json");
    stored["webhooks"][0]["admissionReviewVersions"] = serde_json::json!(["v9"]);
    if let Some(meta) = stored["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
    }
    let key = "/registry/validatingwebhookconfigurations/oldhook";
    let value = stored.to_string();
    let put = [
        "exec",
        "etcd-master",
        "-n",
        "kube-system",
        "--",
        "etcdctl",
        "put",
        key,
        &value,
    ];
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = server.kubectl(&put);
        if out.code == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "etcdctl put: {}", out.stderr);
        std::thread::sleep(Duration::from_millis(200));
    }
    // An update keeping the list is accepted (kube's ratcheting) ...
    server
        .kubectl(&[
            "label",
            "validatingwebhookconfiguration",
            "oldhook",
            "kept=yes",
        ])
        .ok("update keeping v9");
    // ... and every call fails before anything is sent.
    let out = server.kubectl(&["create", "configmap", "c1"]);
    assert_eq!(
        out.stderr,
        refused(
            "failed calling webhook \"oldhook.example.com\": could not create admission objects: webhook does not accept known AdmissionReview versions"
        )
    );
    assert!(hook.reviews_on("/allow?timeout=10s").is_empty());
    delete(&server, &good);
}

#[test]
fn a_webhook_that_never_answers_is_cut_at_its_timeout() {
    require_kubectl!();
    let hook = WebhookServer::start();
    let server = Server::start(false);
    for kind in [
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ] {
        let path = apply(
            &server,
            "silent.yaml",
            &configuration(
                kind,
                "silent",
                &hook.url("/silent"),
                &hook.ca_bundle,
                "  timeoutSeconds: 1\n",
            ),
        );
        let started = Instant::now();
        let out = server.kubectl(&["create", "configmap", "c1"]);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{kind}: not cut at 1 s"
        );
        assert_eq!(
            out.stderr,
            refused(&format!(
                "failed calling webhook \"silent.example.com\": failed to call webhook: Post \"{}?timeout=1s\": context deadline exceeded",
                hook.url("/silent")
            )),
            "{kind}"
        );
        apply(
            &server,
            "silent.yaml",
            &configuration(
                kind,
                "silent",
                &hook.url("/silent"),
                &hook.ca_bundle,
                "  timeoutSeconds: 2\n  failurePolicy: Ignore\n",
            ),
        );
        let started = Instant::now();
        server.kubectl(&["create", "configmap", "c1"]).ok(kind);
        assert!(started.elapsed() < Duration::from_secs(15), "{kind}");
        server.kubectl(&["delete", "configmap", "c1"]).ok("delete");
        delete(&server, &path);
    }
    assert_eq!(hook.reviews_on("/silent?timeout=1s").len(), 2);
    assert_eq!(hook.reviews_on("/silent?timeout=2s").len(), 2);
}
