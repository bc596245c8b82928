//! Where the cluster's store is, as etcd's static pod says: etcd keeps its data in its
//! `--data-dir`, which the manifest mounts from a hostPath of the control-plane node. With
//! kubeadm's `/var/lib/etcd` the store is the home's `cluster.redb` (as it always was);
//! another directory P is the redb file `P/member/snap/db` in the node's files, which is what
//! `etcdctl snapshot restore --data-dir P` writes. So restoring a snapshot into a new
//! directory and pointing the manifest's `etcd-data` hostPath at it brings the cluster back
//! to the snapshot, as on a kubeadm node.
//!
//! Without a valid kube-apiserver or etcd manifest the control plane is down: a command gets
//! kubectl's "connection refused" line, and the node's files (`kubelite node ssh master`)
//! are where it is fixed.

use crate::cluster::{CONTROL_PLANE_NODE, MASTER_ADDRESS, STORE_FILE};
use crate::kubelet::static_pods;
use crate::nodefs;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// What kubectl says when nothing listens on the API server's address.
fn refused() -> String {
    format!(
        "The connection to the server {MASTER_ADDRESS}:6443 was refused - did you specify the right host or port?"
    )
}

/// A manifest of the control-plane node: `Ok(None)` when its directory was never written
/// (a new cluster, an old home), `Err` when it is missing or does not parse.
fn manifest(home: &Path, component: &str) -> Result<Option<Value>, ()> {
    let dir = nodefs::host_path(home, CONTROL_PLANE_NODE, nodefs::MANIFESTS_DIR);
    if !dir.exists() {
        return Ok(None);
    }
    let file = dir.join(format!("{component}.yaml"));
    let bytes = std::fs::read(&file).map_err(|_| ())?;
    let path = format!("{}/{component}.yaml", nodefs::MANIFESTS_DIR);
    match static_pods::decode_manifest(&path, &bytes) {
        Ok(pod) => Ok(Some(pod)),
        Err(_) => Err(()),
    }
}

/// Refuses, as a down API server does, when the kube-apiserver or etcd manifest is gone or
/// broken. (The node's own programs still read through `open_node_view`, and the kubelet
/// logs why (`kubelet::offline`); the files stay fixable.)
pub fn control_plane_up(home: &Path) -> Result<(), String> {
    for component in ["etcd", "kube-apiserver"] {
        manifest(home, component).map_err(|_| refused())?;
    }
    Ok(())
}

/// The store file of the cluster kept in `home`, from etcd's manifest.
pub fn store_file(home: &Path) -> Result<PathBuf, String> {
    let default = home.join(STORE_FILE);
    let Some(pod) = manifest(home, "etcd").map_err(|_| refused())? else {
        return Ok(default);
    };
    let dir = host_data_dir(&pod).ok_or_else(|| {
        "etcd's static pod (/etc/kubernetes/manifests/etcd.yaml) keeps its --data-dir on no \
         hostPath volume: its data would not outlive the container"
            .to_string()
    })?;
    if normalize(&dir) == Some(PathBuf::from(nodefs::ETCD_DATA_DIR)) {
        return Ok(default);
    }
    let Some(clean) = normalize(&dir) else {
        return Err(format!(
            "etcd's data dir {dir} (from /etc/kubernetes/manifests/etcd.yaml) is not an absolute path on the node"
        ));
    };
    let node_path = clean.to_string_lossy().to_string();
    let db = nodefs::host_path(home, CONTROL_PLANE_NODE, &node_path).join("member/snap/db");
    if !db.is_file() {
        return Err(format!(
            "etcd's data dir {node_path} (from /etc/kubernetes/manifests/etcd.yaml) holds no \
             member/snap/db ({} on this machine): restore a snapshot into it (etcdctl snapshot \
             restore --data-dir {node_path}) or point the etcd-data hostPath back at {}",
            db.display(),
            nodefs::ETCD_DATA_DIR
        ));
    }
    Ok(db)
}

/// The node directory etcd's `--data-dir` is on: the hostPath of the volume mounted where
/// the data dir is, plus the rest of the data dir's path.
fn host_data_dir(pod: &Value) -> Option<String> {
    let container = pod.pointer("/spec/containers/0")?;
    let args: Vec<&str> = ["command", "args"]
        .iter()
        .filter_map(|k| container.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut data_dir = nodefs::ETCD_DATA_DIR.to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--data-dir=") {
            data_dir = v.to_string();
        } else if *a == "--data-dir" {
            data_dir = it.next().map(|s| s.to_string()).unwrap_or_default();
        }
    }
    let data = normalize(&data_dir)?;
    let mounts = container.get("volumeMounts").and_then(Value::as_array)?;
    let (mount, rest) = mounts
        .iter()
        .filter_map(|m| {
            let at = normalize(m.get("mountPath").and_then(Value::as_str)?)?;
            let rest = data.strip_prefix(&at).ok()?.to_path_buf();
            Some((m, at, rest))
        })
        .max_by_key(|(_, at, _)| at.components().count())
        .map(|(m, _, rest)| (m, rest))?;
    let volume = mount.get("name").and_then(Value::as_str)?;
    let host = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(volume))?
        .pointer("/hostPath/path")
        .and_then(Value::as_str)?;
    let full = Path::new(host).join(rest);
    Some(full.to_string_lossy().trim_end_matches('/').to_string())
}

/// An absolute path without `.`/`..` steps or repeated slashes; `None` if it is relative or
/// would climb above `/`.
fn normalize(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    if !p.is_absolute() {
        return None;
    }
    let mut out = PathBuf::from("/");
    for c in p.components() {
        match c {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(n) => out.push(n),
            Component::ParentDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn etcd(host: &str) -> Value {
        let mut m = static_pods::manifest("etcd", "master", MASTER_ADDRESS);
        m["spec"]["volumes"][1]["hostPath"]["path"] = json!(host);
        m
    }

    #[test]
    fn the_data_dir_is_the_hostpath_under_etcds_data_dir() {
        assert_eq!(
            host_data_dir(&etcd("/var/lib/etcd")).as_deref(),
            Some("/var/lib/etcd")
        );
        assert_eq!(
            host_data_dir(&etcd("/var/lib/etcd-from-backup/")).as_deref(),
            Some("/var/lib/etcd-from-backup")
        );
        assert_eq!(normalize("/var/lib/../../.."), None);
        assert_eq!(normalize("var/lib"), None);
    }

    #[test]
    fn a_home_follows_its_etcd_manifest() {
        let home = std::env::temp_dir().join(format!("kubelite-datadir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        assert_eq!(store_file(&home).unwrap(), home.join(STORE_FILE));
        static_pods::write_manifests(&home, CONTROL_PLANE_NODE, MASTER_ADDRESS).unwrap();
        assert_eq!(store_file(&home).unwrap(), home.join(STORE_FILE));
        let file =
            nodefs::host_path(&home, CONTROL_PLANE_NODE, nodefs::MANIFESTS_DIR).join("etcd.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        let moved = text.replace("path: /var/lib/etcd\n", "path: /var/lib/etcd-from-backup\n");
        std::fs::write(&file, moved).unwrap();
        let err = store_file(&home).unwrap_err();
        assert!(err.contains("holds no member/snap/db"), "{err}");
        let db = nodefs::host_path(
            &home,
            CONTROL_PLANE_NODE,
            "/var/lib/etcd-from-backup/member/snap/db",
        );
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        std::fs::write(&db, b"").unwrap();
        assert_eq!(store_file(&home).unwrap(), db);
        std::fs::write(&file, "apiVersion: v1\nkind: Pod\nmetadata;\n").unwrap();
        assert_eq!(store_file(&home).unwrap_err(), refused());
        assert_eq!(control_plane_up(&home).unwrap_err(), refused());
        let _ = std::fs::remove_dir_all(&home);
    }
}
