//! The `Volumes:` section of pods and pod templates.

use serde_json::Value;

use super::json::{arr, at, boolean, int, opt_bool, s};
use super::writer::Out;
use crate::api::quantity::Quantity;

/// Writes `{space}Volumes:` and each volume. `space` is "" for pods, "  " for templates.
pub fn volumes_section(w: &mut Out, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    let indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.w(1, &format!("{indent}{}:\n", s(v, &["name"])));
        let src = |k: &str| at(v, &[k]).filter(|x| x.is_object());
        if let Some(h) = src("hostPath") {
            w.w(2, "Type:\tHostPath (bare host directory volume)\n");
            w.w(2, &format!("Path:\t{}\n", s(h, &["path"])));
            let t = at(h, &["type"]).and_then(Value::as_str).unwrap_or("<none>");
            w.w(2, &format!("HostPathType:\t{t}\n"));
        } else if let Some(e) = src("emptyDir") {
            let size = at(e, &["sizeLimit"])
                .and_then(Quantity::from_json)
                .filter(|q| q.nanos() > 0)
                .map(|q| q.to_string())
                .unwrap_or_else(|| "<unset>".to_string());
            w.w(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n",
            );
            w.w(2, &format!("Medium:\t{}\n", s(e, &["medium"])));
            w.w(2, &format!("SizeLimit:\t{size}\n"));
        } else if let Some(c) = src("configMap") {
            w.w(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n");
            w.w(2, &format!("Name:\t{}\n", s(c, &["name"])));
            w.w(2, &format!("Optional:\t{}\n", boolean(c, &["optional"])));
        } else if let Some(sec) = src("secret") {
            w.w(2, "Type:\tSecret (a volume populated by a Secret)\n");
            w.w(2, &format!("SecretName:\t{}\n", s(sec, &["secretName"])));
            w.w(2, &format!("Optional:\t{}\n", boolean(sec, &["optional"])));
        } else if let Some(p) = src("projected") {
            projected(w, p);
        } else if let Some(c) = src("persistentVolumeClaim") {
            w.w(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n");
            w.w(2, &format!("ClaimName:\t{}\n", s(c, &["claimName"])));
            w.w(2, &format!("ReadOnly:\t{}\n", boolean(c, &["readOnly"])));
        } else if let Some(d) = src("downwardAPI") {
            w.w(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n",
            );
            w.w(2, "Items:\n");
            for item in arr(d, &["items"]) {
                let path = s(item, &["path"]);
                if let Some(f) = at(item, &["fieldRef"]).filter(|x| x.is_object()) {
                    w.w(3, &format!("{} -> {path}\n", s(f, &["fieldPath"])));
                }
                if let Some(r) = at(item, &["resourceFieldRef"]).filter(|x| x.is_object()) {
                    w.w(3, &format!("{} -> {path}\n", s(r, &["resource"])));
                }
            }
        } else if let Some(n) = src("nfs") {
            w.w(
                2,
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n",
            );
            w.w(2, &format!("Server:\t{}\n", s(n, &["server"])));
            w.w(2, &format!("Path:\t{}\n", s(n, &["path"])));
            w.w(2, &format!("ReadOnly:\t{}\n", boolean(n, &["readOnly"])));
        } else if let Some(g) = src("gitRepo") {
            w.w(
                2,
                "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n",
            );
            w.w(2, &format!("Repository:\t{}\n", s(g, &["repository"])));
            w.w(2, &format!("Revision:\t{}\n", s(g, &["revision"])));
        } else if let Some(c) = src("csi") {
            w.w(
                2,
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n",
            );
            w.w(2, &format!("Driver:\t{}\n", s(c, &["driver"])));
            w.w(2, &format!("FSType:\t{}\n", s(c, &["fsType"])));
            w.w(2, &format!("ReadOnly:\t{}\n", boolean(c, &["readOnly"])));
            csi_attributes(w, at(c, &["volumeAttributes"]));
        } else {
            w.w(1, "<unknown>\n");
        }
    }
}

fn projected(w: &mut Out, p: &Value) {
    w.w(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    for source in arr(p, &["sources"]) {
        let part = |k: &str| at(source, &[k]).filter(|x| x.is_object());
        if let Some(sec) = part("secret") {
            w.w(2, &format!("SecretName:\t{}\n", s(sec, &["name"])));
            w.w(
                2,
                &format!("SecretOptionalName:\t{}\n", opt_bool(sec, &["optional"])),
            );
        } else if part("downwardAPI").is_some() {
            w.w(2, "DownwardAPI:\ttrue\n");
        } else if let Some(cm) = part("configMap") {
            w.w(2, &format!("ConfigMapName:\t{}\n", s(cm, &["name"])));
            w.w(
                2,
                &format!("ConfigMapOptional:\t{}\n", opt_bool(cm, &["optional"])),
            );
        } else if let Some(t) = part("serviceAccountToken") {
            w.w(
                2,
                &format!(
                    "TokenExpirationSeconds:\t{}\n",
                    int(t, &["expirationSeconds"])
                ),
            );
        } else if let Some(b) = part("clusterTrustBundle") {
            let name = s(b, &["name"]);
            if !name.is_empty() {
                w.w(2, &format!("ClusterTrustBundle:\t{name}\n"));
            } else {
                w.w(
                    2,
                    &format!("ClusterTrustBundle Signer:\t{}\n", s(b, &["signerName"])),
                );
            }
            w.w(2, &format!("Path:\t{}\n", s(b, &["path"])));
        }
    }
}

/// `VolumeAttributes:` of a CSI volume. Every piece kubectl writes here carries the level-2
/// indentation again, so continuation lines start with extra spaces before the tab.
fn csi_attributes(w: &mut Out, attrs: Option<&Value>) {
    let pairs = attrs
        .map(|a| super::json::string_map(a, &[]))
        .unwrap_or_default();
    w.w(2, "VolumeAttributes:\t");
    if pairs.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            w.w(2, "");
            w.w(2, "\t");
        }
        let line = format!("{k}={v}");
        if line.len() > 140 {
            let mut end = 140;
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            w.w(2, &format!("{}...\n", &line[..end]));
        } else {
            w.w(2, &format!("{line}\n"));
        }
    }
}
