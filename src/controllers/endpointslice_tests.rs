use super::*;
use crate::controllers::endpoints::tests::{pod, service};
use crate::controllers::testutil::TestCluster;

#[test]
fn a_slice_per_service_with_conditions_and_owner() {
    let t = TestCluster::new("eps");
    let svc = t.create("services", Some("default"), service(json!("http")));
    t.settle(vec![Box::new(EndpointSliceController::default())]);
    let slices = t.list("endpointslices", Some("default"));
    let ours: Vec<&Value> = slices
        .iter()
        .filter(|s| s["metadata"]["labels"][SERVICE_NAME] == "web")
        .collect();
    assert_eq!(ours.len(), 1);
    assert!(ours[0]["endpoints"].is_null() || ours[0]["endpoints"] == json!([]));
    let a = t.create("pods", Some("default"), pod("a"));
    t.run_pod(&a, "node01", "10.244.1.7");
    t.settle(vec![Box::new(EndpointSliceController::default())]);
    let slices = t.list("endpointslices", Some("default"));
    let s = slices
        .iter()
        .find(|s| s["metadata"]["labels"][SERVICE_NAME] == "web")
        .expect("slice");
    assert!(c::name(s).starts_with("web-"));
    assert_eq!(s["metadata"]["labels"][MANAGED_BY], CONTROLLER);
    assert_eq!(s["metadata"]["labels"]["app"], "web");
    assert_eq!(
        s["metadata"]["ownerReferences"][0]["uid"],
        svc["metadata"]["uid"]
    );
    assert_eq!(s["addressType"], "IPv4");
    assert_eq!(s["endpoints"][0]["addresses"], json!(["10.244.1.7"]));
    assert_eq!(
        s["endpoints"][0]["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    assert_eq!(
        s["ports"],
        json!([{"name": "", "protocol": "TCP", "port": 8080}])
    );
    let mut sc = EndpointSliceController::default();
    assert!(
        !crate::runtime::settle_once(&mut sc, t.c(), t.now, 0).expect("sync"),
        "settled"
    );
}
