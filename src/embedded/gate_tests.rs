//! The static-pod gate follows the control-plane pods from pass to pass: listed once, then
//! caught up from the change log, with what a fresh list would have said.

use super::gate::{Running, Seen, running};
use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::registry::{Resource, find};
use crate::client::{Client, Embedded};
use crate::clock::Clock;
use crate::runtime::Context;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::cell::RefCell;

fn pods() -> &'static Resource {
    find("pods").expect("pods")
}

fn mirror(name: &str, command: &[&str]) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "kube-system",
            "labels": {"tier": "control-plane", "component": "kube-example"},
            "annotations": {"kubernetes.io/config.mirror": "0123"},
        },
        "spec": {"containers": [{"name": "c", "image": "example", "command": command}]},
    })
}

/// What the gate says of `kube-example` in pass `pass`, reading changes since `since`.
fn seen_in_pass(
    seen: &RefCell<Seen>,
    client: &Embedded,
    now: DateTime<Utc>,
    pass: u64,
    since: i64,
) -> Option<Running> {
    let ctx = Context {
        client,
        now,
        since,
        pass,
        shared: Default::default(),
    };
    running(seen, &ctx, "kube-example").unwrap_or_else(|e| panic!("{}", e.message))
}

fn revision(client: &Embedded) -> i64 {
    client.server().current_revision().expect("revision")
}

fn command(words: &[&str]) -> Option<Running> {
    Some(Running {
        command: words.iter().map(|w| w.to_string()).collect(),
    })
}

#[test]
fn the_gate_catches_up_with_changed_control_plane_pods_between_passes() {
    let dir = std::env::temp_dir().join(format!("kubelite-gate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let now = crate::controllers::testutil::start();
    let client = super::open_in(&dir, Clock::Fixed(now), 0).expect("cluster");
    let seen = RefCell::new(Seen::default());
    let write = WriteOptions::default();

    // First pass: listed.
    let mut stopped = client
        .create(
            pods(),
            Some("kube-system"),
            mirror("a-node", &["run", "--v=1"]),
            &write,
        )
        .expect("create");
    let mut since = revision(&client);
    assert_eq!(
        seen_in_pass(&seen, &client, now, 0, since),
        command(&["run", "--v=1"])
    );

    // Within a pass the gate keeps what it read; the next pass sees its container stopped.
    stopped["status"] = json!({"phase": "Running", "containerStatuses": [
        {"name": "c", "ready": false, "restartCount": 0, "image": "example", "imageID": "",
         "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}]});
    client
        .update_status(pods(), Some("kube-system"), "a-node", stopped, &write)
        .expect("status");
    assert_eq!(
        seen_in_pass(&seen, &client, now, 0, since),
        command(&["run", "--v=1"])
    );
    assert_eq!(seen_in_pass(&seen, &client, now, 1, since), None);
    since = revision(&client);

    // A second pod of the component that runs: the component runs with its command.
    client
        .create(
            pods(),
            Some("kube-system"),
            mirror("b-node", &["run", "--v=2"]),
            &write,
        )
        .expect("create");
    assert_eq!(
        seen_in_pass(&seen, &client, now, 2, since),
        command(&["run", "--v=2"])
    );
    since = revision(&client);

    // The stopped pod loses its tier label and the running one is deleted: no pod of the
    // component is left (and the cluster does not make its mirror pods from files).
    let mut unlabelled = client
        .get(pods(), Some("kube-system"), "a-node")
        .expect("pod");
    unlabelled["metadata"]["labels"] = json!({"component": "kube-example"});
    client
        .update(pods(), Some("kube-system"), "a-node", unlabelled, &write)
        .expect("update");
    let force = DeleteOptions {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    client
        .delete(pods(), Some("kube-system"), "b-node", &force)
        .expect("delete");
    assert_eq!(seen_in_pass(&seen, &client, now, 3, since), command(&[]));
    since = revision(&client);

    // The label back: the stopped pod is the component's again.
    let mut labelled = client
        .get(pods(), Some("kube-system"), "a-node")
        .expect("pod");
    labelled["metadata"]["labels"]["tier"] = json!("control-plane");
    client
        .update(pods(), Some("kube-system"), "a-node", labelled, &write)
        .expect("update");
    assert_eq!(seen_in_pass(&seen, &client, now, 4, since), None);
    drop(client);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The list decodes only `MIRROR_STATE` of each pod: what a pod's state is read from must
/// be in it, for running, stopped, not yet started and failed pods with command and args.
#[test]
fn the_projected_list_keeps_what_a_mirror_pods_state_is_read_from() {
    use super::gate::{MIRROR_STATE, pod_state};
    let mut running = mirror("a", &["kube-example", "--v=1"]);
    running["spec"]["containers"][0]["args"] = json!(["--leader-elect=false"]);
    running["spec"]["containers"] =
        json!([running["spec"]["containers"][0].clone(), {"name": "side", "image": "x"}]);
    running["status"] = json!({"phase": "Running", "containerStatuses": [
        {"name": "side", "ready": true, "restartCount": 0, "image": "x", "imageID": "",
         "state": {"terminated": {"exitCode": 0}}},
        {"name": "c", "ready": true, "restartCount": 0, "image": "example", "imageID": "",
         "state": {"running": {"startedAt": "2026-11-29T00:00:00Z"}}}]});
    let mut stopped = running.clone();
    stopped["status"]["containerStatuses"][1]["state"] =
        json!({"terminated": {"exitCode": 1, "reason": "Error"}});
    let unstarted = mirror("b", &["kube-example"]);
    let mut failed = unstarted.clone();
    failed["status"] = json!({"phase": "Failed"});
    for pod in [running, stopped, unstarted, failed] {
        let bytes = serde_json::to_vec(&pod).expect("encode");
        let projected = crate::apiserver::project::decode(&bytes, &MIRROR_STATE).expect("decode");
        assert_eq!(pod_state(&projected), pod_state(&pod), "{pod}");
        assert_eq!(
            crate::api::json::str_at(&projected, "/metadata/name"),
            crate::api::json::str_at(&pod, "/metadata/name")
        );
    }
}
