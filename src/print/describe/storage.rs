//! `kubectl describe` of PersistentVolumeClaims, PersistentVolumes and StorageClasses.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, s, scalar, string_map};
use super::meta::{annotations_block, labels_block};
use super::related::{Query, Related, Slot, list_in};
use super::time::{parse, since};
use super::writer::Out;
use crate::print::columns::{access_modes_text, is_default_storage_class, storage_class_of};

/// A claim's describe lists its namespace's pods (to say which use it), then its events.
pub fn pvc_plan(pvc: &Value, show_events: bool) -> Vec<Query> {
    let mut plan =
        vec![list_in(Slot::Pods, "pods", s(pvc, &["metadata", "namespace"]), "").required()];
    if show_events {
        plan.push(query_for(pvc, "PersistentVolumeClaim"));
    }
    plan
}

/// Go's `%v` of a string slice: `[a b]`.
fn go_list(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(scalar).collect();
    format!("[{}]", parts.join(" "))
}

fn status_line(w: &mut Out, obj: &Value, now: DateTime<Utc>) {
    match parse(at(obj, &["metadata", "deletionTimestamp"])) {
        Some(t) => {
            w.w(
                0,
                &format!("Status:\tTerminating (lasts {})\n", since(Some(t), now)),
            );
            if let Some(g) =
                at(obj, &["metadata", "deletionGracePeriodSeconds"]).and_then(Value::as_i64)
            {
                w.w(0, &format!("Termination Grace Period:\t{g}s\n"));
            }
        }
        None => w.w(0, &format!("Status:\t{}\n", s(obj, &["status", "phase"]))),
    }
}

/// Whether `pod` mounts the claim `name` (directly, or as its generic ephemeral volume).
fn uses_claim(pod: &Value, name: &str) -> bool {
    let pod_name = s(pod, &["metadata", "name"]);
    arr(pod, &["spec", "volumes"]).iter().any(|v| {
        s(v, &["persistentVolumeClaim", "claimName"]) == name
            || (at(v, &["ephemeral"]).is_some_and(Value::is_object)
                && format!("{pod_name}-{}", s(v, &["name"])) == name)
    })
}

pub fn render_pvc(pvc: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(pvc, &["metadata", "name"]);
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(pvc, &["metadata", "namespace"])),
    );
    w.w(0, &format!("StorageClass:\t{}\n", storage_class_of(pvc)));
    status_line(&mut w, pvc, now);
    let volume = s(pvc, &["spec", "volumeName"]);
    w.w(0, &format!("Volume:\t{volume}\n"));
    labels_block(&mut w, "Labels", at(pvc, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(pvc, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Finalizers:\t{}\n",
            go_list(arr(pvc, &["metadata", "finalizers"]))
        ),
    );
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            s(pvc, &["status", "capacity", "storage"]).to_string(),
            access_modes_text(arr(pvc, &["status", "accessModes"])),
        )
    };
    w.w(0, &format!("Capacity:\t{capacity}\n"));
    w.w(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = at(pvc, &["spec", "volumeMode"]).and_then(Value::as_str) {
        w.w(0, &format!("VolumeMode:\t{mode}\n"));
    }
    let mut users: Vec<&str> = related
        .pods
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|p| uses_claim(p, name))
        .map(|p| s(p, &["metadata", "name"]))
        .collect();
    users.sort_unstable();
    w.w(0, "Used By:\t");
    if users.is_empty() {
        w.w(0, "<none>\n");
    }
    for (i, user) in users.iter().enumerate() {
        if i > 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{user}\n"));
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

pub fn render_pv(pv: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(pv, &["metadata", "name"])));
    labels_block(&mut w, "Labels", at(pv, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(pv, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Finalizers:\t{}\n",
            go_list(arr(pv, &["metadata", "finalizers"]))
        ),
    );
    w.w(0, &format!("StorageClass:\t{}\n", storage_class_of(pv)));
    status_line(&mut w, pv, now);
    let claim = match at(pv, &["spec", "claimRef"]).filter(|c| c.is_object()) {
        Some(c) => format!("{}/{}", s(c, &["namespace"]), s(c, &["name"])),
        None => String::new(),
    };
    w.w(0, &format!("Claim:\t{claim}\n"));
    w.w(
        0,
        &format!(
            "Reclaim Policy:\t{}\n",
            s(pv, &["spec", "persistentVolumeReclaimPolicy"])
        ),
    );
    w.w(
        0,
        &format!(
            "Access Modes:\t{}\n",
            access_modes_text(arr(pv, &["spec", "accessModes"]))
        ),
    );
    if let Some(mode) = at(pv, &["spec", "volumeMode"]).and_then(Value::as_str) {
        w.w(0, &format!("VolumeMode:\t{mode}\n"));
    }
    let capacity = match at(pv, &["spec", "capacity", "storage"]) {
        Some(q) if !q.is_null() => scalar(q),
        _ => "0".to_string(),
    };
    w.w(0, &format!("Capacity:\t{capacity}\n"));
    node_affinity(&mut w, at(pv, &["spec", "nodeAffinity", "required"]));
    w.w(0, &format!("Message:\t{}\n", s(pv, &["status", "message"])));
    w.w(0, "Source:\n");
    source(&mut w, pv);
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

fn node_affinity(w: &mut Out, required: Option<&Value>) {
    w.w(0, "Node Affinity:\t");
    let Some(required) = required.filter(|r| r.is_object()) else {
        w.w(0, "<none>\n");
        return;
    };
    w.w(0, "\n");
    w.w(1, "Required Terms:\t");
    let terms = arr(required, &["nodeSelectorTerms"]);
    if terms.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    w.w(0, "\n");
    for (i, term) in terms.iter().enumerate() {
        w.w(2, &format!("Term {i}:\t"));
        let exprs = arr(term, &["matchExpressions"]);
        if exprs.is_empty() {
            w.w(0, "<none>\n");
        }
        for (j, e) in exprs.iter().enumerate() {
            if j > 0 {
                w.w(2, "\t");
            }
            let mut text = format!(
                "{} {}",
                s(e, &["key"]),
                s(e, &["operator"]).to_ascii_lowercase()
            );
            let values: Vec<String> = arr(e, &["values"]).iter().map(scalar).collect();
            if !values.is_empty() {
                text.push_str(&format!(" [{}]", values.join(", ")));
            }
            w.w(0, &format!("{text}\n"));
        }
    }
}

/// The volume source block (the kinds kubelite's provisioner and users write most).
fn source(w: &mut Out, pv: &Value) {
    let spec = at(pv, &["spec"]);
    let src = |k: &str| spec.and_then(|sp| at(sp, &[k])).filter(|v| v.is_object());
    if let Some(h) = src("hostPath") {
        let t = at(h, &["type"]).and_then(Value::as_str).unwrap_or("<none>");
        w.w(2, "Type:\tHostPath (bare host directory volume)\n");
        w.w(2, &format!("Path:\t{}\n", s(h, &["path"])));
        w.w(2, &format!("HostPathType:\t{t}\n"));
    } else if let Some(l) = src("local") {
        w.w(
            2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n",
        );
        w.w(2, &format!("Path:\t{}\n", s(l, &["path"])));
    } else if let Some(n) = src("nfs") {
        w.w(
            2,
            "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n",
        );
        w.w(2, &format!("Server:\t{}\n", s(n, &["server"])));
        w.w(2, &format!("Path:\t{}\n", s(n, &["path"])));
        w.w(
            2,
            &format!("ReadOnly:\t{}\n", super::json::boolean(n, &["readOnly"])),
        );
    } else if let Some(c) = src("csi") {
        w.w(
            2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n",
        );
        w.w(2, &format!("Driver:\t{}\n", s(c, &["driver"])));
        w.w(2, &format!("FSType:\t{}\n", s(c, &["fsType"])));
        w.w(2, &format!("VolumeHandle:\t{}\n", s(c, &["volumeHandle"])));
        w.w(
            2,
            &format!("ReadOnly:\t{}\n", super::json::boolean(c, &["readOnly"])),
        );
        let attrs = string_map(c, &["volumeAttributes"]);
        w.w(2, "VolumeAttributes:\t");
        if attrs.is_empty() {
            w.w(0, "<none>\n");
        }
        for (i, (k, v)) in attrs.iter().enumerate() {
            if i > 0 {
                w.w(0, "\t\t\t");
            }
            w.w(0, &format!("{k}={v}\n"));
        }
    }
}

pub fn render_storage_class(sc: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{}\n", s(sc, &["metadata", "name"])));
    let default = if is_default_storage_class(sc) {
        "Yes"
    } else {
        "No"
    };
    w.w(0, &format!("IsDefaultClass:\t{default}\n"));
    w.w(
        0,
        &format!(
            "Annotations:\t{}\n",
            pairs(at(sc, &["metadata", "annotations"]))
        ),
    );
    w.w(0, &format!("Provisioner:\t{}\n", s(sc, &["provisioner"])));
    w.w(
        0,
        &format!("Parameters:\t{}\n", pairs(at(sc, &["parameters"]))),
    );
    let expand = match at(sc, &["allowVolumeExpansion"]).and_then(Value::as_bool) {
        // Go's printBoolPtr: capitalised.
        Some(true) => "True".to_string(),
        Some(false) => "False".to_string(),
        None => "<unset>".to_string(),
    };
    w.w(0, &format!("AllowVolumeExpansion:\t{expand}\n"));
    let options = arr(sc, &["mountOptions"]);
    if options.is_empty() {
        w.w(0, "MountOptions:\t<none>\n");
    } else {
        w.w(0, "MountOptions:\n");
        for o in options {
            w.w(1, &format!("{}\n", scalar(o)));
        }
    }
    if let Some(p) = at(sc, &["reclaimPolicy"]).and_then(Value::as_str) {
        w.w(0, &format!("ReclaimPolicy:\t{p}\n"));
    }
    if let Some(m) = at(sc, &["volumeBindingMode"]).and_then(Value::as_str) {
        w.w(0, &format!("VolumeBindingMode:\t{m}\n"));
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// Go's `labels.FormatLabels`: `k=v,k2=v2` sorted, `<none>` when empty.
fn pairs(map: Option<&Value>) -> String {
    let pairs = map.map(|m| string_map(m, &[])).unwrap_or_default();
    if pairs.is_empty() {
        return "<none>".into();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
