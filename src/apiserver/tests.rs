//! The API server's deletion and binding semantics, end to end through a real store.

use super::ApiServer;
use crate::api::options::{DeleteOptions, WriteOptions};
use crate::api::registry::{self, Resource};
use crate::clock::Clock;
use crate::store::redb::RedbStore;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

struct Fixture {
    server: ApiServer,
    dir: std::path::PathBuf,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn fixture(name: &str) -> Fixture {
    let dir =
        std::env::temp_dir().join(format!("kubelite-apiserver-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = RedbStore::open(&dir.join("s.redb"), Duration::from_secs(1)).unwrap();
    let now = crate::clock::parse_timestamp("2026-11-29T01:42:16Z").unwrap();
    let server = ApiServer::new(Arc::new(store), Clock::Fixed(now));
    let w = WriteOptions::default();
    server
        .create(
            res("namespaces"),
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}),
            &w,
        )
        .unwrap();
    server
        .create(
            res("namespaces"),
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}),
            &w,
        )
        .unwrap();
    Fixture { server, dir }
}

fn res(name: &str) -> &'static Resource {
    registry::find(name).unwrap()
}

fn pod(name: &str, ns: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
}

#[test]
fn unbound_pods_go_at_once_and_bound_ones_gracefully() {
    let f = fixture("graceful");
    let s = &f.server;
    let pods = res("pods");
    s.create(
        pods,
        Some("default"),
        pod("a", "default"),
        &WriteOptions::default(),
    )
    .unwrap();
    s.delete(pods, Some("default"), "a", &DeleteOptions::default())
        .unwrap();
    assert_eq!(s.get(pods, Some("default"), "a").unwrap_err().code, 404);

    s.create(
        pods,
        Some("default"),
        pod("b", "default"),
        &WriteOptions::default(),
    )
    .unwrap();
    s.bind("default", "b", "node01").unwrap();
    let bound = s.get(pods, Some("default"), "b").unwrap();
    assert_eq!(bound["spec"]["nodeName"], "node01");
    assert_eq!(bound["status"]["conditions"][0]["type"], "PodScheduled");
    assert_eq!(s.bind("default", "b", "node02").unwrap_err().code, 409);

    s.delete(pods, Some("default"), "b", &DeleteOptions::default())
        .unwrap();
    let terminating = s.get(pods, Some("default"), "b").unwrap();
    assert_eq!(
        terminating["metadata"]["deletionTimestamp"],
        "2026-11-29T01:42:46Z"
    );
    assert_eq!(terminating["metadata"]["deletionGracePeriodSeconds"], 30);
    let force = DeleteOptions {
        grace_period_seconds: Some(0),
        ..Default::default()
    };
    s.delete(pods, Some("default"), "b", &force).unwrap();
    assert_eq!(s.get(pods, Some("default"), "b").unwrap_err().code, 404);
}

#[test]
fn finalizers_hold_an_object_until_removed() {
    let f = fixture("finalizers");
    let s = &f.server;
    let cms = res("configmaps");
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}});
    s.create(cms, Some("default"), cm, &WriteOptions::default())
        .unwrap();
    let foreground = DeleteOptions {
        propagation_policy: Some("Foreground".into()),
        ..Default::default()
    };
    s.delete(cms, Some("default"), "c", &foreground).unwrap();
    let mut held = s.get(cms, Some("default"), "c").unwrap();
    assert_eq!(
        held["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    assert!(held["metadata"]["deletionTimestamp"].is_string());
    held["metadata"]["finalizers"] = json!([]);
    s.update(cms, Some("default"), "c", held, &WriteOptions::default())
        .unwrap();
    assert_eq!(s.get(cms, Some("default"), "c").unwrap_err().code, 404);
}

#[test]
fn namespaces_terminate_until_finalized() {
    let f = fixture("namespace");
    let s = &f.server;
    let nss = res("namespaces");
    assert_eq!(
        s.delete(nss, None, "default", &DeleteOptions::default())
            .unwrap_err()
            .code,
        403
    );
    s.delete(nss, None, "team", &DeleteOptions::default())
        .unwrap();
    let mut ns = s.get(nss, None, "team").unwrap();
    assert_eq!(ns["status"]["phase"], "Terminating");
    let refused = s
        .create(
            res("pods"),
            Some("team"),
            pod("p", "team"),
            &WriteOptions::default(),
        )
        .unwrap_err();
    assert_eq!(refused.code, 403);
    assert!(refused.message.ends_with(
        "unable to create new content in namespace team because it is being terminated"
    ));
    ns["spec"]["finalizers"] = json!([]);
    s.update(nss, None, "team", ns, &WriteOptions::default())
        .unwrap();
    assert_eq!(s.get(nss, None, "team").unwrap_err().code, 404);
}

#[test]
fn create_all_writes_everything_or_nothing() {
    let f = fixture("create-all");
    let req = |name: &str, object: Value| super::CreateRequest {
        resource: res("configmaps"),
        namespace: Some("default".to_string()),
        object: json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": object}),
    };
    // The second is refused (data values are strings): the first is not written either.
    let refused = f
        .server
        .create_all(vec![req("a", json!({"k": "v"})), req("b", json!({"k": 1}))]);
    assert!(refused.is_err(), "{refused:?}");
    let cms = res("configmaps");
    assert_eq!(
        f.server.get(cms, Some("default"), "a").unwrap_err().code,
        404
    );
    f.server
        .create_all(vec![
            req("a", json!({"k": "v"})),
            req("b", json!({"k": "w"})),
        ])
        .unwrap();
    for name in ["a", "b"] {
        assert!(f.server.get(cms, Some("default"), name).is_ok(), "{name}");
    }
}
