//! Which pods of a node `drain` removes, and why it refuses: kubectl's filters, run in its
//! order (already-deleted, DaemonSet, mirror, local storage, unmanaged) and stopping at the
//! first that keeps the pod, with its messages.

use crate::api::options::ListOptions;
use crate::api::registry;
use crate::api::status::ApiError;
use crate::client::Client;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The drain flags that decide what a pod's fate is.
pub struct Rules<'a> {
    pub force: bool,
    pub ignore_daemonsets: bool,
    pub delete_emptydir_data: bool,
    pub skip_wait_seconds: i64,
    pub pod_selector: Option<&'a str>,
}

/// What becomes of one pod.
#[derive(Clone, Debug, PartialEq)]
pub enum Fate {
    Remove,
    /// Removed, with a warning.
    RemoveWarn(String),
    /// Left alone, silently (mirror pods, long-deleted ones).
    Skip,
    /// Left alone, with a warning (DaemonSet pods under --ignore-daemonsets).
    SkipWarn(String),
    /// Refused: the whole node is not drained.
    Refuse(String),
}

impl Fate {
    fn removes(&self) -> bool {
        matches!(self, Fate::Remove | Fate::RemoveWarn(_))
    }
}

/// The pods of a node with their fates, in the order the API lists them.
pub struct Plan {
    pub pods: Vec<(Value, Fate)>,
}

const DAEMONSET_REFUSED: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_REFUSED: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
// kubectl's own text, whose "cannot delete " prefix then comes twice.
const UNMANAGED_REFUSED: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

pub fn ns_name(pod: &Value) -> (&str, &str) {
    let s = |p: &str| pod.pointer(p).and_then(Value::as_str).unwrap_or("");
    (s("/metadata/namespace"), s("/metadata/name"))
}

/// Lists the pods bound to `node` (all namespaces) and decides each one's fate.
pub fn plan(client: &dyn Client, node: &str, rules: &Rules) -> Result<Plan, ApiError> {
    let r = registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
    let opts = ListOptions {
        field_selector: Some(format!("spec.nodeName={node}")),
        label_selector: rules.pod_selector.map(str::to_string),
        ..Default::default()
    };
    let list = client.list(r, None, &opts)?;
    let now = Utc::now();
    let mut pods = Vec::new();
    for pod in list["items"].as_array().cloned().unwrap_or_default() {
        let fate = fate(client, &pod, rules, now);
        pods.push((pod, fate));
    }
    Ok(Plan { pods })
}

fn fate(client: &dyn Client, pod: &Value, rules: &Rules, now: DateTime<Utc>) -> Fate {
    let filters: [&dyn Fn() -> Fate; 5] = [
        &|| deleted_long_ago(pod, rules.skip_wait_seconds, now),
        &|| daemonset(client, pod, rules),
        &|| mirror(pod),
        &|| local_storage(pod, rules),
        &|| unmanaged(pod, rules),
    ];
    let mut last = Fate::Remove;
    for filter in filters {
        last = filter();
        // A later filter's verdict replaces an earlier warning, as in kubectl (which so
        // never shows the local storage warning for a managed pod).
        if !last.removes() {
            break;
        }
    }
    last
}

/// Whether the pod's deletion began more than `seconds` ago (`--skip-wait-for-delete-timeout`).
pub fn deleted_before(pod: &Value, seconds: i64, now: DateTime<Utc>) -> bool {
    if seconds <= 0 {
        return false;
    }
    pod.pointer("/metadata/deletionTimestamp")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| (now - t.with_timezone(&Utc)).num_seconds() > seconds)
}

fn deleted_long_ago(pod: &Value, seconds: i64, now: DateTime<Utc>) -> Fate {
    if deleted_before(pod, seconds, now) {
        Fate::Skip
    } else {
        Fate::Remove
    }
}

fn finished(pod: &Value) -> bool {
    matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    )
}

fn controller(pod: &Value) -> Option<&Value> {
    pod.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
}

fn daemonset(client: &dyn Client, pod: &Value, rules: &Rules) -> Fate {
    let Some(owner) = controller(pod).filter(|o| o["kind"] == "DaemonSet") else {
        return Fate::Remove;
    };
    if finished(pod) {
        return Fate::Remove;
    }
    let (ns, _) = ns_name(pod);
    let name = owner["name"].as_str().unwrap_or("");
    let found = registry::find("daemonsets")
        .ok_or_else(|| ApiError::internal("no daemonsets resource"))
        .and_then(|r| client.get(r, Some(ns), name));
    match found {
        // An orphan of a vanished DaemonSet goes with --force.
        Err(e) if e.code == 404 && rules.force => Fate::RemoveWarn(e.message),
        Err(e) => Fate::Refuse(e.message),
        Ok(_) if rules.ignore_daemonsets => Fate::SkipWarn(DAEMONSET_WARNING.into()),
        Ok(_) => Fate::Refuse(DAEMONSET_REFUSED.into()),
    }
}

/// Static pods' mirrors cannot be removed through the API.
fn mirror(pod: &Value) -> Fate {
    if pod
        .pointer("/metadata/annotations/kubernetes.io~1config.mirror")
        .is_some()
    {
        Fate::Skip
    } else {
        Fate::Remove
    }
}

fn local_storage(pod: &Value, rules: &Rules) -> Fate {
    let empty_dir = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .is_some_and(|v| v.iter().any(|v| v.get("emptyDir").is_some()));
    if !empty_dir || finished(pod) {
        Fate::Remove
    } else if rules.delete_emptydir_data {
        Fate::RemoveWarn(LOCAL_STORAGE_WARNING.into())
    } else {
        Fate::Refuse(LOCAL_STORAGE_REFUSED.into())
    }
}

fn unmanaged(pod: &Value, rules: &Rules) -> Fate {
    if finished(pod) || controller(pod).is_some() {
        Fate::Remove
    } else if rules.force {
        Fate::RemoveWarn(UNMANAGED_WARNING.into())
    } else {
        Fate::Refuse(UNMANAGED_REFUSED.into())
    }
}

/// `ns/name` lists grouped by message, in the order the messages first appear (kubectl
/// groups them in a map, so its order varies from run to run).
fn grouped<'a>(plan: &'a Plan, pick: impl Fn(&'a Fate) -> Option<&'a str>) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (pod, fate) in &plan.pods {
        let Some(msg) = pick(fate) else { continue };
        let (ns, name) = ns_name(pod);
        let at = match groups.iter().position(|(m, _)| *m == msg) {
            Some(at) => at,
            None => {
                groups.push((msg, Vec::new()));
                groups.len() - 1
            }
        };
        groups[at].1.push(format!("{ns}/{name}"));
    }
    groups
        .into_iter()
        .map(|(msg, pods)| format!("{msg}: {}", pods.join(", ")))
        .collect()
}

impl Plan {
    /// The refusals, one per message: `cannot delete MESSAGE: ns/a, ns/b`.
    pub fn refusals(&self) -> Vec<String> {
        grouped(self, |f| match f {
            Fate::Refuse(m) => Some(m),
            _ => None,
        })
        .into_iter()
        .map(|g| format!("cannot delete {g}"))
        .collect()
    }

    /// The warnings on one line, `; `-separated; empty when there are none.
    pub fn warnings(&self) -> String {
        grouped(self, |f| match f {
            Fate::RemoveWarn(m) | Fate::SkipWarn(m) => Some(m),
            _ => None,
        })
        .join("; ")
    }

    /// The pods to evict or delete.
    pub fn removed(&self) -> Vec<&Value> {
        self.pods
            .iter()
            .filter(|(_, f)| f.removes())
            .map(|(p, _)| p)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> Rules<'static> {
        Rules {
            force: false,
            ignore_daemonsets: false,
            delete_emptydir_data: false,
            skip_wait_seconds: 0,
            pod_selector: None,
        }
    }

    #[test]
    fn local_storage_and_unmanaged() {
        let bare = json!({"metadata": {"name": "a", "namespace": "d"},
            "spec": {"volumes": [{"name": "v", "emptyDir": {}}]}});
        assert_eq!(
            local_storage(&bare, &rules()),
            Fate::Refuse(LOCAL_STORAGE_REFUSED.into())
        );
        assert_eq!(
            unmanaged(&bare, &rules()),
            Fate::Refuse(UNMANAGED_REFUSED.into())
        );
        let forced = Rules {
            force: true,
            ..rules()
        };
        assert_eq!(
            unmanaged(&bare, &forced),
            Fate::RemoveWarn(UNMANAGED_WARNING.into())
        );
        let mut done = bare;
        done["status"] = json!({"phase": "Succeeded"});
        assert_eq!(local_storage(&done, &rules()), Fate::Remove);
        assert_eq!(unmanaged(&done, &rules()), Fate::Remove);
    }

    #[test]
    fn refusals_group_by_message() {
        let pod = |n: &str| json!({"metadata": {"name": n, "namespace": "d"}});
        let plan = Plan {
            pods: vec![
                (pod("a"), Fate::Refuse("X".into())),
                (pod("b"), Fate::Remove),
                (pod("c"), Fate::Refuse("Y".into())),
                (pod("e"), Fate::Refuse("X".into())),
                (pod("f"), Fate::SkipWarn("W".into())),
            ],
        };
        assert_eq!(
            plan.refusals(),
            ["cannot delete X: d/a, d/e", "cannot delete Y: d/c"]
        );
        assert_eq!(plan.warnings(), "W: d/f");
        assert_eq!(plan.removed().len(), 1);
    }
}
