//! Storage admission on create: DefaultStorageClass (a new claim that names no class, the
//! field absent rather than `""`, gets the cluster's default StorageClass) and
//! StorageObjectInUseProtection (claims and volumes carry a finalizer that their protection
//! controllers lift once nothing uses them).

use super::ApiServer;
use crate::api::options::ListOptions;
use crate::api::registry;
use crate::api::status::ApiError;
use serde_json::{Value, json};

const DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";
const BETA_DEFAULT_CLASS: &str = "storageclass.beta.kubernetes.io/is-default-class";
const BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

impl ApiServer {
    pub(super) fn default_storage_class(&self, pvc: &mut Value) -> Result<(), ApiError> {
        let named = pvc
            .pointer("/spec/storageClassName")
            .is_some_and(|v| !v.is_null())
            || pvc
                .pointer(&format!(
                    "/metadata/annotations/{}",
                    BETA_CLASS.replace('/', "~1")
                ))
                .is_some();
        if named {
            return Ok(());
        }
        let Some(r) = registry::find("storageclasses.storage.k8s.io") else {
            return Ok(());
        };
        let list = self.list(r, None, &ListOptions::default())?;
        // Several defaults: the newest wins, then the name, as kube's plugin picks.
        let chosen = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|sc| {
                [DEFAULT_CLASS, BETA_DEFAULT_CLASS]
                    .iter()
                    .any(|a| sc["metadata"]["annotations"][a] == "true")
            })
            .max_by(|a, b| {
                let key = |sc: &Value| {
                    (
                        sc["metadata"]["creationTimestamp"]
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                        std::cmp::Reverse(
                            sc["metadata"]["name"].as_str().unwrap_or("").to_string(),
                        ),
                    )
                };
                key(a).cmp(&key(b))
            });
        if let (Some(sc), Some(spec)) = (chosen, pvc.get_mut("spec").and_then(Value::as_object_mut))
        {
            spec.insert("storageClassName".into(), json!(sc["metadata"]["name"]));
            crate::api::defaults::order::reorder(spec, PVC_SPEC);
        }
        Ok(())
    }
}

/// The finalizer StorageObjectInUseProtection puts on a new claim or volume.
pub(super) fn protect(kind: &str, obj: &mut Value) {
    let finalizer = match kind {
        "PersistentVolumeClaim" => "kubernetes.io/pvc-protection",
        "PersistentVolume" => "kubernetes.io/pv-protection",
        _ => return,
    };
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let list = meta.entry("finalizers").or_insert_with(|| json!([]));
    if let Some(items) = list.as_array_mut()
        && !items.iter().any(|f| f == finalizer)
    {
        items.push(json!(finalizer));
    }
    crate::api::defaults::order::reorder(meta, crate::api::defaults::order::OBJECT_META);
}

const PVC_SPEC: &[&str] = &[
    "accessModes",
    "selector",
    "resources",
    "volumeName",
    "storageClassName",
    "volumeMode",
    "dataSource",
    "dataSourceRef",
    "volumeAttributesClassName",
];
