//! The server-side half: the cells of our Tables for the reference cluster's objects, checked
//! against what `kubectl get ... -o wide` shows on that real cluster at the reference time, and
//! synthetic pods for every STATUS rule.

mod support;

use kubelite::print::columns::{IncludeObject, set_resource_version, table, table_with};
use serde_json::{Value, json};
use support::{now, object, objects};

/// The cells of the one-object table, as strings (numbers printed plainly).
fn cells(resource: &str, obj: &Value) -> Vec<String> {
    let t = table(resource, std::slice::from_ref(obj), now(), false);
    t["rows"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| match c {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn row(resource: &str, stem: &str) -> Vec<String> {
    cells(resource, &object(stem))
}

fn columns(resource: &str) -> Vec<(String, i64)> {
    table(resource, &[], now(), false)["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["priority"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn names(cols: &[(String, i64)], priority: i64) -> Vec<&str> {
    cols.iter()
        .filter(|c| c.1 == priority)
        .map(|c| c.0.as_str())
        .collect()
}

#[test]
fn column_sets_match_kube_apiserver() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "pods",
            &["Name", "Ready", "Status", "Restarts", "Age"],
            &["IP", "Node", "Nominated Node", "Readiness Gates"],
        ),
        (
            "nodes",
            &["Name", "Status", "Roles", "Age", "Version"],
            &[
                "Internal-IP",
                "External-IP",
                "OS-Image",
                "Kernel-Version",
                "Container-Runtime",
            ],
        ),
        ("namespaces", &["Name", "Status", "Age"], &[]),
        (
            "services",
            &[
                "Name",
                "Type",
                "Cluster-IP",
                "External-IP",
                "Port(s)",
                "Age",
            ],
            &["Selector"],
        ),
        ("endpoints", &["Name", "Endpoints", "Age"], &[]),
        (
            "endpointslices",
            &["Name", "AddressType", "Ports", "Endpoints", "Age"],
            &[],
        ),
        (
            "deployments.apps",
            &["Name", "Ready", "Up-to-date", "Available", "Age"],
            &["Containers", "Images", "Selector"],
        ),
        (
            "replicasets",
            &["Name", "Desired", "Current", "Ready", "Age"],
            &["Containers", "Images", "Selector"],
        ),
        (
            "daemonsets",
            &[
                "Name",
                "Desired",
                "Current",
                "Ready",
                "Up-to-date",
                "Available",
                "Node Selector",
                "Age",
            ],
            &["Containers", "Images", "Selector"],
        ),
        (
            "events",
            &["Last Seen", "Type", "Reason", "Object", "Message"],
            &["Subobject", "Source", "First Seen", "Count", "Name"],
        ),
        ("configmaps", &["Name", "Data", "Age"], &[]),
        ("secrets", &["Name", "Type", "Data", "Age"], &[]),
        ("serviceaccounts", &["Name", "Secrets", "Age"], &[]),
        ("leases", &["Name", "Holder", "Age"], &[]),
        ("widgets.example.com", &["Name", "Created At"], &[]),
    ];
    for (resource, normal, wide) in cases {
        let cols = columns(resource);
        assert_eq!(names(&cols, 0), *normal, "{resource}");
        assert_eq!(names(&cols, 1), *wide, "{resource}");
    }
    // kubectl's `get all` prefix needs the name column to say format "name".
    let t = table("pods", &[], now(), false);
    assert_eq!(t["columnDefinitions"][0]["format"], "name");
    assert_eq!(t["kind"], "Table");
    assert_eq!(t["apiVersion"], "meta.k8s.io/v1");
}

#[test]
fn reference_pods_as_a_real_cluster_shows_them() {
    let none = "<none>";
    let expect: &[(&str, [&str; 9])] = &[
        (
            "pod-default-myapp-pod",
            [
                "myapp-pod",
                "1/1",
                "Running",
                "0",
                "15m",
                "10.244.1.6",
                "node01",
                none,
                none,
            ],
        ),
        (
            "pod-default-too-big",
            [
                "too-big", "0/1", "Pending", "0", "25m", none, none, none, none,
            ],
        ),
        (
            "pod-default-web-5d8f7c9b6-9bxlj",
            [
                "web-5d8f7c9b6-9bxlj",
                "1/1",
                "Running",
                "0",
                "20m",
                "10.244.2.3",
                "node02",
                none,
                none,
            ],
        ),
        (
            "pod-default-myapp-replicaset-gd22p",
            [
                "myapp-replicaset-gd22p",
                "1/1",
                "Running",
                "0",
                "30m",
                "10.244.1.4",
                "node01",
                none,
                none,
            ],
        ),
        (
            "pod-team-a-api",
            [
                "api",
                "2/2",
                "Running",
                "1 (41m ago)",
                "42m",
                "10.244.1.2",
                "node01",
                none,
                none,
            ],
        ),
        (
            "pod-kube-system-etcd-master",
            [
                "etcd-master",
                "1/1",
                "Running",
                "0",
                "3d1h",
                "192.168.56.10",
                "master",
                none,
                none,
            ],
        ),
        (
            "pod-kube-system-coredns-668d6bf9bc-d6sn9",
            [
                "coredns-668d6bf9bc-d6sn9",
                "1/1",
                "Running",
                "0",
                "3d1h",
                "10.244.0.2",
                "master",
                none,
                none,
            ],
        ),
        (
            "pod-kube-flannel-kube-flannel-ds-zz2h7",
            [
                "kube-flannel-ds-zz2h7",
                "1/1",
                "Running",
                "0",
                "3d1h",
                "192.168.56.12",
                "node02",
                none,
                none,
            ],
        ),
    ];
    for (stem, want) in expect {
        assert_eq!(row("pods", stem), want.to_vec(), "{stem}");
    }
}

#[test]
fn reference_nodes_namespaces_and_leases() {
    let node = |stem| row("nodes", stem);
    assert_eq!(
        node("node-master"),
        [
            "master",
            "Ready",
            "control-plane",
            "3d2h",
            "v1.32.2",
            "192.168.56.10",
            "<none>",
            "Ubuntu 22.04.5 LTS",
            "5.15.0-126-generic",
            "containerd://1.7.24"
        ]
    );
    assert_eq!(
        node("node-node01")[..5],
        ["node01", "Ready", "<none>", "3d1h", "v1.32.2"]
    );
    assert_eq!(node("node-node02")[5], "192.168.56.12");
    assert_eq!(
        row("namespaces", "namespace-team-a"),
        ["team-a", "Active", "65m"]
    );
    assert_eq!(
        row("namespaces", "namespace-kube-system"),
        ["kube-system", "Active", "3d2h"]
    );
    assert_eq!(row("leases", "lease-node01"), ["node01", "node01", "3d1h"]);
}

#[test]
fn reference_services_and_endpoints() {
    assert_eq!(
        row("services", "service-default-kubernetes"),
        [
            "kubernetes",
            "ClusterIP",
            "10.96.0.1",
            "<none>",
            "443/TCP",
            "3d2h",
            "<none>"
        ]
    );
    assert_eq!(
        row("services", "service-default-web"),
        [
            "web",
            "NodePort",
            "10.109.83.21",
            "<none>",
            "80:30080/TCP",
            "19m",
            "app=web"
        ]
    );
    assert_eq!(
        row("services", "service-team-a-api"),
        [
            "api",
            "ClusterIP",
            "10.103.47.112",
            "<none>",
            "8080/TCP",
            "42m",
            "app=api"
        ]
    );
    assert_eq!(
        row("endpoints", "endpoints-default-web"),
        ["web", "10.244.1.5:80,10.244.2.3:80,10.244.2.4:80", "19m"]
    );
    assert_eq!(
        row("endpoints", "endpoints-default-kubernetes"),
        ["kubernetes", "192.168.56.10:6443", "3d2h"]
    );
    assert_eq!(
        row("endpointslices", "endpointslice-default-web"),
        [
            "web-cbz2f",
            "IPv4",
            "80",
            "10.244.1.5,10.244.2.3,10.244.2.4",
            "19m"
        ]
    );
}

#[test]
fn reference_workloads() {
    assert_eq!(
        row("deployments", "deployment-default-web"),
        [
            "web",
            "3/3",
            "3",
            "3",
            "20m",
            "nginx",
            "nginx:1.27",
            "app=web"
        ]
    );
    assert_eq!(
        row("replicasets", "replicaset-default-web-5d8f7c9b6"),
        [
            "web-5d8f7c9b6",
            "3",
            "3",
            "3",
            "20m",
            "nginx",
            "nginx:1.27",
            "app=web,pod-template-hash=5d8f7c9b6"
        ]
    );
    assert_eq!(
        row("replicasets", "replicaset-default-myapp-replicaset"),
        [
            "myapp-replicaset",
            "3",
            "3",
            "3",
            "30m",
            "nginx-container",
            "nginx",
            "type=back-end"
        ]
    );
    assert_eq!(
        row("daemonsets", "daemonset-kube-system-kube-proxy"),
        [
            "kube-proxy",
            "3",
            "3",
            "3",
            "3",
            "3",
            "kubernetes.io/os=linux",
            "3d1h",
            "kube-proxy",
            "registry.k8s.io/kube-proxy:v1.32.2",
            "k8s-app=kube-proxy"
        ]
    );
    // Integer columns carry JSON integers, as the real server sends them.
    let t = table(
        "daemonsets",
        &[object("daemonset-kube-flannel-kube-flannel-ds")],
        now(),
        false,
    );
    assert_eq!(t["rows"][0]["cells"][1], json!(3));
}

#[test]
fn reference_events() {
    let events = support::events(None);
    let find = |name_prefix: &str, reason: &str| {
        let e = events
            .iter()
            .find(|e| {
                e["metadata"]["name"]
                    .as_str()
                    .unwrap()
                    .starts_with(name_prefix)
                    && e["reason"] == reason
            })
            .unwrap();
        cells("events", e)
    };
    // An event with a series: LAST SEEN from the series, COUNT from the series.
    let too_big = find("too-big", "FailedScheduling");
    assert_eq!(
        too_big[..4],
        ["10m", "Warning", "FailedScheduling", "pod/too-big"]
    );
    assert_eq!(too_big[7..9], ["25m", "4"]);
    // events.k8s.io-style event: no first/last timestamp, eventTime used, count 1, reporting source.
    let scheduled = find("api.", "Scheduled");
    assert_eq!(scheduled[0], "42m");
    assert_eq!(scheduled[5], "default-scheduler, default-scheduler-master");
    assert_eq!(scheduled[8], "1");
    let started = find("api.", "Started");
    assert_eq!(
        started,
        [
            "41m",
            "Normal",
            "Started",
            "pod/api",
            "spec.containers{api}",
            "kubelet, node01",
            "Started container api",
            "42m",
            "2",
            started[9].as_str()
        ]
    );
    let created = find("myapp-replicaset.", "SuccessfulCreate");
    assert_eq!(created[3], "replicaset/myapp-replicaset");
}

#[test]
fn rows_carry_objects_as_asked() {
    let pod = object("pod-default-myapp-pod");
    let meta = table("pods", std::slice::from_ref(&pod), now(), false);
    assert_eq!(meta["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(meta["rows"][0]["object"]["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(
        meta["rows"][0]["object"]["metadata"]["labels"]["run"],
        pod["metadata"]["labels"]["run"]
    );
    assert!(meta["rows"][0]["object"].get("spec").is_none());
    // Whole objects get kind/apiVersion even when the stored list item lacks them.
    let mut bare = pod.clone();
    bare.as_object_mut().unwrap().remove("kind");
    bare.as_object_mut().unwrap().remove("apiVersion");
    let full = table("pods", &[bare], now(), true);
    assert_eq!(full["rows"][0]["object"]["kind"], "Pod");
    assert_eq!(full["rows"][0]["object"]["apiVersion"], "v1");
    assert_eq!(full["rows"][0]["object"]["spec"]["nodeName"], "node01");
    let none = table_with("pods", &[pod], now(), IncludeObject::None);
    assert!(none["rows"][0].get("object").is_none());
    let mut t = table("pods", &[], now(), false);
    set_resource_version(&mut t, "82775");
    assert_eq!(t["metadata"]["resourceVersion"], "82775");
}

#[test]
fn generic_fallback_prints_name_and_creation_date() {
    let obj = json!({"metadata": {"name": "w1", "creationTimestamp": "2026-11-29T01:00:00Z"}});
    assert_eq!(
        cells("widgets.example.com", &obj),
        ["w1", "2026-11-29T01:00:00Z"]
    );
    let t = table("widgets", &[obj], now(), false);
    assert_eq!(t["columnDefinitions"][1]["type"], "date");
}

// ---- pod STATUS rules on synthetic pods ----

fn pod(spec: Value, status: Value) -> Value {
    json!({"metadata": {"name": "p", "namespace": "default", "creationTimestamp": "2026-11-29T01:37:16Z"},
           "spec": spec, "status": status})
}

fn one_container() -> Value {
    json!({"containers": [{"name": "c", "image": "nginx"}]})
}

fn status_of(p: &Value) -> (String, String, String) {
    let c = cells("pods", p);
    (c[1].clone(), c[2].clone(), c[3].clone())
}

fn s(ready: &str, status: &str, restarts: &str) -> (String, String, String) {
    (ready.into(), status.into(), restarts.into())
}

#[test]
fn pod_status_waiting_reasons() {
    let waiting = |reason: &str| {
        pod(
            one_container(),
            json!({"phase": "Pending", "containerStatuses": [
            {"name": "c", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": reason}}}]}),
        )
    };
    assert_eq!(
        status_of(&waiting("ContainerCreating")),
        s("0/1", "ContainerCreating", "0")
    );
    assert_eq!(
        status_of(&waiting("ErrImagePull")),
        s("0/1", "ErrImagePull", "0")
    );
    assert_eq!(
        status_of(&waiting("ImagePullBackOff")),
        s("0/1", "ImagePullBackOff", "0")
    );
    let crash = pod(
        one_container(),
        json!({"phase": "Running", "containerStatuses": [
        {"name": "c", "ready": false, "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
         "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2026-11-29T01:37:16Z"}}}]}),
    );
    assert_eq!(
        status_of(&crash),
        s("0/1", "CrashLoopBackOff", "3 (5m ago)")
    );
}

#[test]
fn pod_status_terminated_and_completed() {
    let done = pod(
        one_container(),
        json!({"phase": "Succeeded", "containerStatuses": [
        {"name": "c", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
    );
    assert_eq!(status_of(&done), s("0/1", "Completed", "0"));
    let t = table("pods", &[done], now(), false);
    assert_eq!(t["rows"][0]["conditions"][0]["reason"], "Succeeded");
    let killed = pod(
        one_container(),
        json!({"phase": "Failed", "containerStatuses": [
        {"name": "c", "restartCount": 0, "state": {"terminated": {"exitCode": 137, "signal": 9}}}]}),
    );
    assert_eq!(status_of(&killed), s("0/1", "Signal:9", "0"));
    let exit = pod(
        one_container(),
        json!({"phase": "Failed", "containerStatuses": [
        {"name": "c", "restartCount": 0, "state": {"terminated": {"exitCode": 2}}}]}),
    );
    assert_eq!(status_of(&exit), s("0/1", "ExitCode:2", "0"));
    // One container done, another still running: Running if the pod is Ready, else NotReady.
    let two = json!({"containers": [{"name": "a"}, {"name": "b"}]});
    let statuses = json!([
        {"name": "a", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
        {"name": "b", "ready": true, "restartCount": 0, "state": {"running": {}}}]);
    let ready = pod(
        two.clone(),
        json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": statuses}),
    );
    assert_eq!(status_of(&ready), s("1/2", "Running", "0"));
    let not_ready = pod(
        two,
        json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}], "containerStatuses": statuses}),
    );
    assert_eq!(status_of(&not_ready), s("1/2", "NotReady", "0"));
}

#[test]
fn pod_status_init_containers() {
    let spec =
        json!({"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "c"}]});
    let running_init = pod(
        spec.clone(),
        json!({"phase": "Pending", "initContainerStatuses": [
        {"name": "i1", "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
        {"name": "i2", "restartCount": 0, "state": {"running": {}}}],
        "containerStatuses": [{"name": "c", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]}),
    );
    assert_eq!(status_of(&running_init), s("0/1", "Init:1/2", "0"));
    let crashing = pod(
        spec.clone(),
        json!({"phase": "Pending", "initContainerStatuses": [
        {"name": "i1", "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
         "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-29T01:41:16Z"}}}]}),
    );
    assert_eq!(
        status_of(&crashing),
        s("0/1", "Init:CrashLoopBackOff", "4 (60s ago)")
    );
    let failed = pod(
        spec.clone(),
        json!({"phase": "Failed", "initContainerStatuses": [
        {"name": "i1", "restartCount": 0, "state": {"terminated": {"exitCode": 3}}}]}),
    );
    assert_eq!(status_of(&failed), s("0/1", "Init:ExitCode:3", "0"));
    let waiting_first = pod(
        spec,
        json!({"phase": "Pending", "initContainerStatuses": [
        {"name": "i1", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]}),
    );
    assert_eq!(status_of(&waiting_first), s("0/1", "Init:0/2", "0"));
    // A started sidecar (restartPolicy Always) counts toward READY and the total.
    let sidecar = pod(
        json!({"initContainers": [{"name": "proxy", "restartPolicy": "Always"}], "containers": [{"name": "c"}]}),
        json!({"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
               "initContainerStatuses": [{"name": "proxy", "ready": true, "started": true, "restartCount": 2, "state": {"running": {}},
                                          "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-29T00:42:16Z"}}}],
               "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0, "state": {"running": {}}}]}),
    );
    assert_eq!(status_of(&sidecar), s("2/2", "Running", "2 (60m ago)"));
}

#[test]
fn pod_status_deletion_gating_and_wide_cells() {
    let mut terminating = pod(
        one_container(),
        json!({"phase": "Running", "containerStatuses": [
        {"name": "c", "ready": true, "restartCount": 0, "state": {"running": {}}}]}),
    );
    terminating["metadata"]["deletionTimestamp"] = json!("2026-11-29T01:42:00Z");
    assert_eq!(status_of(&terminating), s("1/1", "Terminating", "0"));
    let mut lost = pod(
        one_container(),
        json!({"phase": "Running", "reason": "NodeLost"}),
    );
    lost["metadata"]["deletionTimestamp"] = json!("2026-11-29T01:42:00Z");
    assert_eq!(status_of(&lost), s("0/1", "Unknown", "0"));
    let evicted = pod(
        one_container(),
        json!({"phase": "Failed", "reason": "Evicted"}),
    );
    assert_eq!(status_of(&evicted), s("0/1", "Evicted", "0"));
    let gated = pod(
        one_container(),
        json!({"phase": "Pending", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
    );
    assert_eq!(status_of(&gated), s("0/1", "SchedulingGated", "0"));
    let gates = pod(
        json!({"containers": [{"name": "c"}], "nodeName": "n1", "readinessGates": [{"conditionType": "x/one"}, {"conditionType": "x/two"}]}),
        json!({"phase": "Running", "nominatedNodeName": "n2", "podIPs": [{"ip": "10.0.0.9"}, {"ip": "fd00::9"}],
               "conditions": [{"type": "x/one", "status": "True"}, {"type": "x/two", "status": "False"}]}),
    );
    assert_eq!(cells("pods", &gates)[5..], ["10.0.0.9", "n1", "n2", "1/2"]);
}

#[test]
fn node_status_and_roles_rules() {
    let node = |labels: Value, ready: Option<&str>, unschedulable: bool| {
        let conditions = match ready {
            Some(s) => {
                json!([{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": s}])
            }
            None => json!([]),
        };
        json!({"metadata": {"name": "n", "creationTimestamp": "2026-11-29T01:00:00Z", "labels": labels},
               "spec": {"unschedulable": unschedulable}, "status": {"conditions": conditions}})
    };
    let c = cells(
        "nodes",
        &node(
            json!({"node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "edge"}),
            Some("True"),
            true,
        ),
    );
    assert_eq!(
        c[1..3],
        ["Ready,SchedulingDisabled", "control-plane,edge,worker"]
    );
    assert_eq!(
        c[5..],
        ["<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"]
    );
    assert_eq!(
        cells("nodes", &node(json!({}), Some("Unknown"), false))[1],
        "NotReady"
    );
    assert_eq!(
        cells("nodes", &node(json!({}), Some("False"), false))[1],
        "NotReady"
    );
    assert_eq!(
        cells("nodes", &node(json!({}), None, false))[1..3],
        ["Unknown", "<none>"]
    );
}

#[test]
fn service_type_and_endpoint_list_rules() {
    let svc = |spec: Value, status: Value| json!({"metadata": {"name": "s", "creationTimestamp": "2026-11-29T01:00:00Z"}, "spec": spec, "status": status});
    let lb = svc(
        json!({"type": "LoadBalancer", "clusterIPs": ["10.0.0.1"], "externalIPs": ["1.2.3.4"],
               "ports": [{"port": 80, "nodePort": 31000, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]}),
        json!({"loadBalancer": {"ingress": [{"ip": "5.6.7.8"}, {"hostname": "lb.example.com"}]}}),
    );
    assert_eq!(
        cells("services", &lb)[1..5],
        [
            "LoadBalancer",
            "10.0.0.1",
            "5.6.7.8,lb.example.com,1.2.3.4",
            "80:31000/TCP,53/UDP"
        ]
    );
    let pending = svc(
        json!({"type": "LoadBalancer", "clusterIPs": ["10.0.0.2"]}),
        json!({}),
    );
    assert_eq!(cells("services", &pending)[3..5], ["<pending>", "<none>"]);
    let ext = svc(
        json!({"type": "ExternalName", "externalName": "db.example.com"}),
        json!({}),
    );
    assert_eq!(
        cells("services", &ext)[1..4],
        ["ExternalName", "<none>", "db.example.com"]
    );

    let ep = json!({"metadata": {"name": "e", "creationTimestamp": "2026-11-29T01:00:00Z"}, "subsets": [
        {"addresses": [{"ip": "10.244.1.5"}, {"ip": "10.244.2.3"}], "ports": [{"port": 80}, {"port": 443}]},
        {"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 8080}]}]});
    assert_eq!(
        cells("endpoints", &ep)[1],
        "10.244.1.5:80,10.244.2.3:80,10.244.1.5:443 + 2 more..."
    );
    let empty = json!({"metadata": {"name": "e"}, "subsets": []});
    assert_eq!(cells("endpoints", &empty)[1..], ["<none>", "<unknown>"]);
    let headless =
        json!({"metadata": {"name": "e"}, "subsets": [{"addresses": [{"ip": "fd00::1"}]}]});
    assert_eq!(cells("endpoints", &headless)[1], "fd00::1");
    let v6 = json!({"metadata": {"name": "e"}, "subsets": [{"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 80}]}]});
    assert_eq!(cells("endpoints", &v6)[1], "[fd00::1]:80");

    let slice = json!({"metadata": {"name": "s"}, "addressType": "IPv4",
        "ports": [{"port": 80}, {"name": "metrics"}, {}, {"port": 9}],
        "endpoints": [{"addresses": ["1.1.1.1", "1.1.1.2"]}, {"addresses": ["1.1.1.3"]}, {"addresses": ["1.1.1.4"]}]});
    assert_eq!(
        cells("endpointslices", &slice)[2..4],
        [
            "80,metrics,* + 1 more...",
            "1.1.1.1,1.1.1.2,1.1.1.3 + 1 more..."
        ]
    );
    let unset = json!({"metadata": {"name": "s"}, "addressType": "IPv6"});
    assert_eq!(
        cells("endpointslices", &unset)[2..4],
        ["<unset>", "<unset>"]
    );
}

#[test]
fn label_selectors_render_like_kubernetes() {
    let rs = json!({"metadata": {"name": "r"}, "spec": {"selector": {
        "matchLabels": {"tier": "web"},
        "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]},
                             {"key": "zone", "operator": "DoesNotExist"},
                             {"key": "app", "operator": "Exists"}]}}});
    assert_eq!(
        cells("replicasets", &rs)[7],
        "app,env in (dev,prod),tier=web,!zone"
    );
    assert_eq!(
        cells("replicasets", &rs)[1],
        "1",
        "unset replicas default to 1"
    );
    let bad = json!({"metadata": {"name": "r"}, "spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Near"}]}}});
    assert_eq!(cells("replicasets", &bad)[7], "<error>");
}

#[test]
fn config_objects() {
    let cm = json!({"metadata": {"name": "c", "creationTimestamp": "2026-11-29T01:42:10Z"}, "data": {"a": "1"}, "binaryData": {"b": ""}});
    assert_eq!(cells("configmaps", &cm), ["c", "2", "6s"]);
    let secret = json!({"metadata": {"name": "s", "creationTimestamp": "2026-11-29T01:32:16Z"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "", "tls.key": ""}});
    assert_eq!(
        cells("secrets", &secret),
        ["s", "kubernetes.io/tls", "2", "10m"]
    );
    let sa = json!({"metadata": {"name": "default", "creationTimestamp": "2026-11-29T01:39:16Z"}});
    assert_eq!(cells("serviceaccounts", &sa), ["default", "0", "3m"]);
}

#[test]
fn all_reference_objects_render_without_panicking() {
    for prefix in [
        "pod",
        "node",
        "namespace",
        "service",
        "endpoints",
        "endpointslice",
        "deployment",
        "replicaset",
        "daemonset",
        "lease",
    ] {
        let objs = objects(prefix, None);
        assert!(!objs.is_empty());
        let resource = format!("{}s", prefix.trim_end_matches('s'));
        let t = table(&resource, &objs, now(), false);
        assert_eq!(t["rows"].as_array().unwrap().len(), objs.len());
    }
    // Garbage in: still a table, never a panic.
    for junk in [
        json!(null),
        json!(42),
        json!({"metadata": "x", "status": []}),
    ] {
        let t = table("pods", &[junk], now(), false);
        assert_eq!(t["rows"][0]["cells"][4], "<unknown>");
    }
}

#[test]
fn events_k8s_io_events_print_like_core_events() {
    let event = json!({"metadata": {"name": "e1", "namespace": "default"},
        "eventTime": "2026-11-29T01:40:16.000000Z", "reportingController": "default-scheduler",
        "reportingInstance": "default-scheduler-master", "action": "Binding", "reason": "Scheduled",
        "regarding": {"kind": "Pod", "namespace": "default", "name": "web-1"},
        "note": "Successfully assigned default/web-1 to node01", "type": "Normal"});
    assert_eq!(
        cells("events.events.k8s.io", &event),
        [
            "2m",
            "Normal",
            "Scheduled",
            "pod/web-1",
            "",
            "default-scheduler, default-scheduler-master",
            "Successfully assigned default/web-1 to node01",
            "2m",
            "1",
            "e1"
        ]
    );
}
