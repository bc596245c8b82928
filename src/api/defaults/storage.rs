//! Defaults of the volume kinds (PersistentVolumeClaim, PersistentVolume, StorageClass,
//! CSIDriver) and of StatefulSets, whose claim templates are PersistentVolumeClaims.

use super::apps::{default_selector, default_template};
use super::order::{TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder, sort_map_at};
use serde_json::{Map, Value, json};

const STATEFUL_SET_SPEC: &[&str] = &[
    "replicas",
    "selector",
    "template",
    "volumeClaimTemplates",
    "serviceName",
    "podManagementPolicy",
    "updateStrategy",
    "revisionHistoryLimit",
    "minReadySeconds",
    "persistentVolumeClaimRetentionPolicy",
    "ordinals",
];
const STRATEGY: &[&str] = &["type", "rollingUpdate"];
const ROLLING: &[&str] = &["partition", "maxUnavailable"];
const RETENTION: &[&str] = &["whenDeleted", "whenScaled"];
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
const PV_SPEC: &[&str] = &[
    "capacity",
    "accessModes",
    "claimRef",
    "persistentVolumeReclaimPolicy",
    "storageClassName",
    "mountOptions",
    "volumeMode",
    "nodeAffinity",
    "volumeAttributesClassName",
];
const VOLUME_STATUS: &[&str] = &["phase", "message", "reason", "lastPhaseTransitionTime"];
const STORAGE_CLASS: &[&str] = &[
    "kind",
    "apiVersion",
    "metadata",
    "provisioner",
    "parameters",
    "reclaimPolicy",
    "mountOptions",
    "allowVolumeExpansion",
    "volumeBindingMode",
    "allowedTopologies",
];
const CSI_DRIVER_SPEC: &[&str] = &[
    "attachRequired",
    "podInfoOnMount",
    "volumeLifecycleModes",
    "storageCapacity",
    "fsGroupPolicy",
    "tokenRequests",
    "requiresRepublish",
    "seLinuxMount",
    "nodeAllocatableUpdatePeriodSeconds",
];

fn top(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let o = obj.as_object_mut()?;
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    Some(o)
}

pub fn default_stateful_set(obj: &mut Value) {
    let Some(spec) = top(obj).and_then(|o| object_at(o, TOP_LEVEL, "spec")) else {
        return;
    };
    insert_ordered(spec, STATEFUL_SET_SPEC, "replicas", json!(1));
    default_selector(spec);
    default_template(spec);
    if let Some(Value::Array(claims)) = spec.get_mut("volumeClaimTemplates") {
        for claim in claims.iter_mut() {
            default_claim_template(claim);
        }
    }
    insert_ordered(
        spec,
        STATEFUL_SET_SPEC,
        "podManagementPolicy",
        json!("OrderedReady"),
    );
    if let Some(us) = object_at(spec, STATEFUL_SET_SPEC, "updateStrategy") {
        // Only a strategy left unset gets a rollingUpdate block; a given partition-less
        // block gets partition 0.
        if us
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
        {
            us.remove("type");
            insert_ordered(us, STRATEGY, "type", json!("RollingUpdate"));
            object_at(us, STRATEGY, "rollingUpdate");
        }
        if us.get("type").and_then(Value::as_str) == Some("RollingUpdate")
            && let Some(ru) = us.get_mut("rollingUpdate").and_then(Value::as_object_mut)
        {
            insert_ordered(ru, ROLLING, "partition", json!(0));
        }
    }
    insert_ordered(spec, STATEFUL_SET_SPEC, "revisionHistoryLimit", json!(10));
    if let Some(p) = object_at(
        spec,
        STATEFUL_SET_SPEC,
        "persistentVolumeClaimRetentionPolicy",
    ) {
        insert_ordered(p, RETENTION, "whenDeleted", json!("Retain"));
        insert_ordered(p, RETENTION, "whenScaled", json!("Retain"));
    }
    reorder(spec, STATEFUL_SET_SPEC);
}

/// A claim template is a whole PersistentVolumeClaim: typed, defaulted, with the zero
/// metadata time and a Pending status, as the API server stores it.
fn default_claim_template(claim: &mut Value) {
    let Some(o) = claim.as_object_mut() else {
        return;
    };
    insert_ordered(o, TOP_LEVEL, "kind", json!("PersistentVolumeClaim"));
    insert_ordered(o, TOP_LEVEL, "apiVersion", json!("v1"));
    if let Some(md) = object_at(o, TOP_LEVEL, "metadata") {
        insert_ordered(
            md,
            super::order::OBJECT_META,
            "creationTimestamp",
            Value::Null,
        );
    }
    default_pvc(claim);
}

pub fn default_pvc(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    if let Some(spec) = object_at(o, TOP_LEVEL, "spec") {
        if let Some(res) = spec.get_mut("resources").and_then(Value::as_object_mut) {
            sort_map_at(res, "requests");
            sort_map_at(res, "limits");
        }
        insert_ordered(spec, PVC_SPEC, "volumeMode", json!("Filesystem"));
        reorder(spec, PVC_SPEC);
    }
    if let Some(status) = object_at(o, TOP_LEVEL, "status") {
        insert_ordered(status, &["phase"], "phase", json!("Pending"));
    }
}

pub fn default_pv(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    if let Some(spec) = object_at(o, TOP_LEVEL, "spec") {
        sort_map_at(spec, "capacity");
        if let Some(host) = spec.get_mut("hostPath").and_then(Value::as_object_mut) {
            insert_ordered(host, &["path", "type"], "type", json!(""));
        }
        insert_ordered(
            spec,
            PV_SPEC,
            "persistentVolumeReclaimPolicy",
            json!("Retain"),
        );
        insert_ordered(spec, PV_SPEC, "volumeMode", json!("Filesystem"));
        reorder(spec, PV_SPEC);
    }
    if let Some(status) = object_at(o, TOP_LEVEL, "status") {
        insert_ordered(status, VOLUME_STATUS, "phase", json!("Pending"));
    }
}

/// On create the volume's status starts over: Pending since now.
pub fn prepare_pv_for_create(obj: &mut Value, now: &str) {
    if let Some(o) = obj.as_object_mut() {
        o.insert(
            "status".into(),
            json!({"phase": "Pending", "lastPhaseTransitionTime": now}),
        );
    }
}

pub fn default_storage_class(obj: &mut Value) {
    let Some(o) = top(obj) else {
        return;
    };
    sort_map_at(o, "parameters");
    insert_ordered(o, STORAGE_CLASS, "reclaimPolicy", json!("Delete"));
    insert_ordered(o, STORAGE_CLASS, "volumeBindingMode", json!("Immediate"));
    reorder(o, STORAGE_CLASS);
}

pub fn default_csi_driver(obj: &mut Value) {
    let Some(spec) = top(obj).and_then(|o| object_at(o, TOP_LEVEL, "spec")) else {
        return;
    };
    for (key, value) in [
        ("attachRequired", json!(true)),
        ("podInfoOnMount", json!(false)),
        ("volumeLifecycleModes", json!(["Persistent"])),
        ("storageCapacity", json!(false)),
        ("fsGroupPolicy", json!("ReadWriteOnceWithFSType")),
        ("requiresRepublish", json!(false)),
        ("seLinuxMount", json!(false)),
    ] {
        insert_ordered(spec, CSI_DRIVER_SPEC, key, value);
    }
    reorder(spec, CSI_DRIVER_SPEC);
}

/// The StatefulSet create strategy: generation 1 and the status Go writes for zero counts.
/// `rollingUpdate.maxUnavailable` belongs to the MaxUnavailableStatefulSet feature, alpha and
/// off in kube-apiserver 1.32: its strategy drops the field, silently, unless the stored
/// object (`old`, on update) already used it.
pub fn drop_disabled_stateful_set_fields(obj: &mut Value, old: Option<&Value>) {
    const AT: &str = "/spec/updateStrategy/rollingUpdate";
    if old
        .and_then(|o| o.pointer(AT))
        .and_then(|r| r.get("maxUnavailable"))
        .is_some_and(|v| !v.is_null())
    {
        return;
    }
    if let Some(rolling) = obj.pointer_mut(AT).and_then(Value::as_object_mut) {
        rolling.shift_remove("maxUnavailable");
    }
}

pub fn prepare_stateful_set_for_create(obj: &mut Value) {
    drop_disabled_stateful_set_fields(obj, None);
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = object_at(o, TOP_LEVEL, "metadata") {
        meta.insert("generation".into(), json!(1));
        normalize_meta(meta);
    }
    o.insert(
        "status".into(),
        json!({"replicas": 0, "availableReplicas": 0}),
    );
}
