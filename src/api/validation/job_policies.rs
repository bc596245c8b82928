//! A Job's failure and success policies: `podFailurePolicy` (its rules' actions, exit codes
//! and pod conditions), `backoffLimitPerIndex` with `maxFailedIndexes`, and `successPolicy`,
//! checked as kube-apiserver checks them (the Job controller reads them as checked here).

use super::field_error::{FieldError, child, index};
use serde_json::{Value, json};

const ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
const OPERATORS: &[&str] = &["In", "NotIn"];
const CONDITION_STATUSES: &[&str] = &["False", "True", "Unknown"];
const MAX_FAILED_INDEXES: i64 = 100_000;

/// The errors of a Job spec's policies at `path` (`spec`, or a CronJob's job template).
pub fn validate(spec: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let Some(spec) = spec else { return errs };
    let indexed = spec.get("completionMode").and_then(Value::as_str) == Some("Indexed");
    let completions = spec.get("completions").and_then(Value::as_i64);
    let per_index = spec.get("backoffLimitPerIndex").and_then(Value::as_i64);
    let max_failed = spec.get("maxFailedIndexes").and_then(Value::as_i64);
    for (k, v) in [
        ("backoffLimitPerIndex", per_index),
        ("maxFailedIndexes", max_failed),
    ] {
        if let Some(v) = v
            && v < 0
        {
            errs.push(FieldError::invalid(
                &child(path, k),
                json!(v),
                "must be greater than or equal to 0",
            ));
        }
    }
    if indexed {
        if let (Some(c), Some(m)) = (completions, max_failed)
            && m > c
        {
            errs.push(FieldError::invalid(
                &child(path, "maxFailedIndexes"),
                json!(m),
                "must be less than or equal to completions",
            ));
        }
        if let Some(m) = max_failed.filter(|m| *m > MAX_FAILED_INDEXES) {
            errs.push(FieldError::invalid(
                &child(path, "maxFailedIndexes"),
                json!(m),
                "must be less than or equal to 100000",
            ));
        }
    } else {
        for (k, v) in [
            ("backoffLimitPerIndex", per_index),
            ("maxFailedIndexes", max_failed),
        ] {
            if let Some(v) = v {
                errs.push(FieldError::invalid(
                    &child(path, k),
                    json!(v),
                    "requires indexed completion mode",
                ));
            }
        }
    }
    if let Some(policy) = spec.get("podFailurePolicy").filter(|p| !p.is_null()) {
        errs.extend(pod_failure_policy(
            spec,
            policy,
            &child(path, "podFailurePolicy"),
        ));
    }
    if let Some(policy) = spec.get("successPolicy").filter(|p| !p.is_null()) {
        let at = child(path, "successPolicy");
        if indexed {
            errs.extend(success_policy(policy, completions.unwrap_or(0), &at));
        } else {
            errs.push(FieldError::invalid_repr(
                &at,
                "batch.SuccessPolicy{...}".to_string(),
                "requires indexed completion mode",
            ));
        }
    }
    errs
}

/// With a pod failure policy, only `Never` lets a pod fail for the policy to see it.
pub fn restart_policy_error(spec: Option<&Value>, template_path: &str) -> Option<FieldError> {
    let spec = spec?;
    spec.get("podFailurePolicy").filter(|p| !p.is_null())?;
    let rp = spec
        .pointer("/template/spec/restartPolicy")
        .and_then(Value::as_str)?;
    (rp == "OnFailure").then(|| {
        FieldError::invalid(
            &format!("{template_path}.spec.restartPolicy"),
            json!(rp),
            "only \"Never\" is supported when podFailurePolicy is specified",
        )
    })
}

fn pod_failure_policy(spec: &Value, policy: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let names: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .filter_map(|l| spec.pointer(&format!("/template/spec/{l}")))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    let rules_path = child(path, "rules");
    let rules = policy.get("rules").and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let at = index(&rules_path, i);
        let action = rule.get("action").and_then(Value::as_str).unwrap_or("");
        let action_path = child(&at, "action");
        match action {
            "" => errs.push(FieldError::required(
                &action_path,
                "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
            )),
            "FailIndex" if spec.get("backoffLimitPerIndex").is_none_or(Value::is_null) => errs
                .push(FieldError::invalid(
                    &action_path,
                    json!(action),
                    "requires the backoffLimitPerIndex to be set",
                )),
            a if !ACTIONS.contains(&a) => {
                errs.push(FieldError::not_supported(&action_path, json!(a), ACTIONS));
            }
            _ => {}
        }
        let exit_codes = rule.get("onExitCodes").filter(|v| !v.is_null());
        let conditions = rule
            .get("onPodConditions")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty());
        if let Some(codes) = exit_codes {
            errs.extend(on_exit_codes(codes, &names, &child(&at, "onExitCodes")));
        }
        if let Some(conditions) = conditions {
            errs.extend(on_pod_conditions(
                conditions,
                &child(&at, "onPodConditions"),
            ));
        }
        match (exit_codes.is_some(), conditions.is_some()) {
            (true, true) => errs.push(FieldError::invalid_omitted(
                &at,
                "specifying both OnExitCodes and OnPodConditions is not supported",
            )),
            (false, false) => errs.push(FieldError::invalid_omitted(
                &at,
                "specifying one of OnExitCodes and OnPodConditions is required",
            )),
            _ => {}
        }
    }
    errs
}

fn on_exit_codes(codes: &Value, names: &[&str], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let operator = codes.get("operator").and_then(Value::as_str).unwrap_or("");
    let operator_path = child(path, "operator");
    if operator.is_empty() {
        errs.push(FieldError::required(
            &operator_path,
            "valid values: [\"In\" \"NotIn\"]",
        ));
    } else if !OPERATORS.contains(&operator) {
        errs.push(FieldError::not_supported(
            &operator_path,
            json!(operator),
            OPERATORS,
        ));
    }
    if let Some(name) = codes.get("containerName").and_then(Value::as_str)
        && !names.contains(&name)
    {
        errs.push(FieldError::invalid(
            &child(path, "containerName"),
            json!(name),
            "must be one of the container or initContainer names in the pod template",
        ));
    }
    let values_path = child(path, "values");
    let values: Option<Vec<i64>> = codes
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect());
    let go_values = |v: &[i64]| {
        let items: Vec<String> = v.iter().map(i64::to_string).collect();
        format!("[]int32{{{}}}", items.join(", "))
    };
    match &values {
        None => errs.push(FieldError::invalid_repr(
            &values_path,
            "[]int32(nil)".to_string(),
            "at least one value is required",
        )),
        Some(v) if v.is_empty() => errs.push(FieldError::invalid_repr(
            &values_path,
            go_values(v),
            "at least one value is required",
        )),
        Some(_) => {}
    }
    let values = values.unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    for (j, v) in values.iter().enumerate() {
        let at = index(&values_path, j);
        if operator == "In" && *v == 0 {
            errs.push(FieldError::invalid(
                &at,
                json!(v),
                "must not be 0 for the In operator",
            ));
        }
        if !seen.insert(*v) {
            errs.push(FieldError::duplicate(&at, json!(v)));
        }
    }
    if values.windows(2).any(|w| w[0] > w[1]) {
        errs.push(FieldError::invalid_repr(
            &values_path,
            go_values(&values),
            "must be ordered",
        ));
    }
    errs
}

fn on_pod_conditions(conditions: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (j, pattern) in conditions.iter().enumerate() {
        let at = index(path, j);
        let kind = pattern.get("type").and_then(Value::as_str).unwrap_or("");
        for m in crate::api::names::is_qualified_name(kind) {
            errs.push(FieldError::invalid(&child(&at, "type"), json!(kind), &m));
        }
        let status = pattern.get("status").and_then(Value::as_str).unwrap_or("");
        let status_path = child(&at, "status");
        if status.is_empty() {
            errs.push(FieldError::required(
                &status_path,
                "valid values: [\"False\" \"True\" \"Unknown\"]",
            ));
        } else if !CONDITION_STATUSES.contains(&status) {
            errs.push(FieldError::not_supported(
                &status_path,
                json!(status),
                CONDITION_STATUSES,
            ));
        }
    }
    errs
}

fn success_policy(policy: &Value, completions: i64, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let rules_path = child(path, "rules");
    let rules = policy
        .get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if rules.is_empty() {
        errs.push(FieldError::required(
            &rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    for (i, rule) in rules.iter().enumerate() {
        let at = index(&rules_path, i);
        let indexes = rule.get("succeededIndexes").and_then(Value::as_str);
        let count = rule.get("succeededCount").and_then(Value::as_i64);
        if indexes.is_none() && count.is_none() {
            errs.push(FieldError::required(
                &at,
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total = 0;
        if let Some(text) = indexes {
            match count_indexes(text, completions) {
                Ok(n) => total = n,
                Err(e) => errs.push(FieldError::invalid(
                    &child(&at, "succeededIndexes"),
                    json!(text),
                    &format!("error parsing succeededIndexes: {e}"),
                )),
            }
        }
        if let Some(n) = count {
            let count_path = child(&at, "succeededCount");
            if n < 0 {
                errs.push(FieldError::invalid(
                    &count_path,
                    json!(n),
                    "must be greater than or equal to 0",
                ));
            }
            if n > completions {
                errs.push(FieldError::invalid(
                    &count_path,
                    json!(n),
                    &format!(
                        "must be less than or equal to {completions} (the number of specified completions)"
                    ),
                ));
            }
            if indexes.is_some() && n > total {
                errs.push(FieldError::invalid(
                    &count_path,
                    json!(n),
                    &format!(
                        "must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"
                    ),
                ));
            }
        }
    }
    errs
}

/// How many indexes `1,3-5` names, each below `completions` and in increasing order.
pub fn count_indexes(text: &str, completions: i64) -> Result<i64, String> {
    let mut total = 0;
    let mut previous: Option<i64> = None;
    for part in text.split(',') {
        let bounds: Vec<&str> = part.split('-').collect();
        if bounds.len() > 2 {
            return Err(format!(
                "the fragment {part:?} violates the requirement that an index interval can have at most two parts separated by '-'"
            ));
        }
        let number = |s: &str| {
            s.parse::<i64>()
                .map_err(|_| format!("cannot convert string to integer for index: {s:?}"))
        };
        let first = number(bounds[0])?;
        let last = match bounds.get(1) {
            Some(s) => number(s)?,
            None => first,
        };
        if first > last {
            return Err(format!(
                "the fragment {part:?} violates the requirement that an index interval's first index must not exceed its last"
            ));
        }
        if last >= completions {
            return Err(format!("too large index: {last:?}"));
        }
        if let Some(p) = previous
            && first <= p
        {
            return Err(format!(
                "non-increasing order, previous: {p}, current: {first}"
            ));
        }
        previous = Some(last);
        total += last - first + 1;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(spec: Value) -> Vec<String> {
        validate(Some(&spec), "spec")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn pod_failure_policy_rules_are_checked_in_kubes_words() {
        let spec = json!({"template": {"spec": {"containers": [{"name": "main"}]}},
            "podFailurePolicy": {"rules": [
                {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [0, 3, 3, 1],
                 "containerName": "other"}},
                {"action": "FailIndex", "onPodConditions": [{"type": "DisruptionTarget"}]},
                {"action": "Explode"}]}});
        assert_eq!(
            errors(spec),
            [
                "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"other\": must be one of the container or initContainer names in the pod template",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 1}: must be ordered",
                "spec.podFailurePolicy.rules[1].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
                "spec.podFailurePolicy.rules[1].onPodConditions[0].status: Required value: valid values: [\"False\" \"True\" \"Unknown\"]",
                "spec.podFailurePolicy.rules[2].action: Unsupported value: \"Explode\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
                "spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
            ]
        );
    }

    #[test]
    fn per_index_limits_and_success_policies_need_an_indexed_job() {
        assert_eq!(
            errors(json!({"backoffLimitPerIndex": 1, "successPolicy": {"rules": []}})),
            [
                "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                "spec.successPolicy: Invalid value: batch.SuccessPolicy{...}: requires indexed completion mode",
            ]
        );
        assert_eq!(
            errors(json!({"completionMode": "Indexed", "completions": 3,
                "successPolicy": {"rules": [{"succeededIndexes": "0-1", "succeededCount": 3},
                                            {"succeededIndexes": "2,1"}, {}]}})),
            [
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)",
                "spec.successPolicy.rules[1].succeededIndexes: Invalid value: \"2,1\": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1",
                "spec.successPolicy.rules[2]: Required value: at least one of succeededCount or succeededIndexes must be specified",
            ]
        );
        assert_eq!(count_indexes("0,2-4", 5), Ok(4));
    }
}
