//! The simulated nodes' own files. Each node has a root directory in the cluster's home,
//! `$KUBELITE_HOME/nodes/<node>/`, laid out as a kubeadm node's (`etc/kubernetes`,
//! `var/lib/kubelet`, `var/lib/etcd`, `var/log`). The node shell (`kubelite node ssh`) shows
//! it at `/`; the control-plane node's kubelet reads its static pod manifests from it.
//!
//! This sits beside `cluster` (which knows the home): it names no component, so the
//! kubelet, the control plane, the node shell and its programs can all use it.

pub mod journal;

use std::path::{Path, PathBuf};

/// Where kubeadm puts the static pod manifests (the kubelet's `staticPodPath`).
pub const MANIFESTS_DIR: &str = "/etc/kubernetes/manifests";
/// The kubelet's configuration file.
pub const KUBELET_CONFIG: &str = "/var/lib/kubelet/config.yaml";
/// etcd's data directory as kubeadm's etcd manifest mounts it.
pub const ETCD_DATA_DIR: &str = "/var/lib/etcd";

/// A node name usable as one path component (node names are DNS subdomains; this refuses
/// anything that could leave the nodes' directory).
pub fn valid_node_name(node: &str) -> bool {
    !node.is_empty() && node != "." && node != ".." && !node.contains(['/', '\0'])
}

/// The process id of the kubelet on `node`: what its klog lines, `ps` and the journal show.
pub fn kubelet_pid(node: &str) -> u32 {
    1000 + (crate::api::ids::hash64(&format!("kubelet/{node}")) % 9000) as u32
}

/// The root directory of `node`'s files in the cluster kept in `home`.
pub fn root(home: &Path, node: &str) -> PathBuf {
    debug_assert!(valid_node_name(node), "node name {node:?}");
    home.join("nodes").join(node)
}

/// Where an absolute path on the node (`/etc/kubernetes/manifests`) is on the host.
pub fn host_path(home: &Path, node: &str, node_path: &str) -> PathBuf {
    root(home, node).join(node_path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_paths_stay_under_the_nodes_root() {
        let home = Path::new("/h");
        assert_eq!(
            host_path(home, "master", MANIFESTS_DIR),
            PathBuf::from("/h/nodes/master/etc/kubernetes/manifests")
        );
        assert!(!valid_node_name(".."));
        assert!(!valid_node_name("a/b"));
        assert!(valid_node_name("node01"));
    }
}
