//! `kubectl describe daemonset` (kubectl prints no Namespace line for it).

use serde_json::Value;

use super::events::{EventTarget, events_block, search};
use super::json::{at, int, s};
use super::meta::{annotations_block, format_label_selector, format_labels, labels_block};
use super::template::pod_template;
use super::workloads::pod_status_counts;
use super::writer::Out;
use super::{DescribeOptions, Lookup};

pub fn describe_daemonset(
    ds: &Value,
    lookup: &dyn Lookup,
    opts: &DescribeOptions,
) -> Result<String, String> {
    let name = s(ds, &["metadata", "name"]);
    let namespace = s(ds, &["metadata", "namespace"]);
    let uid = s(ds, &["metadata", "uid"]);
    let (running, waiting, succeeded, failed) =
        pod_status_counts(lookup, namespace, at(ds, &["spec", "selector"]), uid)?;
    let events = opts.show_events.then(|| {
        search(
            lookup,
            &EventTarget {
                kind: Some("DaemonSet"),
                name,
                namespace,
                uid,
            },
        )
    });

    let mut w = Out::new();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(at(ds, &["spec", "selector"]))
        ),
    );
    let node_selector = format_labels(at(ds, &["spec", "template", "spec", "nodeSelector"]));
    w.w(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            if node_selector.is_empty() {
                "<none>"
            } else {
                &node_selector
            }
        ),
    );
    labels_block(&mut w, "Labels", at(ds, &["metadata", "labels"]));
    annotations_block(&mut w, "Annotations", at(ds, &["metadata", "annotations"]));
    let status = |k: &str| int(ds, &["status", k]);
    w.w(
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}\n",
            status("desiredNumberScheduled")
        ),
    );
    w.w(
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}\n",
            status("currentNumberScheduled")
        ),
    );
    w.w(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            status("updatedNumberScheduled")
        ),
    );
    w.w(
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            status("numberAvailable")
        ),
    );
    w.w(
        0,
        &format!(
            "Number of Nodes Misscheduled: {}\n",
            status("numberMisscheduled")
        ),
    );
    w.w(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"));
    pod_template(&mut w, at(ds, &["spec", "template"]));
    if let Some(events) = events {
        events_block(&mut w, &events, opts.now);
    }
    Ok(w.finish())
}
