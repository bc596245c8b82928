//! Job and CronJob defaults (batch/v1), the Job's generated selector and the create reset.

use super::order::{
    OBJECT_META, TOP_LEVEL, insert_ordered, normalize_meta, object_at, reorder, set_ordered,
    sort_map_at,
};
use super::pod::default_pod_spec;
use serde_json::{Map, Value, json};

pub const JOB_SPEC: &[&str] = &[
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "podFailurePolicy",
    "successPolicy",
    "backoffLimit",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
    "selector",
    "manualSelector",
    "template",
    "ttlSecondsAfterFinished",
    "completionMode",
    "suspend",
    "podReplacementPolicy",
    "managedBy",
];
const CRON_JOB_SPEC: &[&str] = &[
    "schedule",
    "timeZone",
    "startingDeadlineSeconds",
    "concurrencyPolicy",
    "suspend",
    "jobTemplate",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
];
const TEMPLATE: &[&str] = &["metadata", "spec"];
const SELECTOR: &[&str] = &["matchLabels", "matchExpressions"];

/// The labels kube-apiserver puts on a Job's template (and selects by) unless the selector
/// is manual: the legacy unprefixed pair and the `batch.kubernetes.io/` pair.
pub const JOB_NAME_LABELS: [&str; 2] = ["job-name", "batch.kubernetes.io/job-name"];
pub const CONTROLLER_UID_LABELS: [&str; 2] =
    ["controller-uid", "batch.kubernetes.io/controller-uid"];

/// A pod template: `creationTimestamp: null`, sorted labels, pod-spec defaults.
fn default_pod_template(t: &mut Map<String, Value>) {
    if let Some(md) = object_at(t, TEMPLATE, "metadata") {
        insert_ordered(md, OBJECT_META, "creationTimestamp", Value::Null);
        normalize_meta(md);
    }
    if let Some(ps) = object_at(t, TEMPLATE, "spec") {
        default_pod_spec(ps);
    }
    reorder(t, TEMPLATE);
}

fn is_set(spec: &Map<String, Value>, k: &str) -> bool {
    spec.get(k).is_some_and(|v| !v.is_null())
}

/// SetDefaults_Job: counts, backoff, completion mode, suspend, replacement policy, and the
/// Job's labels copied from its template when it has none.
pub fn default_job(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    let Some(spec) = object_at(o, TOP_LEVEL, "spec") else {
        return;
    };
    if !is_set(spec, "completions") && !is_set(spec, "parallelism") {
        set_ordered(spec, JOB_SPEC, "completions", json!(1));
    }
    if !is_set(spec, "parallelism") {
        set_ordered(spec, JOB_SPEC, "parallelism", json!(1));
    }
    if !is_set(spec, "backoffLimit") {
        let limit = if is_set(spec, "backoffLimitPerIndex") {
            i64::from(i32::MAX)
        } else {
            6
        };
        set_ordered(spec, JOB_SPEC, "backoffLimit", json!(limit));
    }
    for (k, v) in [
        ("completionMode", json!("NonIndexed")),
        ("suspend", json!(false)),
        ("manualSelector", json!(false)),
    ] {
        if !is_set(spec, k) {
            set_ordered(spec, JOB_SPEC, k, v);
        }
    }
    let has_failure_policy = is_set(spec, "podFailurePolicy");
    if let Some(rules) = spec
        .get_mut("podFailurePolicy")
        .and_then(|p| p.get_mut("rules"))
        .and_then(Value::as_array_mut)
    {
        for rule in rules {
            for pattern in rule
                .get_mut("onPodConditions")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
            {
                if pattern
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .is_empty()
                {
                    pattern.insert("status".into(), json!("True"));
                }
            }
        }
    }
    if !is_set(spec, "podReplacementPolicy") {
        let policy = if has_failure_policy {
            "Failed"
        } else {
            "TerminatingOrFailed"
        };
        set_ordered(spec, JOB_SPEC, "podReplacementPolicy", json!(policy));
    }
    if let Some(sel) = spec.get_mut("selector").and_then(Value::as_object_mut) {
        sort_map_at(sel, "matchLabels");
        reorder(sel, SELECTOR);
    }
    if let Some(t) = object_at(spec, JOB_SPEC, "template") {
        default_pod_template(t);
    }
    reorder(spec, JOB_SPEC);
    copy_template_labels(obj);
}

/// A Job without labels of its own shows its template's (kube defaults this on every read).
fn copy_template_labels(obj: &mut Value) {
    let labels = obj
        .pointer("/spec/template/metadata/labels")
        .filter(|l| l.as_object().is_some_and(|m| !m.is_empty()))
        .cloned();
    let Some(labels) = labels else {
        return;
    };
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if meta
        .get("labels")
        .and_then(Value::as_object)
        .is_none_or(|m| m.is_empty())
    {
        set_ordered(meta, OBJECT_META, "labels", labels);
    }
}

/// SetDefaults_CronJob, plus pod-template defaults inside the job template.
pub fn default_cron_job(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        normalize_meta(meta);
    }
    let Some(spec) = object_at(o, TOP_LEVEL, "spec") else {
        return;
    };
    for (k, v) in [
        ("concurrencyPolicy", json!("Allow")),
        ("suspend", json!(false)),
        ("successfulJobsHistoryLimit", json!(3)),
        ("failedJobsHistoryLimit", json!(1)),
    ] {
        let empty = spec.get(k).is_none_or(|x| x.is_null() || x == "");
        if empty {
            set_ordered(spec, CRON_JOB_SPEC, k, v);
        }
    }
    if let Some(jt) = object_at(spec, CRON_JOB_SPEC, "jobTemplate") {
        if let Some(md) = jt.get_mut("metadata").and_then(Value::as_object_mut) {
            normalize_meta(md);
        }
        if let Some(js) = object_at(jt, TEMPLATE, "spec") {
            if let Some(t) = object_at(js, JOB_SPEC, "template") {
                default_pod_template(t);
            }
            reorder(js, JOB_SPEC);
        }
        reorder(jt, TEMPLATE);
    }
    reorder(spec, CRON_JOB_SPEC);
}

/// The create reset: generation 1, an empty status, and for a Job without a manual selector
/// the generated selector and template labels (the uid is already stamped).
pub fn prepare_for_create(kind: &str, obj: &mut Value) {
    if kind == "Job" {
        let manual = obj.pointer("/spec/manualSelector").and_then(Value::as_bool) == Some(true);
        if !manual {
            generate_selector(obj);
            copy_template_labels(obj);
        }
    }
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    if let Some(meta) = object_at(o, TOP_LEVEL, "metadata") {
        meta.insert("generation".into(), json!(1));
        normalize_meta(meta);
    }
    o.insert("status".into(), json!({}));
}

/// The job-name and controller-uid labels on the template (those the user set are kept, a
/// conflict is validation's to report) and the uid in the selector.
fn generate_selector(obj: &mut Value) {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let uid = obj
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(t) = object_at(spec, JOB_SPEC, "template")
        && let Some(md) = object_at(t, TEMPLATE, "metadata")
        && let Some(labels) = object_at(md, OBJECT_META, "labels")
    {
        for k in JOB_NAME_LABELS {
            labels.entry(k).or_insert_with(|| json!(name));
        }
        for k in CONTROLLER_UID_LABELS {
            labels.entry(k).or_insert_with(|| json!(uid));
        }
        labels.sort_keys();
    }
    if let Some(sel) = object_at(spec, JOB_SPEC, "selector")
        && let Some(ml) = object_at(sel, SELECTOR, "matchLabels")
    {
        ml.entry(CONTROLLER_UID_LABELS[1])
            .or_insert_with(|| json!(uid));
        ml.sort_keys();
    }
}
