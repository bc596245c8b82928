//! `kubectl describe replicaset`.

use serde_json::Value;

use super::events::{EventTarget, events_block, search};
use super::json::{arr, at, int, s};
use super::meta::{annotations_block, controlled_by, labels_block, selector_or_none};
use super::template::pod_template;
use super::workloads::{desired_replicas, pod_status_counts};
use super::writer::Out;
use super::{DescribeOptions, Lookup};

pub fn describe_replicaset(
    rs: &Value,
    lookup: &dyn Lookup,
    opts: &DescribeOptions,
) -> Result<String, String> {
    let name = s(rs, &["metadata", "name"]);
    let namespace = s(rs, &["metadata", "namespace"]);
    let uid = s(rs, &["metadata", "uid"]);
    let counts = pod_status_counts(lookup, namespace, at(rs, &["spec", "selector"]), uid);
    let events = opts.show_events.then(|| {
        search(
            lookup,
            &EventTarget {
                kind: Some("ReplicaSet"),
                name,
                namespace,
                uid,
            },
        )
    });

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
    if let Some(events) = events {
        events_block(&mut w, &events, opts.now);
    }
    Ok(w.finish())
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
