use super::*;
use crate::api::options::WriteOptions;
use serde_json::json;

fn node(name: &str) -> User {
    User {
        name: format!("system:node:{name}"),
        groups: vec![NODES_GROUP.into(), "system:authenticated".into()],
    }
}

fn ask(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
    Attributes {
        verb: verb.into(),
        resource: Some(ResourceAttributes {
            group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            namespace: ns.into(),
            name: name.into(),
            field_selector: Vec::new(),
        }),
        path: String::new(),
    }
}

/// A store with pod `web` on node01 using secret `db`, config map `cfg`, claim `data`
/// (bound to volume `pv1`) and service account `app`, and a mirror pod naming `mirror-secret`.
fn server(tag: &str) -> (ApiServer, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("kubelite-nodeauthz-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = ApiServer::on_new_store(&dir).expect("server");
    let w = WriteOptions::default();
    let create = |plural: &str, ns: Option<&str>, obj: Value| {
        s.create(registry::find(plural).unwrap(), ns, obj, &w)
            .expect(plural);
    };
    create(
        "namespaces",
        None,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}),
    );
    create(
        "persistentvolumes",
        None,
        json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/data"},
                "claimRef": {"namespace": "default", "name": "data"}}}),
    );
    create(
        "pods",
        Some("default"),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"nodeName": "node01", "serviceAccountName": "app",
                "containers": [{"name": "c", "image": "nginx",
                    "envFrom": [{"configMapRef": {"name": "cfg"}}]}],
                "volumes": [{"name": "s", "secret": {"secretName": "db"}},
                            {"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}),
    );
    create(
        "pods",
        Some("default"),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "static",
                "annotations": {MIRROR_ANNOTATION: "x"}},
            "spec": {"nodeName": "node01",
                "containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "s", "secret": {"secretName": "mirror-secret"}}]}}),
    );
    (s, dir)
}

#[test]
fn a_node_reads_what_its_pods_use_and_nothing_else() {
    let (s, dir) = server("graph");
    let n1 = node("node01");
    let n2 = node("node02");
    let allowed = |u: &User, a: Attributes| s.decide(u, &a).allowed;
    assert!(allowed(&n1, ask("get", "", "secrets", "", "default", "db")));
    assert!(allowed(
        &n1,
        ask("watch", "", "secrets", "", "default", "db")
    ));
    assert!(allowed(
        &n1,
        ask("get", "", "configmaps", "", "default", "cfg")
    ));
    assert!(allowed(
        &n1,
        ask("get", "", "persistentvolumeclaims", "", "default", "data")
    ));
    assert!(allowed(
        &n1,
        ask("get", "", "persistentvolumes", "", "", "pv1")
    ));
    assert!(allowed(
        &n1,
        ask("create", "", "serviceaccounts", "token", "default", "app")
    ));
    assert!(allowed(&n1, ask("get", "", "pods", "", "default", "web")));
    let d = s.decide(&n2, &ask("get", "", "secrets", "", "default", "db"));
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        "no relationship found between node 'node02' and this object"
    );
    // A mirror pod gives its node nothing.
    assert!(!allowed(
        &n1,
        ask("get", "", "secrets", "", "default", "mirror-secret")
    ));
    assert!(!allowed(&n1, ask("get", "", "secrets", "", "other", "db")));
    let d = s.decide(&n1, &ask("list", "", "secrets", "", "default", ""));
    assert_eq!(d.reason, "No Object name found");
    let d = s.decide(&n1, &ask("delete", "", "secrets", "", "default", "db"));
    assert_eq!(d.reason, "can only read resources of this type");
    let d = s.decide(&n1, &ask("list", "", "persistentvolumes", "", "", ""));
    assert_eq!(d.reason, "can only get individual resources of this type");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_node_may_touch_its_own_node_and_lease_and_list_its_own_pods() {
    let (s, dir) = server("own");
    let n1 = node("node01");
    let reason = |a: Attributes| s.decide(&n1, &a);
    assert!(reason(ask("get", "", "nodes", "", "", "node01")).allowed);
    assert_eq!(
        reason(ask("get", "", "nodes", "", "", "node02")).reason,
        "node 'node01' cannot read 'node02', only its own Node object"
    );
    assert_eq!(
        reason(ask("list", "", "nodes", "", "", "")).reason,
        "node 'node01' cannot read all nodes, only its own Node object"
    );
    assert!(reason(ask("patch", "", "nodes", "status", "", "node02")).allowed);
    assert!(
        reason(ask(
            "update",
            "coordination.k8s.io",
            "leases",
            "",
            "kube-node-lease",
            "node01"
        ))
        .allowed
    );
    assert_eq!(
        reason(ask(
            "update",
            "coordination.k8s.io",
            "leases",
            "",
            "kube-node-lease",
            "node02"
        ))
        .reason,
        "can only access node lease with the same name as the requesting node"
    );
    assert_eq!(
        reason(ask(
            "get",
            "coordination.k8s.io",
            "leases",
            "",
            "default",
            "node01"
        ))
        .reason,
        "can only access leases in the \"kube-node-lease\" system namespace"
    );
    assert_eq!(
        reason(ask("list", "", "pods", "", "", "")).reason,
        "can only list/watch pods with spec.nodeName field selector"
    );
    let mut own = ask("watch", "", "pods", "", "", "");
    if let Some(r) = own.resource.as_mut() {
        r.field_selector = vec![("spec.nodeName".into(), "node01".into())];
    }
    assert!(s.decide(&n1, &own).allowed);
    assert!(reason(ask("create", "", "events", "", "default", "")).allowed);
    assert!(!reason(ask("create", "", "configmaps", "", "default", "")).allowed);
    // Not a node: the group is missing.
    let pretender = User {
        name: "system:node:node01".into(),
        groups: vec!["system:authenticated".into()],
    };
    assert!(
        !s.decide(&pretender, &ask("get", "", "nodes", "", "", "node01"))
            .allowed
    );
    let _ = std::fs::remove_dir_all(&dir);
}
