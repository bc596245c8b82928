use super::*;
use crate::controllers::testutil::TestCluster;

pub fn service(target_port: Value) -> Value {
    json!({
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": target_port}]},
    })
}

pub fn pod(name: &str) -> Value {
    json!({
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx",
                                 "ports": [{"name": "http", "containerPort": 8080}]}]},
    })
}

#[test]
fn ready_and_not_ready_pods_with_a_named_target_port() {
    let t = TestCluster::new("ep");
    t.create("services", Some("default"), service(json!("http")));
    let a = t.create("pods", Some("default"), pod("a"));
    let b = t.create("pods", Some("default"), pod("b"));
    t.create("pods", Some("default"), pod("no-ip"));
    t.run_pod(&a, "node01", "10.244.1.7");
    t.run_pod(&b, "node02", "10.244.2.3");
    // b runs but is not ready.
    let mut bb = t.get("pods", Some("default"), "b").expect("b");
    bb["status"]["conditions"][0]["status"] = json!("False");
    let r = crate::api::registry::find("pods").expect("pods");
    crate::client::Client::update_status(
        t.c(),
        r,
        Some("default"),
        "b",
        bb,
        &WriteOptions::default(),
    )
    .expect("status");
    t.settle(vec![Box::new(EndpointsController::default())]);
    let ep = t
        .get("endpoints", Some("default"), "web")
        .expect("endpoints");
    assert_eq!(ep["metadata"]["labels"], json!({"app": "web"}));
    let s = &ep["subsets"][0];
    assert_eq!(s["addresses"][0]["ip"], "10.244.1.7");
    assert_eq!(s["addresses"][0]["targetRef"]["name"], "a");
    assert_eq!(s["notReadyAddresses"][0]["ip"], "10.244.2.3");
    assert_eq!(s["ports"], json!([{"port": 8080, "protocol": "TCP"}]));
    assert!(ep["subsets"].as_array().is_some_and(|a| a.len() == 1));
    let mut ec = EndpointsController::default();
    assert!(
        !crate::runtime::settle_once(&mut ec, t.c(), t.now, 0).expect("sync"),
        "settled"
    );
    // The kubernetes Service's Endpoints are left alone.
    assert!(t.get("endpoints", Some("default"), "kubernetes").is_some());
}

#[test]
fn endpoints_follow_their_service_away() {
    let t = TestCluster::new("ep-gone");
    t.create("services", Some("default"), service(json!(80)));
    t.settle(vec![Box::new(EndpointsController::default())]);
    let ep = t
        .get("endpoints", Some("default"), "web")
        .expect("endpoints");
    assert!(ep.get("subsets").is_none());
    let r = crate::api::registry::find("services").expect("services");
    crate::client::Client::delete(t.c(), r, Some("default"), "web", &DeleteOptions::default())
        .expect("delete");
    t.settle(vec![Box::new(EndpointsController::default())]);
    assert!(t.get("endpoints", Some("default"), "web").is_none());
}
