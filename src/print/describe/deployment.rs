//! `kubectl describe deployment`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, int, int_or_string, s};
use super::meta::{
    annotations_block, controller_uid, format_label_selector, labels_block, selector_or_none,
};
use super::related::{Query, Related, Slot, list_in};
use super::replicaset::conditions;
use super::template::pod_template;
use super::time::{parse, rfc1123};
use super::workloads::desired_replicas;
use super::writer::Out;

/// The label the deployment controller adds to each ReplicaSet's template.
const HASH_LABEL: &str = "pod-template-hash";

/// The Deployment's events, then the ReplicaSets its selector matches (kubectl's order).
pub fn plan(d: &Value, show_events: bool) -> Vec<Query> {
    let mut plan = Vec::new();
    if show_events {
        plan.push(query_for(d, "Deployment"));
    }
    let selector = format_label_selector(at(d, &["spec", "selector"]));
    plan.push(list_in(
        Slot::ReplicaSets,
        "replicasets",
        s(d, &["metadata", "namespace"]),
        &selector,
    ));
    plan
}

pub fn render(d: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(d, &["metadata", "name"]);
    let namespace = s(d, &["metadata", "namespace"]);
    let replica_sets = related
        .replica_sets
        .as_deref()
        .map(|all| owned_replica_sets(d, all));
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{namespace}\n"));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123(d, &["metadata", "creationTimestamp"])
        ),
    );
    labels_block(&mut w, "Labels", at(d, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(d, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            selector_or_none(at(d, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            desired_replicas(d),
            int(d, &["status", "updatedReplicas"]),
            int(d, &["status", "replicas"]),
            int(d, &["status", "availableReplicas"]),
            int(d, &["status", "unavailableReplicas"])
        ),
    );
    w.w(
        0,
        &format!("StrategyType:\t{}\n", s(d, &["spec", "strategy", "type"])),
    );
    w.w(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            int(d, &["spec", "minReadySeconds"])
        ),
    );
    if let Some(ru) = at(d, &["spec", "strategy", "rollingUpdate"]).filter(|v| v.is_object()) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(at(ru, &["maxUnavailable"])),
                int_or_string(at(ru, &["maxSurge"]))
            ),
        );
    }
    pod_template(&mut w, at(d, &["spec", "template"]));
    conditions(&mut w, arr(d, &["status", "conditions"]));
    // kubectl leaves both lines out when the deployment owns no ReplicaSet at all.
    if let Ok((old, new)) = replica_sets
        && (new.is_some() || !old.is_empty())
    {
        w.w(0, &format!("OldReplicaSets:\t{}\n", replica_set_list(&old)));
        w.w(
            0,
            &format!(
                "NewReplicaSet:\t{}\n",
                replica_set_list(&new.into_iter().collect::<Vec<_>>())
            ),
        );
    }
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// `name (2/3 replicas created), ...` or `<none>`.
fn replica_set_list(list: &[Value]) -> String {
    if list.is_empty() {
        return "<none>".to_string();
    }
    list.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                s(rs, &["metadata", "name"]),
                int(rs, &["status", "replicas"]),
                desired_replicas(rs)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The template with the controller's hash label removed, for comparing.
fn without_hash(template: Option<&Value>) -> Value {
    let mut t = template.cloned().unwrap_or(Value::Null);
    if let Some(labels) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(HASH_LABEL);
        if labels.is_empty()
            && let Some(meta) = t.pointer_mut("/metadata").and_then(Value::as_object_mut)
        {
            meta.remove("labels");
        }
    }
    t
}

/// The deployment's ReplicaSets split into (every old one, oldest first; the new one):
/// the new one is the oldest whose template equals the deployment's, ignoring the hash.
fn owned_replica_sets(d: &Value, all: &[Value]) -> (Vec<Value>, Option<Value>) {
    let uid = s(d, &["metadata", "uid"]);
    let mut owned: Vec<Value> = all
        .iter()
        .filter(|rs| controller_uid(rs) == Some(uid))
        .cloned()
        .collect();
    owned.sort_by(|a, b| {
        let ta = parse(at(a, &["metadata", "creationTimestamp"]));
        let tb = parse(at(b, &["metadata", "creationTimestamp"]));
        ta.cmp(&tb)
            .then_with(|| s(a, &["metadata", "name"]).cmp(s(b, &["metadata", "name"])))
    });
    let wanted = without_hash(at(d, &["spec", "template"]));
    let new_index = owned
        .iter()
        .position(|rs| without_hash(at(rs, &["spec", "template"])) == wanted);
    let new = new_index.map(|i| owned.remove(i));
    (owned, new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::describe::related::Select;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-29T01:42:16Z".parse().expect("instant")
    }

    fn template(image: &str, hash: Option<&str>) -> Value {
        let mut labels = json!({"app": "web"});
        if let Some(h) = hash {
            labels[HASH_LABEL] = json!(h);
        }
        json!({"metadata": {"labels": labels},
               "spec": {"containers": [{"name": "app", "image": image}]}})
    }

    fn deployment() -> Value {
        json!({
            "metadata": {"name": "web", "namespace": "shop", "uid": "d-1",
                         "creationTimestamp": "2026-11-29T01:00:00Z"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "strategy": {"type": "Recreate"}, "template": template("web:2", None)},
            "status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2}
        })
    }

    fn replica_set(name: &str, owner: &str, created: &str, image: &str, replicas: i64) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "shop", "creationTimestamp": created,
                         "ownerReferences": [{"uid": owner, "controller": true}]},
            "spec": {"replicas": replicas, "template": template(image, Some(name))},
            "status": {"replicas": replicas}
        })
    }

    #[test]
    fn plan_asks_for_events_then_the_selected_replica_sets() {
        let events = Query {
            slot: Slot::Events,
            resource: "events",
            namespace: Some("shop".to_string()),
            select: Select::List {
                labels: None,
                fields: Some(
                    "involvedObject.kind=Deployment,involvedObject.name=web,\
                     involvedObject.namespace=shop,involvedObject.uid=d-1"
                        .to_string(),
                ),
            },
            must_succeed: false,
        };
        let replica_sets = Query {
            slot: Slot::ReplicaSets,
            resource: "replicasets",
            namespace: Some("shop".to_string()),
            select: Select::List {
                labels: Some("app=web".to_string()),
                fields: None,
            },
            must_succeed: false,
        };
        assert_eq!(plan(&deployment(), true), [events, replica_sets.clone()]);
        assert_eq!(plan(&deployment(), false), [replica_sets]);
    }

    /// Rendered from a hand-built value: no client, no lookup, only data.
    #[test]
    fn renders_old_and_new_replica_sets_and_events_from_related() {
        let related = Related {
            replica_sets: Ok(vec![
                replica_set("web-new", "d-1", "2026-11-29T01:30:00Z", "web:2", 2),
                replica_set("web-old", "d-1", "2026-11-29T01:00:00Z", "web:1", 0),
                replica_set("other", "d-2", "2026-11-29T01:00:00Z", "web:2", 1),
            ]),
            events: Some(vec![json!({
                "type": "Normal", "reason": "ScalingReplicaSet",
                "message": "Scaled up replica set web-new from 0 to 2",
                "source": {"component": "deployment-controller"},
                "firstTimestamp": "2026-11-29T01:30:00Z",
                "lastTimestamp": "2026-11-29T01:30:00Z", "count": 1
            })]),
            ..Related::default()
        };
        let text = render(&deployment(), &related, now());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"OldReplicaSets:    web-old (0/0 replicas created)"));
        assert!(lines.contains(&"NewReplicaSet:     web-new (2/2 replicas created)"));
        assert!(!text.contains("other"), "{text}");
        assert!(text.ends_with(
            "  Normal  ScalingReplicaSet  12m   deployment-controller  \
             Scaled up replica set web-new from 0 to 2\n"
        ));
        // The same value renders the same text: nothing else is consulted.
        assert_eq!(render(&deployment(), &related, now()), text);
    }

    #[test]
    fn no_replica_sets_or_a_failed_list_leave_both_lines_out_and_no_events_no_section() {
        let none = Related::default();
        let failed = Related {
            replica_sets: Err("forbidden".to_string()),
            ..Related::default()
        };
        for related in [none, failed] {
            let text = render(&deployment(), &related, now());
            assert!(!text.contains("ReplicaSet"), "{text}");
            assert!(!text.contains("Events:"), "{text}");
        }
        let quiet = Related {
            events: Some(Vec::new()),
            ..Related::default()
        };
        let text = render(&deployment(), &quiet, now());
        assert!(text.ends_with("Events:            <none>\n"), "{text}");
    }
}
