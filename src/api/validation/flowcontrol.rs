//! FlowSchema and PriorityLevelConfiguration (flowcontrol.apiserver.k8s.io/v1), with
//! kube-apiserver 1.32's rules, field paths and messages.

use super::field_error::{FieldError, child, index};
use super::{meta, names};
use crate::api::flowcontrol as apf;
use crate::go::quote;
use serde_json::{Value, json};

const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "proxy",
    "update",
    "watch",
];
const MAX_PRECEDENCE: i64 = 10000;
const MAX_QUEUES: i64 = 10_000_000;
/// Shuffle sharding draws a hand from one 64-bit hash, of which it may use 60 bits.
const MAX_HASH_BITS: f64 = 60.0;
const NS_INTRO: &str = "each member of this list must be '*' or a DNS-1123 label; ";

fn strs(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn int(v: Option<&Value>) -> i64 {
    v.and_then(Value::as_i64).unwrap_or(0)
}

fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn list_value(list: &[&str]) -> Value {
    json!(list)
}

pub fn validate_flow_schema(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("FlowSchema", obj, old);
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let empty = json!({});
    let spec = obj.get("spec").unwrap_or(&empty);
    flow_schema_spec(name, spec, &mut errs);
    if let Some(fixed) = apf::mandatory_flow_schema_spec(name)
        && !same(spec, &fixed)
    {
        errs.push(FieldError::invalid_repr(
            "spec",
            go_flow_schema_spec(spec),
            &format!("spec of '{name}' must equal the fixed value"),
        ));
    }
    conditions(obj, &mut errs);
    errs
}

fn flow_schema_spec(name: &str, spec: &Value, errs: &mut Vec<FieldError>) {
    let precedence = int(spec.get("matchingPrecedence"));
    if precedence <= 0 {
        errs.push(FieldError::invalid(
            "spec.matchingPrecedence",
            json!(precedence),
            "must be a positive value",
        ));
    }
    if precedence > MAX_PRECEDENCE {
        errs.push(FieldError::invalid(
            "spec.matchingPrecedence",
            json!(precedence),
            &format!("must not be greater than {MAX_PRECEDENCE}"),
        ));
    }
    if precedence == 1 && name != "exempt" {
        errs.push(FieldError::invalid(
            "spec.matchingPrecedence",
            json!(precedence),
            "only the schema named 'exempt' may have matchingPrecedence 1",
        ));
    }
    if let Some(method) = spec.get("distinguisherMethod").filter(|v| !v.is_null()) {
        let kind = text(method, "type");
        if !matches!(kind, "ByNamespace" | "ByUser") {
            let mut e = FieldError::not_supported(
                "spec.distinguisherMethod.type",
                json!(kind),
                &["ByNamespace", "ByUser"],
            );
            e.value_repr = Some(format!(
                "flowcontrol.FlowDistinguisherMethod{{Type:{}}}",
                quote(kind)
            ));
            errs.push(e);
        }
    }
    let level = spec
        .pointer("/priorityLevelConfiguration/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if level.is_empty() {
        errs.push(FieldError::required(
            "spec.priorityLevelConfiguration.name",
            "must reference a priority level",
        ));
    } else {
        for msg in names::is_dns1123_subdomain(level) {
            errs.push(FieldError::invalid(
                "spec.priorityLevelConfiguration.name",
                json!(level),
                &msg,
            ));
        }
    }
    let rules = spec.get("rules").and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        rule_with_subjects(rule, &index("spec.rules", i), errs);
    }
}

fn rule_with_subjects(rule: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let subjects = rule.get("subjects").and_then(Value::as_array);
    match subjects {
        Some(list) if !list.is_empty() => {
            for (i, s) in list.iter().enumerate() {
                subject(s, &index(&child(path, "subjects"), i), errs);
            }
        }
        _ => errs.push(FieldError::required(
            &child(path, "subjects"),
            "subjects must contain at least one value",
        )),
    }
    let resources = rule.get("resourceRules").and_then(Value::as_array);
    let urls = rule.get("nonResourceRules").and_then(Value::as_array);
    if resources.is_none_or(Vec::is_empty) && urls.is_none_or(Vec::is_empty) {
        errs.push(FieldError::required(
            path,
            "at least one of resourceRules and nonResourceRules has to be non-empty",
        ));
    }
    for (i, r) in resources.into_iter().flatten().enumerate() {
        resource_rule(r, &index(&child(path, "resourceRules"), i), errs);
    }
    for (i, r) in urls.into_iter().flatten().enumerate() {
        non_resource_rule(r, &index(&child(path, "nonResourceRules"), i), errs);
    }
}

fn present(v: &Value, k: &str) -> bool {
    v.get(k).is_some_and(|x| !x.is_null())
}

fn subject(s: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let forbid = |errs: &mut Vec<FieldError>, field: &str, detail: &str| {
        if present(s, field) {
            errs.push(FieldError::forbidden(&child(path, field), detail));
        }
    };
    let user_forbidden = "user is forbidden when subject kind is not 'User'";
    let group_forbidden = "group is forbidden when subject kind is not 'Group'";
    let sa_forbidden = "serviceAccount is forbidden when subject kind is not 'ServiceAccount'";
    match text(s, "kind") {
        "ServiceAccount" => {
            service_account_subject(
                s.get("serviceAccount"),
                &child(path, "serviceAccount"),
                errs,
            );
            forbid(errs, "user", user_forbidden);
            forbid(errs, "group", group_forbidden);
        }
        "User" => {
            named_subject(s.get("user"), &child(path, "user"), "user", "User", errs);
            forbid(errs, "serviceAccount", sa_forbidden);
            forbid(errs, "group", group_forbidden);
        }
        "Group" => {
            named_subject(
                s.get("group"),
                &child(path, "group"),
                "group",
                "Group",
                errs,
            );
            forbid(errs, "serviceAccount", sa_forbidden);
            forbid(errs, "user", user_forbidden);
        }
        other => errs.push(FieldError::not_supported(
            &child(path, "kind"),
            json!(other),
            &["Group", "ServiceAccount", "User"],
        )),
    }
}

fn named_subject(
    v: Option<&Value>,
    path: &str,
    field: &str,
    kind: &str,
    errs: &mut Vec<FieldError>,
) {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        errs.push(FieldError::required(
            path,
            &format!("{field} is required when subject kind is '{kind}'"),
        ));
        return;
    };
    if text(v, "name").is_empty() {
        errs.push(FieldError::required(&child(path, "name"), ""));
    }
}

fn service_account_subject(v: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        errs.push(FieldError::required(
            path,
            "serviceAccount is required when subject kind is 'ServiceAccount'",
        ));
        return;
    };
    let name = text(v, "name");
    if name.is_empty() {
        errs.push(FieldError::required(&child(path, "name"), ""));
    } else if name != "*" {
        for msg in names::is_dns1123_subdomain(name) {
            errs.push(FieldError::invalid(&child(path, "name"), json!(name), &msg));
        }
    }
    let ns = text(v, "namespace");
    if ns.is_empty() {
        errs.push(FieldError::required(
            &child(path, "namespace"),
            "must specify namespace for service account",
        ));
    } else {
        for msg in names::is_dns1123_label(ns) {
            errs.push(FieldError::invalid(
                &child(path, "namespace"),
                json!(ns),
                &msg,
            ));
        }
    }
}

/// Verbs: at least one; `*` alone; otherwise only the verbs kube knows.
fn verbs(rule: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let verbs = strs(rule.get("verbs"));
    let at = child(path, "verbs");
    if verbs.is_empty() {
        errs.push(FieldError::required(
            &at,
            "verbs must contain at least one value",
        ));
    } else if verbs.contains(&"*") {
        if verbs.len() > 1 {
            errs.push(FieldError::invalid(
                &at,
                list_value(&verbs),
                "if '*' is present, must not specify other verbs",
            ));
        }
    } else if !verbs.iter().all(|v| VERBS.contains(v)) {
        errs.push(FieldError::not_supported(&at, list_value(&verbs), VERBS));
    }
}

/// A list that must not be empty, and may hold `*` only alone.
/// A rule's list where `*` must stand alone: `required` (when the list may not be empty)
/// says what an empty one lacks, `what` names its items in the `*` message, and `problems`
/// judges each item of a list without `*`.
fn wildcard_list(
    list: &[&str],
    at: &str,
    required: Option<&str>,
    what: &str,
    problems: &dyn Fn(&str) -> Vec<String>,
    errs: &mut Vec<FieldError>,
) {
    if list.is_empty() {
        if let Some(required) = required {
            errs.push(FieldError::required(at, required));
        }
    } else if list.contains(&"*") {
        if list.len() > 1 {
            errs.push(FieldError::invalid(
                at,
                list_value(list),
                &format!("if '*' is present, must not specify other {what}"),
            ));
        }
    } else {
        for (i, item) in list.iter().enumerate() {
            for msg in problems(item) {
                errs.push(FieldError::invalid(&index(at, i), json!(item), &msg));
            }
        }
    }
}

fn resource_rule(rule: &Value, path: &str, errs: &mut Vec<FieldError>) {
    verbs(rule, path, errs);
    let any = |_: &str| Vec::new();
    for (field, required, what) in [
        (
            "apiGroups",
            "resource rules must supply at least one api group",
            "api groups",
        ),
        (
            "resources",
            "resource rules must supply at least one resource",
            "resources",
        ),
    ] {
        let list = strs(rule.get(field));
        wildcard_list(&list, &child(path, field), Some(required), what, &any, errs);
    }
    let cluster = rule.get("clusterScope").and_then(Value::as_bool) == Some(true);
    let required = (!cluster)
        .then_some("resource rules that are not cluster scoped must supply at least one namespace");
    let label = |ns: &str| {
        names::is_dns1123_label(ns)
            .into_iter()
            .map(|msg| format!("{NS_INTRO}{msg}"))
            .collect()
    };
    let namespaces = strs(rule.get("namespaces"));
    let at = child(path, "namespaces");
    wildcard_list(&namespaces, &at, required, "namespaces", &label, errs);
}

fn non_resource_rule(rule: &Value, path: &str, errs: &mut Vec<FieldError>) {
    verbs(rule, path, errs);
    let urls = strs(rule.get("nonResourceURLs"));
    let at = child(path, "nonResourceURLs");
    let required = Some("nonResourceURLs must contain at least one value");
    let problems = |url: &str| url_problem(url).into_iter().map(String::from).collect();
    wildcard_list(&urls, &at, required, "non-resource URLs", &problems, errs);
}

/// What is wrong with a non-resource URL: kube wants `/`, or a slash-led path without
/// spaces or `//`, whose only `*` ends it as `/*`.
fn url_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("must not be empty");
    }
    if path == "/" {
        return None;
    }
    if !path.starts_with('/') {
        return Some("must start with slash");
    }
    if path.contains(' ') {
        return Some("must not contain white-space");
    }
    if path.contains("//") {
        return Some("must not contain double slash");
    }
    let stars = path.matches('*').count();
    if stars > 1 || (stars == 1 && !path.ends_with("/*")) {
        return Some("wildcard can only do suffix matching");
    }
    None
}

/// Condition types: present and not repeated.
fn conditions(obj: &Value, errs: &mut Vec<FieldError>) {
    let list = obj.pointer("/status/conditions").and_then(Value::as_array);
    let mut seen: Vec<&str> = Vec::new();
    for (i, c) in list.into_iter().flatten().enumerate() {
        let path = index("status.conditions", i);
        let kind = text(c, "type");
        if seen.contains(&kind) {
            errs.push(FieldError::duplicate(&child(&path, "type"), json!(kind)));
        }
        seen.push(kind);
        if kind.is_empty() {
            errs.push(FieldError::required(
                &child(&path, "type"),
                "must not be empty",
            ));
        }
    }
}

pub fn validate_priority_level(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("PriorityLevelConfiguration", obj, old);
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let empty = json!({});
    let spec = obj.get("spec").unwrap_or(&empty);
    // A level whose stored shares were already 0 keeps being accepted (kube's ratchet);
    // v1 requests allow 0 anyway.
    level_spec(name, spec, &mut errs);
    if let Some(fixed) = apf::mandatory_priority_level(name) {
        // The exempt level's `exempt` block is the administrator's to tune.
        let (mine, theirs, detail) = if name == "exempt" {
            (
                without(spec, "exempt"),
                without(&fixed, "exempt"),
                format!(
                    "spec of '{name}' except the 'spec.exempt' field must equal the fixed value"
                ),
            )
        } else {
            (
                spec.clone(),
                fixed,
                format!("spec of '{name}' must equal the fixed value"),
            )
        };
        if !same(&mine, &theirs) {
            errs.push(FieldError::invalid_repr(
                "spec",
                go_level_spec(spec),
                &detail,
            ));
        }
    }
    conditions(obj, &mut errs);
    errs
}

fn without(v: &Value, field: &str) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.shift_remove(field);
    }
    v
}

fn level_spec(name: &str, spec: &Value, errs: &mut Vec<FieldError>) {
    let kind = text(spec, "type");
    if (name == "exempt") != (kind == "Exempt") {
        errs.push(FieldError::invalid(
            "spec.type",
            json!(kind),
            "type must be 'Exempt' if and only if name is 'exempt'",
        ));
    }
    match kind {
        "Exempt" => {
            if present(spec, "limited") {
                errs.push(FieldError::forbidden(
                    "spec.limited",
                    "must be nil if the type is not Limited",
                ));
            }
            if let Some(exempt) = spec.get("exempt").filter(|v| !v.is_null()) {
                non_negative(
                    exempt.get("nominalConcurrencyShares"),
                    "spec.exempt.nominalConcurrencyShares",
                    errs,
                );
                percent(
                    exempt.get("lendablePercent"),
                    "spec.exempt.lendablePercent",
                    errs,
                );
            }
        }
        "Limited" => {
            if present(spec, "exempt") {
                errs.push(FieldError::forbidden(
                    "spec.exempt",
                    "must be nil if the type is Limited",
                ));
            }
            match spec.get("limited").filter(|v| !v.is_null()) {
                None => errs.push(FieldError::required(
                    "spec.limited",
                    "must not be empty when type is Limited",
                )),
                Some(limited) => limited_level(limited, errs),
            }
        }
        other => errs.push(FieldError::not_supported(
            "spec.type",
            json!(other),
            &["Exempt", "Limited"],
        )),
    }
}

fn non_negative(v: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(n) = v.and_then(Value::as_i64)
        && n < 0
    {
        errs.push(FieldError::invalid(
            path,
            json!(n),
            "must be a non-negative integer",
        ));
    }
}

fn percent(v: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(n) = v.and_then(Value::as_i64)
        && !(0..=100).contains(&n)
    {
        errs.push(FieldError::invalid(
            path,
            json!(n),
            "must be between 0 and 100, inclusive",
        ));
    }
}

fn limited_level(limited: &Value, errs: &mut Vec<FieldError>) {
    non_negative(
        limited.get("nominalConcurrencyShares"),
        "spec.limited.nominalConcurrencyShares",
        errs,
    );
    let empty = json!({});
    let response = limited.get("limitResponse").unwrap_or(&empty);
    match text(response, "type") {
        "Reject" => {
            if present(response, "queuing") {
                errs.push(FieldError::forbidden(
                    "spec.limited.limitResponse.queuing",
                    "must be nil if limited.limitResponse.type is not Limited",
                ));
            }
        }
        "Queue" => match response.get("queuing").filter(|v| !v.is_null()) {
            None => errs.push(FieldError::required(
                "spec.limited.limitResponse.queuing",
                "must not be empty if limited.limitResponse.type is Limited",
            )),
            Some(q) => queuing(q, errs),
        },
        other => errs.push(FieldError::not_supported(
            "spec.limited.limitResponse.type",
            json!(other),
            &["Queue", "Reject"],
        )),
    }
    percent(
        limited.get("lendablePercent"),
        "spec.limited.lendablePercent",
        errs,
    );
    if let Some(n) = limited.get("borrowingLimitPercent").and_then(Value::as_i64)
        && n < 0
    {
        errs.push(FieldError::invalid(
            "spec.limited.borrowingLimitPercent",
            json!(n),
            "if specified, must be a non-negative integer",
        ));
    }
}

fn queuing(q: &Value, errs: &mut Vec<FieldError>) {
    let path = "spec.limited.limitResponse.queuing";
    let limit = int(q.get("queueLengthLimit"));
    if limit <= 0 {
        errs.push(FieldError::invalid(
            &child(path, "queueLengthLimit"),
            json!(limit),
            "must be positive",
        ));
    }
    let queues = int(q.get("queues"));
    if queues <= 0 {
        errs.push(FieldError::invalid(
            &child(path, "queues"),
            json!(queues),
            "must be positive",
        ));
    } else if queues > MAX_QUEUES {
        errs.push(FieldError::invalid(
            &child(path, "queues"),
            json!(queues),
            &format!("must not be greater than {MAX_QUEUES}"),
        ));
    }
    let hand = int(q.get("handSize"));
    let at = child(path, "handSize");
    if hand <= 0 {
        errs.push(FieldError::invalid(&at, json!(hand), "must be positive"));
    } else if hand > queues {
        errs.push(FieldError::invalid(
            &at,
            json!(hand),
            &format!("should not be greater than queues ({queues})"),
        ));
    } else if entropy_bits(queues, hand) > MAX_HASH_BITS {
        errs.push(FieldError::invalid(
            &at,
            json!(hand),
            &format!(
                "required entropy bits of deckSize {queues} and handSize {hand} should not be greater than {MAX_HASH_BITS}"
            ),
        ));
    }
}

/// The bits of hash a hand of `hand` cards from a deck of `deck` needs.
#[allow(clippy::cast_precision_loss)]
fn entropy_bits(deck: i64, hand: i64) -> f64 {
    ((deck as f64).log2() * hand as f64).ceil()
}

/// Go's semantic equality of two specs: nil and empty lists, false and missing alike.
fn same(a: &Value, b: &Value) -> bool {
    normal(a) == normal(b)
}

fn normal(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| {
                    !matches!(v, Value::Null | Value::Bool(false))
                        && v.as_array().is_none_or(|a| !a.is_empty())
                        && v.as_str().is_none_or(|s| !s.is_empty())
                })
                .map(|(k, v)| (k.clone(), normal(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normal).collect()),
        other => other.clone(),
    }
}

/// Go's `%#v` of a pointer field: nil, or an address (any one; Go prints where it lives).
fn go_ptr(kind: &str, v: Option<&Value>) -> String {
    match v.filter(|v| !v.is_null()) {
        None => format!("(*flowcontrol.{kind})(nil)"),
        Some(_) => format!("(*flowcontrol.{kind})(0xc000a2c000)"),
    }
}

fn go_strings(v: Option<&Value>) -> String {
    match v.and_then(Value::as_array) {
        None => "[]string(nil)".to_string(),
        Some(a) => {
            let items: Vec<String> = a.iter().map(|s| quote(s.as_str().unwrap_or(""))).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
    }
}

fn go_list(kind: &str, v: Option<&Value>, item: impl Fn(&Value) -> String) -> String {
    match v.and_then(Value::as_array) {
        None => format!("[]flowcontrol.{kind}(nil)"),
        Some(a) => {
            let items: Vec<String> = a.iter().map(item).collect();
            format!("[]flowcontrol.{kind}{{{}}}", items.join(", "))
        }
    }
}

fn go_subject(s: &Value) -> String {
    format!(
        "flowcontrol.Subject{{Kind:{}, User:{}, Group:{}, ServiceAccount:{}}}",
        quote(text(s, "kind")),
        go_ptr("UserSubject", s.get("user")),
        go_ptr("GroupSubject", s.get("group")),
        go_ptr("ServiceAccountSubject", s.get("serviceAccount")),
    )
}

fn go_rule(r: &Value) -> String {
    let resource = |r: &Value| {
        format!(
            "flowcontrol.ResourcePolicyRule{{Verbs:{}, APIGroups:{}, Resources:{}, ClusterScope:{}, Namespaces:{}}}",
            go_strings(r.get("verbs")),
            go_strings(r.get("apiGroups")),
            go_strings(r.get("resources")),
            r.get("clusterScope")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            go_strings(r.get("namespaces")),
        )
    };
    let non_resource = |r: &Value| {
        format!(
            "flowcontrol.NonResourcePolicyRule{{Verbs:{}, NonResourceURLs:{}}}",
            go_strings(r.get("verbs")),
            go_strings(r.get("nonResourceURLs")),
        )
    };
    format!(
        "flowcontrol.PolicyRulesWithSubjects{{Subjects:{}, ResourceRules:{}, NonResourceRules:{}}}",
        go_list("Subject", r.get("subjects"), go_subject),
        go_list("ResourcePolicyRule", r.get("resourceRules"), resource),
        go_list(
            "NonResourcePolicyRule",
            r.get("nonResourceRules"),
            non_resource
        ),
    )
}

/// `%#v` of the internal FlowSchemaSpec, as kube's message on a mandatory schema prints it.
fn go_flow_schema_spec(spec: &Value) -> String {
    format!(
        "flowcontrol.FlowSchemaSpec{{PriorityLevelConfiguration:flowcontrol.PriorityLevelConfigurationReference{{Name:{}}}, MatchingPrecedence:{}, DistinguisherMethod:{}, Rules:{}}}",
        quote(
            spec.pointer("/priorityLevelConfiguration/name")
                .and_then(Value::as_str)
                .unwrap_or("")
        ),
        int(spec.get("matchingPrecedence")),
        go_ptr("FlowDistinguisherMethod", spec.get("distinguisherMethod")),
        go_list("PolicyRulesWithSubjects", spec.get("rules"), go_rule),
    )
}

/// `%#v` of the internal PriorityLevelConfigurationSpec.
fn go_level_spec(spec: &Value) -> String {
    format!(
        "flowcontrol.PriorityLevelConfigurationSpec{{Type:{}, Limited:{}, Exempt:{}}}",
        quote(text(spec, "type")),
        go_ptr("LimitedPriorityLevelConfiguration", spec.get("limited")),
        go_ptr("ExemptPriorityLevelConfiguration", spec.get("exempt")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn every_bootstrap_object_is_valid() {
        for (plural, obj) in apf::bootstrap_objects() {
            let errs = if plural == "flowschemas" {
                validate_flow_schema(&obj, None)
            } else {
                validate_priority_level(&obj, None)
            };
            assert!(
                errs.is_empty(),
                "{}: {:?}",
                obj["metadata"]["name"],
                messages(&errs)
            );
        }
    }

    #[test]
    fn schema_errors_name_kubes_fields() {
        let fs = json!({"metadata": {"name": "x"}, "spec": {
            "matchingPrecedence": 1,
            "distinguisherMethod": {"type": "ByPod"},
            "priorityLevelConfiguration": {"name": ""},
            "rules": [{"subjects": [{"kind": "Robot"}],
                       "resourceRules": [{"verbs": ["get", "*"], "apiGroups": [], "resources": ["pods"], "namespaces": ["Bad_NS"]}],
                       "nonResourceRules": [{"verbs": ["fly"], "nonResourceURLs": ["/a/*/b"]}]}]}});
        let got = messages(&validate_flow_schema(&fs, None));
        assert_eq!(
            got,
            [
                "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1",
                "spec.distinguisherMethod.type: Unsupported value: flowcontrol.FlowDistinguisherMethod{Type:\"ByPod\"}: supported values: \"ByNamespace\", \"ByUser\"",
                "spec.priorityLevelConfiguration.name: Required value: must reference a priority level",
                "spec.rules[0].subjects[0].kind: Unsupported value: \"Robot\": supported values: \"Group\", \"ServiceAccount\", \"User\"",
                "spec.rules[0].resourceRules[0].verbs: Invalid value: []string{\"get\", \"*\"}: if '*' is present, must not specify other verbs",
                "spec.rules[0].resourceRules[0].apiGroups: Required value: resource rules must supply at least one api group",
                "spec.rules[0].resourceRules[0].namespaces[0]: Invalid value: \"Bad_NS\": each member of this list must be '*' or a DNS-1123 label; a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.rules[0].nonResourceRules[0].verbs: Unsupported value: []string{\"fly\"}: supported values: \"create\", \"delete\", \"deletecollection\", \"get\", \"list\", \"patch\", \"proxy\", \"update\", \"watch\"",
                "spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: \"/a/*/b\": wildcard can only do suffix matching",
            ]
        );
    }

    #[test]
    fn mandatory_schemas_keep_their_spec() {
        let mut fs = apf::bootstrap_objects()
            .into_iter()
            .find(|(p, o)| *p == "flowschemas" && o["metadata"]["name"] == "catch-all")
            .map(|(_, o)| o)
            .expect("catch-all");
        assert!(validate_flow_schema(&fs, None).is_empty());
        fs["spec"]["matchingPrecedence"] = json!(9999);
        let got = messages(&validate_flow_schema(&fs, None));
        assert_eq!(got.len(), 1);
        assert!(
            got[0].ends_with(": spec of 'catch-all' must equal the fixed value"),
            "{got:?}"
        );
    }

    #[test]
    fn level_errors_name_kubes_fields() {
        let pl = json!({"metadata": {"name": "x"}, "spec": {"type": "Limited", "limited": {
            "nominalConcurrencyShares": -1, "lendablePercent": 101,
            "limitResponse": {"type": "Queue", "queuing": {"queues": 128, "handSize": 20, "queueLengthLimit": 0}}}}});
        assert_eq!(
            messages(&validate_priority_level(&pl, None)),
            [
                "spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer",
                "spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: 0: must be positive",
                "spec.limited.limitResponse.queuing.handSize: Invalid value: 20: required entropy bits of deckSize 128 and handSize 20 should not be greater than 60",
                "spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive",
            ]
        );
        let exempt = json!({"metadata": {"name": "other"}, "spec": {"type": "Exempt"}});
        assert_eq!(
            messages(&validate_priority_level(&exempt, None)),
            [
                "spec.type: Invalid value: \"Exempt\": type must be 'Exempt' if and only if name is 'exempt'"
            ]
        );
    }

    #[test]
    fn the_exempt_level_may_tune_only_its_exempt_block() {
        let mut pl = json!({"metadata": {"name": "exempt"}, "spec": {"type": "Exempt",
            "exempt": {"nominalConcurrencyShares": 7, "lendablePercent": 10}}});
        assert!(validate_priority_level(&pl, None).is_empty());
        pl["spec"]["limited"] = json!({"nominalConcurrencyShares": 1});
        let got = messages(&validate_priority_level(&pl, None));
        assert!(
            got.iter().any(|m| m.ends_with(
                "spec of 'exempt' except the 'spec.exempt' field must equal the fixed value"
            )),
            "{got:?}"
        );
    }
}
