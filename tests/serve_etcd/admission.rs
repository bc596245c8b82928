//! Admission on serve-on-etcd reads namespaces, quotas and limit ranges from memos that
//! etcd's change feed keeps valid (a round trip saved per create). A change the server has
//! acknowledged applies to the very next create, before the feed has delivered it: each
//! test changes something and creates at once over the same connection, several times, and
//! expects what kube-apiserver would answer. (etcd sends the feed its events as it answers
//! the write, so the moment in which only the server's own record of its writes knows is
//! too short for these tests to hit: `own_writes`' unit tests cover it.)

use super::*;
use serde_json::{Value, json};

/// The API of a serve over HTTPS with its own token, one kept-alive connection.
struct Api {
    http: reqwest::blocking::Client,
    url: String,
    token: String,
}

impl Api {
    fn of(serve: &Serve) -> Api {
        let read = |f: &str| std::fs::read_to_string(serve.home.join(f)).expect(f);
        let info: Value = serde_json::from_str(&read("serve.json")).expect("serve.json");
        Api {
            http: trust::https_builder(&read("ca.crt"))
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            url: info["url"].as_str().expect("url").to_string(),
            token: read("serve-token").trim().to_string(),
        }
    }

    /// The status and body of one request (`body` as JSON, or a merge patch for PATCH).
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let content_type = if method == reqwest::Method::PATCH {
            "application/merge-patch+json"
        } else {
            "application/json"
        };
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .header("Content-Type", content_type);
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let resp = req.send().expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, out) = self.send(method, path, Some(body));
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {out}"
        );
        out
    }
}

fn configmap(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
}

#[test]
fn a_namespace_being_deleted_refuses_creates_at_once() {
    require_tools!();
    let etcd = Etcd::start();
    let serve = Serve::start(&["--etcd-servers", etcd.url().as_str()]);
    let api = Api::of(&serve);
    for i in 0..5 {
        let ns = format!("doomed-{i}");
        // A finalizer no one removes keeps the namespace Terminating once deleted.
        api.ok(
            "POST",
            "/api/v1/namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": ns, "finalizers": ["kubelite.test/hold"]}}),
        );
        let cms = format!("/api/v1/namespaces/{ns}/configmaps");
        api.ok("POST", &cms, configmap("before"));
        let (deleted, out) = api.send("DELETE", &format!("/api/v1/namespaces/{ns}"), None);
        assert_eq!(deleted, 200, "{out}");
        let (status, out) = api.send("POST", &cms, Some(configmap("after")));
        assert_eq!(status, 403, "{out}");
        assert_eq!(
            out["message"],
            format!(
                "configmaps \"after\" is forbidden: unable to create new content in namespace {ns} because it is being terminated"
            ),
        );
    }
}

#[test]
fn a_quota_lowered_or_raised_applies_to_the_next_create() {
    require_tools!();
    let etcd = Etcd::start();
    let serve = Serve::start(&["--etcd-servers", etcd.url().as_str()]);
    let api = Api::of(&serve);
    api.ok(
        "POST",
        "/api/v1/namespaces",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "q"}}),
    );
    let quota = "/api/v1/namespaces/q/resourcequotas";
    api.ok(
        "POST",
        quota,
        json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "cms"},
            "spec": {"hard": {"count/configmaps": "100"}}}),
    );
    let cms = "/api/v1/namespaces/q/configmaps";
    let hard = |n: &str| json!({"spec": {"hard": {"count/configmaps": n}}});
    for i in 0..5 {
        api.ok("POST", cms, configmap(&format!("fits-{i}")));
        api.ok("PATCH", &format!("{quota}/cms"), hard("0"));
        let name = format!("over-{i}");
        let (status, out) = api.send("POST", cms, Some(configmap(&name)));
        assert_eq!(status, 403, "{out}");
        let message = out["message"].as_str().unwrap_or("");
        assert!(
            message.starts_with(&format!(
                "configmaps \"{name}\" is forbidden: exceeded quota: cms, requested: count/configmaps=1, used: count/configmaps="
            )) && message.ends_with(", limited: count/configmaps=0"),
            "{message}"
        );
        api.ok("PATCH", &format!("{quota}/cms"), hard("100"));
        api.ok("POST", cms, configmap(&format!("fits-again-{i}")));
    }
}

#[test]
fn a_limit_range_added_defaults_the_next_pod() {
    require_tools!();
    let etcd = Etcd::start();
    let serve = Serve::start(&["--etcd-servers", etcd.url().as_str()]);
    let api = Api::of(&serve);
    let pod = |name: &str| {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    };
    for i in 0..5 {
        let ns = format!("limited-{i}");
        api.ok(
            "POST",
            "/api/v1/namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        );
        let pods = format!("/api/v1/namespaces/{ns}/pods");
        let bare = api.ok("POST", &pods, pod("before"));
        assert_eq!(bare["spec"]["containers"][0]["resources"], json!({}));
        api.ok(
            "POST",
            &format!("/api/v1/namespaces/{ns}/limitranges"),
            json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "cpu"},
                "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"},
                    "defaultRequest": {"cpu": "250m"}}]}}),
        );
        let limited = api.ok("POST", &pods, pod("after"));
        assert_eq!(
            limited["spec"]["containers"][0]["resources"],
            json!({"limits": {"cpu": "500m"}, "requests": {"cpu": "250m"}}),
            "{limited}"
        );
    }
}

#[test]
fn a_quota_holds_under_concurrent_creates() {
    // serve on etcd prepares each create while others are still being written: the quota
    // must count them all.
    require_tools!();
    let etcd = Etcd::start();
    let serve = Serve::start(&["--etcd-servers", etcd.url().as_str()]);
    let api = Api::of(&serve);
    api.ok(
        "POST",
        "/api/v1/namespaces",
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "busy"}}),
    );
    api.ok(
        "POST",
        "/api/v1/namespaces/busy/resourcequotas",
        json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "secrets"},
            "spec": {"hard": {"count/secrets": "20"}}}),
    );
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..16)
            .map(|c| {
                let api = Api::of(&serve);
                scope.spawn(move || {
                    (0..4)
                        .map(|i| {
                            let secret = json!({"apiVersion": "v1", "kind": "Secret",
                                "metadata": {"name": format!("s-{c}-{i}")}});
                            let path = "/api/v1/namespaces/busy/secrets";
                            let (status, out) = api.send("POST", path, Some(secret));
                            if status == 403 {
                                let message = out["message"].as_str().unwrap_or("");
                                assert!(message.contains("exceeded quota: secrets"), "{out}");
                            }
                            status
                        })
                        .collect::<Vec<u16>>()
                })
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().expect("client"))
            .collect()
    });
    let created = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 403).count();
    assert_eq!((created, refused), (20, 44), "{statuses:?}");
    let (_, list) = api.send("GET", "/api/v1/namespaces/busy/secrets", None);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(20), "{list}");
}
