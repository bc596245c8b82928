//! The control-plane node's static pods (kubeadm's manifests in /etc/kubernetes/manifests)
//! and the mirror pods the kubelet creates for them in the API.

use super::container::str_at;
use crate::api::ids::hash64;
use crate::nodefs;
use crate::version::KUBERNETES_VERSION;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use std::path::Path;

pub const NAMESPACE: &str = "kube-system";
/// The components, in the order kubeadm writes their manifests.
pub const COMPONENTS: &[&str] = &[
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
];

/// The mirror pod name of a component on a node: `etcd-master`.
pub fn pod_name(component: &str, node: &str) -> String {
    format!("{component}-{node}")
}

/// Whether a pod is one of this node's mirror pods.
pub fn is_static_pod_name(name: &str, node: &str) -> bool {
    COMPONENTS.iter().any(|c| pod_name(c, node) == name)
}

fn host_path(name: &str, path: &str, kind: &str) -> Value {
    json!({"name": name, "hostPath": {"path": path, "type": kind}})
}

fn mount(name: &str, path: &str, read_only: bool) -> Value {
    if read_only {
        json!({"name": name, "readOnly": true, "mountPath": path})
    } else {
        json!({"name": name, "mountPath": path})
    }
}

fn probe(
    path: &str,
    port: u16,
    host: &str,
    scheme: &str,
    delay: bool,
    period: u32,
    failures: u32,
) -> Value {
    let mut p = json!({"httpGet": {"path": path, "port": port, "host": host, "scheme": scheme}});
    if delay {
        p["initialDelaySeconds"] = json!(10);
    }
    p["timeoutSeconds"] = json!(15);
    p["periodSeconds"] = json!(period);
    p["failureThreshold"] = json!(failures);
    p
}

/// Liveness, readiness and startup probes as kubeadm writes them.
fn probes(
    c: &mut Value,
    port: u16,
    host: &str,
    scheme: &str,
    live: &str,
    ready: Option<&str>,
    startup: &str,
) {
    c["livenessProbe"] = probe(live, port, host, scheme, true, 10, 8);
    if let Some(r) = ready {
        c["readinessProbe"] = probe(r, port, host, scheme, false, 1, 3);
    }
    c["startupProbe"] = probe(startup, port, host, scheme, true, 10, 24);
}

const CA_VOLUMES: &[(&str, &str)] = &[
    ("ca-certs", "/etc/ssl/certs"),
    ("etc-ca-certificates", "/etc/ca-certificates"),
];
const SHARE_VOLUMES: &[(&str, &str)] = &[
    (
        "usr-local-share-ca-certificates",
        "/usr/local/share/ca-certificates",
    ),
    ("usr-share-ca-certificates", "/usr/share/ca-certificates"),
];

/// The container and volumes of a component.
fn component(name: &str, node: &str, ip: &str) -> (Value, Vec<Value>) {
    let image = |n: &str, tag: &str| format!("registry.k8s.io/{n}:{tag}");
    let dirs = |list: &[(&str, &str)]| -> Vec<Value> {
        list.iter()
            .map(|(n, p)| host_path(n, p, "DirectoryOrCreate"))
            .collect()
    };
    match name {
        "etcd" => {
            let command = vec![
                "etcd".to_string(),
                format!("--advertise-client-urls=https://{ip}:2379"),
                "--cert-file=/etc/kubernetes/pki/etcd/server.crt".into(),
                "--client-cert-auth=true".into(),
                "--data-dir=/var/lib/etcd".into(),
                "--experimental-initial-corrupt-check=true".into(),
                "--experimental-watch-progress-notify-interval=5s".into(),
                format!("--initial-advertise-peer-urls=https://{ip}:2380"),
                format!("--initial-cluster={node}=https://{ip}:2380"),
                "--key-file=/etc/kubernetes/pki/etcd/server.key".into(),
                format!("--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379"),
                "--listen-metrics-urls=http://127.0.0.1:2381".into(),
                format!("--listen-peer-urls=https://{ip}:2380"),
                format!("--name={node}"),
                "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt".into(),
                "--peer-client-cert-auth=true".into(),
                "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key".into(),
                "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".into(),
                "--snapshot-count=10000".into(),
                "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt".into(),
            ];
            let mut c = json!({
                "name": "etcd", "image": image("etcd", "3.5.16-0"), "command": command,
                "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}},
                // kubeadm lists etcd's mounts data first; every other list is sorted by name.
                "volumeMounts": [mount("etcd-data", "/var/lib/etcd", false), mount("etcd-certs", "/etc/kubernetes/pki/etcd", false)],
            });
            probes(
                &mut c,
                2381,
                "127.0.0.1",
                "HTTP",
                "/livez",
                Some("/readyz"),
                "/readyz",
            );
            let volumes = vec![
                host_path(
                    "etcd-certs",
                    "/etc/kubernetes/pki/etcd",
                    "DirectoryOrCreate",
                ),
                host_path("etcd-data", "/var/lib/etcd", "DirectoryOrCreate"),
            ];
            (c, volumes)
        }
        "kube-apiserver" => {
            let pki = "/etc/kubernetes/pki";
            let command = vec![
                "kube-apiserver".to_string(),
                format!("--advertise-address={ip}"),
                "--allow-privileged=true".into(),
                "--authorization-mode=Node,RBAC".into(),
                format!("--client-ca-file={pki}/ca.crt"),
                "--enable-admission-plugins=NodeRestriction".into(),
                "--enable-bootstrap-token-auth=true".into(),
                format!("--etcd-cafile={pki}/etcd/ca.crt"),
                format!("--etcd-certfile={pki}/apiserver-etcd-client.crt"),
                format!("--etcd-keyfile={pki}/apiserver-etcd-client.key"),
                "--etcd-servers=https://127.0.0.1:2379".into(),
                format!("--kubelet-client-certificate={pki}/apiserver-kubelet-client.crt"),
                format!("--kubelet-client-key={pki}/apiserver-kubelet-client.key"),
                "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname".into(),
                format!("--proxy-client-cert-file={pki}/front-proxy-client.crt"),
                format!("--proxy-client-key-file={pki}/front-proxy-client.key"),
                "--requestheader-allowed-names=front-proxy-client".into(),
                format!("--requestheader-client-ca-file={pki}/front-proxy-ca.crt"),
                "--requestheader-extra-headers-prefix=X-Remote-Extra-".into(),
                "--requestheader-group-headers=X-Remote-Group".into(),
                "--requestheader-username-headers=X-Remote-User".into(),
                "--secure-port=6443".into(),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local".into(),
                format!("--service-account-key-file={pki}/sa.pub"),
                format!("--service-account-signing-key-file={pki}/sa.key"),
                "--service-cluster-ip-range=10.96.0.0/12".into(),
                format!("--tls-cert-file={pki}/apiserver.crt"),
                format!("--tls-private-key-file={pki}/apiserver.key"),
            ];
            let mut c = json!({
                "name": "kube-apiserver", "image": image("kube-apiserver", KUBERNETES_VERSION), "command": command,
                "resources": {"requests": {"cpu": "250m"}},
                "volumeMounts": [
                    mount("ca-certs", "/etc/ssl/certs", true),
                    mount("etc-ca-certificates", "/etc/ca-certificates", true),
                    mount("k8s-certs", pki, true),
                    mount("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", true),
                    mount("usr-share-ca-certificates", "/usr/share/ca-certificates", true),
                ],
            });
            probes(
                &mut c,
                6443,
                ip,
                "HTTPS",
                "/livez",
                Some("/readyz"),
                "/livez",
            );
            let mut volumes = dirs(CA_VOLUMES);
            volumes.push(host_path("k8s-certs", pki, "DirectoryOrCreate"));
            volumes.extend(dirs(SHARE_VOLUMES));
            (c, volumes)
        }
        "kube-controller-manager" => {
            let conf = "/etc/kubernetes/controller-manager.conf";
            let pki = "/etc/kubernetes/pki";
            let command = vec![
                "kube-controller-manager".to_string(),
                "--allocate-node-cidrs=true".into(),
                format!("--authentication-kubeconfig={conf}"),
                format!("--authorization-kubeconfig={conf}"),
                "--bind-address=127.0.0.1".into(),
                format!("--client-ca-file={pki}/ca.crt"),
                "--cluster-cidr=10.244.0.0/16".into(),
                "--cluster-name=kubernetes".into(),
                format!("--cluster-signing-cert-file={pki}/ca.crt"),
                format!("--cluster-signing-key-file={pki}/ca.key"),
                "--controllers=*,bootstrapsigner,tokencleaner".into(),
                format!("--kubeconfig={conf}"),
                "--leader-elect=true".into(),
                // The node lifecycle timings this cluster's node controller runs with.
                "--node-monitor-grace-period=40s".into(),
                "--node-monitor-period=5s".into(),
                format!("--requestheader-client-ca-file={pki}/front-proxy-ca.crt"),
                format!("--root-ca-file={pki}/ca.crt"),
                format!("--service-account-private-key-file={pki}/sa.key"),
                "--service-cluster-ip-range=10.96.0.0/12".into(),
                "--use-service-account-credentials=true".into(),
            ];
            let flex = "/usr/libexec/kubernetes/kubelet-plugins/volume/exec";
            let mut c = json!({
                "name": "kube-controller-manager", "image": image("kube-controller-manager", KUBERNETES_VERSION), "command": command,
                "resources": {"requests": {"cpu": "200m"}},
                "volumeMounts": [
                    mount("ca-certs", "/etc/ssl/certs", true),
                    mount("etc-ca-certificates", "/etc/ca-certificates", true),
                    mount("flexvolume-dir", flex, false),
                    mount("k8s-certs", pki, true),
                    mount("kubeconfig", conf, true),
                    mount("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", true),
                    mount("usr-share-ca-certificates", "/usr/share/ca-certificates", true),
                ],
            });
            probes(
                &mut c,
                10257,
                "127.0.0.1",
                "HTTPS",
                "/healthz",
                None,
                "/healthz",
            );
            let mut volumes = dirs(CA_VOLUMES);
            volumes.push(host_path("flexvolume-dir", flex, "DirectoryOrCreate"));
            volumes.push(host_path("k8s-certs", pki, "DirectoryOrCreate"));
            volumes.push(host_path("kubeconfig", conf, "FileOrCreate"));
            volumes.extend(dirs(SHARE_VOLUMES));
            (c, volumes)
        }
        _ => {
            let conf = "/etc/kubernetes/scheduler.conf";
            let command = vec![
                "kube-scheduler".to_string(),
                format!("--authentication-kubeconfig={conf}"),
                format!("--authorization-kubeconfig={conf}"),
                "--bind-address=127.0.0.1".into(),
                format!("--kubeconfig={conf}"),
                "--leader-elect=true".into(),
            ];
            let mut c = json!({
                "name": "kube-scheduler", "image": image("kube-scheduler", KUBERNETES_VERSION), "command": command,
                "resources": {"requests": {"cpu": "100m"}},
                "volumeMounts": [mount("kubeconfig", conf, true)],
            });
            probes(
                &mut c,
                10259,
                "127.0.0.1",
                "HTTPS",
                "/livez",
                Some("/readyz"),
                "/livez",
            );
            (c, vec![host_path("kubeconfig", conf, "FileOrCreate")])
        }
    }
}

/// The static pod manifest kubeadm writes for a component of the control-plane node `node`
/// (address `ip`): the object its `yaml.Marshal` turns into
/// `/etc/kubernetes/manifests/<component>.yaml`.
pub fn manifest(name: &str, node: &str, ip: &str) -> Value {
    let (container, volumes) = component(name, node, ip);
    let mut metadata = json!({
        "creationTimestamp": null,
        "labels": {"component": name, "tier": "control-plane"},
        "name": name,
        "namespace": NAMESPACE,
    });
    match name {
        "etcd" => {
            metadata["annotations"] = json!({
                "kubeadm.kubernetes.io/etcd.advertise-client-urls": format!("https://{ip}:2379")
            });
        }
        "kube-apiserver" => {
            metadata["annotations"] = json!({
                "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": format!("{ip}:6443")
            });
        }
        _ => {}
    }
    let mut container = container;
    container["imagePullPolicy"] = json!("IfNotPresent");
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {
            "containers": [container],
            "hostNetwork": true,
            "priority": 2_000_001_000,
            "priorityClassName": "system-node-critical",
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "volumes": volumes,
        },
        "status": {},
    })
}

/// A manifest's file bytes: sigs.k8s.io/yaml's form (keys sorted, lists not indented under
/// their key), which `kubectl -o yaml` shares.
pub fn manifest_yaml(name: &str, node: &str, ip: &str) -> String {
    crate::print::yaml::to_yaml(&manifest(name, node, ip))
}

/// Writes kubeadm's four manifests into `node`'s staticPodPath under `home`, unless that
/// directory exists: a directory that is there (even empty, its files moved out by the
/// user) was written before and is the user's. Returns whether it wrote them.
pub fn write_manifests(home: &Path, node: &str, ip: &str) -> std::io::Result<bool> {
    let dir = nodefs::host_path(home, node, nodefs::MANIFESTS_DIR);
    if dir.exists() {
        return Ok(false);
    }
    let parent = dir.parent().unwrap_or(&dir);
    std::fs::create_dir_all(parent)?;
    // Written beside the directory and renamed into place: a crash leaves either no
    // directory (written again next time) or all four files.
    let tmp = parent.join(".manifests.tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    for c in COMPONENTS {
        std::fs::write(tmp.join(format!("{c}.yaml")), manifest_yaml(c, node, ip))?;
    }
    std::fs::rename(&tmp, &dir)?;
    Ok(true)
}

/// The mirror pod the kubelet posts for a static pod read from a file: the manifest with
/// the node's name appended to its name, bound to the node, owned by it, tolerating every
/// NoExecute taint, and carrying the kubelet's `kubernetes.io/config.*` annotations. The
/// config hash is a digest of what the file says, so an edit changes it.
pub fn mirror_pod(manifest: &Value, node: &Value, now: DateTime<Utc>) -> Value {
    let node_name = str_at(node, "/metadata/name");
    let mut pod = manifest.clone();
    let canonical = serde_json::to_string(manifest).unwrap_or_default();
    let hash = config_hash(&format!("{node_name}/{canonical}"));
    if let Some(o) = pod.as_object_mut() {
        o.shift_remove("status");
        o.insert("apiVersion".into(), json!("v1"));
        o.insert("kind".into(), json!("Pod"));
    }
    if !pod.get("metadata").is_some_and(Value::is_object) {
        pod["metadata"] = json!({});
    }
    let meta = &mut pod["metadata"];
    let name = format!("{}-{node_name}", str_at(meta, "/name"));
    meta["name"] = json!(name);
    if str_at(meta, "/namespace").is_empty() {
        meta["namespace"] = json!("default");
    }
    if let Some(m) = meta.as_object_mut() {
        m.shift_remove("creationTimestamp");
        m.shift_remove("uid");
        m.shift_remove("resourceVersion");
    }
    if !meta.get("annotations").is_some_and(Value::is_object) {
        meta["annotations"] = json!({});
    }
    let annotations = &mut meta["annotations"];
    annotations["kubernetes.io/config.hash"] = json!(hash);
    annotations["kubernetes.io/config.mirror"] = json!(hash);
    annotations["kubernetes.io/config.seen"] =
        json!(now.to_rfc3339_opts(SecondsFormat::Nanos, true));
    annotations["kubernetes.io/config.source"] = json!("file");
    meta["ownerReferences"] = json!([{"apiVersion": "v1", "kind": "Node", "name": node_name, "uid": str_at(node, "/metadata/uid"), "controller": true}]);
    if !pod.get("spec").is_some_and(Value::is_object) {
        pod["spec"] = json!({});
    }
    let spec = &mut pod["spec"];
    spec["nodeName"] = json!(node_name);
    // The kubelet's file source lets static pods tolerate every NoExecute taint.
    let toleration = json!({"operator": "Exists", "effect": "NoExecute"});
    match spec.get_mut("tolerations").and_then(Value::as_array_mut) {
        Some(list) => {
            if !list.contains(&toleration) {
                list.push(toleration);
            }
        }
        None => spec["tolerations"] = json!([toleration]),
    }
    if spec.get("enableServiceLinks").is_none() {
        spec["enableServiceLinks"] = json!(true);
    }
    if let Some(containers) = spec.get_mut("containers").and_then(Value::as_array_mut) {
        for c in containers {
            if c.is_object() && c.get("imagePullPolicy").is_none() {
                let latest = str_at(c, "/image").ends_with(":latest")
                    || !str_at(c, "/image")
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .contains(':');
                c["imagePullPolicy"] = json!(if latest { "Always" } else { "IfNotPresent" });
            }
        }
    }
    pod
}

/// The value of `--flag` in a command line (`--flag=v` or `--flag v`); the last one wins, as
/// with pflag.
pub fn flag<'a>(command: &'a [String], name: &str) -> Option<&'a str> {
    let long = format!("--{name}");
    let mut found = None;
    let mut args = command.iter();
    while let Some(a) = args.next() {
        if let Some(v) = a.strip_prefix(&long).and_then(|r| r.strip_prefix('=')) {
            found = Some(v);
        } else if *a == long {
            found = args.next().map(String::as_str);
        }
    }
    found
}

/// The duration flags of the control-plane components that kubelite models: one that does
/// not parse stops the process at start (pflag's `invalid argument`), so its container exits.
const DURATION_FLAGS: &[(&str, &[&str])] = &[(
    "kube-controller-manager",
    &["node-monitor-grace-period", "node-monitor-period"],
)];

/// The exit code a control-plane static pod's container exits with at start, when its
/// command line has a flag its process refuses (then it crash-loops until the file is fixed).
pub fn exits_at_start(pod: &Value) -> Option<i64> {
    let component = pod.pointer("/metadata/labels/component")?.as_str()?;
    let (_, flags) = DURATION_FLAGS.iter().find(|(c, _)| *c == component)?;
    let container = pod.pointer("/spec/containers/0")?;
    let command: Vec<String> = ["command", "args"]
        .iter()
        .filter_map(|k| container.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    flags
        .iter()
        .filter_map(|f| flag(&command, f))
        .any(|v| crate::go::duration::seconds(v).is_none())
        .then_some(1)
}

/// Whether the kubelets of the cluster kept in `home` have made mirror pods from manifest
/// files (then a static pod without a mirror pod has no valid file).
pub fn follows_files(home: &Path) -> bool {
    super::static_files::any_recorded(home)
}

/// Decodes a manifest file as the kubelet does (`path` is where it is on the node); the
/// error is the kubelet's words for it.
pub fn decode_manifest(path: &str, bytes: &[u8]) -> Result<Value, String> {
    match super::static_files::decode(path, bytes) {
        super::static_files::Manifest::Pod(p) => Ok(p),
        super::static_files::Manifest::Invalid(why) => Err(why),
    }
}

/// Decodes kubeadm's four manifests as `write_manifests` writes them for `node` at `ip`, for
/// processes forked from this one (a `kubelite test` command forked from its zygote): every
/// command of a scenario reads them, and the YAML decode was a few percent of its CPU. The
/// decoded files are remembered by path and bytes, so a file that differs by one byte (an
/// edited manifest) is decoded afresh as before.
pub fn decode_written_manifests(node: &str, ip: &str) {
    for c in COMPONENTS {
        let path = format!("{}/{c}.yaml", nodefs::MANIFESTS_DIR);
        let yaml = manifest_yaml(c, node, ip);
        let _ = decode_manifest(&path, yaml.as_bytes());
    }
}

/// A 32-hex-digit digest, the length of the kubelet's md5 config hash.
fn config_hash(seed: &str) -> String {
    format!("{:016x}{:016x}", hash64(seed), hash64(&format!("{seed}#2")))
}

/// A node's InternalIP.
pub fn node_ip(node: &Value) -> String {
    node.pointer("/status/addresses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|x| str_at(x, "/type") == "InternalIP"))
        .map(|x| str_at(x, "/address").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> Value {
        json!({"metadata": {"name": "master", "uid": "m-1"}, "status": {"addresses": [{"type": "InternalIP", "address": "192.168.56.10"}]}})
    }

    #[test]
    fn mirror_pods_are_shaped_like_kubeadms() {
        let now = crate::clock::parse_timestamp("2026-11-29T01:42:16Z").unwrap_or_default();
        let m = |c: &str| manifest(c, "master", "192.168.56.10");
        let p = mirror_pod(&m("kube-controller-manager"), &master(), now);
        assert_eq!(p["metadata"]["name"], "kube-controller-manager-master");
        let a = &p["metadata"]["annotations"];
        assert_eq!(
            a["kubernetes.io/config.hash"],
            a["kubernetes.io/config.mirror"]
        );
        assert_eq!(
            a["kubernetes.io/config.hash"].as_str().map(str::len),
            Some(32)
        );
        assert_eq!(
            a["kubernetes.io/config.seen"],
            "2026-11-29T01:42:16.000000000Z"
        );
        assert_eq!(p["metadata"]["ownerReferences"][0]["controller"], true);
        let cmd = p["spec"]["containers"][0]["command"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(cmd.contains(&json!("--node-monitor-period=5s")));
        assert!(cmd.contains(&json!("--node-monitor-grace-period=40s")));
        assert_eq!(p["spec"]["priority"], 2_000_001_000);
        assert_eq!(p["spec"]["hostNetwork"], true);
        let etcd = mirror_pod(&m("etcd"), &master(), now);
        assert_eq!(
            etcd["metadata"]["annotations"]["kubeadm.kubernetes.io/etcd.advertise-client-urls"],
            "https://192.168.56.10:2379"
        );
        assert!(
            etcd["spec"]["containers"][0]
                .get("readinessProbe")
                .is_some()
        );
        assert!(p["spec"]["containers"][0].get("readinessProbe").is_none());
        assert!(is_static_pod_name("etcd-master", "master"));
        assert!(!is_static_pod_name("etcd-node01", "master"));
        // An edit of the file is a new config hash.
        let mut edited = m("kube-controller-manager");
        edited["spec"]["containers"][0]["command"][14] = json!("--node-monitor-grace-period=20s");
        let q = mirror_pod(&edited, &master(), now);
        assert_ne!(
            q["metadata"]["annotations"]["kubernetes.io/config.hash"],
            a["kubernetes.io/config.hash"]
        );
    }

    #[test]
    fn flags_are_read_as_pflag_reads_them() {
        let cmd: Vec<String> = [
            "kube-controller-manager",
            "--node-monitor-grace-period=40s",
            "--leader-elect",
            "--node-monitor-grace-period",
            "20s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(flag(&cmd, "node-monitor-grace-period"), Some("20s"));
        assert_eq!(flag(&cmd, "node-monitor-period"), None);
        let mut cm = manifest("kube-controller-manager", "master", "192.168.56.10");
        assert_eq!(exits_at_start(&cm), None);
        cm["spec"]["containers"][0]["command"][13] = json!("--node-monitor-grace-period=4O");
        assert_eq!(exits_at_start(&cm), Some(1));
    }

    #[test]
    fn manifests_are_written_as_kubeadm_marshals_them() {
        let etcd = manifest_yaml("etcd", "master", "192.168.56.10");
        let head = "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    \
            kubeadm.kubernetes.io/etcd.advertise-client-urls: https://192.168.56.10:2379\n  \
            creationTimestamp: null\n  labels:\n    component: etcd\n    tier: control-plane\n  \
            name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - etcd\n    \
            - --advertise-client-urls=https://192.168.56.10:2379\n";
        assert!(etcd.starts_with(head), "{etcd}");
        let tail = "  - hostPath:\n      path: /var/lib/etcd\n      type: DirectoryOrCreate\n    \
            name: etcd-data\nstatus: {}\n";
        assert!(etcd.ends_with(tail), "{etcd}");
        assert!(etcd.contains(
            "    volumeMounts:\n    - mountPath: /var/lib/etcd\n      name: etcd-data\n    \
             - mountPath: /etc/kubernetes/pki/etcd\n      name: etcd-certs\n  hostNetwork: true\n  \
             priority: 2000001000\n  priorityClassName: system-node-critical\n"
        ));
        assert!(etcd.contains(
            "    readinessProbe:\n      failureThreshold: 3\n      httpGet:\n        host: 127.0.0.1\n        \
             path: /readyz\n        port: 2381\n        scheme: HTTP\n      periodSeconds: 1\n      \
             timeoutSeconds: 15\n"
        ));
    }
}
