//! What a Job's policies make of its pods: `podFailurePolicy` judges each failed pod
//! (count it, ignore it, fail the Job, fail its index), `backoffLimitPerIndex` counts the
//! failures of each index on its pods, and `successPolicy` declares an Indexed Job done
//! before every index succeeded. The rules' first match wins, as in kube.

use serde_json::Value;
use std::collections::BTreeSet;

/// The annotation on an Indexed Job's pod: how often its index failed before it.
pub const INDEX_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-failure-count";

/// What the pod failure policy makes of one failed pod.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Counted towards the back-off limits (also when no rule matched).
    Count,
    /// Not counted: the pod is replaced as if it never failed.
    Ignore,
    /// The Job fails at once; the message says which container or condition matched.
    FailJob(String),
    /// The pod's index fails (with `backoffLimitPerIndex`), the Job goes on.
    FailIndex,
}

/// Judges a failed pod by `policy` (`spec.podFailurePolicy`, if any).
pub fn judge(policy: Option<&Value>, pod: &Value) -> Verdict {
    let rules = policy
        .and_then(|p| p.get("rules"))
        .and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let action = rule.get("action").and_then(Value::as_str).unwrap_or("");
        let matched = if let Some(codes) = rule.get("onExitCodes").filter(|v| !v.is_null()) {
            exit_code_match(codes, pod).map(|(container, code)| {
                format!(
                    "Container {container} for pod {}/{} failed with exit code {code} matching {action} rule at index {i}",
                    namespace(pod),
                    name(pod)
                )
            })
        } else if let Some(patterns) = rule.get("onPodConditions").and_then(Value::as_array) {
            condition_match(patterns, pod).map(|kind| {
                format!(
                    "Pod {}/{} has condition {kind} matching {action} rule at index {i}",
                    namespace(pod),
                    name(pod)
                )
            })
        } else {
            None
        };
        let Some(message) = matched else { continue };
        match action {
            "Ignore" => return Verdict::Ignore,
            "Count" => return Verdict::Count,
            "FailJob" => return Verdict::FailJob(message),
            "FailIndex" => return Verdict::FailIndex,
            // An action this controller does not know: the rule is skipped, as kube does.
            _ => {}
        }
    }
    Verdict::Count
}

/// The first terminated container (then init container) whose non-zero exit code the
/// requirement matches: its name and code.
fn exit_code_match(req: &Value, pod: &Value) -> Option<(String, i64)> {
    let only = req.get("containerName").and_then(Value::as_str);
    let values: Vec<i64> = req
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let operator = req.get("operator").and_then(Value::as_str).unwrap_or("");
    ["containerStatuses", "initContainerStatuses"]
        .iter()
        .filter_map(|l| pod.pointer(&format!("/status/{l}")))
        .filter_map(Value::as_array)
        .flatten()
        .find_map(|s| {
            let name = s.get("name").and_then(Value::as_str).unwrap_or("");
            let code = s.pointer("/state/terminated/exitCode")?.as_i64()?;
            let matches = match operator {
                "In" => values.contains(&code),
                "NotIn" => !values.contains(&code),
                _ => false,
            };
            (code != 0 && only.is_none_or(|o| o == name) && matches)
                .then(|| (name.to_string(), code))
        })
}

/// The type of the first pod condition any pattern matches.
fn condition_match(patterns: &[Value], pod: &Value) -> Option<String> {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| {
            patterns
                .iter()
                .any(|p| p.get("type") == c.get("type") && p.get("status") == c.get("status"))
        })
        .and_then(|c| c.get("type").and_then(Value::as_str))
        .map(str::to_string)
}

/// How often the index of `pod` had failed before it was created.
pub fn failures_before(pod: &Value) -> i64 {
    pod.pointer("/metadata/annotations")
        .and_then(|a| a.get(INDEX_FAILURE_COUNT))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The message of the first `successPolicy` rule the succeeded indexes meet.
pub fn success(
    policy: Option<&Value>,
    completions: i64,
    succeeded: &BTreeSet<i64>,
) -> Option<String> {
    if succeeded.is_empty() {
        return None;
    }
    let rules = policy?.get("rules").and_then(Value::as_array)?;
    rules.iter().enumerate().find_map(|(i, rule)| {
        let count = rule.get("succeededCount").and_then(Value::as_i64);
        let met = match rule.get("succeededIndexes").and_then(Value::as_str) {
            Some(text) => {
                let wanted: BTreeSet<i64> = super::job_indexes::parse_indexes(text)
                    .into_iter()
                    .filter(|i| *i < completions)
                    .collect();
                let have = wanted.intersection(succeeded).count() as i64;
                !wanted.is_empty()
                    && match count {
                        Some(n) => have >= n,
                        None => have == wanted.len() as i64,
                    }
            }
            None => count.is_some_and(|n| succeeded.len() as i64 >= n),
        };
        met.then(|| format!("Matched rules at index {i}"))
    })
}

fn namespace(pod: &Value) -> &str {
    pod.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn name(pod: &Value) -> &str {
    pod.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failed_pod(code: i64, conditions: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "ns"},
               "status": {"phase": "Failed", "conditions": conditions,
                          "containerStatuses": [{"name": "main",
                              "state": {"terminated": {"exitCode": code}}}]}})
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let policy = json!({"rules": [
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
            {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
            {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [1]}}]});
        let p = Some(&policy);
        assert_eq!(
            judge(p, &failed_pod(42, json!([]))),
            Verdict::FailJob(
                "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1"
                    .into()
            )
        );
        let disrupted = json!([{"type": "DisruptionTarget", "status": "True"}]);
        assert_eq!(judge(p, &failed_pod(42, disrupted)), Verdict::Ignore);
        assert_eq!(judge(p, &failed_pod(1, json!([]))), Verdict::Count);
        assert_eq!(judge(None, &failed_pod(42, json!([]))), Verdict::Count);
    }

    #[test]
    fn a_success_policy_matches_on_indexes_or_counts() {
        let policy = json!({"rules": [{"succeededIndexes": "0-2", "succeededCount": 2},
                                      {"succeededCount": 4}]});
        let done = |v: &[i64]| v.iter().copied().collect::<BTreeSet<i64>>();
        assert_eq!(success(Some(&policy), 10, &done(&[0])), None);
        assert_eq!(
            success(Some(&policy), 10, &done(&[0, 2])).as_deref(),
            Some("Matched rules at index 0")
        );
        assert_eq!(
            success(Some(&policy), 10, &done(&[5, 6, 7, 8])).as_deref(),
            Some("Matched rules at index 1")
        );
    }
}
