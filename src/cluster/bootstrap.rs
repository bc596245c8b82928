//! A new cluster's first state, as kubeadm leaves it: the four system namespaces, the
//! `kubernetes` Service, a control-plane node `master` and worker nodes `node01`, `node02`...

use super::reconcile::{self, BindingChange};
use super::wanted;
use crate::api::json::str_at;
use crate::api::options::WriteOptions;
use crate::api::registry::{self, Resource};
use crate::apiserver::{ApiServer, CreateRequest, Mended};
use crate::clock::timestamp;
use crate::version::KUBERNETES_VERSION;
use serde_json::{Value, json};

const NAMESPACES: &[&str] = wanted::SYSTEM_NAMESPACES;
/// The control-plane node's address; workers follow it (.11, .12, ...).
const MASTER_IP: [u8; 4] = [192, 168, 56, 10];
/// The control-plane node's address as text.
pub const MASTER_ADDRESS: &str = "192.168.56.10";
/// The control-plane node, where kubeadm wrote the static pod manifests.
pub const CONTROL_PLANE_NODE: &str = "master";

/// The control-plane node's files as kubeadm leaves them: its static pod manifests, written
/// when the node's manifests directory was never made (a new cluster, or a home from before
/// the nodes had files). A directory that is there is the user's, even empty.
pub fn write_node_files(home: &std::path::Path) -> Result<(), String> {
    crate::kubelet::static_pods::write_manifests(home, CONTROL_PLANE_NODE, MASTER_ADDRESS)
        .map(|_| ())
        .map_err(|e| format!("cannot write the control-plane node's manifests: {e}"))
}

/// Creates the first objects if the store is new. Every object goes through the API
/// server's create path, in one commit, so a crash leaves either nothing or everything.
pub fn ensure(server: &ApiServer, workers: usize) -> Result<(), String> {
    let revision = server.current_revision().map_err(|e| e.message)?;
    let recorded = server.load_mended().map_err(|e| e.message)?;
    if revision > 1 && unchanged_since(server, revision, recorded.as_ref())? {
        server.set_mended(Some(wanted::mended_at(revision, recorded.as_ref())));
        return Ok(());
    }
    // A real etcd is past revision 1 before anything is written to it (and kubelite's
    // hold on it is a write): a cluster there is new while it has no `default` namespace.
    if revision > 1 && !is_new(server)? {
        // Namespaces first: some of the policy's roles and bindings live in them.
        let namespaces = missing_system_namespaces(server)?;
        create_missing(
            server,
            namespaces,
            &WriteOptions::default(),
            "a system namespace",
        )?;
        apply_policy(server, policy_changes(server)?)?;
        create_flow_control(server, missing_flow_control(server)?)?;
        // Nothing written: all was in place, which the next start need not check again.
        // Something mended: looked at once more, so that the record this command's settle
        // writes says it is in place now (else every idle read after it checks it all).
        let now_at = server.current_revision().map_err(|e| e.message)?;
        let in_place = now_at == revision || all_in_place(server)?;
        server.set_mended(in_place.then(|| wanted::mended_at(now_at, recorded.as_ref())));
        return Ok(());
    }
    let now = timestamp(server.clock().now());
    let mut objects = Vec::new();
    for ns in NAMESPACES {
        objects.push((
            "namespaces",
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        ));
    }
    for ns in NAMESPACES {
        objects.push((
            "serviceaccounts",
            Some(*ns),
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": ns}}),
        ));
    }
    objects.push(("services", Some("default"), kubernetes_service()));
    objects.push(("endpoints", Some("default"), kubernetes_endpoints()));
    objects.push((
        "endpointslices",
        Some("default"),
        kubernetes_endpoint_slice(),
    ));
    objects.push(("nodes", None, node("master", 0, true, &now)));
    for i in 1..=workers {
        objects.push(("nodes", None, node(&format!("node{i:02}"), i, false, &now)));
    }
    objects.extend(super::addons::objects());
    objects.extend(super::policy::objects());
    for pc in crate::apiserver::priority::system_class_objects() {
        objects.push(("priorityclasses", None, pc));
    }
    let mut reqs = Vec::new();
    for (plural, ns, obj) in objects {
        let resource = registry::find(plural).ok_or_else(|| format!("no resource {plural}"))?;
        reqs.push(CreateRequest {
            resource,
            namespace: ns.map(str::to_string),
            object: obj,
        });
    }
    server
        .create_all(reqs)
        .map_err(|e| format!("cannot bootstrap the cluster: {}", e.message))?;
    // The flow-control objects are kube-apiserver's own, written as its field manager (a
    // commit of their own: had a crash come first, the next opening makes them).
    create_flow_control(server, missing_flow_control(server)?)?;
    server.write_allocation_ranges().map_err(|e| e.message)?;
    // All of it was just made as wanted: the next start has nothing to check.
    let revision = server.current_revision().map_err(|e| e.message)?;
    server.set_mended(Some(wanted::mended_at(revision, recorded.as_ref())));
    Ok(())
}

/// Whether the cluster was never bootstrapped: its first boot, which writes the address
/// ranges last, never completed, and it has no `default` namespace (a store from before the
/// ranges were written has one). A missing `default` alone is a namespace to make again.
fn is_new(server: &ApiServer) -> Result<bool, String> {
    if server.has_allocation_ranges().map_err(|e| e.message)? {
        return Ok(false);
    }
    let namespaces = registry::find("namespaces").ok_or("namespaces are not served")?;
    match server.get(namespaces, None, "default") {
        Ok(_) => Ok(false),
        Err(e) if e.code == 404 => Ok(true),
        Err(e) => Err(e.message),
    }
}

/// Whether an existing cluster's kube-apiserver-owned state is as a start would leave it:
/// no system namespace, bootstrap role or binding, or flow-control object to make or mend.
/// Read-only (what a start would write, worked out without writing it), for a reader that
/// opens the store read-only only when a start would change nothing.
pub fn in_place(server: &ApiServer) -> Result<bool, String> {
    let revision = server.current_revision().map_err(|e| e.message)?;
    let recorded = server.load_mended().map_err(|e| e.message)?;
    if unchanged_since(server, revision, recorded.as_ref())? {
        return Ok(true);
    }
    all_in_place(server)
}

/// What `in_place` reads when the record cannot answer for it: the whole of that state.
fn all_in_place(server: &ApiServer) -> Result<bool, String> {
    Ok(!is_new(server)?
        && missing_system_namespaces(server)?.is_empty()
        && policy_changes(server)?.is_empty()
        && missing_flow_control(server)?.is_empty())
}

/// Carries what this server's start found in place (`set_mended`) forward to the store's
/// current revision, before a settle records it. A settle writes some of that state itself
/// (the aggregated ClusterRoles `admin`, `edit` and `view` are filled by a controller):
/// left at the start's revision, the record would send every later idle read through the
/// whole check. So it is moved on when none of that state was written since, or when it
/// was and all of it is still in place (checked once, here, by the process that wrote it);
/// when something is amiss (a role stripped, a binding deleted) nothing is recorded, and
/// the next start checks it all and mends it.
pub fn carry_mended(server: &ApiServer) {
    let Some(mended) = server.mended() else {
        return;
    };
    let carried = (|| -> Result<Option<Mended>, String> {
        // Taken first: whatever is written after it, the next start finds written after it.
        let revision = server.current_revision().map_err(|e| e.message)?;
        if revision <= mended.revision {
            return Ok(Some(mended.clone()));
        }
        let still = !changed_after(server, mended.revision)? || all_in_place(server)?;
        Ok(still.then(|| Mended {
            revision,
            ..mended.clone()
        }))
    })();
    server.set_mended(carried.unwrap_or(None));
}

/// Whether a start found everything in place at a revision after which none of what it
/// checks was written (nor deleted), wanting what this kubelite wants: then it is still in
/// place at `revision` (the store's current one), and reading it all again is not needed.
fn unchanged_since(
    server: &ApiServer,
    revision: i64,
    recorded: Option<&Mended>,
) -> Result<bool, String> {
    let Some(mended) = recorded else {
        return Ok(false);
    };
    if mended.revision > revision || mended.wanted != wanted::fingerprint_given(recorded) {
        return Ok(false);
    }
    Ok(!changed_after(server, mended.revision)?)
}

/// Whether any of the state a start keeps in place (the system namespaces, the policy's
/// kinds where it writes them, the flow-control objects) was written or deleted after
/// `revision`.
fn changed_after(server: &ApiServer, revision: i64) -> Result<bool, String> {
    let find = |plural: &str| registry::find(plural).ok_or_else(|| format!("no resource {plural}"));
    let mut places: Vec<(&Resource, Option<&str>, Option<&str>)> = Vec::new();
    for ns in NAMESPACES {
        places.push((find("namespaces")?, None, Some(*ns)));
    }
    for plural in super::policy_store::CLUSTER_WIDE {
        places.push((super::policy_store::resource(plural)?, None, None));
    }
    for ns in super::policy_store::NAMESPACES {
        for plural in super::policy_store::NAMESPACED {
            places.push((super::policy_store::resource(plural)?, Some(ns), None));
        }
    }
    for plural in ["flowschemas", "prioritylevelconfigurations"] {
        places.push((find(plural)?, None, None));
    }
    server
        .changed_after(&places, revision)
        .map_err(|e| e.message)
}

/// The system namespaces made again when they are missing, as kube-apiserver's own
/// controllers do (`default` by its kubernetes-service controller, the `kube-*` ones by its
/// system-namespaces controller): a namespace a user deleted, or whose key was removed from
/// the store, is back at the next start. One that is there (even terminating) is left as it
/// is.
fn missing_system_namespaces(server: &ApiServer) -> Result<Vec<CreateRequest>, String> {
    let namespaces = registry::find("namespaces").ok_or("namespaces are not served")?;
    let have = server
        .list_names(namespaces, None, "")
        .map_err(|e| e.message)?;
    Ok(NAMESPACES
        .iter()
        .filter(|ns| !have.iter().any(|h| h == *ns))
        .map(|ns| CreateRequest {
            resource: namespaces,
            namespace: None,
            object: json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        })
        .collect())
}

/// Creates what a start found missing (`what` names it in an error); one made meanwhile by
/// another process is there, as wanted.
fn create_missing(
    server: &ApiServer,
    reqs: Vec<CreateRequest>,
    opts: &WriteOptions,
    what: &str,
) -> Result<(), String> {
    if reqs.is_empty() {
        return Ok(());
    }
    for result in server.create_many(reqs, opts) {
        match result {
            Ok(_) => {}
            Err(e) if e.code == 409 => {}
            Err(e) => return Err(format!("cannot make {what} again: {}", e.message)),
        }
    }
    Ok(())
}

/// What kube-apiserver's bootstrap policy needs to hold again, as it does each time it
/// starts: its roles and bindings that are missing are created, and those there gain what
/// they lack (`reconcile`). kubeadm's and kubelite's own objects are written once, with the
/// rest of a new cluster, or when a store from before kubelite served RBAC has no policy at
/// all. Empty when nothing differs.
#[derive(Default)]
struct PolicyChanges {
    updates: Vec<(&'static str, Option<&'static str>, String, Value)>,
    /// Bindings whose roleRef names another role: deleted, then created with the rest.
    deletes: Vec<(&'static str, Option<&'static str>, String)>,
    creates: Vec<CreateRequest>,
}

impl PolicyChanges {
    fn is_empty(&self) -> bool {
        self.updates.is_empty() && self.deletes.is_empty() && self.creates.is_empty()
    }
}

fn policy_changes(server: &ApiServer) -> Result<PolicyChanges, String> {
    let mut existing = super::policy_store::read(server)?;
    let no_policy = !existing.contains_key(&("clusterroles", None, "cluster-admin".to_string()));
    let mut changes = PolicyChanges::default();
    for (plural, ns, want) in super::policy::objects() {
        if !no_policy && !super::policy::is_bootstrap(&want) {
            continue;
        }
        let name = str_at(&want, "/metadata/name").to_string();
        let Some(have) = existing.remove(&(plural, ns, name.clone())) else {
            changes
                .creates
                .push(super::policy_store::create_request(plural, ns, want)?);
            continue;
        };
        match plural {
            "clusterroles" | "roles" => {
                if let Some(updated) = reconcile::role(have, &want) {
                    changes.updates.push((plural, ns, name, updated));
                }
            }
            _ => match reconcile::binding(have, &want) {
                Some(BindingChange::Update(updated)) => {
                    changes.updates.push((plural, ns, name, updated));
                }
                Some(BindingChange::Recreate) => {
                    changes.deletes.push((plural, ns, name));
                    changes
                        .creates
                        .push(super::policy_store::create_request(plural, ns, want)?);
                }
                None => {}
            },
        }
    }
    Ok(changes)
}

fn apply_policy(server: &ApiServer, changes: PolicyChanges) -> Result<(), String> {
    for (plural, ns, name, updated) in changes.updates {
        super::policy_store::update(server, plural, ns, &name, updated)?;
    }
    for (plural, ns, name) in changes.deletes {
        super::policy_store::delete(server, plural, ns, &name)?;
    }
    if changes.creates.is_empty() {
        return Ok(());
    }
    for result in server.create_many(changes.creates, &WriteOptions::default()) {
        match result {
            Ok(_) => {}
            // Made meanwhile by another process, or its namespace is gone.
            Err(e) if e.code == 409 || e.code == 404 => {}
            Err(e) => return Err(format!("cannot add the RBAC policy: {}", e.message)),
        }
    }
    Ok(())
}

/// The API Priority and Fairness objects kube-apiserver keeps: each one missing (a store from
/// before kubelite served them, or one a user deleted) is created again when the cluster
/// opens, as kube-apiserver's configuration ensurer does when it starts.
fn missing_flow_control(server: &ApiServer) -> Result<Vec<CreateRequest>, String> {
    // Every command opens the cluster: the names are read as keys only, not decoded objects.
    let mut have: Vec<(String, String)> = Vec::new();
    for plural in ["flowschemas", "prioritylevelconfigurations"] {
        let r = registry::find(plural).ok_or("flowcontrol is not served")?;
        let names = server.list_names(r, None, "").map_err(|e| e.message)?;
        have.extend(names.into_iter().map(|n| (plural.to_string(), n)));
    }
    let mut reqs = Vec::new();
    for (plural, obj) in crate::api::flowcontrol::bootstrap_objects() {
        let name = obj.pointer("/metadata/name").and_then(Value::as_str);
        if have.contains(&(plural.to_string(), name.unwrap_or("").to_string())) {
            continue;
        }
        let resource = registry::find(plural).ok_or_else(|| format!("no resource {plural}"))?;
        reqs.push(CreateRequest {
            resource,
            namespace: None,
            object: obj,
        });
    }
    Ok(reqs)
}

/// The flow-control objects created as kube-apiserver's ensurer creates them: as its field
/// manager.
fn create_flow_control(server: &ApiServer, reqs: Vec<CreateRequest>) -> Result<(), String> {
    let opts = WriteOptions {
        field_manager: Some(crate::api::flowcontrol::PRODUCER.to_string()),
        ..WriteOptions::default()
    };
    create_missing(server, reqs, &opts, "the flow-control configuration")
}

fn node_ip(index: usize) -> String {
    let [a, b, c, d] = MASTER_IP;
    format!("{a}.{b}.{c}.{}", usize::from(d) + index)
}

fn kubernetes_service() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"ports": [{"name": "https", "protocol": "TCP", "port": 443, "targetPort": 6443}], "clusterIP": "10.96.0.1"}
    })
}

fn kubernetes_endpoints() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": node_ip(0)}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    })
}

/// The API server's own EndpointSlice for the `kubernetes` Service.
fn kubernetes_endpoint_slice() -> Value {
    json!({
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"kubernetes.io/service-name": "kubernetes"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [node_ip(0)], "conditions": {"ready": true}}],
        "ports": [{"name": "https", "protocol": "TCP", "port": 6443}]
    })
}

/// A node as its kubelet registers it, Ready.
fn node(name: &str, index: usize, control_plane: bool, now: &str) -> Value {
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    });
    let mut spec = json!({"podCIDR": format!("10.244.{index}.0/24"), "podCIDRs": [format!("10.244.{index}.0/24")]});
    if control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
        spec["taints"] =
            json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]);
    }
    let condition = |kind: &str, status: &str, reason: &str, message: &str| json!({"type": kind, "status": status, "lastHeartbeatTime": now, "lastTransitionTime": now, "reason": reason, "message": message});
    let resources = |memory: &str, storage: &str| json!({"cpu": "2", "ephemeral-storage": storage, "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": memory, "pods": "110"});
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"
            }
        },
        "spec": spec,
        "status": {
            "capacity": resources("4015556Ki", "20134592Ki"),
            "allocatable": resources("3913156Ki", "18556039957"),
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "addresses": [{"type": "InternalIP", "address": node_ip(index)}, {"type": "Hostname", "address": name}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": crate::api::ids::uid(&format!("machine/{name}")).replace('-', ""),
                "systemUUID": crate::api::ids::uid(&format!("system/{name}")),
                "bootID": crate::api::ids::uid(&format!("boot/{name}")),
                "kernelVersion": "5.15.0-126-generic",
                "osImage": "Ubuntu 22.04.5 LTS",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kubeletVersion": KUBERNETES_VERSION,
                "kubeProxyVersion": KUBERNETES_VERSION,
                "operatingSystem": "linux",
                "architecture": "amd64"
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_without_the_policy_gets_it_once() {
        let dir = std::env::temp_dir().join(format!("kubelite-policy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let server = ApiServer::on_new_store(&dir).expect("server");
        let ns = registry::find("namespaces").expect("namespaces");
        for name in ["default", "other"] {
            server
                .create(
                    ns,
                    None,
                    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
                    &WriteOptions::default(),
                )
                .expect("namespace");
        }
        ensure(&server, 1).expect("ensure");
        let roles = registry::find("clusterroles.rbac.authorization.k8s.io").expect("roles");
        assert!(server.get(roles, None, "cluster-admin").is_ok());
        // No nodes: the cluster was not bootstrapped again, only given its policy.
        let nodes = registry::find("nodes").expect("nodes");
        assert!(server.get(nodes, None, "master").is_err());
        let revision = server.current_revision().expect("revision");
        ensure(&server, 1).expect("again");
        assert_eq!(server.current_revision().expect("revision"), revision);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
