//! A start's check of kube-apiserver's own state (system namespaces, bootstrap RBAC) trusts
//! the settle record's "nothing to mend" only while none of that state was written since:
//! a role stripped of its rules, a binding or a system namespace deleted, and the next start
//! mends them as before.

use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::registry::{Resource, find};
use crate::client::{Client, Embedded};
use crate::clock::{Clock, parse_timestamp};
use serde_json::json;
use std::path::{Path, PathBuf};

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn resource(plural: &str) -> &'static Resource {
    find(plural).unwrap_or_else(|| panic!("no resource {plural}"))
}

/// A one-shot command's open and settles, on a fixed clock.
fn command(dir: &Path) -> Embedded {
    let now = parse_timestamp("2026-11-29T01:42:16Z").unwrap_or_default();
    let client = super::open_in(dir, Clock::Fixed(now), 1).unwrap_or_else(|e| panic!("{e}"));
    super::settle(&client).unwrap_or_else(|e| panic!("{e}"));
    client
}

fn in_place(client: &Embedded) -> bool {
    crate::cluster::boot_in_place(client.server()).unwrap_or_else(|e| panic!("{e}"))
}

fn settle(client: &Embedded) {
    super::settle(client).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_start_mends_what_was_written_after_it_last_found_all_in_place() {
    let dir = Dir(std::env::temp_dir().join(format!("kubelite-mended-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    drop(command(&dir.0));
    let client = command(&dir.0);
    assert!(in_place(&client));
    let mended = client
        .server()
        .load_mended()
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert!(
        mended.is_some(),
        "the settle record keeps what the start found"
    );

    // A bootstrap ClusterRole stripped of its rules (one no aggregation fills): the next
    // start gives them back.
    let roles = resource("clusterroles.rbac.authorization.k8s.io");
    let mut role = client
        .get(roles, None, "system:discovery")
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert!(role["rules"].as_array().is_some_and(|r| !r.is_empty()));
    role["rules"] = json!([]);
    client
        .update(
            roles,
            None,
            "system:discovery",
            role,
            &WriteOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
    settle(&client);
    assert!(!in_place(&client), "a stripped role is something to mend");
    drop(client);
    let client = command(&dir.0);
    let role = client
        .get(roles, None, "system:discovery")
        .unwrap_or_else(|e| panic!("{}", e.message));
    // Given back as kube-apiserver reconciles (one rule per what was missing).
    assert!(role["rules"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(in_place(&client));
    drop(client);
    let client = command(&dir.0);
    assert!(in_place(&client));

    // A bootstrap RoleBinding of kube-system deleted.
    let bindings = resource("rolebindings.rbac.authorization.k8s.io");
    let name = "system::leader-locking-kube-scheduler";
    client
        .delete(
            bindings,
            Some("kube-system"),
            name,
            &DeleteOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
    settle(&client);
    assert!(!in_place(&client), "a deleted binding is something to mend");
    drop(client);
    let client = command(&dir.0);
    assert!(client.get(bindings, Some("kube-system"), name).is_ok());
    assert!(in_place(&client));

    // A system namespace deleted (the namespace controller removes it).
    let namespaces = resource("namespaces");
    client
        .delete(
            namespaces,
            None,
            "kube-node-lease",
            &DeleteOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
    settle(&client);
    let gone = client.get(namespaces, None, "kube-node-lease");
    assert_eq!(gone.map(|_| ()).map_err(|e| e.code), Err(404));
    assert!(
        !in_place(&client),
        "a deleted system namespace is something to mend"
    );
    drop(client);
    let client = command(&dir.0);
    assert!(client.get(namespaces, None, "kube-node-lease").is_ok());
    settle(&client);
    drop(client);
    let client = command(&dir.0);
    assert!(in_place(&client));
}

/// The newest write to a ClusterRole, as its resourceVersion.
fn newest_cluster_role(client: &Embedded) -> i64 {
    let roles = resource("clusterroles.rbac.authorization.k8s.io");
    let list = client
        .list(roles, None, &Default::default())
        .unwrap_or_else(|e| panic!("{}", e.message));
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["metadata"]["resourceVersion"].as_str()?.parse().ok())
        .max()
        .unwrap_or(0)
}

fn recorded_mended(client: &Embedded) -> Option<i64> {
    client
        .server()
        .load_mended()
        .unwrap_or_else(|e| panic!("{}", e.message))
        .map(|m| m.revision)
}

#[test]
fn a_settle_carries_the_record_past_its_own_policy_writes_but_never_past_damage() {
    let dir = Dir(std::env::temp_dir().join(format!("kubelite-carried-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    // A new cluster's settle fills the aggregated ClusterRoles after its start checked them:
    // the record says all is in place after those writes, so an idle read need not check.
    let client = command(&dir.0);
    let filled = newest_cluster_role(&client);
    assert!(
        recorded_mended(&client).is_some_and(|r| r >= filled),
        "the record is carried past the aggregation's writes (at {filled})"
    );

    // A bootstrap ClusterRole stripped of its rules by a command that then settles: the
    // record must not say all was in place after it, through that settle or a later one.
    let roles = resource("clusterroles.rbac.authorization.k8s.io");
    let mut role = client
        .get(roles, None, "system:monitoring")
        .unwrap_or_else(|e| panic!("{}", e.message));
    role["rules"] = json!([]);
    let stripped = client
        .update(
            roles,
            None,
            "system:monitoring",
            role,
            &WriteOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
    let stripped_at: i64 = stripped["metadata"]["resourceVersion"]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no resourceVersion in {stripped}"));
    settle(&client);
    let configmaps = resource("configmaps");
    client
        .create(
            configmaps,
            Some("default"),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "later"}}),
            &WriteOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
    settle(&client);
    assert!(
        recorded_mended(&client).is_none_or(|r| r < stripped_at),
        "the record covers the stripped role (stripped at {stripped_at})"
    );
    assert!(!in_place(&client), "a stripped role is something to mend");
    drop(client);

    // The next start mends it, and the record holds again.
    let client = command(&dir.0);
    let role = client
        .get(roles, None, "system:monitoring")
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert!(role["rules"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(in_place(&client));
    drop(client);
    let client = command(&dir.0);
    assert!(recorded_mended(&client).is_some_and(|r| r >= newest_cluster_role(&client)));
}
