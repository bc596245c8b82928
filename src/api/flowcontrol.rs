//! API Priority and Fairness configuration (flowcontrol.apiserver.k8s.io/v1): the mandatory
//! and suggested FlowSchemas and PriorityLevelConfigurations kube-apiserver 1.32 keeps in
//! every cluster, and the Dangling condition it writes on each FlowSchema.
//!
//! The objects are the bootstrap configuration of kube-apiserver's `apf` package, already in
//! the form its v1 defaulting leaves them (defaulting changes none of them), fields in Go
//! struct order.

use serde_json::{Value, json};

/// The annotation that lets kube-apiserver keep an object's spec at its bootstrap value.
pub const AUTO_UPDATE_ANNOTATION: &str = "apf.kubernetes.io/autoupdate-spec";
/// The one condition type kube-apiserver writes on FlowSchemas.
pub const DANGLING: &str = "Dangling";
pub const GROUP_VERSION: &str = "flowcontrol.apiserver.k8s.io/v1";
/// The field manager kube-apiserver creates and updates the bootstrap objects as.
pub const PRODUCER: &str = "api-priority-and-fairness-config-producer-v1";
/// The field manager kube-apiserver applies the FlowSchemas' status as.
pub const CONSUMER: &str = "api-priority-and-fairness-config-consumer-v1";

const EVERYONE: &[&str] = &["system:unauthenticated", "system:authenticated"];
const NODES: &str = "system:nodes";
const CONTROLLER_MANAGER: &str = "system:kube-controller-manager";
const SCHEDULER: &str = "system:kube-scheduler";

/// Names of the mandatory objects (kube refuses other specs for them).
pub const MANDATORY_PRIORITY_LEVELS: &[&str] = &["catch-all", "exempt"];
pub const MANDATORY_FLOW_SCHEMAS: &[&str] = &["exempt", "catch-all"];

fn meta(name: &str) -> Value {
    json!({"name": name, "annotations": {AUTO_UPDATE_ANNOTATION: "true"}})
}

fn queued(shares: i64, lendable: i64, queues: i64, hand: i64) -> Value {
    json!({"type": "Limited", "limited": {
        "nominalConcurrencyShares": shares,
        "limitResponse": {"type": "Queue", "queuing": {
            "queues": queues, "handSize": hand, "queueLengthLimit": 50}},
        "lendablePercent": lendable,
    }})
}

fn priority_level(name: &str, spec: Value) -> Value {
    json!({"apiVersion": GROUP_VERSION, "kind": "PriorityLevelConfiguration",
           "metadata": meta(name), "spec": spec})
}

/// The mandatory PriorityLevelConfiguration `name`'s spec.
fn mandatory_priority_level_spec(name: &str) -> Option<Value> {
    match name {
        "exempt" => Some(json!({"type": "Exempt", "exempt": {
            "nominalConcurrencyShares": 0, "lendablePercent": 0}})),
        "catch-all" => Some(json!({"type": "Limited", "limited": {
            "nominalConcurrencyShares": 5,
            "limitResponse": {"type": "Reject"},
            "lendablePercent": 0,
        }})),
        _ => None,
    }
}

fn suggested_priority_levels() -> Vec<Value> {
    [
        ("system", queued(30, 33, 64, 6)),
        ("node-high", queued(40, 25, 64, 6)),
        ("leader-election", queued(10, 0, 16, 4)),
        ("workload-high", queued(40, 50, 128, 6)),
        ("workload-low", queued(100, 90, 128, 6)),
        ("global-default", queued(20, 50, 128, 6)),
    ]
    .into_iter()
    .map(|(name, spec)| priority_level(name, spec))
    .collect()
}

fn groups(names: &[&str]) -> Vec<Value> {
    names
        .iter()
        .map(|n| json!({"kind": "Group", "group": {"name": n}}))
        .collect()
}

fn users(names: &[&str]) -> Vec<Value> {
    names
        .iter()
        .map(|n| json!({"kind": "User", "user": {"name": n}}))
        .collect()
}

fn kube_system_accounts(names: &[&str]) -> Vec<Value> {
    names
        .iter()
        .map(|n| json!({"kind": "ServiceAccount", "serviceAccount": {"name": n, "namespace": "kube-system"}}))
        .collect()
}

fn resource_rule(verbs: &[&str], groups: &[&str], resources: &[&str], cluster: bool) -> Value {
    let mut rule = json!({"verbs": verbs, "apiGroups": groups, "resources": resources});
    if cluster {
        rule["clusterScope"] = json!(true);
    }
    rule["namespaces"] = json!(["*"]);
    rule
}

/// Every request of the subjects: all resources and all non-resource URLs.
fn everything(subjects: Vec<Value>) -> Value {
    json!({
        "subjects": subjects,
        "resourceRules": [resource_rule(&["*"], &["*"], &["*"], true)],
        "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
    })
}

fn flow_schema(name: &str, level: &str, precedence: i64, by: Option<&str>, rule: Value) -> Value {
    let mut spec = json!({
        "priorityLevelConfiguration": {"name": level},
        "matchingPrecedence": precedence,
    });
    if let Some(by) = by {
        spec["distinguisherMethod"] = json!({"type": by});
    }
    spec["rules"] = json!([rule]);
    json!({"apiVersion": GROUP_VERSION, "kind": "FlowSchema", "metadata": meta(name), "spec": spec})
}

const BY_USER: Option<&str> = Some("ByUser");
const BY_NAMESPACE: Option<&str> = Some("ByNamespace");

fn mandatory_flow_schema(name: &str) -> Option<Value> {
    match name {
        "exempt" => Some(flow_schema(
            "exempt",
            "exempt",
            1,
            None,
            everything(groups(&["system:masters"])),
        )),
        "catch-all" => Some(flow_schema(
            "catch-all",
            "catch-all",
            10000,
            BY_USER,
            everything(groups(EVERYONE)),
        )),
        _ => None,
    }
}

fn suggested_flow_schemas() -> Vec<Value> {
    let leases =
        |verbs: &[&str]| resource_rule(verbs, &["coordination.k8s.io"], &["leases"], false);
    let election = ["get", "create", "update"];
    let mut leader_subjects = users(&[CONTROLLER_MANAGER, SCHEDULER]);
    leader_subjects.extend(kube_system_accounts(&["*"]));
    let mut endpoint_subjects = users(&[CONTROLLER_MANAGER]);
    endpoint_subjects.extend(kube_system_accounts(&[
        "endpoint-controller",
        "endpointslicemirroring-controller",
    ]));
    vec![
        flow_schema(
            "system-nodes",
            "system",
            500,
            BY_USER,
            everything(groups(&[NODES])),
        ),
        flow_schema(
            "system-node-high",
            "node-high",
            400,
            BY_USER,
            json!({"subjects": groups(&[NODES]), "resourceRules": [
                resource_rule(&["*"], &[""], &["nodes", "nodes/status"], true),
                leases(&["*"]),
            ]}),
        ),
        flow_schema(
            "probes",
            "exempt",
            2,
            None,
            json!({"subjects": groups(EVERYONE), "nonResourceRules": [
                {"verbs": ["get"], "nonResourceURLs": ["/healthz", "/readyz", "/livez"]}]}),
        ),
        flow_schema(
            "system-leader-election",
            "leader-election",
            100,
            BY_USER,
            json!({"subjects": leader_subjects, "resourceRules": [leases(&election)]}),
        ),
        flow_schema(
            "workload-leader-election",
            "leader-election",
            200,
            BY_USER,
            json!({"subjects": kube_system_accounts(&["*"]), "resourceRules": [
                resource_rule(&election, &[""], &["endpoints", "configmaps"], false),
                leases(&election),
            ]}),
        ),
        flow_schema(
            "endpoint-controller",
            "workload-high",
            150,
            BY_USER,
            json!({"subjects": endpoint_subjects, "resourceRules": [
                resource_rule(&election, &[""], &["endpoints"], false)]}),
        ),
        flow_schema(
            "kube-controller-manager",
            "workload-high",
            800,
            BY_NAMESPACE,
            everything(users(&[CONTROLLER_MANAGER])),
        ),
        flow_schema(
            "kube-scheduler",
            "workload-high",
            800,
            BY_NAMESPACE,
            everything(users(&[SCHEDULER])),
        ),
        flow_schema(
            "kube-system-service-accounts",
            "workload-high",
            900,
            BY_NAMESPACE,
            everything(kube_system_accounts(&["*"])),
        ),
        flow_schema(
            "service-accounts",
            "workload-low",
            9000,
            BY_USER,
            everything(groups(&["system:serviceaccounts"])),
        ),
        flow_schema(
            "global-default",
            "global-default",
            9900,
            BY_USER,
            everything(groups(EVERYONE)),
        ),
    ]
}

/// The bootstrap objects in the order kube-apiserver's ensurer creates them: suggested
/// priority levels, suggested flow schemas, then the mandatory ones. Each is
/// `(plural, object)`.
pub fn bootstrap_objects() -> Vec<(&'static str, Value)> {
    let mut out: Vec<(&'static str, Value)> = Vec::new();
    out.extend(
        suggested_priority_levels()
            .into_iter()
            .map(|o| ("prioritylevelconfigurations", o)),
    );
    out.extend(
        suggested_flow_schemas()
            .into_iter()
            .map(|o| ("flowschemas", o)),
    );
    for name in MANDATORY_PRIORITY_LEVELS {
        if let Some(spec) = mandatory_priority_level_spec(name) {
            out.push(("prioritylevelconfigurations", priority_level(name, spec)));
        }
    }
    for name in MANDATORY_FLOW_SCHEMAS {
        if let Some(fs) = mandatory_flow_schema(name) {
            out.push(("flowschemas", fs));
        }
    }
    out
}

/// The fixed spec of a mandatory FlowSchema.
pub fn mandatory_flow_schema_spec(name: &str) -> Option<Value> {
    mandatory_flow_schema(name).map(|fs| fs["spec"].clone())
}

/// The fixed spec of a mandatory PriorityLevelConfiguration.
pub fn mandatory_priority_level(name: &str) -> Option<Value> {
    mandatory_priority_level_spec(name)
}

/// The Dangling condition a FlowSchema should carry, given whether the priority level it
/// names exists: `(status, reason, message)`.
pub fn dangling_condition(level: &str, exists: bool) -> (&'static str, &'static str, String) {
    if exists {
        (
            "False",
            "Found",
            format!(
                "This FlowSchema references the PriorityLevelConfiguration object named {} and it exists",
                crate::go::quote(level)
            ),
        )
    } else {
        (
            "True",
            "NotFound",
            format!(
                "This FlowSchema references the PriorityLevelConfiguration object named {} but there is no such object",
                crate::go::quote(level)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_has_kubes_eight_levels_and_thirteen_schemas() {
        let objects = bootstrap_objects();
        let count = |p: &str| objects.iter().filter(|(q, _)| *q == p).count();
        assert_eq!(count("prioritylevelconfigurations"), 8);
        assert_eq!(count("flowschemas"), 13);
        for (_, o) in &objects {
            assert_eq!(o["metadata"]["annotations"][AUTO_UPDATE_ANNOTATION], "true");
        }
    }

    #[test]
    fn every_schema_names_a_bootstrap_level() {
        let objects = bootstrap_objects();
        let levels: Vec<&str> = objects
            .iter()
            .filter(|(p, _)| *p == "prioritylevelconfigurations")
            .filter_map(|(_, o)| o["metadata"]["name"].as_str())
            .collect();
        for (_, fs) in objects.iter().filter(|(p, _)| *p == "flowschemas") {
            let level = fs["spec"]["priorityLevelConfiguration"]["name"]
                .as_str()
                .unwrap_or("");
            assert!(levels.contains(&level), "{level}");
        }
    }

    #[test]
    fn dangling_messages_are_kubes() {
        let (status, reason, message) = dangling_condition("exempt", true);
        assert_eq!((status, reason), ("False", "Found"));
        assert_eq!(
            message,
            "This FlowSchema references the PriorityLevelConfiguration object named \"exempt\" and it exists"
        );
        assert_eq!(dangling_condition("x", false).1, "NotFound");
    }
}
