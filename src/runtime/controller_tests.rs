//! The controller runtime: containment of one object's reconcile.

use super::*;
use crate::runtime::Context;
use serde_json::json;

#[test]
fn a_panic_on_one_object_is_a_warning_event_on_it_and_the_others_go_on() {
    let t = crate::controllers::testutil::TestCluster::new("contained");
    let cm = |name: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default"}})
    };
    let bad = t.create("configmaps", Some("default"), cm("bad"));
    let good = t.create("configmaps", Some("default"), cm("good"));
    let ctx = Context {
        client: t.c(),
        now: t.now,
        since: 0,
        pass: 0,
        shared: Default::default(),
    };
    let mut reconciled = Vec::new();
    for obj in [&bad, &good] {
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        let done = contained(&ctx, "test-controller", obj, || {
            if name == "bad" {
                panic!("a bug meets this object");
            }
            reconciled.push(name.clone());
            Ok(true)
        });
        assert!(done.is_ok());
    }
    crate::runtime::events::flush(&ctx).expect("flush");
    assert_eq!(reconciled, vec!["good".to_string()]);
    let events = t.list("events", Some("default"));
    let warned: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["involvedObject"]["name"].as_str().unwrap_or(""),
                e["reason"].as_str().unwrap_or(""),
                e["type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(warned, vec![("bad", "ReconcileFailed", "Warning")]);
    assert!(events[0]["message"].as_str().unwrap_or("").contains("a bug meets this object"));
}
