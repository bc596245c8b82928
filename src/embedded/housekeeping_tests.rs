//! Events expiring and history compacted on the cluster's clock, through the embedded
//! cluster as one-shot commands run it: each step reopens the cluster at a later `now`.

use crate::api::options::{ListOptions, WriteOptions};
use crate::api::registry::{Resource, find};
use crate::client::{Client, Embedded};
use crate::clock::{Clock, parse_timestamp};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::path::{Path, PathBuf};

struct Dir(PathBuf);

fn resource(plural: &str) -> &'static Resource {
    find(plural).unwrap_or_else(|| panic!("no resource {plural}"))
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The cluster in `dir` opened at `now`, settled as a one-shot command settles it.
fn command_at(dir: &Path, now: DateTime<Utc>) -> Embedded {
    let client = super::open_in(dir, Clock::Fixed(now), 1).unwrap_or_else(|e| panic!("{e}"));
    super::settle(&client).unwrap_or_else(|e| panic!("{e}"));
    client
}

fn event_names(client: &Embedded) -> Vec<String> {
    let events = resource("events");
    let list = client
        .list(events, None, &ListOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
    list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|e| e["metadata"]["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn events_expire_after_the_ttl_and_history_is_compacted_every_five_minutes() {
    let dir =
        Dir(std::env::temp_dir().join(format!("kubelite-housekeeping-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    let t0 = parse_timestamp("2026-11-29T01:42:16Z").unwrap_or_default();
    let client = command_at(&dir.0, t0);
    let pods = resource("pods");
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
    client
        .create(pods, Some("default"), pod, &WriteOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
    super::settle(&client).unwrap_or_else(|e| panic!("{e}"));
    let written = event_names(&client);
    assert!(written.iter().any(|n| n.starts_with("p.")), "{written:?}");
    drop(client);
    // The Events of one instant share one lease, as kube-apiserver reuses its leases.
    let store = crate::store::redb::RedbStore::open(
        &dir.0.join(crate::cluster::STORE_FILE),
        std::time::Duration::from_secs(5),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let leases = crate::store::Store::lease_list(&store).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(leases.len(), 1, "{leases:?}");
    drop(store);

    // An hour later (the TTL) the Events are still there: leases run a little longer.
    let client = command_at(&dir.0, t0 + Duration::seconds(3600));
    let kept = event_names(&client);
    for name in &written {
        assert!(kept.contains(name), "{name} expired early");
    }
    drop(client);

    // Past the TTL and the lease's reuse window, every Event of that time is gone.
    let client = command_at(&dir.0, t0 + Duration::seconds(3661));
    let left = event_names(&client);
    for name in &written {
        assert!(!left.contains(name), "{name} outlived the TTL");
    }
    drop(client);

    // Two more compactor ticks: history up to the revision of the earlier tick is gone,
    // and a watch from before it is told so (410), as by kube-apiserver.
    let client = command_at(&dir.0, t0 + Duration::seconds(3661 + 300));
    let server = client.server().clone();
    let tick = server
        .current_revision()
        .unwrap_or_else(|e| panic!("{}", e.message));
    drop((client, server));
    let client = command_at(&dir.0, t0 + Duration::seconds(3661 + 600));
    let server = client.server().clone();
    let events = resource("events");
    let gone = server
        .watch(events, None, &ListOptions::default(), 1)
        .map(|(_, last)| last)
        .expect_err("a watch from revision 1 after compaction");
    assert_eq!(gone.code, 410);
    // A watch from after the compaction point still works.
    assert!(
        server
            .watch(events, None, &ListOptions::default(), tick)
            .is_ok()
    );
}
