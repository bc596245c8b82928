//! batch/v1: Job and CronJob specs (statuses are written by their controllers only).

use super::{ATOMIC_ANY, BOOL, Field, I32, I64, OBJECT_META, POD_TEMPLATE_SPEC, STR, Ty, f, rz, z};

static ANY_STATUS: Ty = Ty::Any;

const JOB_SPEC_FIELDS: &[Field] = &[
    f("parallelism", I32),
    f("completions", I32),
    f("activeDeadlineSeconds", I64),
    f("podFailurePolicy", ATOMIC_ANY),
    f("successPolicy", ATOMIC_ANY),
    f("backoffLimit", I32),
    f("backoffLimitPerIndex", I32),
    f("maxFailedIndexes", I32),
    f("selector", ATOMIC_ANY),
    f("manualSelector", BOOL),
    rz("template", &POD_TEMPLATE_SPEC),
    f("ttlSecondsAfterFinished", I32),
    f("completionMode", &Ty::Str("v1.CompletionMode")),
    f("suspend", BOOL),
    f("podReplacementPolicy", &Ty::Str("v1.PodReplacementPolicy")),
    f("managedBy", STR),
];

static JOB_SPEC: Ty = Ty::Struct("io.k8s.api.batch.v1.JobSpec", JOB_SPEC_FIELDS);

static JOB_TEMPLATE_SPEC: Ty = Ty::Struct(
    "io.k8s.api.batch.v1.JobTemplateSpec",
    &[z("metadata", &OBJECT_META), z("spec", &JOB_SPEC)],
);

static CRON_JOB_SPEC: Ty = Ty::Struct(
    "io.k8s.api.batch.v1.CronJobSpec",
    &[
        super::r("schedule", STR),
        f("timeZone", STR),
        f("startingDeadlineSeconds", I64),
        f("concurrencyPolicy", &Ty::Str("v1.ConcurrencyPolicy")),
        f("suspend", BOOL),
        rz("jobTemplate", &JOB_TEMPLATE_SPEC),
        f("successfulJobsHistoryLimit", I32),
        f("failedJobsHistoryLimit", I32),
    ],
);

pub(super) static JOB: Ty = Ty::Struct(
    "",
    &[
        f("kind", super::KIND_STR),
        f("apiVersion", super::KIND_STR),
        z("metadata", &OBJECT_META),
        z("spec", &JOB_SPEC),
        z("status", &ANY_STATUS),
    ],
);

pub(super) static CRON_JOB: Ty = Ty::Struct(
    "",
    &[
        f("kind", super::KIND_STR),
        f("apiVersion", super::KIND_STR),
        z("metadata", &OBJECT_META),
        z("spec", &CRON_JOB_SPEC),
        z("status", &ANY_STATUS),
    ],
);
