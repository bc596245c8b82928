//! The policies and bindings in the store, parsed once per change: each request reads only
//! the keys and revisions of both kinds to know whether its copy is current.

use super::super::ApiServer;
use super::super::codec::{decode_stored, store_error};
use super::super::memo::Memo;
use super::super::webhooks::Rule;
use crate::api::crd_schema::compile_condition;
use crate::api::json::strings;
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::store::RangeRequest;
use cel::Program;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// An expression with its source; `Err` when it does not compile (the write was checked,
/// so only a policy stored before the check can hold one).
pub struct Expression {
    pub source: String,
    pub program: Result<Arc<Program>, String>,
}

impl Expression {
    fn parse(source: &str) -> Self {
        Expression {
            source: source.to_string(),
            program: compile_condition(source),
        }
    }
}

pub struct NamedRule {
    pub names: Vec<String>,
    pub rule: Rule,
}

/// matchConstraints of a policy or matchResources of a binding.
pub struct MatchResources {
    pub namespace_selector: LabelSelector,
    pub object_selector: LabelSelector,
    pub rules: Vec<NamedRule>,
    pub exclude: Vec<NamedRule>,
    pub exact: bool,
}

pub struct Validation {
    pub expression: Expression,
    pub message: String,
    pub message_expression: Option<Expression>,
    pub reason: Option<String>,
}

pub struct Policy {
    pub name: String,
    /// apiVersion and kind.
    pub param_kind: Option<(String, String)>,
    pub constraints: MatchResources,
    pub ignore_failures: bool,
    pub conditions: Vec<(String, Expression)>,
    pub variables: Vec<(String, Expression)>,
    pub validations: Vec<Validation>,
    pub audit_annotations: Vec<(String, Expression)>,
}

pub struct ParamRef {
    pub name: String,
    pub namespace: String,
    pub selector: Option<LabelSelector>,
    pub deny_when_missing: bool,
}

pub struct Binding {
    pub name: String,
    pub policy: String,
    pub param_ref: Option<ParamRef>,
    pub resources: Option<MatchResources>,
    pub actions: Vec<String>,
}

/// Every binding with its policy, bindings in name order (kube evaluates policies, then
/// each policy's bindings; the outcome of a request is the same).
#[derive(Default)]
pub struct Loaded {
    pub policies: Vec<Policy>,
    pub bindings: Vec<Binding>,
}

type Stamp = Vec<(Vec<u8>, i64)>;

/// The policies and bindings last parsed; what is remembered of them while the store's
/// change log shows them unchanged.
#[derive(Default)]
pub struct Cache {
    parsed: Mutex<Option<(Stamp, Arc<Loaded>)>>,
    loaded: Memo<Arc<Loaded>>,
    any_binding: Memo<bool>,
}

const PLURALS: [&str; 2] = [
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
];

fn prefix(plural: &str) -> Option<String> {
    crate::api::registry::find(plural).map(|r| r.storage_prefix_for(None))
}

/// Whether any binding exists (without one, no policy applies): a count-only read.
pub fn any_binding(server: &ApiServer) -> bool {
    let Some(p) = prefix(PLURALS[1]) else {
        return false;
    };
    let memo = &server.policies.any_binding;
    let found = memo.get(server.store.as_ref(), &[p.as_bytes()], || {
        Ok(server
            .store
            .range(&RangeRequest {
                count_only: true,
                ..RangeRequest::prefix(p.as_bytes())
            })
            .is_ok_and(|found| found.count > 0))
    });
    found.unwrap_or(false)
}

pub fn load(server: &ApiServer) -> Result<Arc<Loaded>, ApiError> {
    let prefixes: Vec<String> = PLURALS.iter().filter_map(|p| prefix(p)).collect();
    let keys: Vec<&[u8]> = prefixes.iter().map(|p| p.as_bytes()).collect();
    server
        .policies
        .loaded
        .get(server.store.as_ref(), &keys, || read(server))
}

/// The policies and bindings, parsed again only when one changed.
fn read(server: &ApiServer) -> Result<Arc<Loaded>, ApiError> {
    let mut stamp: Stamp = Vec::new();
    for plural in PLURALS {
        let Some(p) = prefix(plural) else { continue };
        let keys = server
            .store
            .range(&RangeRequest {
                keys_only: true,
                ..RangeRequest::prefix(p.as_bytes())
            })
            .map_err(store_error)?;
        stamp.extend(keys.kvs.iter().map(|kv| (kv.key.clone(), kv.mod_revision)));
    }
    let slot = &server.policies.parsed;
    if let Ok(cached) = slot.lock()
        && let Some((s, loaded)) = cached.as_ref()
        && *s == stamp
    {
        return Ok(loaded.clone());
    }
    let mut loaded = Loaded::default();
    if !stamp.is_empty() {
        for (i, plural) in PLURALS.iter().enumerate() {
            let Some(p) = prefix(plural) else { continue };
            let read = server
                .store
                .range(&RangeRequest::prefix(p.as_bytes()))
                .map_err(store_error)?;
            for kv in &read.kvs {
                let obj = decode_stored(kv)?;
                if i == 0 {
                    loaded.policies.push(parse_policy(&obj));
                } else {
                    loaded.bindings.push(parse_binding(&obj));
                }
            }
        }
    }
    let loaded = Arc::new(loaded);
    if let Ok(mut cached) = slot.lock() {
        *cached = Some((stamp, loaded.clone()));
    }
    Ok(loaded)
}

fn text(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn list<'a>(v: &'a Value, k: &str) -> impl Iterator<Item = &'a Value> {
    v.get(k).and_then(Value::as_array).into_iter().flatten()
}

/// A selector validation accepted; an unreadable one matches nothing.
fn selector(v: Option<&Value>) -> LabelSelector {
    match v.filter(|v| v.is_object()) {
        None => LabelSelector::default(),
        Some(s) => LabelSelector::from_object(s).unwrap_or(LabelSelector {
            requirements: Vec::new(),
            nothing: true,
        }),
    }
}

fn named_rules(v: &Value, k: &str) -> Vec<NamedRule> {
    list(v, k)
        .map(|r| NamedRule {
            names: strings(r.get("resourceNames")),
            rule: Rule {
                operations: strings(r.get("operations")),
                groups: strings(r.get("apiGroups")),
                versions: strings(r.get("apiVersions")),
                resources: strings(r.get("resources")),
                scope: r
                    .get("scope")
                    .and_then(Value::as_str)
                    .unwrap_or("*")
                    .to_string(),
            },
        })
        .collect()
}

fn match_resources(v: &Value) -> MatchResources {
    MatchResources {
        namespace_selector: selector(v.get("namespaceSelector")),
        object_selector: selector(v.get("objectSelector")),
        rules: named_rules(v, "resourceRules"),
        exclude: named_rules(v, "excludeResourceRules"),
        exact: v.get("matchPolicy").and_then(Value::as_str) == Some("Exact"),
    }
}

fn named_expressions(
    v: &Value,
    k: &str,
    name_key: &str,
    expr_key: &str,
) -> Vec<(String, Expression)> {
    list(v, k)
        .map(|x| (text(x, name_key), Expression::parse(&text(x, expr_key))))
        .collect()
}

pub fn parse_policy(obj: &Value) -> Policy {
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    Policy {
        name: obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        param_kind: spec
            .get("paramKind")
            .filter(|p| p.is_object())
            .map(|p| (text(p, "apiVersion"), text(p, "kind"))),
        constraints: match_resources(spec.get("matchConstraints").unwrap_or(&Value::Null)),
        ignore_failures: spec.get("failurePolicy").and_then(Value::as_str) == Some("Ignore"),
        conditions: named_expressions(&spec, "matchConditions", "name", "expression"),
        variables: named_expressions(&spec, "variables", "name", "expression"),
        validations: list(&spec, "validations")
            .map(|v| Validation {
                expression: Expression::parse(&text(v, "expression")),
                message: text(v, "message"),
                message_expression: v
                    .get("messageExpression")
                    .and_then(Value::as_str)
                    .filter(|m| !m.trim().is_empty())
                    .map(Expression::parse),
                reason: v.get("reason").and_then(Value::as_str).map(str::to_string),
            })
            .collect(),
        audit_annotations: named_expressions(&spec, "auditAnnotations", "key", "valueExpression"),
    }
}

pub fn parse_binding(obj: &Value) -> Binding {
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    Binding {
        name: obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        policy: text(&spec, "policyName"),
        param_ref: spec
            .get("paramRef")
            .filter(|p| p.is_object())
            .map(|p| ParamRef {
                name: text(p, "name"),
                namespace: text(p, "namespace"),
                selector: p
                    .get("selector")
                    .filter(|s| s.is_object())
                    .map(|s| selector(Some(s))),
                deny_when_missing: p.get("parameterNotFoundAction").and_then(Value::as_str)
                    == Some("Deny"),
            }),
        resources: spec
            .get("matchResources")
            .filter(|m| m.is_object())
            .map(match_resources),
        actions: strings(spec.get("validationActions")),
    }
}
