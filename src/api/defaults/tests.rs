use super::*;
use serde_json::{Value, json};

fn reference(file: &str) -> Value {
    let path = format!("/work/shared/reference/objects/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Creates a pod the way the apiserver does, with a fixed token suffix.
fn create(kind: &str, mut obj: Value) -> Result<Value, String> {
    let mut random = |n: usize| "abcde".chars().cycle().take(n).collect::<String>();
    let lookup = |name: &str| (name == "high").then(|| (1000, "Never".to_string()));
    let mut ctx = AdmissionContext {
        random: &mut random,
        priority_class: &lookup,
    };
    default_for_create(kind, &mut obj, &mut ctx)?;
    Ok(obj)
}

fn minimal_pod(container: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [container]}})
}

#[test]
fn minimal_pod_gets_every_default_in_struct_order() {
    let pod = create(
        "Pod",
        minimal_pod(json!({"image": "nginx", "name": "nginx"})),
    )
    .expect("admitted");
    let spec = &pod["spec"];
    // The reference pods (not yet scheduled, no node) have exactly these keys in this order.
    let too_big = reference("pod-default-too-big.json");
    let mut expected = keys(&too_big["spec"]);
    expected.retain(|k| *k != "nodeName");
    assert_eq!(keys(spec), expected);
    assert_eq!(
        keys(&spec["containers"][0]),
        [
            "name",
            "image",
            "resources",
            "volumeMounts",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy"
        ]
    );
    assert_eq!(spec["containers"][0]["imagePullPolicy"], json!("Always"));
    assert_eq!(spec["volumes"][0]["name"], json!("kube-api-access-abcde"));
    assert_eq!(
        spec["containers"][0]["volumeMounts"],
        json!([{"name": "kube-api-access-abcde", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}])
    );
    // The projected volume and tolerations are exactly the real cluster's.
    let real = reference("pod-team-a-api.json");
    assert_eq!(
        pretty(&spec["volumes"][0]["projected"]),
        pretty(&real["spec"]["volumes"][1]["projected"])
    );
    assert_eq!(
        pretty(&spec["tolerations"]),
        pretty(&real["spec"]["tolerations"])
    );
    assert_eq!(
        pod["status"],
        json!({"phase": "Pending", "qosClass": "BestEffort"})
    );
}

#[test]
fn pod_only_defaults_not_in_templates() {
    let mut t = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1",
        "resources": {"limits": {"cpu": "1"}}}]}}, "selector": {"matchLabels": {"a": "b"}}}});
    apply_defaults("ReplicaSet", &mut t);
    let ps = &t["spec"]["template"]["spec"];
    assert!(ps.get("enableServiceLinks").is_none());
    assert!(ps["containers"][0]["resources"].get("requests").is_none());
    let mut p = minimal_pod(
        json!({"name": "c", "image": "x:1", "resources": {"limits": {"memory": "1Gi", "cpu": "1"}}}),
    );
    apply_defaults("Pod", &mut p);
    assert_eq!(
        pretty(&p["spec"]["containers"][0]["resources"]),
        pretty(
            &json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}})
        )
    );
    assert_eq!(p["spec"]["enableServiceLinks"], json!(true));
    prepare_for_create("Pod", &mut p);
    assert_eq!(p["status"]["qosClass"], json!("Guaranteed"));
}

#[test]
fn probes_env_and_volumes() {
    let mut p = minimal_pod(json!({"name": "c", "image": "x:1",
        "readinessProbe": {"httpGet": {"port": 8080}},
        "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                {"name": "M", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}}],
        "ports": [{"containerPort": 80}]}));
    p["spec"]["volumes"] = json!([{"name": "a"}, {"name": "b", "secret": {"secretName": "s"}}, {"name": "h", "hostPath": {"path": "/x"}}]);
    apply_defaults("Pod", &mut p);
    let c = &p["spec"]["containers"][0];
    assert_eq!(
        pretty(&c["readinessProbe"]),
        pretty(
            &json!({"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})
        )
    );
    assert_eq!(
        pretty(&c["env"][0]["valueFrom"]["fieldRef"]),
        pretty(&json!({"apiVersion": "v1", "fieldPath": "spec.nodeName"}))
    );
    assert_eq!(
        c["env"][1]["valueFrom"]["resourceFieldRef"]["divisor"],
        json!("0")
    );
    assert_eq!(c["ports"][0]["protocol"], json!("TCP"));
    let v = &p["spec"]["volumes"];
    assert_eq!(v[0], json!({"name": "a", "emptyDir": {}}));
    assert_eq!(v[1]["secret"]["defaultMode"], json!(420));
    assert_eq!(
        pretty(&v[2]),
        pretty(&json!({"name": "h", "hostPath": {"path": "/x", "type": ""}}))
    );
}

#[test]
fn host_network_pods_get_host_ports() {
    let mut p = minimal_pod(json!({"name": "c", "image": "x:1", "ports": [{"containerPort": 80}]}));
    p["spec"]["hostNetwork"] = json!(true);
    apply_defaults("Pod", &mut p);
    assert_eq!(
        keys(&p["spec"]["containers"][0]["ports"][0]),
        ["hostPort", "containerPort", "protocol"]
    );
    assert_eq!(
        p["spec"]["containers"][0]["ports"][0]["hostPort"],
        json!(80)
    );
}

#[test]
fn admission_respects_existing_choices() {
    // An own mount at the token path, automount off, tolerate-everything, a custom class.
    let mut p = minimal_pod(json!({"name": "c", "image": "x:1",
        "volumeMounts": [{"name": "t", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}));
    p["spec"]["volumes"] = json!([{"name": "t", "emptyDir": {}}]);
    p["spec"]["tolerations"] = json!([{"operator": "Exists"}]);
    p["spec"]["priorityClassName"] = json!("high");
    let p = create("Pod", p).expect("admitted");
    assert_eq!(p["spec"]["volumes"].as_array().map(Vec::len), Some(1));
    assert_eq!(p["spec"]["tolerations"], json!([{"operator": "Exists"}]));
    assert_eq!(p["spec"]["priority"], json!(1000));
    assert_eq!(p["spec"]["preemptionPolicy"], json!("Never"));
    let mut q = minimal_pod(json!({"name": "c", "image": "x:1"}));
    q["spec"]["automountServiceAccountToken"] = json!(false);
    let q = create("Pod", q).expect("admitted");
    assert!(q["spec"].get("volumes").is_none());
    assert_eq!(q["spec"]["serviceAccountName"], json!("default"));
    let mut r = minimal_pod(json!({"name": "c", "image": "x:1"}));
    r["spec"]["priorityClassName"] = json!("nope");
    assert_eq!(
        create("Pod", r).expect_err("unknown class"),
        "no PriorityClass with name nope was found"
    );
    let mut s = minimal_pod(json!({"name": "c", "image": "x:1"}));
    s["spec"]["priorityClassName"] = json!("system-node-critical");
    assert_eq!(
        create("Pod", s).expect("admitted")["spec"]["priority"],
        json!(2000001000)
    );
}

#[test]
fn mirror_pods_skip_service_accounts() {
    let mut p = minimal_pod(json!({"name": "c", "image": "x:1"}));
    p["metadata"]["annotations"] = json!({"kubernetes.io/config.mirror": "abc"});
    let p = create("Pod", p).expect("admitted");
    assert!(p["spec"].get("serviceAccountName").is_none());
    assert!(p["spec"].get("volumes").is_none());
}

#[test]
fn deployment_defaults_match_reference() {
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}}});
    let d = create("Deployment", d).expect("no admission errors");
    let real = reference("deployment-default-web.json");
    assert_eq!(pretty(&d["spec"]), pretty(&real["spec"]));
    assert_eq!(d["metadata"]["generation"], json!(1));
    assert_eq!(d["status"], json!({}));
}

#[test]
fn daemon_set_and_replica_set_defaults() {
    let mut ds = json!({"spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x:1"}]}}}});
    apply_defaults("DaemonSet", &mut ds);
    assert_eq!(
        keys(&ds["spec"]),
        [
            "selector",
            "template",
            "updateStrategy",
            "revisionHistoryLimit"
        ]
    );
    let real = reference("daemonset-kube-system-kube-proxy.json");
    assert_eq!(
        pretty(&ds["spec"]["updateStrategy"]),
        pretty(&real["spec"]["updateStrategy"])
    );
    let mut rs = json!({"spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"spec": {"containers": []}}}});
    apply_defaults("ReplicaSet", &mut rs);
    assert_eq!(keys(&rs["spec"]), ["replicas", "selector", "template"]);
    assert_eq!(
        rs["spec"]["template"]["metadata"],
        json!({"creationTimestamp": null})
    );
    prepare_for_create("ReplicaSet", &mut rs);
    assert_eq!(rs["status"], json!({"replicas": 0}));
}

#[test]
fn service_defaults_match_reference() {
    let mut svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80, "nodePort": 30080}]}});
    apply_defaults("Service", &mut svc);
    prepare_for_create("Service", &mut svc);
    assert!(needs_cluster_ip(&svc));
    set_cluster_ip(&mut svc, "10.109.83.21");
    assert!(!needs_cluster_ip(&svc));
    assert!(ports_needing_node_port(&svc).is_empty());
    let real = reference("service-default-web.json");
    assert_eq!(pretty(&svc["spec"]), pretty(&real["spec"]));
    assert_eq!(pretty(&svc["status"]), pretty(&real["status"]));

    let mut named = json!({"spec": {"selector": {"app": "api"}, "ports": [{"name": "http", "port": 8080, "targetPort": "http"}]}});
    apply_defaults("Service", &mut named);
    prepare_for_create("Service", &mut named);
    set_cluster_ip(&mut named, "10.103.47.112");
    assert_eq!(
        pretty(&named["spec"]),
        pretty(&reference("service-team-a-api.json")["spec"])
    );
}

#[test]
fn service_node_ports_and_update_patching() {
    let mut svc = json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80}, {"port": 443, "nodePort": 31000}]}});
    apply_defaults("Service", &mut svc);
    assert_eq!(svc["spec"]["allocateLoadBalancerNodePorts"], json!(true));
    assert_eq!(ports_needing_node_port(&svc), vec![0]);
    set_node_port(&mut svc, 0, 30001);
    assert_eq!(
        keys(&svc["spec"]["ports"][0]),
        ["protocol", "port", "targetPort", "nodePort"]
    );
    set_cluster_ip(&mut svc, "10.0.0.9");
    let mut update = json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}});
    apply_defaults("Service", &mut update);
    patch_allocated_values(&mut update, &svc);
    assert_eq!(update["spec"]["clusterIP"], json!("10.0.0.9"));
    assert_eq!(update["spec"]["ports"][0]["nodePort"], json!(30001));
    let mut affinity = json!({"spec": {"sessionAffinity": "ClientIP", "ports": [{"port": 1}]}});
    apply_defaults("Service", &mut affinity);
    assert_eq!(
        affinity["spec"]["sessionAffinityConfig"],
        json!({"clientIP": {"timeoutSeconds": 10800}})
    );
}

#[test]
fn namespace_defaults_match_reference() {
    let ns = create(
        "Namespace",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}),
    )
    .expect("ok");
    let real = reference("namespace-team-a.json");
    assert_eq!(
        pretty(&ns["metadata"]["labels"]),
        pretty(&real["metadata"]["labels"])
    );
    assert_eq!(pretty(&ns["spec"]), pretty(&real["spec"]));
    assert_eq!(pretty(&ns["status"]), pretty(&real["status"]));
}

#[test]
fn secrets_config_maps_events_nodes() {
    let mut s = json!({"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"password": "hunter2"}, "data": {"a": "YQ=="}});
    apply_defaults("Secret", &mut s);
    assert_eq!(
        pretty(&s),
        pretty(
            &json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "YQ==", "password": "aHVudGVyMg=="}, "type": "Opaque"})
        )
    );
    let mut cm = json!({"data": {"b": "1", "a": "2"}, "metadata": {"name": "c"}});
    apply_defaults("ConfigMap", &mut cm);
    assert_eq!(keys(&cm), ["metadata", "data"]);
    assert_eq!(keys(&cm["data"]), ["a", "b"]);
    let mut ev = json!({"metadata": {"name": "e"}, "involvedObject": {"kind": "Pod"}, "reason": "Scheduled", "type": "Normal"});
    apply_defaults("Event", &mut ev);
    assert_eq!(
        keys(&ev),
        [
            "metadata",
            "involvedObject",
            "reason",
            "source",
            "firstTimestamp",
            "lastTimestamp",
            "type",
            "eventTime",
            "reportingComponent",
            "reportingInstance"
        ]
    );
    let mut node = json!({"kind": "Node", "metadata": {"name": "n"}, "status": {"capacity": {"memory": "1Gi", "cpu": "2"}}});
    let mut random = |n: usize| "x".repeat(n);
    let none = |_: &str| None;
    let mut ctx = AdmissionContext {
        random: &mut random,
        priority_class: &none,
    };
    default_for_create("Node", &mut node, &mut ctx).expect("ok");
    assert_eq!(
        node["status"]["allocatable"],
        json!({"cpu": "2", "memory": "1Gi"})
    );
    assert_eq!(
        node["spec"]["taints"],
        json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}])
    );
    assert_eq!(
        node["status"]["daemonEndpoints"],
        json!({"kubeletEndpoint": {"Port": 0}})
    );
    let mut ep = json!({"subsets": [{"ports": [{"port": 80}]}]});
    apply_defaults("Endpoints", &mut ep);
    assert_eq!(ep["subsets"][0]["ports"][0]["protocol"], json!("TCP"));
}

#[test]
fn generated_names() {
    let mut random = |n: usize| "x".repeat(n);
    let mut p = json!({"metadata": {"generateName": "web-", "namespace": "d"}});
    assert_eq!(
        generate_name(&mut p, &mut random),
        Some("web-xxxxx".to_string())
    );
    assert_eq!(keys(&p["metadata"]), ["name", "generateName", "namespace"]);
    assert_eq!(generate_name(&mut p, &mut random), None);
    let mut long = json!({"metadata": {"generateName": "a".repeat(70)}});
    let name = generate_name(&mut long, &mut random).unwrap_or_default();
    assert_eq!(name.len(), 63);
}
