//! ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding, with kube-apiserver
//! 1.32's admissionregistration/v1 field rules and messages. Whether the CEL expressions
//! compile is checked by the API server, which holds the CEL engine.

use super::field_error::{FieldError, child, index};
use super::webhooks::{match_conditions, validate_rule};
use super::{label_selector, meta, names};
use serde_json::{Value, json};
use std::collections::HashSet;

/// kube's maxAuditAnnotations and maxAuditAnnotationValueExpressionLength.
const MAX_AUDIT_ANNOTATIONS: usize = 20;
const MAX_VALUE_EXPRESSION_LEN: usize = 5 * 1024;
const REASONS: &[&str] = &[
    "Forbidden",
    "Invalid",
    "RequestEntityTooLarge",
    "Unauthorized",
];
const CEL_RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

fn text<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn items<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub fn validate_policy(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("ValidatingAdmissionPolicy", obj, old);
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    match text(&spec, "failurePolicy") {
        None => errs.push(FieldError::required("spec.failurePolicy", "")),
        Some(p) if !matches!(p, "Fail" | "Ignore") => errs.push(FieldError::not_supported(
            "spec.failurePolicy",
            json!(p),
            &["Fail", "Ignore"],
        )),
        Some(_) => {}
    }
    if let Some(pk) = spec.get("paramKind").filter(|p| p.is_object()) {
        errs.extend(param_kind(pk, "spec.paramKind"));
    }
    match spec.get("matchConstraints").filter(|m| m.is_object()) {
        None => errs.push(FieldError::required("spec.matchConstraints", "")),
        Some(mc) => {
            errs.extend(match_resources(mc, "spec.matchConstraints"));
            if items(mc, "resourceRules").is_empty() {
                errs.push(FieldError::required(
                    "spec.matchConstraints.resourceRules",
                    "",
                ));
            }
        }
    }
    errs.extend(match_conditions(
        spec.get("matchConditions"),
        "spec.matchConditions",
    ));
    for (i, v) in items(&spec, "variables").iter().enumerate() {
        errs.extend(variable(v, &index("spec.variables", i)));
    }
    let (validations, audits) = (
        items(&spec, "validations"),
        items(&spec, "auditAnnotations"),
    );
    if validations.is_empty() && audits.is_empty() {
        let why = "validations or auditAnnotations must contain at least one item";
        errs.push(FieldError::required("spec.validations", why));
        errs.push(FieldError::required("spec.auditAnnotations", why));
        return errs;
    }
    for (i, v) in validations.iter().enumerate() {
        errs.extend(validation(v, &index("spec.validations", i)));
    }
    if audits.len() > MAX_AUDIT_ANNOTATIONS {
        errs.push(FieldError::invalid(
            "spec.auditAnnotations",
            Value::Array(audits.to_vec()),
            &format!("must not have more than {MAX_AUDIT_ANNOTATIONS} auditAnnotations"),
        ));
    }
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut keys = HashSet::new();
    for (i, a) in audits.iter().enumerate() {
        let path = index("spec.auditAnnotations", i);
        errs.extend(audit_annotation(a, name, &path));
        let key = text(a, "key").unwrap_or("");
        if !keys.insert(key) {
            errs.push(FieldError::duplicate(&child(&path, "key"), json!(key)));
        }
    }
    errs
}

fn param_kind(pk: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let api_version = text(pk, "apiVersion").unwrap_or("");
    let av_path = child(path, "apiVersion");
    if api_version.is_empty() {
        errs.push(FieldError::required(&av_path, ""));
    } else if api_version.matches('/').count() > 1 {
        errs.push(FieldError::invalid(
            &av_path,
            json!(api_version),
            &format!("unexpected GroupVersion string: {api_version}"),
        ));
    } else if api_version != "/" {
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        if !group.is_empty() {
            let bad = names::is_dns1123_subdomain(group);
            if !bad.is_empty() {
                errs.push(FieldError::invalid(&av_path, json!(group), &bad.join(",")));
            }
        }
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &av_path,
                json!(api_version),
                "version must be specified",
            ));
        } else {
            let bad = names::is_dns1035_label(version);
            if !bad.is_empty() {
                errs.push(FieldError::invalid(
                    &av_path,
                    json!(version),
                    &bad.join(","),
                ));
            }
        }
    }
    let kind = text(pk, "kind").unwrap_or("");
    if kind.is_empty() {
        errs.push(FieldError::required(&child(path, "kind"), ""));
    } else {
        let bad = names::is_dns1035_label(&kind.to_lowercase());
        if !bad.is_empty() {
            errs.push(FieldError::invalid(
                &child(path, "kind"),
                json!(kind),
                &format!(
                    "may have mixed case, but should otherwise match: {}",
                    bad.join(",")
                ),
            ));
        }
    }
    errs
}

fn match_resources(mc: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match text(mc, "matchPolicy") {
        None => errs.push(FieldError::required(&child(path, "matchPolicy"), "")),
        Some(p) if !matches!(p, "Equivalent" | "Exact") => errs.push(FieldError::not_supported(
            &child(path, "matchPolicy"),
            json!(p),
            &["Equivalent", "Exact"],
        )),
        Some(_) => {}
    }
    for sel in ["namespaceSelector", "objectSelector"] {
        match mc.get(sel).filter(|s| s.is_object()) {
            None => errs.push(FieldError::required(&child(path, sel), "")),
            Some(s) => errs.extend(label_selector::validate_label_selector(
                s,
                &child(path, sel),
            )),
        }
    }
    for list in ["resourceRules", "excludeResourceRules"] {
        for (i, rule) in items(mc, list).iter().enumerate() {
            errs.extend(named_rule(rule, &index(&child(path, list), i)));
        }
    }
    errs
}

/// kube's ValidatePathSegmentName: what may not be one segment of a URL path.
fn path_segment_problems(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(*bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

fn named_rule(rule: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = HashSet::new();
    let names_path = child(path, "resourceNames");
    for (i, n) in items(rule, "resourceNames").iter().enumerate() {
        let n = n.as_str().unwrap_or("");
        for m in path_segment_problems(n) {
            errs.push(FieldError::invalid(&index(&names_path, i), json!(n), &m));
        }
        if !seen.insert(n) {
            errs.push(FieldError::duplicate(&index(&names_path, i), json!(n)));
        }
    }
    errs.extend(validate_rule(rule, path));
    errs
}

fn is_cel_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !CEL_RESERVED.contains(&name)
}

fn variable(v: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = text(v, "name").unwrap_or("");
    if name.trim().is_empty() {
        errs.push(FieldError::required(
            &child(path, "name"),
            "name is not specified",
        ));
    } else if !is_cel_identifier(name) {
        errs.push(FieldError::invalid(
            &child(path, "name"),
            json!(name),
            "name is not a valid CEL identifier",
        ));
    }
    if text(v, "expression").unwrap_or("").trim().is_empty() {
        errs.push(FieldError::required(
            &child(path, "expression"),
            "expression is not specified",
        ));
    }
    errs
}

fn validation(v: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if text(v, "expression").unwrap_or("").trim().is_empty() {
        errs.push(FieldError::required(
            &child(path, "expression"),
            "expression is not specified",
        ));
    }
    let message_expression = text(v, "messageExpression").unwrap_or("");
    if !message_expression.is_empty() && message_expression.trim().is_empty() {
        errs.push(FieldError::invalid(
            &child(path, "messageExpression"),
            json!(message_expression),
            "must be non-empty if specified",
        ));
    }
    let message = text(v, "message").unwrap_or("");
    if !message.is_empty() && message.trim().is_empty() {
        errs.push(FieldError::invalid(
            &child(path, "message"),
            json!(message),
            "message must be non-empty if specified",
        ));
    } else if message.trim().contains(['\n', '\r']) {
        errs.push(FieldError::invalid(
            &child(path, "message"),
            json!(message),
            "message must not contain line breaks",
        ));
    }
    if let Some(reason) = text(v, "reason")
        && !REASONS.contains(&reason)
    {
        errs.push(FieldError::not_supported(
            &child(path, "reason"),
            json!(reason),
            REASONS,
        ));
    }
    errs
}

fn audit_annotation(a: &Value, policy: &str, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let key = text(a, "key").unwrap_or("");
    if policy.is_empty() {
        errs.push(FieldError::invalid(
            &child(path, "key"),
            json!(key),
            "requires metadata.name be non-empty",
        ));
    } else {
        let full = format!("{policy}/{key}");
        for m in names::is_qualified_name(&full) {
            errs.push(FieldError::invalid(&child(path, "key"), json!(full), &m));
        }
    }
    let value = text(a, "valueExpression").unwrap_or("").trim();
    if value.is_empty() {
        errs.push(FieldError::required(
            &child(path, "valueExpression"),
            "valueExpression is not specified",
        ));
    } else if value.len() > MAX_VALUE_EXPRESSION_LEN {
        errs.push(FieldError::required(
            &child(path, "valueExpression"),
            &format!("must not exceed {MAX_VALUE_EXPRESSION_LEN} bytes in length"),
        ));
    }
    errs
}

pub fn validate_binding(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("ValidatingAdmissionPolicyBinding", obj, old);
    let spec = obj.get("spec").cloned().unwrap_or(json!({}));
    let policy = text(&spec, "policyName").unwrap_or("");
    if policy.is_empty() {
        errs.push(FieldError::required("spec.policyName", ""));
    } else {
        for m in names::is_dns1123_subdomain(policy) {
            errs.push(FieldError::invalid("spec.policyName", json!(policy), &m));
        }
    }
    if let Some(pr) = spec.get("paramRef").filter(|p| p.is_object()) {
        errs.extend(param_ref(pr, "spec.paramRef"));
    }
    if let Some(mr) = spec.get("matchResources").filter(|m| m.is_object()) {
        // kube's own misspelling of the path.
        errs.extend(match_resources(mr, "spec.matchResouces"));
    }
    errs.extend(validation_actions(
        items(&spec, "validationActions"),
        "spec.validationActions",
    ));
    errs
}

fn param_ref(pr: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = text(pr, "name").unwrap_or("");
    let selector = pr.get("selector").filter(|s| s.is_object());
    let exclusive = "name and selector are mutually exclusive";
    if !name.is_empty() {
        for m in path_segment_problems(name) {
            errs.push(FieldError::invalid(&child(path, "name"), json!(name), &m));
        }
        if selector.is_some() {
            errs.push(FieldError::forbidden(&child(path, "name"), exclusive));
        }
    }
    if let Some(s) = selector {
        errs.extend(label_selector::validate_label_selector(
            s,
            &child(path, "selector"),
        ));
        if !name.is_empty() {
            errs.push(FieldError::forbidden(&child(path, "selector"), exclusive));
        }
    }
    if name.is_empty() && selector.is_none() {
        errs.push(FieldError::required(
            path,
            "one of name or selector must be specified",
        ));
    }
    match text(pr, "parameterNotFoundAction").filter(|a| !a.is_empty()) {
        None => errs.push(FieldError::required(
            &child(path, "parameterNotFoundAction"),
            "",
        )),
        Some(a) if !matches!(a, "Deny" | "Allow") => errs.push(FieldError::not_supported(
            &child(path, "parameterNotFoundAction"),
            json!(a),
            &["Deny", "Allow"],
        )),
        Some(_) => {}
    }
    errs
}

fn validation_actions(actions: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = HashSet::new();
    for (i, a) in actions.iter().enumerate() {
        let a = a.as_str().unwrap_or("");
        if !matches!(a, "Audit" | "Deny" | "Warn") {
            errs.push(FieldError::not_supported(
                &index(path, i),
                json!(a),
                &["Audit", "Deny", "Warn"],
            ));
        }
        if !seen.insert(a) {
            errs.push(FieldError::duplicate(&index(path, i), json!(a)));
        }
    }
    if seen.contains("Deny") && seen.contains("Warn") {
        errs.push(FieldError::invalid(
            path,
            Value::Array(actions.to_vec()),
            "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)",
        ));
    }
    if seen.is_empty() {
        errs.push(FieldError::required(
            path,
            "at least one validation action is required",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: Vec<FieldError>) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn binding_rules() {
        let b = json!({"metadata": {"name": "b"}, "spec": {
            "policyName": "p",
            "paramRef": {"name": "x", "selector": {}},
            "validationActions": ["Deny", "Warn", "Deny"]}});
        let got = messages(validate_binding(&b, None));
        assert!(
            got.contains(
                &"spec.paramRef.name: Forbidden: name and selector are mutually exclusive"
                    .to_string()
            ),
            "{got:?}"
        );
        assert!(
            got.contains(&"spec.paramRef.parameterNotFoundAction: Required value".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&r#"spec.validationActions[2]: Duplicate value: "Deny""#.to_string()),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|e| e.contains("must not contain both Deny and Warn")),
            "{got:?}"
        );
    }

    #[test]
    fn policy_needs_validations_or_audit_annotations() {
        let p = json!({"metadata": {"name": "p"}, "spec": {"failurePolicy": "Fail",
            "matchConstraints": {"matchPolicy": "Equivalent", "namespaceSelector": {},
                "objectSelector": {}, "resourceRules": []},
            "variables": [{"name": "1x", "expression": "1"}]}});
        assert_eq!(
            messages(validate_policy(&p, None)),
            [
                "spec.matchConstraints.resourceRules: Required value",
                r#"spec.variables[0].name: Invalid value: "1x": name is not a valid CEL identifier"#,
                "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
                "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item",
            ]
        );
    }
}
