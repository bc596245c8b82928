//! A pod's resource requests as kube-scheduler counts them: the containers' requests summed,
//! init containers by the max rule (they run one at a time, each alongside the sidecars
//! started before it), sidecars (init containers with `restartPolicy: Always`) added to the
//! main containers, plus `spec.overhead`. A container that sets a limit but no request
//! requests its limit, as the API server's defaulting makes it.

use super::model::Resources;
use crate::api::quantity::Quantity;
use serde_json::Value;

/// What a container without a cpu request counts as in scores (100m).
pub const DEFAULT_MILLI_CPU: i64 = 100;
/// What a container without a memory request counts as in scores (200Mi).
pub const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;

/// The pod's requests, and the same with missing container requests given the defaults.
pub fn pod_requests(spec: &Value) -> (Resources, Resources) {
    (sum(spec, false), sum(spec, true))
}

fn sum(spec: &Value, non_zero: bool) -> Resources {
    let mut total = Resources::default();
    for c in list(spec, "containers") {
        total.add(&container_requests(c, non_zero));
    }
    let mut sidecars = Resources::default();
    let mut init_max = Resources::default();
    for c in list(spec, "initContainers") {
        let own = container_requests(c, non_zero);
        let running = if c.get("restartPolicy").and_then(Value::as_str) == Some("Always") {
            total.add(&own);
            sidecars.add(&own);
            sidecars
        } else {
            let mut with_sidecars = own;
            with_sidecars.add(&sidecars);
            with_sidecars
        };
        init_max.max_with(&running);
    }
    total.max_with(&init_max);
    if let Some(overhead) = spec.get("overhead") {
        total.add(&Resources {
            milli_cpu: overhead.get("cpu").map_or(0, milli),
            memory: overhead.get("memory").map_or(0, whole),
        });
    }
    total
}

fn list<'a>(spec: &'a Value, field: &str) -> &'a [Value] {
    spec.get(field)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn container_requests(c: &Value, non_zero: bool) -> Resources {
    let resources = c.get("resources");
    let pick = |name: &str| {
        resources
            .and_then(|r| r.pointer(&format!("/requests/{name}")))
            .or_else(|| resources.and_then(|r| r.pointer(&format!("/limits/{name}"))))
    };
    let cpu = pick("cpu").map(milli);
    let memory = pick("memory").map(whole);
    if non_zero {
        Resources {
            milli_cpu: cpu.unwrap_or(DEFAULT_MILLI_CPU),
            memory: memory.unwrap_or(DEFAULT_MEMORY),
        }
    } else {
        Resources {
            milli_cpu: cpu.unwrap_or(0),
            memory: memory.unwrap_or(0),
        }
    }
}

/// A quantity in thousandths (cpu), 0 when unreadable.
pub fn milli(v: &Value) -> i64 {
    Quantity::from_json(v).map_or(0, |q| clamp(q.milli_value()))
}

/// A quantity's whole value (memory bytes, pod counts), 0 when unreadable.
pub fn whole(v: &Value) -> i64 {
    Quantity::from_json(v).map_or(0, |q| clamp(q.value()))
}

fn clamp(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn container(requests: Value, limits: Value) -> Value {
        json!({"name": "c", "resources": {"requests": requests, "limits": limits}})
    }

    #[test]
    fn containers_add_up() {
        let spec = json!({"containers": [
            container(json!({"cpu": "250m", "memory": "64Mi"}), json!({})),
            container(json!({"cpu": "1", "memory": "1Gi"}), json!({})),
        ]});
        let (req, _) = pod_requests(&spec);
        assert_eq!(req.milli_cpu, 1250);
        assert_eq!(req.memory, 64 * 1024 * 1024 + 1024 * 1024 * 1024);
    }

    #[test]
    fn limits_stand_in_for_missing_requests() {
        let spec = json!({"containers": [container(json!({"memory": "1Mi"}), json!({"cpu": "500m", "memory": "2Mi"}))]});
        let (req, _) = pod_requests(&spec);
        assert_eq!(req.milli_cpu, 500);
        assert_eq!(req.memory, 1024 * 1024);
    }

    #[test]
    fn init_containers_count_by_their_max() {
        let spec = json!({
            "initContainers": [container(json!({"cpu": "2"}), json!({})), container(json!({"cpu": "100m", "memory": "3Gi"}), json!({}))],
            "containers": [container(json!({"cpu": "500m", "memory": "1Gi"}), json!({}))],
        });
        let (req, _) = pod_requests(&spec);
        assert_eq!(req.milli_cpu, 2000);
        assert_eq!(req.memory, 3 * 1024 * 1024 * 1024);
    }

    #[test]
    fn sidecars_run_with_everything_after_them() {
        let mut sidecar = container(json!({"cpu": "300m"}), json!({}));
        sidecar["restartPolicy"] = json!("Always");
        let spec = json!({
            "initContainers": [sidecar, container(json!({"cpu": "1"}), json!({}))],
            "containers": [container(json!({"cpu": "200m"}), json!({}))],
        });
        let (req, _) = pod_requests(&spec);
        // The plain init container runs next to the sidecar: 1300m beats 300m + 200m.
        assert_eq!(req.milli_cpu, 1300);
    }

    #[test]
    fn overhead_is_added() {
        let spec = json!({"containers": [container(json!({"cpu": "100m"}), json!({}))], "overhead": {"cpu": "250m", "memory": "120Mi"}});
        let (req, _) = pod_requests(&spec);
        assert_eq!(req.milli_cpu, 350);
        assert_eq!(req.memory, 120 * 1024 * 1024);
    }

    #[test]
    fn missing_requests_count_as_defaults_for_scores_only() {
        let spec =
            json!({"containers": [{"name": "a"}, container(json!({"cpu": "0"}), json!({}))]});
        let (req, non_zero) = pod_requests(&spec);
        assert!(req.is_zero());
        // An explicit zero stays zero; a missing request takes the default.
        assert_eq!(non_zero.milli_cpu, DEFAULT_MILLI_CPU);
        assert_eq!(non_zero.memory, 2 * DEFAULT_MEMORY);
    }
}
