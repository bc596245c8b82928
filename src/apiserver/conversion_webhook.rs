//! CustomResourceDefinition conversion webhooks (`spec.conversion.strategy: Webhook`): an
//! object read or written at a version other than its CRD's storage version goes to the
//! webhook in a ConversionReview, as kube-apiserver's webhook converter sends it, and the
//! answer is checked as kube checks it (uid, result, count, apiVersion and kind, metadata:
//! only labels and annotations may change). A list goes in one review. Failures are
//! kube's 500 without a reason (`conversion webhook for <group>/<version>, Kind=<kind>
//! failed: ...`). The HTTPS call, its TLS trust and Service routing are the admission
//! webhooks' (`webhooks::{client_of, post}`, `ApiServer::target`).

use super::ApiServer;
use super::codec::strip_type;
use super::webhooks::{self, Client};
use crate::api::conversion;
use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::api::validation;
use crate::print::list::with_type_meta;
use serde_json::{Value, json};
use std::sync::Arc;

/// kube-apiserver's timeout for conversion webhooks (not configurable in the CRD).
const TIMEOUT_SECONDS: u64 = 30;

/// The conversion webhook of one CRD, as its `spec.conversion` says.
#[derive(Debug)]
pub struct ConversionWebhook {
    client: Client,
    /// The ConversionReview version sent: the first of `conversionReviewVersions` kubelite
    /// speaks (None: none is, and every conversion fails as kube's do).
    review_version: Option<&'static str>,
}

/// The conversion webhook of a CRD, when its strategy is `Webhook`.
pub fn of_crd(crd: &Value) -> Option<Arc<ConversionWebhook>> {
    let conversion = crd.pointer("/spec/conversion")?;
    if conversion.get("strategy").and_then(Value::as_str) != Some("Webhook") {
        return None;
    }
    let review_version = conversion
        .pointer("/webhook/conversionReviewVersions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|v| match v.as_str() {
            Some("v1") => Some("v1"),
            Some("v1beta1") => Some("v1beta1"),
            _ => None,
        });
    let cc = conversion
        .pointer("/webhook/clientConfig")
        .unwrap_or(&Value::Null);
    Some(Arc::new(ConversionWebhook {
        client: webhooks::client_of(cc),
        review_version,
    }))
}

/// kube's `schema.GroupVersionKind` as `%v` prints it.
fn gvk(api_version: &str, kind: &str) -> String {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    format!("{group}/{version}, Kind={kind}")
}

fn text<'a>(obj: &'a Value, key: &str) -> &'a str {
    obj.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A failure as kube-apiserver answers a plain error: 500, no reason.
fn failure(message: String) -> ApiError {
    ApiError::new(500, "", message)
}

impl ApiServer {
    /// The conversion webhook of `r`'s CRD, when it has one.
    pub(super) fn conversion_webhook(
        &self,
        r: &Resource,
    ) -> Result<Option<Arc<ConversionWebhook>>, ApiError> {
        if !crate::api::custom::is_custom(r) {
            return Ok(None);
        }
        Ok(self
            .custom_resources()?
            .entry(r)
            .and_then(|s| s.conversion.clone()))
    }

    /// An object written at `r`'s version, as it is stored.
    pub(in crate::apiserver) fn convert_to_stored(
        &self,
        r: &Resource,
        obj: Value,
    ) -> Result<Value, ApiError> {
        let (Some(stored), Some(hook)) =
            (registry::stored_version_of(r), self.conversion_webhook(r)?)
        else {
            return conversion::to_stored(r, obj);
        };
        self.convert_one(&hook, obj, &stored.api_version())
    }

    /// A stored object as `r`'s version shows it (a Status passes as it is).
    pub(in crate::apiserver) fn convert_from_stored(
        &self,
        r: &Resource,
        obj: Value,
    ) -> Result<Value, ApiError> {
        let Some(hook) = self.conversion_webhook(r)? else {
            return Ok(conversion::from_stored(r, obj));
        };
        if text(&obj, "kind") != r.kind {
            return Ok(obj);
        }
        self.convert_one(&hook, obj, &r.api_version())
    }

    /// Stored objects of a list as `r`'s version shows them, through `r`'s CRD's webhook
    /// in one review.
    pub(super) fn convert_list(
        &self,
        hook: &ConversionWebhook,
        r: &Resource,
        items: Vec<Value>,
    ) -> Result<Vec<Value>, ApiError> {
        let list_kind = crate::api::custom::definition_of(r).map_or("", |d| d.list_kind);
        let shown = gvk(&r.api_version(), list_kind);
        let desired = r.api_version();
        let stored = registry::stored_version_of(r).map_or(String::new(), |s| s.api_version());
        // List items come without their type; the webhook sees whole objects.
        let items: Vec<Value> = items
            .into_iter()
            .map(|o| with_type_meta(o, &stored, r.kind))
            .collect();
        let sent: Vec<usize> = (0..items.len())
            .filter(|&i| text(&items[i], "apiVersion") != desired)
            .collect();
        if sent.is_empty() {
            return Ok(items.into_iter().map(strip_type).collect());
        }
        let objects = sent.iter().map(|&i| items[i].clone()).collect();
        let converted = self.review(hook, objects, &desired, &shown)?;
        let mut items = items;
        for (n, (&i, out)) in sent.iter().zip(converted).enumerate() {
            // kube counts from one past the item here.
            let fail = |e: String| {
                failure(format!(
                    "conversion webhook for {shown} returned invalid converted object at index {}: {e}",
                    n + 1
                ))
            };
            let original = &items[i];
            check_converted_kind(original, &out, &desired).map_err(fail)?;
            check_same_object(original, &out).map_err(fail)?;
            let out = restore_metadata(original, out).map_err(|e| {
                failure(format!(
                    "conversion webhook for {shown} returned invalid metadata in object at index {}: {e}",
                    n + 1
                ))
            })?;
            items[i] = out;
        }
        Ok(items.into_iter().map(strip_type).collect())
    }

    fn convert_one(
        &self,
        hook: &ConversionWebhook,
        obj: Value,
        desired: &str,
    ) -> Result<Value, ApiError> {
        if text(&obj, "apiVersion") == desired {
            return Ok(obj);
        }
        let shown = gvk(text(&obj, "apiVersion"), text(&obj, "kind"));
        let mut converted = self.review(hook, vec![obj.clone()], desired, &shown)?;
        let out = converted.pop().unwrap_or(Value::Null);
        check_converted_kind(&obj, &out, desired).map_err(|e| {
            failure(format!(
                "conversion webhook for {shown} returned invalid object at index 0: {e}"
            ))
        })?;
        check_same_object(&obj, &out).map_err(|e| {
            failure(format!(
                "conversion webhook for {shown} returned invalid object: {e}"
            ))
        })?;
        restore_metadata(&obj, out).map_err(|e| {
            failure(format!(
                "conversion webhook for {shown} returned invalid metadata: {e}"
            ))
        })
    }

    /// Sends `objects` in a ConversionReview and returns as many converted objects.
    fn review(
        &self,
        hook: &ConversionWebhook,
        objects: Vec<Value>,
        desired: &str,
        shown: &str,
    ) -> Result<Vec<Value>, ApiError> {
        let failed = |e: String| failure(format!("conversion webhook for {shown} failed: {e}"));
        let Some(review_version) = hook.review_version else {
            return Err(failure("no supported conversion review versions".into()));
        };
        let count = objects.len();
        let uid = webhooks::review::review_uid();
        let request = json!({
            "kind": "ConversionReview",
            "apiVersion": format!("apiextensions.k8s.io/{review_version}"),
            "request": {"uid": uid, "desiredAPIVersion": desired, "objects": objects},
        });
        let target = self
            .target(&hook.client, TIMEOUT_SECONDS)
            .map_err(|e| failed(call_error(e)))?;
        let body = webhooks::post(&target, TIMEOUT_SECONDS, &request)
            .map_err(|e| failed(call_error(e)))?;
        let converted = converted_objects(&body, &uid, review_version).map_err(failed)?;
        if converted.len() != count {
            return Err(failure(format!(
                "conversion webhook for {shown} returned {} objects, expected {count}",
                converted.len()
            )));
        }
        Ok(converted)
    }
}

/// The call's failure as a REST client words it (admission adds `failed to call webhook: `).
fn call_error(e: webhooks::CallError) -> String {
    match e.0.strip_prefix("failed to call webhook: ") {
        Some(rest) => rest.to_string(),
        None => e.0,
    }
}

/// The answer's converted objects, once it is a ConversionReview for this request that
/// succeeded. v1beta1 answers are not checked for their kind and uid, as kube does not.
fn converted_objects(body: &[u8], uid: &str, review_version: &str) -> Result<Vec<Value>, String> {
    let review: Value = serde_json::from_slice(body)
        .map_err(|e| format!("couldn't get version/kind; json parse error: {e}"))?;
    if !review.is_object() {
        return Err("couldn't get version/kind; json parse error: not an object".into());
    }
    if text(&review, "kind").is_empty() {
        return Err(format!(
            "Object 'Kind' is missing in '{}'",
            String::from_utf8_lossy(body)
                .chars()
                .take(256)
                .collect::<String>()
        ));
    }
    let expected = gvk("apiextensions.k8s.io/v1", "ConversionReview");
    let got = gvk(text(&review, "apiVersion"), text(&review, "kind"));
    if review_version == "v1" && got != expected {
        return Err(format!(
            "expected webhook response of {expected}, got {got}"
        ));
    }
    let Some(response) = review.get("response").filter(|r| r.is_object()) else {
        return Err("no response provided".into());
    };
    let got_uid = text(response, "uid");
    if review_version == "v1" && got_uid != uid {
        return Err(format!("expected response.uid={uid:?}, got {got_uid:?}"));
    }
    let status = response
        .pointer("/result/status")
        .and_then(Value::as_str)
        .unwrap_or("");
    if status != "Success" {
        let message = response
            .pointer("/result/message")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !message.is_empty() {
            return Err(message.to_string());
        }
        return Err(format!(
            "response.result.status was '{status}', not 'Success'"
        ));
    }
    match response.get("convertedObjects") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(objects)) => Ok(objects.clone()),
        Some(_) => Err("couldn't decode response.convertedObjects: not a list".into()),
    }
}

/// The converted object is of the desired version and the original's kind.
fn check_converted_kind(original: &Value, out: &Value, desired: &str) -> Result<(), String> {
    if !out.is_object() {
        return Err("converted object is not a JSON object".into());
    }
    let got = text(out, "apiVersion");
    if got != desired {
        return Err(format!(
            "invalid groupVersion (expected {desired}, received {got})"
        ));
    }
    let (want, got) = (text(original, "kind"), text(out, "kind"));
    if want != got {
        return Err(format!("invalid kind (expected {want}, received {got})"));
    }
    Ok(())
}

/// The converted object is the same object: kind, name, namespace and uid unchanged.
fn check_same_object(original: &Value, out: &Value) -> Result<(), String> {
    let meta = |o: &Value, k: &str| {
        o.pointer(&format!("/metadata/{k}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if text(original, "kind") != text(out, "kind") {
        return Err(format!(
            "must have the same kind: {} != {}",
            text(original, "kind"),
            text(out, "kind")
        ));
    }
    for (key, word) in [("name", "name"), ("namespace", "namespace"), ("uid", "UID")] {
        let (a, b) = (meta(original, key), meta(out, key));
        if a != b {
            return Err(format!("must have the same {word}: {a} != {b}"));
        }
    }
    Ok(())
}

/// The original's metadata with the webhook's labels and annotations (checked when they
/// changed): a webhook may change nothing else of it.
fn restore_metadata(original: &Value, mut out: Value) -> Result<Value, String> {
    let answered = match out.get("metadata") {
        None => return Err("missing metadata in converted object".into()),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(format!(
                "invalid metadata of type {} in converted object",
                go_type(other)
            ));
        }
    };
    let mut meta = original
        .get("metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for field in ["labels", "annotations"] {
        let theirs = match answered.get(field) {
            None | Some(Value::Null) => {
                meta.remove(field);
                continue;
            }
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(format!(
                    "invalid metadata.{field} of type {} in converted object",
                    go_type(other)
                ));
            }
        };
        for (k, v) in theirs {
            if !v.is_string() {
                return Err(format!(
                    "metadata.{field}[{k}] must be a string, but is {} in converted object",
                    go_type(v)
                ));
            }
        }
        let ours = meta.get(field).and_then(Value::as_object);
        if ours != Some(theirs) && !(ours.is_none() && theirs.is_empty()) {
            let errs = if field == "labels" {
                validation::validate_labels(Some(theirs), "metadata.labels")
            } else {
                // kube names the path `metadata.annotation` here.
                validation::validate_annotations(Some(theirs), "metadata.annotation")
            };
            if !errs.is_empty() {
                return Err(validation::aggregate_message(&errs));
            }
        }
        meta.insert(field.into(), Value::Object(theirs.clone()));
    }
    if let Some(o) = out.as_object_mut() {
        o.insert("metadata".into(), Value::Object(meta));
    }
    Ok(out)
}

/// Go's name for a decoded JSON value's type, as kube's `%T` shows it.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_the_original_but_labels_and_annotations() {
        let original = json!({"apiVersion": "example.com/v1", "kind": "W",
            "metadata": {"name": "a", "uid": "u", "labels": {"x": "1"}, "generation": 2}});
        let out = json!({"apiVersion": "example.com/v2", "kind": "W",
            "metadata": {"name": "a", "uid": "u", "labels": {"y": "2"}, "generation": 9,
                         "annotations": {"n": "v"}}});
        let got = restore_metadata(&original, out).unwrap();
        assert_eq!(
            got["metadata"],
            json!({"name": "a", "uid": "u", "labels": {"y": "2"}, "generation": 2,
                   "annotations": {"n": "v"}})
        );
        let bad = json!({"metadata": {"labels": {"x": 1}}});
        assert_eq!(
            restore_metadata(&original, bad).unwrap_err(),
            "metadata.labels[x] must be a string, but is int64 in converted object"
        );
        let invalid = json!({"metadata": {"labels": {"x y": "1"}}});
        assert!(
            restore_metadata(&original, invalid)
                .unwrap_err()
                .starts_with("metadata.labels: Invalid value: \"x y\"")
        );
    }

    #[test]
    fn answers_are_checked_as_kube_checks_them() {
        let ok = br#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview",
            "response":{"uid":"u1","result":{"status":"Success"},"convertedObjects":[{}]}}"#;
        assert_eq!(converted_objects(ok, "u1", "v1").unwrap().len(), 1);
        assert_eq!(
            converted_objects(ok, "u2", "v1").unwrap_err(),
            "expected response.uid=\"u2\", got \"u1\""
        );
        let failed = br#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview",
            "response":{"uid":"u1","result":{"status":"Failure","message":"no way"}}}"#;
        assert_eq!(converted_objects(failed, "u1", "v1").unwrap_err(), "no way");
        let wrong = br#"{"apiVersion":"v1","kind":"Status"}"#;
        assert_eq!(
            converted_objects(wrong, "u1", "v1").unwrap_err(),
            "expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got /v1, Kind=Status"
        );
        // v1beta1 answers are not checked for their kind or uid, as kube does not.
        let beta = br#"{"response":{"result":{"status":"Success"},"convertedObjects":[]}}"#;
        assert_eq!(
            converted_objects(beta, "u1", "v1beta1").unwrap_err(),
            format!(
                "Object 'Kind' is missing in '{}'",
                String::from_utf8_lossy(beta)
            )
        );
        let beta = br#"{"kind":"ConversionReview","apiVersion":"apiextensions.k8s.io/v1beta1",
            "response":{"uid":"other","result":{"status":"Success"},"convertedObjects":[]}}"#;
        assert_eq!(converted_objects(beta, "u1", "v1beta1").unwrap().len(), 0);
        assert!(converted_objects(b"garbage", "u1", "v1").is_err());
        assert!(converted_objects(b"[1]", "u1", "v1").is_err());
    }

    #[test]
    fn same_object_and_kind_checks() {
        let a = json!({"apiVersion": "g/v1", "kind": "W", "metadata": {"name": "a"}});
        let b = json!({"apiVersion": "g/v2", "kind": "W", "metadata": {"name": "b"}});
        assert_eq!(
            check_same_object(&a, &b).unwrap_err(),
            "must have the same name: a != b"
        );
        assert_eq!(
            check_converted_kind(&a, &a, "g/v2").unwrap_err(),
            "invalid groupVersion (expected g/v2, received g/v1)"
        );
        assert_eq!(
            gvk("example.com/v1", "Widget"),
            "example.com/v1, Kind=Widget"
        );
    }
}
