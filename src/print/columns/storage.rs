//! Volumes: PersistentVolumeClaims, PersistentVolumes and the storage.k8s.io kinds
//! (StorageClass, CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;

const DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";
const BETA_DEFAULT_CLASS: &str = "storageclass.beta.kubernetes.io/is-default-class";
const BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

fn bool_col(name: &str, description: &str) -> Value {
    column(name, "boolean", "", description, 0)
}

/// Access modes in kube's short form (`RWO,ROX,RWX,RWOP`), in that fixed order.
pub fn access_modes(modes: &[Value]) -> String {
    let has = |m: &str| modes.iter().any(|v| v.as_str() == Some(m));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(long, _)| has(long))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

/// A claim's or volume's class: the beta annotation wins over `spec.storageClassName`.
pub fn class_of(obj: &Value) -> &str {
    match field(obj, &["metadata", "annotations", BETA_CLASS]).and_then(Value::as_str) {
        Some(class) => class,
        None => str_at(obj, &["spec", "storageClassName"]),
    }
}

/// Whether a StorageClass is annotated as the cluster's default.
pub fn is_default_class(sc: &Value) -> bool {
    [DEFAULT_CLASS, BETA_DEFAULT_CLASS]
        .iter()
        .any(|a| str_at(sc, &["metadata", "annotations", a]) == "true")
}

fn or_unset(s: &str) -> String {
    if s.is_empty() {
        "<unset>".into()
    } else {
        s.into()
    }
}

/// `Terminating` while a deletion is pending, the phase otherwise.
fn phase(obj: &Value) -> &str {
    if field(obj, &["metadata", "deletionTimestamp"]).is_some_and(|t| !t.is_null()) {
        "Terminating"
    } else {
        str_at(obj, &["status", "phase"])
    }
}

pub fn pvc_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Status", "The claim's phase: Pending, Bound or Lost."),
        string_col("Volume", "The PersistentVolume bound to the claim."),
        string_col("Capacity", "The storage the bound volume provides."),
        string_col("Access Modes", "The access modes of the bound volume."),
        string_col("StorageClass", "The class of storage the claim asks for."),
        string_col(
            "VolumeAttributesClass",
            "The VolumeAttributesClass the claim asks for.",
        ),
        age_col(),
        wide_col(
            "VolumeMode",
            "Whether the volume is a filesystem or a raw block device.",
        ),
    ]
}

pub fn pvc_cells(pvc: &Value, now: DateTime<Utc>) -> Vec<Value> {
    // Capacity and modes come from the status, and only once a volume is named.
    let (capacity, modes) = if str_at(pvc, &["spec", "volumeName"]).is_empty() {
        (String::new(), String::new())
    } else {
        (
            str_at(pvc, &["status", "capacity", "storage"]).to_string(),
            access_modes(array_at(pvc, &["status", "accessModes"])),
        )
    };
    vec![
        json!(name_of(pvc)),
        json!(phase(pvc)),
        json!(str_at(pvc, &["spec", "volumeName"])),
        json!(capacity),
        json!(modes),
        json!(class_of(pvc)),
        json!(or_unset(str_at(
            pvc,
            &["spec", "volumeAttributesClassName"]
        ))),
        json!(creation_age(pvc, now)),
        json!(or_unset(str_at(pvc, &["spec", "volumeMode"]))),
    ]
}

pub fn pv_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Capacity", "The storage the volume provides."),
        string_col("Access Modes", "How the volume can be mounted."),
        string_col(
            "Reclaim Policy",
            "What happens to the volume when its claim is deleted.",
        ),
        string_col("Status", "The volume's phase."),
        string_col("Claim", "The claim bound to the volume."),
        string_col("StorageClass", "The class the volume belongs to."),
        string_col(
            "VolumeAttributesClass",
            "The VolumeAttributesClass of the volume.",
        ),
        string_col("Reason", "Why the volume is in its phase."),
        age_col(),
        wide_col(
            "VolumeMode",
            "Whether the volume is a filesystem or a raw block device.",
        ),
    ]
}

pub fn pv_cells(pv: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let claim = match field(pv, &["spec", "claimRef"]) {
        Some(r) if r.is_object() => {
            format!("{}/{}", str_at(r, &["namespace"]), str_at(r, &["name"]))
        }
        _ => String::new(),
    };
    vec![
        json!(name_of(pv)),
        json!(str_at(pv, &["spec", "capacity", "storage"])),
        json!(access_modes(array_at(pv, &["spec", "accessModes"]))),
        json!(str_at(pv, &["spec", "persistentVolumeReclaimPolicy"])),
        json!(phase(pv)),
        json!(claim),
        json!(class_of(pv)),
        json!(or_unset(str_at(pv, &["spec", "volumeAttributesClassName"]))),
        json!(str_at(pv, &["status", "reason"])),
        json!(creation_age(pv, now)),
        json!(or_unset(str_at(pv, &["spec", "volumeMode"]))),
    ]
}

pub fn storageclass_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Provisioner",
            "The driver that provisions volumes of this class.",
        ),
        string_col(
            "ReclaimPolicy",
            "What happens to provisioned volumes when their claims are deleted.",
        ),
        string_col(
            "VolumeBindingMode",
            "When claims of this class are bound and provisioned.",
        ),
        string_col(
            "AllowVolumeExpansion",
            "Whether claims of this class may grow.",
        ),
        age_col(),
    ]
}

pub fn storageclass_cells(sc: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let mut name = name_of(sc).to_string();
    if is_default_class(sc) {
        name.push_str(" (default)");
    }
    let or = |path: &[&str], default: &str| match str_at(sc, path) {
        "" => default.to_string(),
        s => s.to_string(),
    };
    let expand = field(sc, &["allowVolumeExpansion"])
        .and_then(Value::as_bool)
        .unwrap_or(false);
    vec![
        json!(name),
        json!(str_at(sc, &["provisioner"])),
        json!(or(&["reclaimPolicy"], "Delete")),
        json!(or(&["volumeBindingMode"], "Immediate")),
        json!(expand.to_string()),
        json!(creation_age(sc, now)),
    ]
}

pub fn csidriver_columns() -> Vec<Value> {
    vec![
        name_col(),
        bool_col(
            "AttachRequired",
            "Whether volumes of the driver need attaching.",
        ),
        bool_col(
            "PodInfoOnMount",
            "Whether the driver is told about the pod on mount.",
        ),
        bool_col(
            "StorageCapacity",
            "Whether the driver reports storage capacity.",
        ),
        string_col(
            "TokenRequests",
            "Audiences of the tokens the driver receives.",
        ),
        bool_col(
            "RequiresRepublish",
            "Whether volumes are mounted again periodically.",
        ),
        string_col("Modes", "The volume lifecycle modes the driver supports."),
        age_col(),
    ]
}

pub fn csidriver_cells(d: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let flag = |name: &str, default: bool| {
        field(d, &["spec", name])
            .and_then(Value::as_bool)
            .unwrap_or(default)
    };
    let audiences: Vec<&str> = array_at(d, &["spec", "tokenRequests"])
        .iter()
        .map(|t| str_at(t, &["audience"]))
        .collect();
    let tokens = if audiences.is_empty() {
        "<unset>".to_string()
    } else {
        audiences.join(",")
    };
    let modes: Vec<&str> = array_at(d, &["spec", "volumeLifecycleModes"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let modes = if modes.is_empty() {
        "<none>".to_string()
    } else {
        modes.join(",")
    };
    vec![
        json!(name_of(d)),
        json!(flag("attachRequired", true)),
        json!(flag("podInfoOnMount", false)),
        json!(flag("storageCapacity", false)),
        json!(tokens),
        json!(flag("requiresRepublish", false)),
        json!(modes),
        json!(creation_age(d, now)),
    ]
}

pub fn csinode_columns() -> Vec<Value> {
    vec![
        name_col(),
        column(
            "Drivers",
            "integer",
            "",
            "How many CSI drivers run on the node.",
            0,
        ),
        age_col(),
    ]
}

pub fn csinode_cells(n: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(n)),
        json!(array_at(n, &["spec", "drivers"]).len()),
        json!(creation_age(n, now)),
    ]
}

pub fn capacity_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("StorageClassName", "The class whose capacity is reported."),
        string_col("Capacity", "The capacity available for new volumes."),
        age_col(),
    ]
}

pub fn capacity_cells(c: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(c)),
        json!(str_at(c, &["storageClassName"])),
        json!(or_unset(str_at(c, &["capacity"]))),
        json!(creation_age(c, now)),
    ]
}

pub fn attachment_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Attacher", "The driver that attaches the volume."),
        string_col("PV", "The PersistentVolume attached."),
        string_col("Node", "The node the volume is attached to."),
        bool_col("Attached", "Whether the attach operation succeeded."),
        age_col(),
    ]
}

pub fn attachment_cells(a: &Value, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        json!(name_of(a)),
        json!(str_at(a, &["spec", "attacher"])),
        json!(str_at(a, &["spec", "source", "persistentVolumeName"])),
        json!(str_at(a, &["spec", "nodeName"])),
        json!(
            field(a, &["status", "attached"])
                .and_then(Value::as_bool)
                .unwrap_or(false)
        ),
        json!(creation_age(a, now)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_modes_in_kubes_order() {
        let modes = [json!("ReadWriteMany"), json!("ReadWriteOnce")];
        assert_eq!(access_modes(&modes), "RWO,RWX");
        assert_eq!(access_modes(&[]), "");
    }

    #[test]
    fn default_class_is_marked() {
        let sc = json!({"metadata": {"name": "standard", "annotations": {DEFAULT_CLASS: "true"}},
                        "provisioner": "rancher.io/local-path"});
        let cells = storageclass_cells(&sc, Utc::now());
        assert_eq!(cells[0], "standard (default)");
        assert_eq!(cells[2], "Delete");
        assert_eq!(cells[3], "Immediate");
    }
}
