//! PATCH: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch
//! (`smp`), applied to the current object and written back as an update guarded by its resourceVersion.

use super::ApiServer;
use super::guarded::{is_conflict, retry_while};
use super::update::Part;
use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;

pub use super::json_patch::json_patch;

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
        if opts.subresource == Some("status") && !crate::api::registry::has_status(r) {
            return Err(super::update::no_such_subresource());
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
