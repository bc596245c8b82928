//! PATCH: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch
//! (`smp`), applied to the current object and written back as an update guarded by its resourceVersion.

use super::ApiServer;
use super::guarded::{is_conflict, retry_while};
use super::update::Part;
use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;

impl ApiServer {
    pub fn patch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        // As kube-apiserver's patch handler does: a patch that names no resourceVersion is
        // applied to the object as it is now, retried when something else wrote in between.
        let pinned = patch.pointer("/metadata/resourceVersion").is_some();
        if opts.subresource == Some("scale") {
            return self.patch_scale(r, namespace, name, patch_type, patch, opts);
        }
        // A patch through `status` changes only the status, as kube-apiserver's does.
        let part = match opts.subresource {
            Some("status") => Part::Status,
            Some("ephemeralcontainers") if r.kind == "Pod" => Part::EphemeralContainers,
            Some("ephemeralcontainers") => return Err(super::update::no_such_subresource()),
            _ => Part::Main,
        };
        retry_while(
            PATCH_TRIES,
            |e| is_conflict(e) && !pinned,
            || {
                let mut obj = self.get(r, namespace, name)?;
                apply_patch(&mut obj, patch_type, patch)?;
                self.replace(r, namespace, name, obj, part, opts)
            },
        )
    }
}

impl ApiServer {
    /// A patch of the Scale view: applied to the object's Scale, its replicas written back
    /// to `spec.replicas`; the reply is the new Scale.
    fn patch_scale(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        // A custom resource keeps its replicas where its CRD's scale subresource says.
        let paths = crate::api::custom::definition_of(r).and_then(|d| d.scale.as_ref());
        let scale_of = |obj: &Value| match paths {
            Some(p) => super::scale::custom_scale_of(obj, p),
            None => super::scale::scale_of(obj),
        };
        if paths.is_none()
            && (crate::api::custom::is_custom(r)
                || !matches!(
                    r.kind,
                    "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
                ))
        {
            return Err(ApiError::new(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ));
        }
        let written = retry_while(PATCH_TRIES, is_conflict, || {
            let mut obj = self.get(r, namespace, name)?;
            let mut scale = scale_of(&obj);
            apply_patch(&mut scale, patch_type, patch)?;
            let replicas = scale
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .filter(|n| *n >= 0)
                .ok_or_else(|| ApiError::bad_request("the Scale has no valid spec.replicas"))?;
            match paths {
                Some(p) => {
                    super::scale::set_at_path(&mut obj, &p.spec_replicas, Value::from(replicas));
                }
                None => obj["spec"]["replicas"] = Value::from(replicas),
            }
            self.replace(r, namespace, name, obj, Part::Main, opts)
        })?;
        Ok(scale_of(&written))
    }
}

/// How often a patch is applied to a newer object after losing a race, plus the first try.
const PATCH_TRIES: usize = 6;

/// Applies a patch of any type to `target`.
fn apply_patch(target: &mut Value, patch_type: PatchType, patch: &Value) -> Result<(), ApiError> {
    match patch_type {
        PatchType::Merge => merge_patch(target, patch),
        PatchType::Json => json_patch(target, patch)?,
        // The same strategic merge patch `serve` applies, so both paths agree.
        PatchType::Strategic => super::smp::apply(target, patch)?,
    }
    Ok(())
}

/// RFC 7386: objects merge key by key, `null` deletes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(map) = target {
        for (k, v) in patch_map {
            if v.is_null() {
                map.shift_remove(k);
            } else {
                merge_patch(map.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// kube-apiserver's default bound on what a JSON patch's copies may add (3 MiB).
const MAX_COPY_BYTES: usize = 3 * 1024 * 1024;

/// RFC 6902 operations: add, remove, replace, move, copy, test.
pub fn json_patch(target: &mut Value, patch: &Value) -> Result<(), ApiError> {
    let ops = patch
        .as_array()
        .ok_or_else(|| ApiError::bad_request("json patch must be a list of operations"))?;
    // What `copy` ops have added so far, in bytes of JSON: kube-apiserver's limit
    // (JSONPatchMaxCopyBytes) keeps a short patch that copies the object into itself again
    // and again from growing it exponentially until the server runs out of memory.
    let mut copied = 0usize;
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().ok_or_else(|| {
            ApiError::bad_request(format!("missing path in json patch operation {op}"))
        })?;
        match kind {
            "add" => add(
                target,
                path,
                op.get("value").cloned().unwrap_or(Value::Null),
            )?,
            "remove" => {
                remove(target, path)?;
            }
            "replace" => {
                remove(target, path)?;
                add(
                    target,
                    path,
                    op.get("value").cloned().unwrap_or(Value::Null),
                )?;
            }
            "move" | "copy" => {
                let from = op["from"]
                    .as_str()
                    .ok_or_else(|| ApiError::bad_request("missing from in json patch"))?;
                let value = if kind == "move" {
                    remove(target, from)?
                } else {
                    let found = target.pointer(from).ok_or_else(|| missing(from))?;
                    copied += serde_json::to_vec(found).map_or(0, |j| j.len());
                    if copied > MAX_COPY_BYTES {
                        return Err(ApiError::new(
                            422,
                            "Invalid",
                            format!(
                                "Unable to complete the copy, the accumulated size increase of copy is {copied}, exceeding the limit {MAX_COPY_BYTES}"
                            ),
                        ));
                    }
                    found.clone()
                };
                add(target, path, value)?;
            }
            "test" => {
                if target.pointer(path) != op.get("value") {
                    return Err(ApiError::new(
                        422,
                        "Invalid",
                        format!("testing value {path} failed"),
                    ));
                }
            }
            other => return Err(ApiError::bad_request(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

fn missing(path: &str) -> ApiError {
    ApiError::new(
        422,
        "Invalid",
        format!("doc is missing path: \"{path}\": missing value"),
    )
}

fn split(path: &str) -> Result<(&str, String), ApiError> {
    let (parent, last) = path.rsplit_once('/').ok_or_else(|| missing(path))?;
    Ok((parent, last.replace("~1", "/").replace("~0", "~")))
}

/// How deep a patched object may nest (objects and arrays). serde_json reads back at most
/// 127 levels, and a store entry or a watch event wraps the object once more: ops that
/// nest past this would leave an object no one can read (and, repeated, one whose drop
/// overflows the stack).
const MAX_DEPTH: usize = 100;

/// Nesting of `v` (a scalar is 0), without recursion.
fn depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 0usize)];
    while let Some((v, d)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(m) => Box::new(m.values()),
            _ => continue,
        };
        deepest = deepest.max(d + 1);
        stack.extend(children.map(|c| (c, d + 1)));
    }
    deepest
}

fn add(target: &mut Value, path: &str, value: Value) -> Result<(), ApiError> {
    if path.matches('/').count() + depth(&value) > MAX_DEPTH {
        return Err(ApiError::new(
            422,
            "Invalid",
            format!("json patch: the value at {path} would nest more than {MAX_DEPTH} levels deep"),
        ));
    }
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (parent, last) = split(path)?;
    match target.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let index = if last == "-" {
                a.len()
            } else {
                last.parse().map_err(|_| missing(path))?
            };
            if index > a.len() {
                return Err(missing(path));
            }
            a.insert(index, value);
            Ok(())
        }
        _ => Err(missing(path)),
    }
}

fn remove(target: &mut Value, path: &str) -> Result<Value, ApiError> {
    let (parent, last) = split(path)?;
    match target.pointer_mut(parent) {
        Some(Value::Object(m)) => m.shift_remove(&last).ok_or_else(|| missing(path)),
        Some(Value::Array(a)) => {
            let index: usize = last.parse().map_err(|_| missing(path))?;
            if index < a.len() {
                Ok(a.remove(index))
            } else {
                Err(missing(path))
            }
        }
        _ => Err(missing(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut v = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut v, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(v, json!({"a": "z", "c": {"d": "e"}}));
    }

    #[test]
    fn json_patch_ops() {
        let mut v = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        json_patch(
            &mut v,
            &json!([
                {"op": "replace", "path": "/spec/replicas", "value": 3},
                {"op": "add", "path": "/spec/list/-", "value": 3},
                {"op": "remove", "path": "/spec/list/0"},
                {"op": "test", "path": "/spec/replicas", "value": 3}
            ]),
        )
        .unwrap();
        assert_eq!(v, json!({"spec": {"replicas": 3, "list": [2, 3]}}));
        assert!(json_patch(&mut v, &json!([{"op": "remove", "path": "/nope"}])).is_err());
    }
}
