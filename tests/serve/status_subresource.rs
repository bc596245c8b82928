//! `<plural>/status` is served for the kinds kube-apiserver 1.32 gives a status subresource
//! (its discovery lists them), and for no other: GET, PUT and PATCH there answer 404 as
//! kube-apiserver does for a path it does not serve. kubectl on serve is the oracle for
//! kubelite's CLI through serve and on an embedded cluster.

use super::support::{Server, TempDir, kubectl_available, kubelite, same, status_and_json};
use serde_json::{Value, json};

/// Every `*/status` of a kubeadm 1.32 cluster's discovery (kube-apiserver with its default
/// API groups and feature gates), by group-version.
const KUBE_STATUS: &[&str] = &[
    "v1 namespaces/status",
    "v1 nodes/status",
    "v1 persistentvolumeclaims/status",
    "v1 persistentvolumes/status",
    "v1 pods/status",
    "v1 replicationcontrollers/status",
    "v1 resourcequotas/status",
    "v1 services/status",
    "admissionregistration.k8s.io/v1 validatingadmissionpolicies/status",
    "apiextensions.k8s.io/v1 customresourcedefinitions/status",
    "apiregistration.k8s.io/v1 apiservices/status",
    "apps/v1 daemonsets/status",
    "apps/v1 deployments/status",
    "apps/v1 replicasets/status",
    "apps/v1 statefulsets/status",
    "autoscaling/v2 horizontalpodautoscalers/status",
    "autoscaling/v1 horizontalpodautoscalers/status",
    "batch/v1 cronjobs/status",
    "batch/v1 jobs/status",
    "certificates.k8s.io/v1 certificatesigningrequests/status",
    "flowcontrol.apiserver.k8s.io/v1 flowschemas/status",
    "flowcontrol.apiserver.k8s.io/v1 prioritylevelconfigurations/status",
    "networking.k8s.io/v1 ingresses/status",
    "policy/v1 poddisruptionbudgets/status",
    "storage.k8s.io/v1 volumeattachments/status",
];

#[test]
fn discovery_lists_status_where_kube_does() {
    let s = Server::start(true);
    let c = s.https();
    let auth = format!("Bearer {}", s.token());
    let get = |path: &str| -> Value {
        let (code, body) = status_and_json(
            c.get(format!("{}{path}", s.url))
                .header("Authorization", &auth),
        );
        assert_eq!(code, 200, "{path}: {body}");
        body
    };
    let mut paths = vec!["/api/v1".to_string()];
    for g in get("/apis")["groups"].as_array().expect("groups") {
        for v in g["versions"].as_array().expect("versions") {
            paths.push(format!("/apis/{}", v["groupVersion"].as_str().expect("gv")));
        }
    }
    let mut found = Vec::new();
    for path in &paths {
        let list = get(path);
        let gv = list["groupVersion"]
            .as_str()
            .expect("groupVersion")
            .to_string();
        for r in list["resources"].as_array().expect("resources") {
            let name = r["name"].as_str().expect("name");
            if name.ends_with("/status") {
                found.push(format!("{gv} {name}"));
            }
        }
    }
    let mut want: Vec<String> = KUBE_STATUS.iter().map(|s| s.to_string()).collect();
    want.sort();
    found.sort();
    assert_eq!(found, want);
}

/// Raw requests: a kind without a status answers 404 to each method; one with a status
/// takes the write.
#[test]
fn status_of_a_kind_without_one_is_not_found() {
    let s = Server::start(true);
    let c = s.https();
    let auth = format!("Bearer {}", s.token());
    let send = |method: reqwest::Method, path: &str, content_type: &str, body: Value| {
        status_and_json(
            c.request(method, format!("{}{path}", s.url))
                .header("Authorization", &auth)
                .header("Content-Type", content_type)
                .body(body.to_string()),
        )
    };
    let (code, _) = send(
        reqwest::Method::POST,
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}}),
    );
    assert_eq!(code, 201);
    let not_found = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404});
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "c"}});
    for (method, content_type, body) in [
        (reqwest::Method::GET, "application/json", Value::Null),
        (reqwest::Method::PUT, "application/json", cm.clone()),
        (
            reqwest::Method::PATCH,
            "application/merge-patch+json",
            json!({"data": {"a": "c"}}),
        ),
        (reqwest::Method::PATCH, "application/apply-patch+yaml", cm),
    ] {
        for name in ["cm", "missing"] {
            let path =
                format!("/api/v1/namespaces/default/configmaps/{name}/status?fieldManager=t");
            let (code, out) = send(method.clone(), &path, content_type, body.clone());
            assert_eq!((code, &out), (404, &not_found), "{method} {name}");
        }
    }
    // Nothing was written.
    let (_, out) = send(
        reqwest::Method::GET,
        "/api/v1/namespaces/default/configmaps/cm",
        "application/json",
        Value::Null,
    );
    assert_eq!(out["data"], json!({"a": "b"}));
    // A ResourceQuota has one (kube lists resourcequotas/status).
    let (code, _) = send(
        reqwest::Method::POST,
        "/api/v1/namespaces/default/resourcequotas",
        "application/json",
        json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": {"hard": {"pods": "3"}}}),
    );
    assert_eq!(code, 201);
    let (code, out) = send(
        reqwest::Method::GET,
        "/api/v1/namespaces/default/resourcequotas/q/status",
        "application/json",
        Value::Null,
    );
    assert_eq!(
        (code, &out["kind"]),
        (200, &json!("ResourceQuota")),
        "{out}"
    );
}

/// `patch --subresource=status`: refused alike for a kind without a status, taken alike
/// for one with it, through serve and on an embedded cluster.
#[test]
fn patching_a_missing_status_prints_as_kubectl() {
    require_kubectl!();
    let theirs = Server::start(true);
    let ours = Server::start(true);
    let embedded = TempDir::new("status-embedded");
    let steps: &[&[&str]] = &[
        &["create", "configmap", "cm", "--from-literal=a=b"],
        &["create", "quota", "q", "--hard=pods=3"],
        &["create", "serviceaccount", "sa"],
        &[
            "patch",
            "configmap",
            "cm",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"data\":{\"a\":\"c\"}}",
        ],
        &[
            "patch",
            "serviceaccount",
            "sa",
            "--subresource=status",
            "--type=json",
            "-p",
            "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"x\":\"y\"}}]",
        ],
        &[
            "patch",
            "configmap",
            "nope",
            "--subresource=status",
            "-p",
            "{\"data\":{}}",
        ],
        &["get", "configmap", "cm", "-o", "jsonpath={.data.a}"],
        &[
            "patch",
            "quota",
            "q",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"hard\":{\"pods\":\"7\"}}}",
        ],
    ];
    for args in steps {
        let want = theirs.kubectl(args);
        same(
            "through serve",
            &kubelite(&ours.home.0, true, args),
            &want,
            args,
        );
        same("embedded", &kubelite(&embedded.0, true, args), &want, args);
    }
    let refused = theirs.kubectl(steps[3]);
    assert_eq!(
        (refused.stderr.as_str(), refused.code),
        (
            "Error from server (NotFound): the server could not find the requested resource\n",
            1
        )
    );
    assert_eq!(
        theirs
            .kubectl(&["get", "configmap", "cm", "-o", "jsonpath={.data.a}"])
            .stdout,
        "b"
    );
}
