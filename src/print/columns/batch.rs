//! batch/v1: Jobs and CronJobs.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::common::*;
use crate::print::age::human_duration;

const CONTAINERS_DOC: &str = "Names of each container in the template.";
const IMAGES_DOC: &str = "Images referenced by each container in the template.";
const SELECTOR_DOC: &str = "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

pub fn job_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col("Status", "Status of the job."),
        string_col(
            "Completions",
            "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.",
        ),
        string_col("Duration", "Time required to complete the job."),
        age_col(),
        wide_col("Containers", CONTAINERS_DOC),
        wide_col("Images", IMAGES_DOC),
        wide_col("Selector", SELECTOR_DOC),
    ]
}

/// Whether the Job has a condition of this type with status True.
pub fn has_condition(job: &Value, kind: &str) -> bool {
    array_at(job, &["status", "conditions"])
        .iter()
        .any(|c| str_at(c, &["type"]) == kind && str_at(c, &["status"]) == "True")
}

/// The STATUS cell: the first of the finished, deleting and intermediate states that holds.
pub fn job_status(job: &Value) -> &'static str {
    if has_condition(job, "Complete") {
        "Complete"
    } else if has_condition(job, "Failed") {
        "Failed"
    } else if field(job, &["metadata", "deletionTimestamp"]).is_some_and(|v| !v.is_null()) {
        "Terminating"
    } else if has_condition(job, "Suspended") {
        "Suspended"
    } else if has_condition(job, "FailureTarget") {
        "FailureTarget"
    } else if has_condition(job, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// `succeeded/completions`, or `n/1 of parallelism` for a Job without completions.
pub fn job_completions(job: &Value) -> String {
    let succeeded = int_at(job, &["status", "succeeded"]);
    match field(job, &["spec", "completions"]).and_then(Value::as_i64) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let parallelism = int_at(job, &["spec", "parallelism"]);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    }
}

/// Start to completion, or start to now while running; empty before the start.
pub fn job_duration(job: &Value, now: DateTime<Utc>) -> String {
    let time = |k: &str| parse_time(str_at(job, &["status", k]));
    match (time("startTime"), time("completionTime")) {
        (None, _) => String::new(),
        (Some(start), None) => human_duration(now - start),
        (Some(start), Some(end)) => human_duration(end - start),
    }
}

pub fn job_cells(job: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let (names, images) = container_cells(field(job, &["spec", "template", "spec"]));
    vec![
        json!(name_of(job)),
        json!(job_status(job)),
        json!(job_completions(job)),
        json!(job_duration(job, now)),
        json!(creation_age(job, now)),
        json!(names),
        json!(images),
        json!(format_label_selector(field(job, &["spec", "selector"]))),
    ]
}

pub fn cronjob_columns() -> Vec<Value> {
    vec![
        name_col(),
        string_col(
            "Schedule",
            "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
        ),
        string_col(
            "Timezone",
            "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
        ),
        column(
            "Suspend",
            "boolean",
            "",
            "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
            0,
        ),
        integer_col("Active", "A list of pointers to currently running jobs."),
        string_col(
            "Last Schedule",
            "Information when was the last time the job was successfully scheduled.",
        ),
        age_col(),
        wide_col("Containers", CONTAINERS_DOC),
        wide_col("Images", IMAGES_DOC),
        wide_col("Selector", SELECTOR_DOC),
    ]
}

pub fn cronjob_cells(cj: &Value, now: DateTime<Utc>) -> Vec<Value> {
    let last = match field(cj, &["status", "lastScheduleTime"]).filter(|v| !v.is_null()) {
        Some(t) => age_since(Some(t), now),
        None => "<none>".to_string(),
    };
    let tz = field(cj, &["spec", "timeZone"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let suspend = match field(cj, &["spec", "suspend"]).and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let (names, images) = container_cells(field(
        cj,
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ));
    vec![
        json!(name_of(cj)),
        json!(str_at(cj, &["spec", "schedule"])),
        json!(tz),
        json!(suspend),
        json!(array_at(cj, &["status", "active"]).len()),
        json!(last),
        json!(creation_age(cj, now)),
        json!(names),
        json!(images),
        json!(format_label_selector(field(
            cj,
            &["spec", "jobTemplate", "spec", "selector"]
        ))),
    ]
}
