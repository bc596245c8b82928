//! ValidatingWebhookConfiguration and MutatingWebhookConfiguration, with
//! kube-apiserver's admissionregistration/v1 rules and messages.

use super::field_error::{FieldError, child, index};
use super::{label_selector, meta, names};
use serde_json::{Value, json};
use std::collections::HashSet;

const OPERATIONS: &[&str] = &["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
const REVIEW_VERSIONS: &str = "v1, v1beta1";

/// Validates a webhook configuration of `kind` (`mutating` adds reinvocationPolicy).
pub fn validate_webhook_configuration(
    kind: &str,
    obj: &Value,
    old: Option<&Value>,
) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for(kind, obj, old);
    let mutating = kind == "MutatingWebhookConfiguration";
    // On update, what the stored object already had is tolerated (as kube's ratcheting).
    let old_hooks: Vec<Value> = old
        .and_then(|o| o.get("webhooks"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let require_no_side_effects = old_hooks.iter().all(|h| {
        matches!(
            h.get("sideEffects").and_then(Value::as_str),
            Some("None" | "NoneOnDryRun")
        )
    });
    // Kept as stored: unknown review versions, duplicate names.
    let require_recognized = old_hooks
        .iter()
        .all(|h| recognized_or_empty(h.get("admissionReviewVersions")));
    let require_unique = old.is_none() || unique_names(&old_hooks);
    let check_conditions = !match_conditions_unchanged(obj, old);
    let allow_invalid_values = old_hooks.iter().any(|h| {
        ["namespaceSelector", "objectSelector"].iter().any(|sel| {
            h.get(*sel)
                .filter(|s| s.is_object())
                .is_some_and(|s| !label_selector::validate_label_selector(s, sel).is_empty())
        })
    });
    let mut seen = HashSet::new();
    let hooks = obj.get("webhooks").and_then(Value::as_array);
    for (i, hook) in hooks.into_iter().flatten().enumerate() {
        let path = index("webhooks", i);
        errs.extend(validate_webhook(
            hook,
            &path,
            mutating,
            require_no_side_effects,
            allow_invalid_values,
            check_conditions,
        ));
        errs.extend(review_versions(
            hook.get("admissionReviewVersions"),
            &child(&path, "admissionReviewVersions"),
            &format!("must specify one of {REVIEW_VERSIONS}"),
            require_recognized,
        ));
        let name = hook.get("name").and_then(Value::as_str).unwrap_or("");
        if require_unique && !name.is_empty() && !seen.insert(name.to_string()) {
            errs.push(FieldError::duplicate(&child(&path, "name"), json!(name)));
        }
    }
    errs
}

fn unique_names(hooks: &[Value]) -> bool {
    let mut seen = HashSet::new();
    hooks
        .iter()
        .all(|h| seen.insert(h.get("name").and_then(Value::as_str).unwrap_or("")))
}

fn validate_webhook(
    hook: &Value,
    path: &str,
    mutating: bool,
    require_no_side_effects: bool,
    allow_invalid_values: bool,
    check_conditions: bool,
) -> Vec<FieldError> {
    let mut errs = fully_qualified_name(
        &child(path, "name"),
        hook.get("name").and_then(Value::as_str).unwrap_or(""),
    );
    let rules = hook.get("rules").and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        errs.extend(validate_rule(rule, &index(&child(path, "rules"), i)));
    }
    let mut one_of = |field: &str, supported: &[&str]| {
        if let Some(v) = hook.get(field).and_then(Value::as_str)
            && !supported.contains(&v)
        {
            errs.push(FieldError::not_supported(
                &child(path, field),
                json!(v),
                supported,
            ));
        }
    };
    one_of("failurePolicy", &["Fail", "Ignore"]);
    one_of("matchPolicy", &["Equivalent", "Exact"]);
    let side_effects: &[&str] = if require_no_side_effects {
        &["None", "NoneOnDryRun"]
    } else {
        &["None", "NoneOnDryRun", "Some", "Unknown"]
    };
    match hook.get("sideEffects").and_then(Value::as_str) {
        None => errs.push(FieldError::required(
            &child(path, "sideEffects"),
            &format!("must specify one of {}", side_effects.join(", ")),
        )),
        Some(s) if !side_effects.contains(&s) => errs.push(FieldError::not_supported(
            &child(path, "sideEffects"),
            json!(s),
            side_effects,
        )),
        Some(_) => {}
    }
    if let Some(t) = hook.get("timeoutSeconds").and_then(Value::as_i64)
        && !(1..=30).contains(&t)
    {
        errs.push(FieldError::invalid(
            &child(path, "timeoutSeconds"),
            json!(t),
            "the timeout value must be between 1 and 30 seconds",
        ));
    }
    for sel in ["namespaceSelector", "objectSelector"] {
        if let Some(s) = hook.get(sel).filter(|s| s.is_object()) {
            errs.extend(label_selector::validate_label_selector_with(
                s,
                &child(path, sel),
                allow_invalid_values,
            ));
        }
    }
    if mutating
        && let Some(p) = hook.get("reinvocationPolicy").and_then(Value::as_str)
        && !matches!(p, "IfNeeded" | "Never")
    {
        errs.push(FieldError::not_supported(
            &child(path, "reinvocationPolicy"),
            json!(p),
            &["IfNeeded", "Never"],
        ));
    }
    errs.extend(client_config(
        hook.get("clientConfig"),
        &child(path, "clientConfig"),
    ));
    if check_conditions {
        errs.extend(match_conditions(
            hook.get("matchConditions"),
            &child(path, "matchConditions"),
        ));
    }
    errs
}

/// Whether an update leaves every webhook's matchConditions as stored (as many webhooks,
/// each with the same conditions): kube then checks them no more, so what an older server
/// accepted stays.
pub fn match_conditions_unchanged(obj: &Value, old: Option<&Value>) -> bool {
    let Some(old) = old else {
        return false;
    };
    fn hooks(o: &Value) -> &[Value] {
        o.get("webhooks")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
    // Absent, null and empty are alike.
    fn conditions(h: &Value) -> Option<&Value> {
        h.get("matchConditions")
            .filter(|c| !c.is_null() && c.as_array().is_none_or(|a| !a.is_empty()))
    }
    let (new, old) = (hooks(obj), hooks(old));
    new.len() == old.len()
        && new
            .iter()
            .zip(old)
            .all(|(a, b)| conditions(a) == conditions(b))
}

/// kube's IsFullyQualifiedName: a DNS subdomain of at least three labels.
fn fully_qualified_name(path: &str, name: &str) -> Vec<FieldError> {
    if name.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let errs = names::is_dns1123_subdomain(name);
    if !errs.is_empty() {
        return vec![FieldError::invalid(path, json!(name), &errs.join(","))];
    }
    if name.split('.').count() < 3 {
        return vec![FieldError::invalid(
            path,
            json!(name),
            "should be a domain with at least three segments separated by dots",
        )];
    }
    Vec::new()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn validate_rule(rule: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ops = strings(rule.get("operations"));
    let ops_path = child(path, "operations");
    if ops.is_empty() {
        errs.push(FieldError::required(&ops_path, ""));
    }
    if ops.len() > 1 && ops.iter().any(|o| o == "*") {
        errs.push(FieldError::invalid(
            &ops_path,
            json!(ops),
            "if '*' is present, must not specify other operations",
        ));
    }
    for (i, op) in ops.iter().enumerate() {
        if !OPERATIONS.contains(&op.as_str()) {
            errs.push(FieldError::not_supported(
                &index(&ops_path, i),
                json!(op),
                OPERATIONS,
            ));
        }
    }
    let groups = strings(rule.get("apiGroups"));
    if groups.is_empty() {
        errs.push(FieldError::required(&child(path, "apiGroups"), ""));
    }
    if groups.len() > 1 && groups.iter().any(|g| g == "*") {
        errs.push(FieldError::invalid(
            &child(path, "apiGroups"),
            json!(groups),
            "if '*' is present, must not specify other API groups",
        ));
    }
    let versions = strings(rule.get("apiVersions"));
    let versions_path = child(path, "apiVersions");
    if versions.is_empty() {
        errs.push(FieldError::required(&versions_path, ""));
    }
    if versions.len() > 1 && versions.iter().any(|v| v == "*") {
        errs.push(FieldError::invalid(
            &versions_path,
            json!(versions),
            "if '*' is present, must not specify other API versions",
        ));
    }
    for (i, v) in versions.iter().enumerate() {
        if v.is_empty() {
            errs.push(FieldError::required(&index(&versions_path, i), ""));
        }
    }
    errs.extend(resources(
        &strings(rule.get("resources")),
        &child(path, "resources"),
    ));
    if let Some(scope) = rule.get("scope").and_then(Value::as_str)
        && !matches!(scope, "*" | "Cluster" | "Namespaced")
    {
        errs.push(FieldError::not_supported(
            &child(path, "scope"),
            json!(scope),
            &["*", "Cluster", "Namespaced"],
        ));
    }
    errs
}

/// Resources with their subresource forms (`pods/status`, `*/scale`, `pods/*`, `*/*`).
fn resources(list: &[String], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if list.is_empty() {
        errs.push(FieldError::required(path, ""));
    }
    let mut wildcard_sub: HashSet<&str> = HashSet::new();
    let mut wildcard_res: HashSet<&str> = HashSet::new();
    let (mut double, mut single, mut plain) = (false, false, false);
    for (i, rs) in list.iter().enumerate() {
        if rs.is_empty() {
            errs.push(FieldError::required(&index(path, i), ""));
            continue;
        }
        double |= rs == "*/*";
        single |= rs == "*";
        let Some((res, sub)) = rs.split_once('/') else {
            plain = rs != "*";
            continue;
        };
        if wildcard_sub.contains(res) {
            errs.push(FieldError::invalid(
                &index(path, i),
                json!(rs),
                &format!("if '{res}/*' is present, must not specify {rs}"),
            ));
        }
        if wildcard_res.contains(sub) {
            errs.push(FieldError::invalid(
                &index(path, i),
                json!(rs),
                &format!("if '*/{sub}' is present, must not specify {rs}"),
            ));
        }
        if sub == "*" {
            wildcard_sub.insert(res);
        }
        if res == "*" {
            wildcard_res.insert(sub);
        }
    }
    if list.len() > 1 && double {
        errs.push(FieldError::invalid(
            path,
            json!(list),
            "if '*/*' is present, must not specify other resources",
        ));
    }
    if single && plain {
        errs.push(FieldError::invalid(
            path,
            json!(list),
            "if '*' is present, must not specify other resources without subresources",
        ));
    }
    errs
}

/// kube's review-version checks, shared by admission webhooks and CRD conversion webhooks
/// (which differ only in what an empty list is told: `required` carries `empty_detail`).
pub(super) fn review_versions(
    v: Option<&Value>,
    path: &str,
    empty_detail: &str,
    require_recognized: bool,
) -> Vec<FieldError> {
    let versions = strings(v);
    if versions.is_empty() {
        return vec![FieldError::required(path, empty_detail)];
    }
    let mut errs = Vec::new();
    let mut seen = HashSet::new();
    for (i, v) in versions.iter().enumerate() {
        if !seen.insert(v.as_str()) {
            errs.push(FieldError::invalid(
                &index(path, i),
                json!(v),
                "duplicate version",
            ));
            continue;
        }
        for m in names::is_dns1035_label(v) {
            errs.push(FieldError::invalid(&index(path, i), json!(v), &m));
        }
    }
    if require_recognized && !recognized_or_empty(v) {
        errs.push(FieldError::invalid(
            path,
            json!(versions),
            &format!("must include at least one of {REVIEW_VERSIONS}"),
        ));
    }
    errs
}

/// Whether a list of review versions names one kube speaks, or is empty: what lets an update
/// keep the stored list as it is checked on create (kube's ratcheting).
pub(super) fn recognized_or_empty(v: Option<&Value>) -> bool {
    let versions = strings(v);
    versions.is_empty() || versions.iter().any(|v| v == "v1" || v == "v1beta1")
}

pub(super) fn client_config(cc: Option<&Value>, path: &str) -> Vec<FieldError> {
    let url = cc.and_then(|c| c.get("url")).and_then(Value::as_str);
    let service = cc.and_then(|c| c.get("service")).filter(|s| s.is_object());
    match (url, service) {
        (Some(u), None) => webhook_url(&child(path, "url"), u),
        (None, Some(s)) => webhook_service(&child(path, "service"), s),
        _ => vec![FieldError::required(
            path,
            "exactly one of url or service is required",
        )],
    }
}

/// kube's ValidateWebhookURL with https required.
fn webhook_url(path: &str, url: &str) -> Vec<FieldError> {
    const FORM: &str = "; desired format: https://host[/path]";
    let (scheme, host, user, fragment, query) = match reqwest::Url::parse(url) {
        Ok(u) => (
            u.scheme().to_string(),
            u.host_str().unwrap_or("").to_string(),
            (!u.username().is_empty()).then(|| u.username().to_string()),
            u.fragment().unwrap_or("").to_string(),
            u.query().unwrap_or("").to_string(),
        ),
        // Go parses a relative reference without complaint: no scheme and no host.
        Err(e) if e.to_string() == "relative URL without a base" => Default::default(),
        Err(e) => {
            return vec![FieldError::required(
                path,
                &format!("url must be a valid URL: {e}{FORM}"),
            )];
        }
    };
    let mut errs = Vec::new();
    if scheme != "https" {
        errs.push(FieldError::invalid(
            path,
            json!(scheme),
            &format!("'https' is the only allowed URL scheme{FORM}"),
        ));
    }
    if host.is_empty() {
        errs.push(FieldError::invalid(
            path,
            json!(host),
            &format!("host must be specified{FORM}"),
        ));
    }
    if let Some(u) = user {
        errs.push(FieldError::invalid(
            path,
            json!(u),
            "user information is not permitted in the URL",
        ));
    }
    if !fragment.is_empty() {
        errs.push(FieldError::invalid(
            path,
            json!(fragment),
            "fragments are not permitted in the URL",
        ));
    }
    if !query.is_empty() {
        errs.push(FieldError::invalid(
            path,
            json!(query),
            "query parameters are not permitted in the URL",
        ));
    }
    errs
}

/// kube's ValidateWebhookService.
fn webhook_service(path: &str, svc: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let text = |k: &str| svc.get(k).and_then(Value::as_str).unwrap_or("");
    if text("name").is_empty() {
        errs.push(FieldError::required(
            &child(path, "name"),
            "service name is required",
        ));
    }
    if text("namespace").is_empty() {
        errs.push(FieldError::required(
            &child(path, "namespace"),
            "service namespace is required",
        ));
    }
    let port = svc.get("port").and_then(Value::as_i64).unwrap_or(443);
    let port_errs = names::is_valid_port_num(port);
    if !port_errs.is_empty() {
        errs.push(FieldError::invalid(
            &child(path, "port"),
            json!(port),
            &format!("port is not valid: {}", port_errs.join(", ")),
        ));
    }
    let p = text("path");
    if p.is_empty() || p == "/" {
        return errs;
    }
    if p == "//" {
        errs.push(FieldError::invalid(
            &child(path, "path"),
            json!(p),
            "segment[0] may not be empty",
        ));
        return errs;
    }
    if !p.starts_with('/') {
        errs.push(FieldError::invalid(
            &child(path, "path"),
            json!(p),
            "must start with a '/'",
        ));
    }
    for (i, segment) in p.get(1..).unwrap_or("").split('/').enumerate() {
        if segment.is_empty() {
            errs.push(FieldError::invalid(
                &child(path, "path"),
                json!(p),
                &format!("segment[{i}] may not be empty"),
            ));
            continue;
        }
        for m in names::is_dns1123_subdomain(segment) {
            errs.push(FieldError::invalid(
                &child(path, "path"),
                json!(p),
                &format!("segment[{i}]: {m}"),
            ));
        }
    }
    errs
}

pub(super) fn match_conditions(v: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let list = v
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let mut seen = HashSet::new();
    for (i, c) in list.iter().enumerate() {
        let p = index(path, i);
        let expr = c.get("expression").and_then(Value::as_str).unwrap_or("");
        // Whether it compiles is checked by the API server, which holds the CEL engine.
        if expr.trim().is_empty() {
            errs.push(FieldError::required(&child(&p, "expression"), ""));
        }
        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            errs.push(FieldError::required(&child(&p, "name"), ""));
        } else {
            for m in names::is_qualified_name(name) {
                errs.push(FieldError::invalid(&child(&p, "name"), json!(name), &m));
            }
            if !seen.insert(name) {
                errs.push(FieldError::duplicate(&child(&p, "name"), json!(name)));
            }
        }
    }
    if list.len() > 64 {
        errs.push(FieldError::invalid(
            path,
            json!(list.len()),
            "must have at most 64 items",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(versions: Value, names: &[&str]) -> Value {
        let hooks: Vec<Value> = names
            .iter()
            .map(|n| {
                json!({"name": n, "sideEffects": "None", "admissionReviewVersions": versions,
                       "clientConfig": {"url": "https://127.0.0.1:1/hook"}})
            })
            .collect();
        json!({"metadata": {"name": "c"}, "webhooks": hooks})
    }

    fn messages(obj: &Value, old: Option<&Value>) -> Vec<String> {
        validate_webhook_configuration("ValidatingWebhookConfiguration", obj, old)
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn an_update_keeps_what_the_stored_configuration_already_had() {
        let unknown = config(json!(["v9"]), &["a.example.com"]);
        let known = config(json!(["v1"]), &["a.example.com"]);
        let refused = "webhooks[0].admissionReviewVersions: Invalid value: []string{\"v9\"}: must include at least one of v1, v1beta1";
        assert_eq!(messages(&unknown, None), [refused]);
        assert_eq!(messages(&unknown, Some(&known)), [refused]);
        assert_eq!(messages(&unknown, Some(&unknown)), Vec::<String>::new());
        let twice = config(json!(["v1"]), &["a.example.com", "a.example.com"]);
        let duplicate = "webhooks[1].name: Duplicate value: \"a.example.com\"";
        assert_eq!(messages(&twice, None), [duplicate]);
        assert_eq!(messages(&twice, Some(&known)), [duplicate]);
        assert_eq!(messages(&twice, Some(&twice)), Vec::<String>::new());
    }

    #[test]
    fn unchanged_match_conditions_are_not_checked_again() {
        let mut stored = config(json!(["v1"]), &["a.example.com"]);
        stored["webhooks"][0]["matchConditions"] =
            json!([{"name": "Bad Name", "expression": "true"}]);
        assert_eq!(messages(&stored, None).len(), 1);
        let mut kept = stored.clone();
        kept["metadata"]["labels"] = json!({"x": "y"});
        assert_eq!(messages(&kept, Some(&stored)), Vec::<String>::new());
        let mut changed = kept.clone();
        changed["webhooks"][0]["matchConditions"][0]["expression"] = json!("false");
        assert_eq!(messages(&changed, Some(&stored)).len(), 1);
    }

    #[test]
    fn invalid_selector_values_are_kept_if_the_stored_configuration_had_some() {
        let with_values = |v: &str| {
            let mut c = config(json!(["v1"]), &["a.example.com"]);
            c["webhooks"][0]["objectSelector"] = json!({"matchExpressions":
                [{"key": "k", "operator": "In", "values": [v]}]});
            c
        };
        let (bad, good) = (with_values("not valid!"), with_values("ok"));
        let m = messages(&bad, Some(&good));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("webhooks[0].objectSelector.matchExpressions[0].values[0]: Invalid value: \"not valid!\""),
            "{m:?}"
        );
        assert_eq!(messages(&bad, Some(&bad)), Vec::<String>::new());
    }
}
