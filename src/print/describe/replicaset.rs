//! `kubectl describe replicaset`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{events_block, query_for};
use super::json::{arr, at, int, s};
use super::meta::{annotations_block, controlled_by, labels_block, selector_or_none};
use super::related::{Query, Related};
use super::template::pod_template;
use super::workloads::{desired_replicas, pod_status_counts, pods_query};
use super::writer::Out;

/// The ReplicaSet's pods, then its events.
pub fn plan(rs: &Value, show_events: bool) -> Vec<Query> {
    let mut plan = vec![pods_query(rs)];
    if show_events {
        plan.push(query_for(rs, "ReplicaSet"));
    }
    plan
}

pub fn render(rs: &Value, related: &Related, now: DateTime<Utc>) -> String {
    let name = s(rs, &["metadata", "name"]);
    let namespace = s(rs, &["metadata", "namespace"]);
    let uid = s(rs, &["metadata", "uid"]);
    let counts = related
        .pods
        .as_deref()
        .map(|pods| pod_status_counts(pods, uid));
    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, &format!("Namespace:\t{namespace}\n"));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            selector_or_none(at(rs, &["spec", "selector"]))
        ),
    );
    labels_block(&mut w, "Labels", at(rs, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(rs, &["metadata", "annotations"]));
    if let Some(owner) = controlled_by(rs) {
        w.w(0, &format!("Controlled By:\t{owner}\n"));
    }
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            int(rs, &["status", "replicas"]),
            desired_replicas(rs)
        ),
    );
    w.w(0, "Pods Status:\t");
    match counts {
        Ok((r, wa, su, f)) => w.w(
            0,
            &format!("{r} Running / {wa} Waiting / {su} Succeeded / {f} Failed\n"),
        ),
        Err(e) => w.w(0, &format!("error in fetching pods: {e}\n")),
    }
    pod_template(&mut w, at(rs, &["spec", "template"]));
    conditions(&mut w, arr(rs, &["status", "conditions"]));
    if let Some(events) = &related.events {
        events_block(&mut w, events, now);
    }
    w.finish()
}

/// `Conditions:` table of ReplicaSets and Deployments (type, status, reason).
pub fn conditions(w: &mut Out, list: &[Value]) {
    if list.is_empty() {
        return;
    }
    w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.w(1, "----\t------\t------\n");
    for c in list {
        w.w(
            1,
            &format!(
                "{} \t{}\t{}\n",
                s(c, &["type"]),
                s(c, &["status"]),
                s(c, &["reason"])
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rs() -> Value {
        json!({
            "metadata": {"name": "web-1", "namespace": "shop", "uid": "rs-1"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}},
            "status": {"replicas": 3}
        })
    }

    fn pod(phase: &str, owner: &str) -> Value {
        json!({"metadata": {"ownerReferences": [{"uid": owner, "controller": true}]},
               "status": {"phase": phase}})
    }

    fn pods_status(related: &Related) -> String {
        let text = render(&rs(), related, Utc::now());
        let line = text.lines().find(|l| l.starts_with("Pods Status:"));
        line.unwrap_or_default().to_string()
    }

    #[test]
    fn counts_only_its_own_pods_by_phase() {
        let related = Related {
            pods: Ok(vec![
                pod("Running", "rs-1"),
                pod("Running", "rs-1"),
                pod("Pending", "rs-1"),
                pod("Failed", "rs-1"),
                pod("Running", "rs-2"),
            ]),
            ..Related::default()
        };
        assert_eq!(
            pods_status(&related),
            "Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 1 Failed"
        );
    }

    #[test]
    fn a_failed_pod_list_is_shown_where_the_counts_would_be() {
        let related = Related {
            pods: Err("pods is forbidden".to_string()),
            ..Related::default()
        };
        assert_eq!(
            pods_status(&related),
            "Pods Status:  error in fetching pods: pods is forbidden"
        );
    }
}
