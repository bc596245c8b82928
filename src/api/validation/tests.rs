use super::*;
use crate::api::defaults::apply_defaults;
use serde_json::{Value, json};

/// Defaults first, as the apiserver does, then validation; errors as their messages.
fn check(kind: &str, mut obj: Value) -> Vec<String> {
    apply_defaults(kind, &mut obj);
    validate(kind, &obj, None)
        .iter()
        .map(|e| e.to_string())
        .collect()
}

fn check_update(kind: &str, mut old: Value, mut new: Value) -> Vec<String> {
    apply_defaults(kind, &mut old);
    apply_defaults(kind, &mut new);
    validate(kind, &new, Some(&old))
        .iter()
        .map(|e| e.to_string())
        .collect()
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": spec})
}

fn deployment(selector: Value, labels: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": selector, "template": {"metadata": {"labels": labels},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
}

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

#[test]
fn valid_pod_has_no_errors() {
    let errs = check(
        "Pod",
        pod(json!({"containers": [{"name": "c", "image": "nginx"}]})),
    );
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn metadata_name_rules() {
    let mut p = pod(json!({"containers": [{"name": "c", "image": "nginx"}]}));
    p["metadata"]["name"] = json!("Bad_Name");
    assert_eq!(
        check("Pod", p.clone()),
        vec![format!(
            "metadata.name: Invalid value: \"Bad_Name\": {SUBDOMAIN_MSG}"
        )]
    );
    p["metadata"]["name"] = json!("");
    assert_eq!(
        check("Pod", p.clone()),
        vec!["metadata.name: Required value: name or generateName is required"]
    );
    p["metadata"]["name"] = json!("ok");
    p["metadata"]["namespace"] = json!("");
    assert_eq!(check("Pod", p), vec!["metadata.namespace: Required value"]);
    let ns = json!({"kind": "Namespace", "metadata": {"name": "a.b"}});
    assert_eq!(
        check("Namespace", ns),
        vec![
            "metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        ]
    );
    let svc = json!({"kind": "Service", "metadata": {"name": "1web", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}});
    assert_eq!(
        check("Service", svc),
        vec![
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        ]
    );
    let node = json!({"kind": "Node", "metadata": {"name": "n1", "namespace": "x"}});
    assert_eq!(
        check("Node", node),
        vec!["metadata.namespace: Forbidden: not allowed on this type"]
    );
}

#[test]
fn generate_name_prefix_may_end_in_dash() {
    let mut p = pod(json!({"containers": [{"name": "c", "image": "nginx"}]}));
    p["metadata"]["generateName"] = json!("web-");
    assert!(check("Pod", p.clone()).is_empty());
    p["metadata"]["generateName"] = json!("Web-");
    let errs = check("Pod", p);
    assert!(
        errs[0].starts_with(
            "metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain"
        ),
        "{errs:?}"
    );
}

#[test]
fn labels_and_annotations() {
    let mut p = pod(json!({"containers": [{"name": "c", "image": "nginx"}]}));
    p["metadata"]["labels"] = json!({"app": "bad value"});
    let errs = check("Pod", p.clone());
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters"), "{errs:?}");
    p["metadata"]["labels"] = json!({"-bad": "x"});
    let errs = check("Pod", p.clone());
    assert!(
        errs[0].starts_with("metadata.labels: Invalid value: \"-bad\": name part must consist"),
        "{errs:?}"
    );
    p["metadata"].as_object_mut().map(|m| m.remove("labels"));
    p["metadata"]["annotations"] = json!({"a/b/c": "x"});
    let errs = check("Pod", p);
    assert!(
        errs[0].starts_with(
            "metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist"
        ),
        "{errs:?}"
    );
}

#[test]
fn pod_containers_required_and_status_message() {
    let errs = {
        let mut obj = pod(json!({"containers": []}));
        apply_defaults("Pod", &mut obj);
        validate("Pod", &obj, None)
    };
    assert_eq!(
        invalid_status_message("Pod", "p", &errs),
        "Pod \"p\" is invalid: spec.containers: Required value"
    );
    let causes = status_causes(&errs);
    assert_eq!(
        causes,
        vec![
            json!({"reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers"})
        ]
    );
    let status = invalid_status("Pod", "p", &errs);
    assert_eq!(status["code"], json!(422));
    assert_eq!(status["reason"], json!("Invalid"));
}

#[test]
fn container_rules() {
    let errs = check(
        "Pod",
        pod(json!({"containers": [
            {"name": "", "image": ""},
            {"name": "Web", "image": "x"},
            {"name": "dup", "image": "x"},
            {"name": "dup", "image": "x"}
        ]})),
    );
    assert_eq!(errs[0], "spec.containers[0].name: Required value");
    assert_eq!(errs[1], "spec.containers[0].image: Required value");
    assert!(errs[2].starts_with(
        "spec.containers[1].name: Invalid value: \"Web\": a lowercase RFC 1123 label"
    ));
    assert_eq!(errs[3], "spec.containers[3].name: Duplicate value: \"dup\"");
    assert_eq!(errs.len(), 4, "{errs:?}");
}

#[test]
fn ports_protocol_and_policies() {
    let errs = check(
        "Pod",
        pod(json!({"restartPolicy": "Sometimes", "containers": [
            {"name": "c", "image": "x", "ports": [{"containerPort": 70000}, {"containerPort": 80, "protocol": "HTTP"}, {"name": "8080", "containerPort": 81}]}
        ]})),
    );
    assert_eq!(
        errs,
        vec![
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.containers[0].ports[2].name: Invalid value: \"8080\": must contain at least one letter (a-z)",
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        ]
    );
}

#[test]
fn requests_may_not_exceed_limits() {
    let errs = check(
        "Pod",
        pod(json!({"containers": [{"name": "c", "image": "x",
        "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "512Mi"}}}]})),
    );
    assert_eq!(
        errs,
        vec![
            "spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m"
        ]
    );
}

#[test]
fn volume_mounts_must_name_a_volume() {
    let errs = check(
        "Pod",
        pod(json!({"containers": [{"name": "c", "image": "x",
        "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]})),
    );
    assert_eq!(
        errs,
        vec!["spec.containers[0].volumeMounts[0].name: Not found: \"data\""]
    );
}

#[test]
fn pod_update_may_only_change_images() {
    let old = pod(json!({"containers": [{"name": "c", "image": "nginx:1"}]}));
    let image = pod(json!({"containers": [{"name": "c", "image": "nginx:2"}]}));
    assert!(check_update("Pod", old.clone(), image).is_empty());
    let port = pod(
        json!({"containers": [{"name": "c", "image": "nginx:1", "ports": [{"containerPort": 80}]}]}),
    );
    let errs = check_update("Pod", old, port);
    assert_eq!(
        errs,
        vec![format!("spec: Forbidden: {}", pod::POD_UPDATE_FORBIDDEN)]
    );
}

#[test]
fn deployment_selector_rules() {
    let errs = check(
        "Deployment",
        deployment(json!({"matchLabels": {"app": "web"}}), json!({"app": "x"})),
    );
    assert_eq!(
        errs,
        vec![
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"
        ]
    );
    let mut missing = deployment(Value::Null, json!({"app": "nginx"}));
    missing["spec"]
        .as_object_mut()
        .map(|s| s.remove("selector"));
    let mut obj = missing.clone();
    apply_defaults("Deployment", &mut obj);
    let errs = validate("Deployment", &obj, None);
    assert_eq!(
        invalid_status_message("Deployment", "web", &errs),
        "Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`]"
    );
    let errs = check("Deployment", deployment(json!({}), json!({"app": "x"})));
    assert_eq!(
        errs,
        vec![
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        ]
    );
}

#[test]
fn selector_expression_syntax() {
    let sel = json!({"matchExpressions": [{"key": "a", "operator": "In"}, {"key": "b", "operator": "Near", "values": ["x"]}]});
    let errs = check("Deployment", deployment(sel, json!({"a": "x"})));
    assert_eq!(
        errs,
        vec![
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.selector.matchExpressions[1].operator: Invalid value: \"Near\": not a valid selector operator",
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"a\", Operator:\"In\", Values:[]string(nil)}, v1.LabelSelectorRequirement{Key:\"b\", Operator:\"Near\", Values:[]string{\"x\"}}}}: invalid label selector",
        ]
    );
}

#[test]
fn replicas_and_selector_immutability() {
    let mut d = deployment(
        json!({"matchLabels": {"app": "web"}}),
        json!({"app": "web"}),
    );
    d["spec"]["replicas"] = json!(-1);
    assert_eq!(
        check("Deployment", d),
        vec!["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]
    );
    let old = deployment(
        json!({"matchLabels": {"app": "web"}}),
        json!({"app": "web", "v": "2"}),
    );
    let new = deployment(
        json!({"matchLabels": {"app": "web", "v": "2"}}),
        json!({"app": "web", "v": "2"}),
    );
    assert_eq!(
        check_update("Deployment", old, new),
        vec![
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        ]
    );
}

#[test]
fn replica_set_and_daemon_set_templates() {
    let mut rs = deployment(json!({"matchLabels": {"app": "a"}}), json!({"app": "a"}));
    rs["kind"] = json!("ReplicaSet");
    rs["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
    assert_eq!(
        check("ReplicaSet", rs),
        vec![
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        ]
    );
    let mut ds = deployment(json!({"matchLabels": {"app": "a"}}), json!({"app": "b"}));
    ds["kind"] = json!("DaemonSet");
    assert_eq!(
        check("DaemonSet", ds),
        vec![
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"
        ]
    );
}

#[test]
fn service_rules() {
    let svc = |spec: Value| json!({"kind": "Service", "metadata": {"name": "web", "namespace": "default"}, "spec": spec});
    assert_eq!(
        check("Service", svc(json!({}))),
        vec!["spec.ports: Required value"]
    );
    assert!(check("Service", svc(json!({"clusterIP": "None"}))).is_empty());
    let errs = check(
        "Service",
        svc(json!({"ports": [{"port": 0, "protocol": "ICMP"}], "type": "Foo"})),
    );
    assert_eq!(
        errs,
        vec![
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        ]
    );
    let errs = check(
        "Service",
        svc(json!({"ports": [{"port": 80}, {"port": 81}]})),
    );
    assert_eq!(
        errs,
        vec![
            "spec.ports[0].name: Required value",
            "spec.ports[1].name: Required value"
        ]
    );
    let old = svc(json!({"ports": [{"port": 80}], "clusterIP": "10.0.0.1"}));
    let new = svc(json!({"ports": [{"port": 80}], "clusterIP": "10.0.0.2"}));
    assert_eq!(
        check_update("Service", old, new),
        vec!["spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.2\"}: may not change once set"]
    );
}

#[test]
fn config_map_and_secret_keys() {
    let cm = json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"bad key": "v", "..x": "v"}});
    // Defaulting sorted the data keys, as Go maps are.
    let errs = check("ConfigMap", cm);
    assert_eq!(
        errs[1],
        "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    );
    assert_eq!(
        errs[0],
        "data[..x]: Invalid value: \"..x\": must not start with '..'"
    );
    let big = "x".repeat(1024 * 1024 + 1);
    let cm = json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"k": big}});
    assert_eq!(
        check("ConfigMap", cm),
        vec![": Too long: may not be more than 1048576 bytes"]
    );
    let tls = json!({"kind": "Secret", "metadata": {"name": "s", "namespace": "d"}, "type": "kubernetes.io/tls", "data": {}});
    assert_eq!(
        check("Secret", tls),
        vec![
            "data[tls.crt]: Required value",
            "data[tls.key]: Required value"
        ]
    );
    let old = json!({"kind": "Secret", "metadata": {"name": "s", "namespace": "d"}, "data": {}});
    let mut new = old.clone();
    new["type"] = json!("kubernetes.io/basic-auth");
    new["data"] = json!({"username": "YQ=="});
    assert_eq!(
        check_update("Secret", old, new),
        vec!["type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable"]
    );
}

#[test]
fn namespace_and_node() {
    let ns =
        json!({"kind": "Namespace", "metadata": {"name": "n"}, "spec": {"finalizers": ["custom"]}});
    assert_eq!(
        check("Namespace", ns),
        vec![
            "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"
        ]
    );
    let node = json!({"kind": "Node", "metadata": {"name": "n"}, "spec": {"taints": [{"key": "k", "effect": "Sometimes"}]}});
    assert_eq!(
        check("Node", node),
        vec![
            "spec.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""
        ]
    );
}

#[test]
fn kubectl_prints_one_or_many_causes() {
    let one = invalid_status("Pod", "p", &[FieldError::required("spec.containers", "")]);
    assert_eq!(
        kubectl_invalid_message(&one),
        "The Pod \"p\" is invalid: spec.containers: Required value\n"
    );
    let two = invalid_status(
        "Deployment",
        "web",
        &[
            FieldError::required("a", ""),
            FieldError::required("b", "x"),
        ],
    );
    assert_eq!(two["details"]["group"], json!("apps"));
    assert_eq!(
        kubectl_invalid_message(&two),
        "The Deployment \"web\" is invalid: \n* a: Required value\n* b: Required value: x\n"
    );
}

#[test]
fn aggregate_drops_repeats_and_brackets_several() {
    let a = FieldError::required("a", "");
    let b = FieldError::required("b", "");
    assert_eq!(
        aggregate_message(&[a.clone(), a.clone()]),
        "a: Required value"
    );
    assert_eq!(
        aggregate_message(&[a, b]),
        "[a: Required value, b: Required value]"
    );
    assert_eq!(
        invalid_status_message("ConfigMap", "x", &[]),
        "ConfigMap \"x\" is invalid"
    );
}

#[test]
fn go_rendering_of_values() {
    assert_eq!(go_quote("a\"b\n"), "\"a\\\"b\\n\"");
    assert_eq!(go_value(&json!(["a", "b"])), "[]string{\"a\", \"b\"}");
    assert_eq!(
        go_value(&json!({"b": "2", "a": "1"})),
        "map[string]string{\"a\":\"1\", \"b\":\"2\"}"
    );
}

#[test]
fn owner_references_name_their_owner_fully() {
    let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "c", "namespace": "default", "ownerReferences": [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "1234"},
        {"apiVersion": "v1", "kind": "Pod", "name": "p"},
    ]}});
    assert_eq!(
        check("ConfigMap", cm.clone()),
        ["metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty"]
    );
    cm["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/"}]);
    assert_eq!(
        check("ConfigMap", cm),
        [
            "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
            "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
            "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
            "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty",
        ]
    );
}

#[test]
fn progress_deadline_is_nonnegative_and_beyond_min_ready() {
    let mut d = deployment(json!({"matchLabels": {"a": "b"}}), json!({"a": "b"}));
    d["spec"]["progressDeadlineSeconds"] = json!(-1);
    assert_eq!(
        check("Deployment", d.clone()),
        ["spec.progressDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"]
    );
    d["spec"]["progressDeadlineSeconds"] = json!(10);
    d["spec"]["minReadySeconds"] = json!(10);
    assert_eq!(
        check("Deployment", d),
        ["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"]
    );
}
