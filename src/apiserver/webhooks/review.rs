//! AdmissionReview (admission.k8s.io/v1): the request kube-apiserver sends a webhook and
//! the checks it makes on the answer (kube's VerifyAdmissionResponse), with its messages.

use super::call::CallError;
use super::config::Webhook;
use super::{Attributes, Operation, Versioned};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a webhook answered, once checked.
pub struct Response {
    pub allowed: bool,
    pub status: Option<Value>,
    pub patch: Option<Value>,
    pub warnings: Vec<String>,
}

/// A fresh uid per review: the webhook must echo it.
pub(in crate::apiserver) fn review_uid() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = N.fetch_add(1, Ordering::Relaxed);
    crate::api::ids::uid(&format!("admission/{}/{nanos}/{n}", std::process::id()))
}

fn options(attrs: &Attributes) -> Value {
    let kind = match attrs.operation {
        Operation::Create => "CreateOptions",
        Operation::Update => "UpdateOptions",
        Operation::Delete => "DeleteOptions",
    };
    let mut o = Map::new();
    o.insert("kind".into(), json!(kind));
    o.insert("apiVersion".into(), json!("meta.k8s.io/v1"));
    if attrs.dry_run {
        o.insert("dryRun".into(), json!(["All"]));
    }
    if let Some(m) = attrs.field_manager.filter(|m| !m.is_empty())
        && attrs.operation != Operation::Delete
    {
        o.insert("fieldManager".into(), json!(m));
    }
    Value::Object(o)
}

/// Who sends the request: its user name and groups.
pub fn requester(attrs: &Attributes) -> (String, Vec<String>) {
    match attrs.user {
        Some(u) => (u.name.clone(), u.groups.clone()),
        // The embedded cluster's one local user.
        None => (
            "kubernetes-admin".to_string(),
            vec![
                "kubeadm:cluster-admins".to_string(),
                "system:authenticated".to_string(),
            ],
        ),
    }
}

fn user_info(attrs: &Attributes) -> Value {
    let (name, groups) = requester(attrs);
    json!({"username": name, "groups": groups})
}

/// The AdmissionReview for one call.
pub fn request(hook: &Webhook, attrs: &Attributes, view: &Versioned) -> Value {
    json!({
        "kind": "AdmissionReview",
        "apiVersion": format!("admission.k8s.io/{}", hook.review_version.unwrap_or("v1")),
        "request": request_fields(attrs, view),
    })
}

fn kind_of(r: &Resource) -> Value {
    json!({"group": r.group, "version": r.version, "kind": r.kind})
}

fn resource_of(r: &Resource) -> Value {
    json!({"group": r.group, "version": r.version, "resource": r.plural})
}

/// The AdmissionRequest of a review: also what CEL expressions see as `request`. `kind`
/// and `resource` are the version the rule matched (the objects' version), `requestKind`
/// and `requestResource` the one the request came through.
pub fn request_fields(attrs: &Attributes, view: &Versioned) -> Value {
    let (r, asked) = (attrs.resource, attrs.requested());
    let mut req = Map::new();
    req.insert("uid".into(), json!(review_uid()));
    req.insert("kind".into(), kind_of(view.resource));
    req.insert("resource".into(), resource_of(view.resource));
    if let Some(sub) = attrs.subresource {
        req.insert("subResource".into(), json!(sub));
    }
    req.insert("requestKind".into(), kind_of(asked));
    req.insert("requestResource".into(), resource_of(asked));
    if let Some(sub) = attrs.subresource {
        req.insert("requestSubResource".into(), json!(sub));
    }
    if !attrs.name.is_empty() {
        req.insert("name".into(), json!(attrs.name));
    }
    if let Some(ns) = attrs.namespace.filter(|_| r.namespaced) {
        req.insert("namespace".into(), json!(ns));
    }
    req.insert("operation".into(), json!(attrs.operation.as_str()));
    req.insert("userInfo".into(), user_info(attrs));
    let seen =
        |o: &Option<std::borrow::Cow<'_, Value>>| o.as_deref().cloned().unwrap_or(Value::Null);
    req.insert("object".into(), seen(&view.object));
    req.insert("oldObject".into(), seen(&view.old));
    req.insert("dryRun".into(), json!(attrs.dry_run));
    req.insert("options".into(), options(attrs));
    Value::Object(req)
}

/// Decodes and checks a webhook's answer.
pub fn response(body: &[u8], uid: &str, hook: &Webhook) -> Result<Response, CallError> {
    let review: Value = serde_json::from_slice(body).map_err(|e| {
        CallError(format!(
            "failed to call webhook: couldn't get version/kind; json parse error: {}",
            go_json_error(&e)
        ))
    })?;
    let want = format!("admission.k8s.io/{}", hook.review_version.unwrap_or("v1"));
    let (api_version, kind) = (
        review
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or(""),
        review.get("kind").and_then(Value::as_str).unwrap_or(""),
    );
    if api_version != want || kind != "AdmissionReview" {
        return Err(CallError::invalid(format!(
            "expected webhook response of {want}, Kind=AdmissionReview, got {api_version}, Kind={kind}"
        )));
    }
    let Some(resp) = review.get("response").filter(|r| r.is_object()) else {
        return Err(CallError::invalid("webhook response was absent".into()));
    };
    let got_uid = resp.get("uid").and_then(Value::as_str).unwrap_or("");
    if got_uid != uid {
        return Err(CallError::invalid(format!(
            "expected response.uid={uid:?}, got {got_uid:?}"
        )));
    }
    let patch = match resp.get("patch").and_then(Value::as_str) {
        None | Some("") => None,
        Some(b64) => {
            match resp.get("patchType").and_then(Value::as_str) {
                None | Some("") => {
                    return Err(CallError::invalid(
                        "webhook returned response.patch but not response.patchType".into(),
                    ));
                }
                Some("JSONPatch") => {}
                Some(other) => {
                    return Err(CallError::invalid(format!(
                        "webhook returned invalid response.patchType of {other:?}"
                    )));
                }
            }
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| CallError::invalid(format!("illegal base64 data: {e}")))?;
            let patch: Value = serde_json::from_slice(&bytes).map_err(|e| {
                CallError(format!(
                    "received undecodable patch in webhook response: {}",
                    go_json_error(&e)
                ))
            })?;
            if !patch.is_array() {
                return Err(CallError(
                    "received undecodable patch in webhook response: json: cannot unmarshal object into Go value of type jsonpatch.Patch".into(),
                ));
            }
            Some(patch)
        }
    };
    Ok(Response {
        allowed: resp
            .get("allowed")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        status: resp.get("status").filter(|s| s.is_object()).cloned(),
        patch,
        warnings: resp
            .get("warnings")
            .and_then(Value::as_array)
            .map(|w| {
                w.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// encoding/json's words for the usual decode failures.
fn go_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "unexpected end of JSON input".to_string(),
        _ => e.to_string(),
    }
}

/// kube 1.32's ToStatusErr: the webhook's Status, its message prefixed, its code at least
/// 400.
pub fn denial(webhook: &str, status: Option<Value>) -> ApiError {
    let status = status.unwrap_or(Value::Null);
    let denied = format!("admission webhook \"{webhook}\" denied the request");
    let text = |k: &str| {
        status
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let message = match (text("message"), text("reason")) {
        (Some(m), _) => format!("{denied}: {m}"),
        (None, Some(r)) => format!("{denied}: {r}"),
        (None, None) => format!("{denied} without explanation"),
    };
    let code = status
        .get("code")
        .and_then(Value::as_u64)
        .filter(|c| (400..600).contains(c))
        .unwrap_or(400) as u16;
    let mut out = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
    });
    if let Some(reason) = text("reason") {
        out["reason"] = json!(reason);
    }
    if let Some(details) = status.get("details").filter(|d| d.is_object()) {
        out["details"] = details.clone();
    }
    out["code"] = json!(code);
    ApiError::from_status(code, &out)
}
