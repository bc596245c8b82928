//! A pod spec's scheduling constraints: `affinity` (node, pod and pod anti-affinity) and
//! `topologySpreadConstraints`, with kube-apiserver 1.32's rules and messages.

use super::field_error::{FieldError, child, index};
use super::label_selector::validate_label_selector;
use super::names;
use serde_json::{Value, json};

const NOT_POSITIVE: &str = "must be greater than zero";

fn items<'a>(v: Option<&'a Value>, k: &str) -> &'a [Value] {
    v.and_then(|v| v.get(k))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// A label key (`ValidateLabelName`): each qualified-name complaint as an Invalid value.
fn label_name(key: &str, path: &str, errs: &mut Vec<FieldError>) {
    for m in names::is_qualified_name(key) {
        errs.push(FieldError::invalid(path, json!(key), &m));
    }
}

/// `spec.affinity`.
pub(super) fn validate_affinity(affinity: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(affinity) = affinity.filter(|a| a.is_object()) else {
        return errs;
    };
    if let Some(na) = affinity.get("nodeAffinity").filter(|v| v.is_object()) {
        node_affinity(na, &child(path, "nodeAffinity"), &mut errs);
    }
    for kind in ["podAffinity", "podAntiAffinity"] {
        if let Some(pa) = affinity.get(kind).filter(|v| v.is_object()) {
            pod_affinity(pa, &child(path, kind), &mut errs);
        }
    }
    errs
}

fn node_affinity(na: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let required = na
        .get("requiredDuringSchedulingIgnoredDuringExecution")
        .filter(|v| v.is_object());
    if let Some(selector) = required {
        let terms_path = child(
            &child(path, "requiredDuringSchedulingIgnoredDuringExecution"),
            "nodeSelectorTerms",
        );
        let terms = items(Some(selector), "nodeSelectorTerms");
        if terms.is_empty() {
            errs.push(FieldError::required(
                &terms_path,
                "must have at least one node selector term",
            ));
        }
        for (i, term) in terms.iter().enumerate() {
            node_selector_term(term, &index(&terms_path, i), errs);
        }
    }
    let preferred_path = child(path, "preferredDuringSchedulingIgnoredDuringExecution");
    for (i, p) in items(Some(na), "preferredDuringSchedulingIgnoredDuringExecution")
        .iter()
        .enumerate()
    {
        let p_path = index(&preferred_path, i);
        weight(p, &p_path, errs);
        if let Some(term) = p.get("preference") {
            node_selector_term(term, &child(&p_path, "preference"), errs);
        }
    }
}

/// `weight` of a preferred term: 1 to 100.
fn weight(term: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let w = term.get("weight").and_then(Value::as_i64).unwrap_or(0);
    if !(1..=100).contains(&w) {
        errs.push(FieldError::invalid(
            &child(path, "weight"),
            json!(w),
            "must be in the range 1-100",
        ));
    }
}

fn values(req: &Value) -> Vec<&str> {
    items(Some(req), "values")
        .iter()
        .map(|v| v.as_str().unwrap_or(""))
        .collect()
}

fn node_selector_term(term: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let exprs_path = child(path, "matchExpressions");
    for (j, req) in items(Some(term), "matchExpressions").iter().enumerate() {
        let p = index(&exprs_path, j);
        let vals = values(req);
        let op = text(req, "operator");
        match op {
            "In" | "NotIn" if vals.is_empty() => errs.push(FieldError::required(
                &child(&p, "values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if !vals.is_empty() => errs.push(FieldError::forbidden(
                &child(&p, "values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "Gt" | "Lt" if vals.len() != 1 => errs.push(FieldError::required(
                &child(&p, "values"),
                "must be specified single value when `operator` is 'Lt' or 'Gt'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
            other => errs.push(FieldError::invalid(
                &child(&p, "operator"),
                json!(other),
                "not a valid selector operator",
            )),
        }
        label_name(text(req, "key"), &child(&p, "key"), errs);
        for (k, v) in vals.iter().enumerate() {
            for m in names::is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &index(&child(&p, "values"), k),
                    json!(v),
                    &m,
                ));
            }
        }
    }
    let fields_path = child(path, "matchFields");
    for (j, req) in items(Some(term), "matchFields").iter().enumerate() {
        let p = index(&fields_path, j);
        let vals = values(req);
        match text(req, "operator") {
            "In" | "NotIn" if vals.len() != 1 => errs.push(FieldError::required(
                &child(&p, "values"),
                "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
            )),
            "In" | "NotIn" => {}
            other => errs.push(FieldError::invalid(
                &child(&p, "operator"),
                json!(other),
                "not a valid selector operator",
            )),
        }
        if text(req, "key") == "metadata.name" {
            for (k, v) in vals.iter().enumerate() {
                for m in names::is_dns1123_subdomain(v) {
                    errs.push(FieldError::invalid(
                        &index(&child(&p, "values"), k),
                        json!(v),
                        &m,
                    ));
                }
            }
        } else {
            errs.push(FieldError::invalid(
                &child(&p, "key"),
                json!(text(req, "key")),
                "not a valid field selector key",
            ));
        }
    }
}

fn pod_affinity(pa: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let required_path = child(path, "requiredDuringSchedulingIgnoredDuringExecution");
    for (i, term) in items(Some(pa), "requiredDuringSchedulingIgnoredDuringExecution")
        .iter()
        .enumerate()
    {
        pod_affinity_term(term, &index(&required_path, i), errs);
    }
    let preferred_path = child(path, "preferredDuringSchedulingIgnoredDuringExecution");
    for (i, w) in items(Some(pa), "preferredDuringSchedulingIgnoredDuringExecution")
        .iter()
        .enumerate()
    {
        let p = index(&preferred_path, i);
        weight(w, &p, errs);
        let term = w.get("podAffinityTerm").unwrap_or(&Value::Null);
        pod_affinity_term(term, &child(&p, "podAffinityTerm"), errs);
    }
}

fn pod_affinity_term(term: &Value, path: &str, errs: &mut Vec<FieldError>) {
    for selector in ["labelSelector", "namespaceSelector"] {
        if let Some(sel) = term.get(selector).filter(|s| s.is_object()) {
            errs.extend(validate_label_selector(sel, &child(path, selector)));
        }
    }
    for ns in items(Some(term), "namespaces") {
        let ns = ns.as_str().unwrap_or("");
        for m in names::is_dns1123_label(ns) {
            // kube names the field in the singular here.
            errs.push(FieldError::invalid(
                &child(path, "namespace"),
                json!(ns),
                &m,
            ));
        }
    }
    let key = text(term, "topologyKey");
    let key_path = child(path, "topologyKey");
    if key.is_empty() {
        errs.push(FieldError::required(&key_path, "can not be empty"));
    }
    label_name(key, &key_path, errs);
}

/// `spec.topologySpreadConstraints`.
pub(super) fn validate_topology_spread(spec: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let constraints = items(spec, "topologySpreadConstraints");
    for (i, c) in constraints.iter().enumerate() {
        let p = index(path, i);
        let max_skew = c.get("maxSkew").and_then(Value::as_i64).unwrap_or(0);
        if max_skew <= 0 {
            errs.push(FieldError::invalid(
                &child(&p, "maxSkew"),
                json!(max_skew),
                NOT_POSITIVE,
            ));
        }
        let key = text(c, "topologyKey");
        if key.is_empty() {
            errs.push(FieldError::required(
                &child(&p, "topologyKey"),
                "can not be empty",
            ));
        }
        let when = text(c, "whenUnsatisfiable");
        if !matches!(when, "DoNotSchedule" | "ScheduleAnyway") {
            errs.push(FieldError::not_supported(
                &child(&p, "whenUnsatisfiable"),
                json!(when),
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        let repeated = constraints[i + 1..]
            .iter()
            .any(|o| text(o, "topologyKey") == key && text(o, "whenUnsatisfiable") == when);
        if repeated {
            errs.push(FieldError::duplicate(
                &child(&p, "{topologyKey, whenUnsatisfiable}"),
                json!(format!("{{{key}, {when}}}")),
            ));
        }
        if let Some(min) = c.get("minDomains").filter(|m| !m.is_null()) {
            let min_path = child(&p, "minDomains");
            if min.as_i64().unwrap_or(0) <= 0 {
                errs.push(FieldError::invalid(&min_path, min.clone(), NOT_POSITIVE));
            }
            if when != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &min_path,
                    min.clone(),
                    &format!(
                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {when}"
                    ),
                ));
            }
        }
        for policy in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            if let Some(v) = c.get(policy).filter(|v| !v.is_null())
                && !matches!(v.as_str(), Some("Honor" | "Ignore"))
            {
                errs.push(FieldError::not_supported(
                    &child(&p, policy),
                    v.clone(),
                    &["Honor", "Ignore"],
                ));
            }
        }
        match_label_keys(c, &child(&p, "matchLabelKeys"), &mut errs);
        if let Some(sel) = c.get("labelSelector").filter(|s| s.is_object()) {
            errs.extend(validate_label_selector(sel, &child(&p, "labelSelector")));
        }
    }
    errs
}

/// `matchLabelKeys`: label names, only with a labelSelector, none of its own keys.
fn match_label_keys(c: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let keys = items(Some(c), "matchLabelKeys");
    if keys.is_empty() {
        return;
    }
    let Some(sel) = c.get("labelSelector").filter(|s| s.is_object()) else {
        errs.push(FieldError::forbidden(
            path,
            "must not be specified when labelSelector is not set",
        ));
        return;
    };
    let in_selector = |k: &str| {
        sel.get("matchLabels")
            .and_then(Value::as_object)
            .is_some_and(|m| m.contains_key(k))
            || items(Some(sel), "matchExpressions")
                .iter()
                .any(|e| text(e, "key") == k)
    };
    for (i, k) in keys.iter().enumerate() {
        let k = k.as_str().unwrap_or("");
        let p = index(path, i);
        label_name(k, &p, errs);
        if in_selector(k) {
            errs.push(FieldError::invalid(
                &p,
                json!(k),
                "exists in both matchLabelKeys and labelSelector",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: Vec<FieldError>) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn spread_constraints() {
        let spec = json!({"topologySpreadConstraints": [
            {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "Sometimes"},
            {"maxSkew": 1, "topologyKey": "", "whenUnsatisfiable": "ScheduleAnyway", "minDomains": 2,
             "nodeTaintsPolicy": "Maybe", "matchLabelKeys": ["app"]},
            {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"app": "web"}}, "matchLabelKeys": ["app"]},
            {"maxSkew": 2, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
        ]});
        assert_eq!(
            messages(validate_topology_spread(
                Some(&spec),
                "spec.topologySpreadConstraints"
            )),
            vec![
                "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
                "spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"",
                "spec.topologySpreadConstraints[1].topologyKey: Required value: can not be empty",
                "spec.topologySpreadConstraints[1].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway",
                "spec.topologySpreadConstraints[1].nodeTaintsPolicy: Unsupported value: \"Maybe\": supported values: \"Honor\", \"Ignore\"",
                "spec.topologySpreadConstraints[1].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set",
                "spec.topologySpreadConstraints[2].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, DoNotSchedule}\"",
                "spec.topologySpreadConstraints[2].matchLabelKeys[0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector",
            ]
        );
    }

    #[test]
    fn pod_and_node_affinity_terms() {
        let affinity = json!({
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "zone", "operator": "Near", "values": ["a"]},
                                          {"key": "cpu", "operator": "Gt", "values": []}],
                     "matchFields": [{"key": "metadata.uid", "operator": "In", "values": ["x"]}]}]},
                "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 0, "preference": {}}]
            },
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In"}]},
                     "namespaces": ["Bad_NS"]}],
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 101, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname"}}]
            }
        });
        assert_eq!(
            messages(validate_affinity(Some(&affinity), "spec.affinity")),
            vec![
                "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator",
                "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
                "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: \"metadata.uid\": not a valid field selector key",
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
                "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespace: Invalid value: \"Bad_NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
                "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty",
                "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100",
            ]
        );
    }
}
