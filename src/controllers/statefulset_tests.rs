use super::*;
use crate::client::Client;
use crate::controllers::testutil::TestCluster;
use crate::runtime::Component;

fn sts(replicas: i64, policy: &str) -> Value {
    json!({
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "serviceName": "web",
            "podManagementPolicy": policy,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "www"},
                "spec": {"accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": "1Gi"}}}}],
        },
    })
}

fn controllers() -> Vec<Box<dyn Component>> {
    vec![Box::new(StatefulSetController::default())]
}

fn pod_names(t: &TestCluster) -> Vec<String> {
    let mut names: Vec<String> = t
        .list("pods", Some("default"))
        .iter()
        .filter(|p| p["metadata"].get("deletionTimestamp").is_none())
        .map(|p| c::name(p).to_string())
        .collect();
    names.sort();
    names
}

/// Plays the kubelet: pending pods run; pods being deleted go.
fn kubelet(t: &TestCluster) {
    let r = crate::api::registry::find("pods").unwrap();
    for p in t.list("pods", Some("default")) {
        if p["metadata"].get("deletionTimestamp").is_some() {
            let now = DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            };
            let _ = t.c().delete(r, Some("default"), c::name(&p), &now);
        }
    }
    t.run_all("default");
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time_with_its_claim() {
    let t = TestCluster::new("sts-ordered");
    t.create("statefulsets", Some("default"), sts(3, "OrderedReady"));
    t.settle(controllers());
    assert_eq!(pod_names(&t), ["web-0"]);
    let pod = t.get("pods", Some("default"), "web-0").unwrap();
    let labels = &pod["metadata"]["labels"];
    assert_eq!(labels[POD_NAME_LABEL], "web-0");
    assert_eq!(labels[POD_INDEX_LABEL], "0");
    assert!(labels[REVISION_LABEL].as_str().unwrap().starts_with("web-"));
    assert_eq!(pod["spec"]["hostname"], "web-0");
    assert_eq!(pod["spec"]["subdomain"], "web");
    assert_eq!(
        pod["spec"]["volumes"][0],
        json!({"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}})
    );
    let claim = t
        .get("persistentvolumeclaims", Some("default"), "www-web-0")
        .unwrap();
    assert_eq!(claim["metadata"]["labels"]["app"], "web");
    // Nothing more until web-0 is Running and Ready.
    t.settle(controllers());
    assert_eq!(pod_names(&t), ["web-0"]);
    for expected in [vec!["web-0", "web-1"], vec!["web-0", "web-1", "web-2"]] {
        kubelet(&t);
        t.settle(controllers());
        assert_eq!(pod_names(&t), expected);
    }
    kubelet(&t);
    t.settle(controllers());
    let s = t.get("statefulsets", Some("default"), "web").unwrap();
    assert_eq!(s["status"]["replicas"], 3);
    assert_eq!(s["status"]["readyReplicas"], 3);
    assert_eq!(s["status"]["availableReplicas"], 3);
    assert_eq!(
        s["status"]["currentRevision"],
        s["status"]["updateRevision"]
    );
    assert_eq!(s["status"]["collisionCount"], 0);
    let events = t.events("default").join("\n");
    assert!(
        events.contains("SuccessfulCreate: create Pod web-0 in StatefulSet web successful"),
        "{events}"
    );
    assert!(
        events.contains(
            "SuccessfulCreate: create Claim www-web-2 Pod web-2 in StatefulSet web success"
        ),
        "{events}"
    );
    assert_eq!(t.list("controllerrevisions", Some("default")).len(), 1);
}

#[test]
fn parallel_creates_all_and_scale_down_removes_the_highest_first() {
    let t = TestCluster::new("sts-parallel");
    t.create("statefulsets", Some("default"), sts(3, "Parallel"));
    t.settle(controllers());
    assert_eq!(pod_names(&t), ["web-0", "web-1", "web-2"]);
    kubelet(&t);
    t.settle(controllers());
    let mut s = t.get("statefulsets", Some("default"), "web").unwrap();
    s["spec"]["replicas"] = json!(1);
    t.update("statefulsets", s);
    t.settle(controllers());
    assert_eq!(pod_names(&t), ["web-0"]);
    // Claims stay (whenScaled: Retain is the default).
    assert_eq!(t.list("persistentvolumeclaims", Some("default")).len(), 3);
}

#[test]
fn when_scaled_delete_removes_the_claims_of_removed_ordinals() {
    let t = TestCluster::new("sts-retention");
    let mut set = sts(3, "Parallel");
    set["spec"]["persistentVolumeClaimRetentionPolicy"] =
        json!({"whenDeleted": "Retain", "whenScaled": "Delete"});
    t.create("statefulsets", Some("default"), set);
    t.settle(controllers());
    kubelet(&t);
    t.settle(controllers());
    let mut s = t.get("statefulsets", Some("default"), "web").unwrap();
    s["spec"]["replicas"] = json!(1);
    t.update("statefulsets", s);
    t.settle(controllers());
    kubelet(&t);
    t.settle(controllers());
    assert_eq!(pod_names(&t), ["web-0"]);
    let live: Vec<String> = t
        .list("persistentvolumeclaims", Some("default"))
        .iter()
        .filter(|c| c["metadata"].get("deletionTimestamp").is_none())
        .map(|c| c::name(c).to_string())
        .collect();
    assert_eq!(live, ["www-web-0"]);
}

#[test]
fn rolling_update_replaces_pods_from_the_highest_ordinal_down_to_the_partition() {
    let t = TestCluster::new("sts-rolling");
    t.create("statefulsets", Some("default"), sts(3, "Parallel"));
    t.settle(controllers());
    kubelet(&t);
    t.settle(controllers());
    let first = t.get("statefulsets", Some("default"), "web").unwrap()["status"]["updateRevision"]
        .as_str()
        .unwrap()
        .to_string();
    let mut s = t.get("statefulsets", Some("default"), "web").unwrap();
    s["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
    s["spec"]["updateStrategy"] =
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 1}});
    t.update("statefulsets", s);
    t.settle(controllers());
    for _ in 0..6 {
        kubelet(&t);
        t.settle(controllers());
    }
    let revision = |name: &str| {
        t.get("pods", Some("default"), name).unwrap()["metadata"]["labels"][REVISION_LABEL]
            .as_str()
            .unwrap()
            .to_string()
    };
    let s = t.get("statefulsets", Some("default"), "web").unwrap();
    let second = s["status"]["updateRevision"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    assert_eq!(revision("web-0"), first, "below the partition: untouched");
    assert_eq!(revision("web-1"), second);
    assert_eq!(revision("web-2"), second);
    assert_eq!(s["status"]["updatedReplicas"], 2);
    assert_eq!(s["status"]["currentRevision"], first.as_str());
    assert_eq!(t.list("controllerrevisions", Some("default")).len(), 2);
}

#[test]
fn ordinals_parse_only_the_sets_own_names() {
    assert_eq!(ordinal_of("web", "web-0"), Some(0));
    assert_eq!(ordinal_of("web", "web-12"), Some(12));
    assert_eq!(ordinal_of("web", "web-01"), None);
    assert_eq!(ordinal_of("web", "web-x"), None);
    assert_eq!(ordinal_of("web", "webb-1"), None);
}
