//! admissionregistration.k8s.io/v1 defaults of webhook configurations (kube's
//! SetDefaults_ValidatingWebhook / _MutatingWebhook / _Rule / _ServiceReference), with each
//! webhook's fields in Go struct order.

use super::order::{reorder, set_ordered};
use serde_json::{Value, json};

const VALIDATING: &[&str] = &[
    "name",
    "clientConfig",
    "rules",
    "failurePolicy",
    "matchPolicy",
    "namespaceSelector",
    "objectSelector",
    "sideEffects",
    "timeoutSeconds",
    "admissionReviewVersions",
    "matchConditions",
];
const MUTATING: &[&str] = &[
    "name",
    "clientConfig",
    "rules",
    "failurePolicy",
    "matchPolicy",
    "namespaceSelector",
    "objectSelector",
    "sideEffects",
    "timeoutSeconds",
    "admissionReviewVersions",
    "reinvocationPolicy",
    "matchConditions",
];
const RULE: &[&str] = &[
    "operations",
    "apiGroups",
    "apiVersions",
    "resources",
    "scope",
];
const CLIENT_CONFIG: &[&str] = &["url", "service", "caBundle"];
const SERVICE: &[&str] = &["namespace", "name", "path", "port"];

pub fn default_webhook_configuration(kind: &str, obj: &mut Value) {
    super::core::default_plain(obj);
    let mutating = kind == "MutatingWebhookConfiguration";
    let order = if mutating { MUTATING } else { VALIDATING };
    let Some(hooks) = obj.get_mut("webhooks").and_then(Value::as_array_mut) else {
        return;
    };
    for hook in hooks.iter_mut().filter_map(Value::as_object_mut) {
        let mut default = |k: &str, v: Value| {
            if hook.get(k).is_none_or(Value::is_null) {
                set_ordered(hook, order, k, v);
            }
        };
        default("failurePolicy", json!("Fail"));
        default("matchPolicy", json!("Equivalent"));
        default("namespaceSelector", json!({}));
        default("objectSelector", json!({}));
        default("timeoutSeconds", json!(10));
        if mutating {
            default("reinvocationPolicy", json!("Never"));
        }
        for rule in hook
            .get_mut("rules")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
        {
            if rule.get("scope").is_none_or(Value::is_null) {
                set_ordered(rule, RULE, "scope", json!("*"));
            }
            reorder(rule, RULE);
        }
        if let Some(cc) = hook.get_mut("clientConfig").and_then(Value::as_object_mut) {
            if let Some(svc) = cc.get_mut("service").and_then(Value::as_object_mut) {
                if svc.get("port").is_none_or(Value::is_null) {
                    set_ordered(svc, SERVICE, "port", json!(443));
                }
                reorder(svc, SERVICE);
            }
            reorder(cc, CLIENT_CONFIG);
        }
        reorder(hook, order);
    }
}
