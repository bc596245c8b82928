//! The files a kubeadm 1.32 node has besides its static pod manifests: the kubeconfigs in
//! `/etc/kubernetes/` (all of them on the control-plane node, `kubelet.conf` on workers),
//! the kubelet's configuration and flags in `/var/lib/kubelet/`, and the certificates
//! (`pki`). They are written on the first `node ssh` to a node, not when the cluster is
//! made (which stays fast); a file already there is left as it is, so edits survive.
//!
//! The kubeconfigs point at the embedded cluster (`kubelite:///<home>`), the server URL
//! kubelite's own kubectl understands, so `kubectl --kubeconfig /etc/kubernetes/admin.conf`
//! works in the node shell.

use super::pki::{self, NodeIdentity};
use super::write::{Mode, write_file};
use base64::Engine;
use std::path::Path;

/// Makes sure `id`'s node has its kubeadm files in its root (`home`'s `nodes/<node>`).
pub fn ensure(home: &Path, id: &NodeIdentity) -> Result<(), String> {
    let root = crate::nodefs::root(home, id.node);
    // The manifests and etcd's data directory are the kubelet's to make (an empty
    // manifests directory would mean "no static pods"); the logs' are the node's.
    for dir in ["/var/log/pods", "/var/log/containers"] {
        let path = crate::nodefs::host_path(home, id.node, dir);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot make {}: {e}", path.display()))?;
    }
    pki::ensure(home, &root, id)?;
    let missing = |p: &str| !root.join(p.trim_start_matches('/')).exists();
    let write_new = |p: &str, text: &str, mode: Mode| -> Result<(), String> {
        if missing(p) {
            write_file(&root, p, text.as_bytes(), mode)?;
        }
        Ok(())
    };
    write_new(crate::nodefs::KUBELET_CONFIG, KUBELET_CONFIG, Mode::Public)?;
    write_new(
        "/var/lib/kubelet/kubeadm-flags.env",
        KUBEADM_FLAGS,
        Mode::Public,
    )?;
    let server = format!("{}{}", crate::kubeconfig::EMBEDDED_SCHEME, home.display());
    let needed = missing("/etc/kubernetes/kubelet.conf")
        || (id.control_plane && missing("/etc/kubernetes/admin.conf"));
    if !needed {
        return Ok(());
    }
    let ca = std::fs::read(root.join("etc/kubernetes/pki/ca.crt"))
        .map_err(|e| format!("cannot read the node's CA: {e}"))?;
    let kubeconfig =
        |user: &str, credentials: Credentials| kubeconfig_text(&server, &ca, user, credentials);
    let kubelet_user = format!("system:node:{}", id.node);
    write_new(
        "/etc/kubernetes/kubelet.conf",
        &kubeconfig(&kubelet_user, Credentials::Files(pki::KUBELET_CLIENT)),
        Mode::Private,
    )?;
    if !id.control_plane {
        return Ok(());
    }
    // The identities kubeadm gives each component's kubeconfig.
    for (file, user, organization) in [
        (
            "admin.conf",
            "kubernetes-admin",
            Some("kubeadm:cluster-admins"),
        ),
        (
            "super-admin.conf",
            "kubernetes-super-admin",
            Some("system:masters"),
        ),
        (
            "controller-manager.conf",
            "system:kube-controller-manager",
            None,
        ),
        ("scheduler.conf", "system:kube-scheduler", None),
    ] {
        let path = format!("/etc/kubernetes/{file}");
        if missing(&path) {
            let (cert, key) = pki::client_pair(home, user, organization)?;
            write_new(
                &path,
                &kubeconfig(user, Credentials::Data(&cert, &key)),
                Mode::Private,
            )?;
        }
    }
    Ok(())
}

/// How a kubeconfig's user proves who it is.
enum Credentials<'a> {
    /// PEM certificate and key, embedded as data.
    Data(&'a str, &'a str),
    /// One file holding both (the kubelet's rotated certificate).
    Files(&'a str),
}

/// A kubeconfig in kubeadm's shape: one cluster `kubernetes`, one user, one context
/// `<user>@kubernetes`.
fn kubeconfig_text(server: &str, ca: &[u8], user: &str, credentials: Credentials) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let user_fields = match credentials {
        Credentials::Data(cert, key) => format!(
            "    client-certificate-data: {}\n    client-key-data: {}\n",
            b64(cert.as_bytes()),
            b64(key.as_bytes())
        ),
        Credentials::Files(file) => {
            format!("    client-certificate: {file}\n    client-key: {file}\n")
        }
    };
    format!(
        "apiVersion: v1\n\
         clusters:\n\
         - cluster:\n    certificate-authority-data: {ca}\n    server: {server}\n  name: kubernetes\n\
         contexts:\n\
         - context:\n    cluster: kubernetes\n    user: {user}\n  name: {user}@kubernetes\n\
         current-context: {user}@kubernetes\n\
         kind: Config\n\
         preferences: {{}}\n\
         users:\n\
         - name: {user}\n  user:\n{user_fields}",
        ca = b64(ca),
    )
}

/// The kubelet's flags kubeadm writes at join time (`KUBELET_KUBEADM_ARGS`).
const KUBEADM_FLAGS: &str = "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n";

/// `/var/lib/kubelet/config.yaml` as kubeadm 1.32 writes it: kubeadm's defaults, with the
/// static pods read from `/etc/kubernetes/manifests`.
const KUBELET_CONFIG: &str = "\
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: \"\"
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: \"0\"
    text:
      infoBufferSize: \"0\"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /run/systemd/resolve/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
";
