//! `certificate approve|deny` against an API server that is not kubelite: kubelite must
//! send kubectl 1.32's requests (the builder's read, the typed read, a PUT of the whole
//! request to its `approval` subresource; none for a request already decided that way) and
//! print the same lines and errors.

use super::world::World;
use super::{check_with, run};
use serde_json::json;

/// A pending request, one approved, one denied.
fn requests(w: &World) {
    for (name, conditions) in [
        ("pending", json!([])),
        (
            "approved",
            json!([{"type": "Approved", "status": "True", "reason": "KubectlApprove",
                    "message": "This CSR was approved by kubectl certificate approve.",
                    "lastUpdateTime": "2026-11-29T00:00:00Z",
                    "lastTransitionTime": "2026-11-29T00:00:00Z"}]),
        ),
        (
            "denied",
            json!([{"type": "Denied", "status": "True", "reason": "KubectlDeny",
                    "lastUpdateTime": "2026-11-29T00:00:00Z",
                    "lastTransitionTime": "2026-11-29T00:00:00Z"}]),
        ),
    ] {
        w.add(
            "certificatesigningrequests",
            json!({"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
                   "metadata": {"name": name},
                   "spec": {"request": "bm9wZQ==", "signerName": "kubernetes.io/kube-apiserver-client",
                            "usages": ["client auth"], "username": "kubernetes-admin"},
                   "status": {"conditions": conditions}}),
        );
    }
}

#[test]
fn certificate_approve_and_deny_send_kubectls_requests() {
    require_kubectl!();
    let file = "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: pending\nspec:\n  request: bm9wZQ==\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n";
    check_with(
        &requests,
        &[("csr.yaml", file)],
        &[
            &["certificate", "approve", "pending"],
            &["certificate", "deny", "pending"],
            &["certificate", "approve", "approved"],
            &["certificate", "approve", "approved", "--force"],
            &["certificate", "approve", "denied"],
            &["certificate", "deny", "approved", "pending"],
            &["certificate", "approve", "nope", "pending"],
            &["certificate", "approve", "-f", "csr.yaml", "-o", "name"],
            &["certificate", "approve"],
            &["certificate", "approve", "pending", "-f", "csr.yaml"],
        ],
    );
}
