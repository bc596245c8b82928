//! Job and CronJob: counts, completion mode, the generated selector, the restart policy,
//! schedules, time zones, concurrency policy, and what a Job update may not change.

use super::field_error::{FieldError, child, go_label_selector, go_string_map, nonnegative};
use super::{meta, pod};
use crate::api::cron;
use crate::api::selector::LabelSelector;
use serde_json::{Value, json};

const MAX_INDEXED: i64 = 100_000;

pub fn validate_job(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("Job", obj, old);
    let spec = obj.get("spec");
    errs.extend(generated_selector(obj));
    errs.extend(job_spec(spec, "spec"));
    match spec
        .and_then(|s| s.get("selector"))
        .filter(|s| !s.is_null())
    {
        None => errs.push(FieldError::required("spec.selector", "")),
        Some(sel) => {
            errs.extend(super::label_selector::validate_label_selector(
                sel,
                "spec.selector",
            ));
            let labels = spec
                .and_then(|s| s.pointer("/template/metadata/labels"))
                .and_then(Value::as_object);
            if let Ok(parsed) = LabelSelector::from_object(sel)
                && !parsed.matches(labels)
            {
                errs.push(FieldError::invalid_repr(
                    "spec.template.metadata.labels",
                    go_string_map(labels),
                    "`selector` does not match template `labels`",
                ));
            }
        }
    }
    if let Some(old) = old {
        errs.extend(job_update(spec, old.get("spec")));
    }
    errs
}

/// Unless the selector is manual, it must be the one the server generated from the uid.
fn generated_selector(obj: &Value) -> Vec<FieldError> {
    let spec = obj.get("spec");
    if spec
        .and_then(|s| s.get("manualSelector"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        return Vec::new();
    }
    let uid = obj
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    let sel = spec.and_then(|s| s.get("selector")).unwrap_or(&Value::Null);
    let expected = json!({"matchLabels": {crate::api::defaults::CONTROLLER_UID_LABELS[1]: uid}});
    let same = sel.get("matchLabels") == expected.get("matchLabels")
        && sel
            .get("matchExpressions")
            .and_then(Value::as_array)
            .is_none_or(|a| a.is_empty());
    if same {
        Vec::new()
    } else {
        vec![FieldError::invalid_repr(
            "spec.selector",
            go_label_selector(sel),
            "`selector` not auto-generated",
        )]
    }
}

fn int(spec: Option<&Value>, k: &str) -> Option<i64> {
    spec.and_then(|s| s.get(k)).and_then(Value::as_i64)
}

/// The spec rules a Job and a CronJob's job template share.
fn job_spec(spec: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for k in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
    ] {
        nonnegative(spec, k, path, &mut errs);
    }
    let mode = spec
        .and_then(|s| s.get("completionMode"))
        .and_then(Value::as_str);
    match mode {
        None | Some("NonIndexed") => {}
        Some("Indexed") => match int(spec, "completions") {
            None => errs.push(FieldError::required(
                &child(path, "completions"),
                "when completion mode is Indexed",
            )),
            Some(c) if c > MAX_INDEXED => errs.push(FieldError::invalid(
                &child(path, "completions"),
                json!(c),
                "must be less than or equal to 100000 when completion mode is Indexed",
            )),
            Some(_) => {}
        },
        Some(other) => errs.push(FieldError::not_supported(
            &child(path, "completionMode"),
            json!(other),
            &["NonIndexed", "Indexed"],
        )),
    }
    if mode == Some("Indexed")
        && let Some(p) = int(spec, "parallelism")
        && p > MAX_INDEXED
    {
        errs.push(FieldError::invalid(
            &child(path, "parallelism"),
            json!(p),
            "must be less than or equal to 100000 when completion mode is Indexed",
        ));
    }
    errs.extend(super::job_policies::validate(spec, path));
    let template_path = child(path, "template");
    let template = spec.and_then(|s| s.get("template"));
    errs.extend(pod::validate_pod_template(template, &template_path));
    let rp = template
        .and_then(|t| t.pointer("/spec/restartPolicy"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if rp != "OnFailure" && rp != "Never" {
        errs.push(FieldError::not_supported(
            &format!("{template_path}.spec.restartPolicy"),
            json!(rp),
            &["OnFailure", "Never"],
        ));
    } else if let Some(e) = super::job_policies::restart_policy_error(spec, &template_path) {
        errs.push(e);
    }
    errs
}

/// What a Job update may not change.
fn job_update(new: Option<&Value>, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let get = |s: Option<&Value>, k: &str| s.and_then(|s| s.get(k)).cloned();
    if get(new, "completions") != get(old, "completions") {
        let v = get(new, "completions").unwrap_or(Value::Null);
        errs.push(FieldError::invalid(
            "spec.completions",
            v,
            "field is immutable",
        ));
    }
    if get(new, "selector") != get(old, "selector") {
        errs.push(FieldError::invalid_repr(
            "spec.selector",
            go_label_selector(&get(new, "selector").unwrap_or(Value::Null)),
            "field is immutable",
        ));
    }
    if get(new, "template") != get(old, "template") {
        // kube prints the whole Go struct here (pointer addresses included); kubelite names it.
        errs.push(FieldError::invalid_repr(
            "spec.template",
            "core.PodTemplateSpec{...}".into(),
            "field is immutable",
        ));
    }
    if get(new, "completionMode") != get(old, "completionMode") {
        let v = get(new, "completionMode").unwrap_or(Value::Null);
        errs.push(FieldError::invalid(
            "spec.completionMode",
            v,
            "field is immutable",
        ));
    }
    errs
}

pub fn validate_cron_job(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = meta::validate_meta_for("CronJob", obj, old);
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Job names add 11 characters (`-` and the scheduled minute) to a DNS-1035 label.
    if name.len() > 52 {
        errs.push(FieldError::invalid(
            "metadata.name",
            json!(name),
            "must be no more than 52 characters",
        ));
    }
    let spec = obj.get("spec");
    let schedule = spec
        .and_then(|s| s.get("schedule"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let tz = spec.and_then(|s| s.get("timeZone")).and_then(Value::as_str);
    if schedule.is_empty() {
        errs.push(FieldError::required("spec.schedule", ""));
    } else {
        if let Err(e) = cron::parse(schedule) {
            errs.push(FieldError::invalid("spec.schedule", json!(schedule), &e));
        }
        if schedule.contains("TZ") {
            let msg = if tz.is_some() {
                "cannot use both timeZone field and TZ or CRON_TZ in schedule"
            } else {
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
            };
            errs.push(FieldError::invalid("spec.schedule", json!(schedule), msg));
        }
    }
    nonnegative(spec, "startingDeadlineSeconds", "spec", &mut errs);
    let old_tz = old.and_then(|o| o.pointer("/spec/timeZone"));
    if let Some(tz) = tz
        && old_tz.and_then(Value::as_str) != Some(tz)
    {
        time_zone(tz, &mut errs);
    }
    match spec
        .and_then(|s| s.get("concurrencyPolicy"))
        .and_then(Value::as_str)
        .unwrap_or("")
    {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required("spec.concurrencyPolicy", "")),
        other => errs.push(FieldError::not_supported(
            "spec.concurrencyPolicy",
            json!(other),
            &["Allow", "Forbid", "Replace"],
        )),
    }
    let jt = spec.and_then(|s| s.get("jobTemplate"));
    let js = jt.and_then(|t| t.get("spec"));
    errs.extend(job_spec(js, "spec.jobTemplate.spec"));
    if let Some(sel) = js.and_then(|s| s.get("selector")).filter(|s| !s.is_null()) {
        errs.push(FieldError::invalid_repr(
            "spec.jobTemplate.spec.selector",
            go_label_selector(sel),
            "`selector` will be auto-generated",
        ));
    }
    if js
        .and_then(|s| s.get("manualSelector"))
        .and_then(Value::as_bool)
        == Some(true)
    {
        errs.push(FieldError::not_supported(
            "spec.jobTemplate.spec.manualSelector",
            json!(true),
            &["nil", "false"],
        ));
    }
    nonnegative(spec, "successfulJobsHistoryLimit", "spec", &mut errs);
    nonnegative(spec, "failedJobsHistoryLimit", "spec", &mut errs);
    errs
}

/// Whether `tz` names a zone Go's time.LoadLocation would load.
pub fn known_time_zone(tz: &str) -> bool {
    cron::time_zone(tz).is_some()
}

fn time_zone(tz: &str, errs: &mut Vec<FieldError>) {
    let path = "spec.timeZone";
    if tz.is_empty() {
        errs.push(FieldError::invalid(
            path,
            json!(tz),
            "timeZone must be nil or non-empty string",
        ));
        return;
    }
    if tz.eq_ignore_ascii_case("Local") {
        errs.push(FieldError::invalid(
            path,
            json!(tz),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        ));
    }
    if !known_time_zone(tz) && !tz.eq_ignore_ascii_case("Local") {
        errs.push(FieldError::invalid(
            path,
            json!(tz),
            &format!("unknown time zone {tz}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::defaults::{apply_defaults, prepare_for_create};

    fn job(spec: Value) -> Value {
        json!({"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "pi", "namespace": "default", "uid": "u-1"}, "spec": spec})
    }

    fn created(kind: &str, mut obj: Value) -> Vec<String> {
        apply_defaults(kind, &mut obj);
        prepare_for_create(kind, &mut obj);
        super::super::validate(kind, &obj, None)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn template(restart: &str) -> Value {
        json!({"spec": {"restartPolicy": restart, "containers": [{"name": "c", "image": "busybox"}]}})
    }

    #[test]
    fn a_job_gets_kubes_defaults_and_generated_selector() {
        let mut obj = job(json!({"template": template("Never")}));
        apply_defaults("Job", &mut obj);
        prepare_for_create("Job", &mut obj);
        let spec = &obj["spec"];
        assert_eq!(spec["completions"], 1);
        assert_eq!(spec["parallelism"], 1);
        assert_eq!(spec["backoffLimit"], 6);
        assert_eq!(spec["completionMode"], "NonIndexed");
        assert_eq!(spec["podReplacementPolicy"], "TerminatingOrFailed");
        assert_eq!(
            spec["selector"],
            json!({"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}})
        );
        let labels = &spec["template"]["metadata"]["labels"];
        assert_eq!(labels["job-name"], "pi");
        assert_eq!(labels["controller-uid"], "u-1");
        assert_eq!(obj["metadata"]["labels"], *labels);
        assert!(super::super::validate("Job", &obj, None).is_empty());
    }

    #[test]
    fn restart_policy_must_be_on_failure_or_never() {
        let errs = created("Job", job(json!({"template": template("Always")})));
        assert_eq!(
            errs,
            [
                "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""
            ]
        );
    }

    #[test]
    fn a_handwritten_selector_needs_manual_selector() {
        let errs = created(
            "Job",
            job(json!({"selector": {"matchLabels": {"a": "b"}}, "template": template("Never")})),
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("`selector` not auto-generated")),
            "{errs:?}"
        );
    }

    #[test]
    fn indexed_jobs_need_completions() {
        let errs = created(
            "Job",
            job(
                json!({"parallelism": 2, "completionMode": "Indexed", "template": template("Never")}),
            ),
        );
        assert_eq!(
            errs,
            ["spec.completions: Required value: when completion mode is Indexed"]
        );
    }

    #[test]
    fn the_template_of_a_job_is_immutable() {
        let mut old = job(json!({"template": template("Never")}));
        apply_defaults("Job", &mut old);
        prepare_for_create("Job", &mut old);
        let mut new = old.clone();
        new["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx");
        let errs: Vec<String> = super::super::validate("Job", &new, Some(&old))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errs,
            ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"]
        );
    }

    fn cron(spec: Value) -> Value {
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "tick", "namespace": "default"}, "spec": spec})
    }

    #[test]
    fn cron_jobs_default_and_check_their_schedule() {
        let jt = json!({"spec": {"template": template("OnFailure")}});
        let mut ok = cron(json!({"schedule": "@hourly", "jobTemplate": jt}));
        apply_defaults("CronJob", &mut ok);
        assert_eq!(ok["spec"]["concurrencyPolicy"], "Allow");
        assert_eq!(ok["spec"]["successfulJobsHistoryLimit"], 3);
        assert_eq!(ok["spec"]["failedJobsHistoryLimit"], 1);
        assert_eq!(ok["spec"]["suspend"], false);
        assert!(super::super::validate("CronJob", &ok, None).is_empty());
        let errs = created(
            "CronJob",
            cron(
                json!({"schedule": "* * *", "concurrencyPolicy": "Never", "timeZone": "Mars/Base", "jobTemplate": jt}),
            ),
        );
        assert_eq!(
            errs,
            [
                "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]",
                "spec.timeZone: Invalid value: \"Mars/Base\": unknown time zone Mars/Base",
                "spec.concurrencyPolicy: Unsupported value: \"Never\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
            ]
        );
    }
}
