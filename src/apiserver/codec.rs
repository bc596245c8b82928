//! Objects in and out of the store: stored values carry no resourceVersion (it is the key's
//! mod_revision, set on the way out), and list items carry no apiVersion/kind, as
//! kube-apiserver sends them.

use crate::api::order;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::store::{KeyValue, StoreError};
use serde_json::{Value, json};

/// A written object as kube's decoder takes it: a value its Go field cannot hold (a string
/// for a map, 1.5 or 2^63 for an int32) is refused with 400 before anything else looks at
/// the object, so no such value is ever stored.
pub fn check_types(r: &Resource, obj: &Value) -> Result<(), ApiError> {
    match super::managed::types::type_error(r.kind, obj) {
        None => Ok(()),
        Some(e) => Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {e}",
            kind = r.kind,
            version = r.version
        ))),
    }
}

/// Decodes a stored object and stamps its resourceVersion.
pub fn decode(kv: &KeyValue) -> Result<Value, ApiError> {
    let mut obj = decode_stored(kv)?;
    set_resource_version(&mut obj, kv.mod_revision);
    Ok(obj)
}

/// Decodes a stored object as it is stored (no resourceVersion), for comparing with an
/// object about to be written.
pub fn decode_stored(kv: &KeyValue) -> Result<Value, ApiError> {
    serde_json::from_slice(&kv.value).map_err(|e| {
        ApiError::internal(format!(
            "stored object at {} is not valid JSON: {e}",
            String::from_utf8_lossy(&kv.key)
        ))
    })
}

/// Decodes the parts of a stored object `keep` asks for, and stamps its resourceVersion.
pub fn decode_projected(
    kv: &KeyValue,
    keep: &'static super::project::Keep,
) -> Result<Value, ApiError> {
    let mut obj = super::project::decode(&kv.value, keep).map_err(|e| {
        ApiError::internal(format!(
            "stored object at {} is not valid JSON: {e}",
            String::from_utf8_lossy(&kv.key)
        ))
    })?;
    set_resource_version(&mut obj, kv.mod_revision);
    Ok(obj)
}

/// Encodes an object for storage (without its resourceVersion).
pub fn encode(obj: &Value) -> Result<Vec<u8>, ApiError> {
    let to_bytes = |v: &Value| serde_json::to_vec(v).map_err(|e| ApiError::internal(e.to_string()));
    if obj.pointer("/metadata/resourceVersion").is_none() {
        return to_bytes(obj);
    }
    let mut stored = obj.clone();
    strip_resource_version(&mut stored);
    to_bytes(&stored)
}

/// Removes `metadata.resourceVersion` (it lives in the key's mod_revision, not the value).
pub fn strip_resource_version(obj: &mut Value) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.shift_remove("resourceVersion");
    }
}

pub fn set_resource_version(obj: &mut Value, revision: i64) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        order::set_ordered(
            meta,
            order::OBJECT_META,
            "resourceVersion",
            json!(revision.to_string()),
        );
    }
}

/// A list item as kube-apiserver sends it: without apiVersion and kind.
pub fn strip_type(mut obj: Value) -> Value {
    if let Some(m) = obj.as_object_mut() {
        m.shift_remove("apiVersion");
        m.shift_remove("kind");
    }
    obj
}

/// The API error for a store failure.
/// Whether an API error is the store's NOSPACE refusal (see `store::alarm`).
pub fn is_store_full(e: &ApiError) -> bool {
    e.code == 500 && e.reason.is_empty() && e.message == StoreError::NoSpace.to_string()
}

pub fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Compacted { .. } => ApiError::new(
            410,
            "Expired",
            "The resourceVersion for the provided list is too old.",
        ),
        // kube-apiserver passes etcd's refusal through as an error that is not a Status:
        // 500 with no reason and etcd's own words.
        StoreError::NoSpace => ApiError::new(500, "", StoreError::NoSpace.to_string()),
        // etcd did not answer in time: kube-apiserver's answer to a request it could not
        // finish (the write may still have happened).
        e if crate::store::etcd::is_unreachable(&e) => ApiError::new(
            504,
            "Timeout",
            "Timeout: request did not complete within requested timeout - context deadline \
             exceeded",
        ),
        // etcd's own refusals (`etcdserver: request timed out`, `... no leader`) go out as
        // kube-apiserver passes them on: unknown reason, etcd's words.
        StoreError::Io(msg) if msg.starts_with("etcdserver: ") => ApiError::new(500, "", msg),
        other => ApiError::internal(other.to_string()),
    }
}
