//! admissionregistration.k8s.io/v1 defaults of ValidatingAdmissionPolicy and its binding
//! (kube's SetDefaults_ValidatingAdmissionPolicySpec, _MatchResources and _Rule), with the
//! fields in Go struct order; and their create strategy's `generation: 1`.

use super::order::{TOP_LEVEL, object_at, reorder, set_ordered};
use serde_json::{Map, Value, json};

const POLICY_SPEC: &[&str] = &[
    "paramKind",
    "matchConstraints",
    "validations",
    "failurePolicy",
    "auditAnnotations",
    "matchConditions",
    "variables",
];
const BINDING_SPEC: &[&str] = &[
    "policyName",
    "paramRef",
    "matchResources",
    "validationActions",
];
const MATCH_RESOURCES: &[&str] = &[
    "namespaceSelector",
    "objectSelector",
    "resourceRules",
    "excludeResourceRules",
    "matchPolicy",
];
const NAMED_RULE: &[&str] = &[
    "resourceNames",
    "operations",
    "apiGroups",
    "apiVersions",
    "resources",
    "scope",
];

fn default_field(map: &mut Map<String, Value>, order: &[&str], key: &str, v: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        set_ordered(map, order, key, v);
    }
}

fn default_match_resources(mr: &mut Map<String, Value>) {
    default_field(mr, MATCH_RESOURCES, "namespaceSelector", json!({}));
    default_field(mr, MATCH_RESOURCES, "objectSelector", json!({}));
    default_field(mr, MATCH_RESOURCES, "matchPolicy", json!("Equivalent"));
    for list in ["resourceRules", "excludeResourceRules"] {
        let rules = mr.get_mut(list).and_then(Value::as_array_mut);
        for rule in rules.into_iter().flatten().filter_map(Value::as_object_mut) {
            default_field(rule, NAMED_RULE, "scope", json!("*"));
            reorder(rule, NAMED_RULE);
        }
    }
    reorder(mr, MATCH_RESOURCES);
}

pub fn default_policy(obj: &mut Value) {
    super::core::default_plain(obj);
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    default_field(spec, POLICY_SPEC, "failurePolicy", json!("Fail"));
    if let Some(mc) = spec
        .get_mut("matchConstraints")
        .and_then(Value::as_object_mut)
    {
        default_match_resources(mc);
    }
    reorder(spec, POLICY_SPEC);
}

pub fn default_binding(obj: &mut Value) {
    super::core::default_plain(obj);
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(mr) = spec
        .get_mut("matchResources")
        .and_then(Value::as_object_mut)
    {
        default_match_resources(mr);
    }
    reorder(spec, BINDING_SPEC);
}

/// Both kinds' create strategies start at generation 1.
pub fn prepare_for_create(obj: &mut Value) {
    if let Some(o) = obj.as_object_mut()
        && let Some(meta) = object_at(o, TOP_LEVEL, "metadata")
    {
        meta.insert("generation".into(), json!(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_defaults() {
        let mut p = json!({"metadata": {"name": "p"}, "spec": {
            "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"],
                "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["deployments"]}]},
            "validations": [{"expression": "true"}]}});
        default_policy(&mut p);
        assert_eq!(p["spec"]["failurePolicy"], "Fail");
        let mc = &p["spec"]["matchConstraints"];
        assert_eq!(mc["matchPolicy"], "Equivalent");
        assert_eq!(mc["namespaceSelector"], json!({}));
        assert_eq!(mc["resourceRules"][0]["scope"], "*");
    }
}
