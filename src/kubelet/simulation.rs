//! How a pod asks the simulated runtime to misbehave, in the spirit of kwok's stages.
//!
//! Annotations on the pod (read on every sync, so changing them later takes effect):
//!
//! - `kubelite.io/exit-code: "N"`: each of the pod's (non-init) containers exits with code
//!   N right after it starts (reason `Completed` for 0, `Error` otherwise). With
//!   `restartPolicy: Always` (or `OnFailure` and N ≠ 0) the kubelet restarts it: the first
//!   restart is immediate, then kube's back-off applies (10 s, doubling, at most 5 min)
//!   and the container waits in `CrashLoopBackOff`; the pod stays Running but not Ready.
//!   With `Never` (or `OnFailure` and N = 0) the pod ends `Succeeded` or `Failed`.
//! - `kubelite.io/run-duration: "D"` (a Go duration: `30s`, `2m`, `1h30m`): the containers
//!   run that long on the cluster's clock before they exit, with the exit code above (0
//!   when none is given); without it they exit right after they start. A Job's pods use it
//!   to finish once the clock moved far enough.
//! - `kubelite.io/ready: "false"`: the containers run but never become ready.
//! - `kubelite.io/image-pull: "fail"`: every image pull fails as for a missing image
//!   (`ErrImagePull`, then `ImagePullBackOff` with the same back-off between attempts).

use serde_json::Value;

pub const EXIT_CODE: &str = "kubelite.io/exit-code";
pub const READY: &str = "kubelite.io/ready";
pub const RUN_DURATION: &str = "kubelite.io/run-duration";
pub const IMAGE_PULL: &str = "kubelite.io/image-pull";

/// What a pod's annotations ask of the simulated runtime.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Simulation {
    pub exit_code: Option<i64>,
    /// How long the containers run before they exit, in seconds.
    pub run_seconds: Option<i64>,
    pub never_ready: bool,
    pub pull_fails: bool,
}

impl Simulation {
    pub fn of(pod: &Value) -> Simulation {
        let annotation = |k: &str| {
            pod.pointer("/metadata/annotations")
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .map(str::trim)
        };
        Simulation {
            // An exit code that is not a number asks for nothing (kube's exit codes are
            // 0-255 on Linux; other values are taken as given).
            exit_code: annotation(EXIT_CODE).and_then(|s| s.parse::<i64>().ok()),
            run_seconds: annotation(RUN_DURATION).and_then(crate::api::cron::go_duration),
            never_ready: annotation(READY).is_some_and(|s| s.eq_ignore_ascii_case("false")),
            pull_fails: annotation(IMAGE_PULL).is_some_and(|s| s.eq_ignore_ascii_case("fail")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotations_are_read() {
        let pod = json!({"metadata": {"annotations": {
            "kubelite.io/exit-code": "3", "kubelite.io/ready": "false", "kubelite.io/image-pull": "fail",
            "kubelite.io/run-duration": "1m30s"
        }}});
        assert_eq!(
            Simulation::of(&pod),
            Simulation {
                exit_code: Some(3),
                run_seconds: Some(90),
                never_ready: true,
                pull_fails: true
            }
        );
        assert_eq!(Simulation::of(&json!({})), Simulation::default());
        let junk = json!({"metadata": {"annotations": {"kubelite.io/exit-code": "x"}}});
        assert_eq!(Simulation::of(&junk).exit_code, None);
    }
}
