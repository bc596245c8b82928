//! Raw HTTPS requests (authentication, body limits, malformed bodies) and kubelite's own
//! `Remote` client against `kubelite serve`.

use super::support::{Server, status_and_json};
use kubelite::api::options::{DeleteOptions, ListOptions, PatchType, WriteOptions};
use kubelite::api::registry;
use kubelite::client::{Client, Remote};
use serde_json::json;

#[test]
fn authentication_limits_and_malformed_bodies() {
    let s = Server::start(false);
    let c = s.https();
    let pods = format!("{}/api/v1/namespaces/default/pods", s.url);
    let auth = format!("Bearer {}", s.token());

    // No token, and a wrong one: 401 with a Status.
    let (code, body) = status_and_json(c.get(&pods));
    assert_eq!(
        (code, body["kind"].as_str(), body["reason"].as_str()),
        (401, Some("Status"), Some("Unauthorized"))
    );
    let (code, _) = status_and_json(c.get(&pods).header("Authorization", "Bearer wrong"));
    assert_eq!(code, 401);
    let (code, _) = status_and_json(
        c.get(&pods)
            .header("Authorization", format!("Basic {}", s.token())),
    );
    assert_eq!(code, 401);
    let (code, body) = status_and_json(c.get(&pods).header("Authorization", &auth));
    assert_eq!((code, body["kind"].as_str()), (200, Some("PodList")));
    // Health and version are public, as kube-apiserver's default RBAC makes them.
    let (code, body) = status_and_json(c.get(format!("{}/version", s.url)));
    assert_eq!((code, body["gitVersion"].as_str()), (200, Some("v1.32.2")));

    // Oversize body: 413, declared or not.
    let big = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
        "data": {"x": "y".repeat(4 * 1024 * 1024)}});
    let (code, body) = status_and_json(
        c.post(format!("{}/api/v1/namespaces/default/configmaps", s.url))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .body(big.to_string()),
    );
    assert_eq!(
        (code, body["reason"].as_str()),
        (413, Some("RequestEntityTooLarge"))
    );

    // Malformed JSON: 400 with a Status, and the server keeps serving.
    for bad in [
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", ",
        "",
        "[1, 2]",
        "null",
    ] {
        let (code, body) = status_and_json(
            c.post(&pods)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .body(bad.to_string()),
        );
        assert_eq!(
            (code, body["kind"].as_str(), body["code"].as_u64()),
            (400, Some("Status"), Some(400)),
            "{bad:?}"
        );
    }
    let (code, _) = status_and_json(
        c.patch(format!("{pods}/nope"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/merge-patch+json")
            .body("{]"),
    );
    assert_eq!(code, 400);
    let (code, body) = status_and_json(
        c.patch(format!("{pods}/nope"))
            .header("Authorization", &auth)
            .header("Content-Type", "text/plain")
            .body("{}"),
    );
    assert_eq!(
        (code, body["reason"].as_str()),
        (415, Some("UnsupportedMediaType"))
    );
    let (code, body) = status_and_json(
        c.get(format!("{}/api/v1/nothings", s.url))
            .header("Authorization", &auth),
    );
    assert_eq!((code, body["reason"].as_str()), (404, Some("NotFound")));
    let (code, body) = status_and_json(
        c.get(format!("{pods}?labelSelector=%3D%3D%3D"))
            .header("Authorization", &auth),
    );
    assert_eq!((code, body["reason"].as_str()), (400, Some("BadRequest")));

    // Aggregated discovery only with its exact Content-Type, and only when asked.
    let aggregated =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    let resp = c
        .get(format!("{}/api", s.url))
        .header("Authorization", &auth)
        .header("Accept", aggregated)
        .send()
        .expect("api");
    assert_eq!(
        resp.headers()["content-type"].to_str().ok(),
        Some("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    );
    let (code, body) = status_and_json(
        c.get(format!("{}/api", s.url))
            .header("Authorization", &auth),
    );
    assert_eq!((code, body["versions"].clone()), (200, json!(["v1"])));
}

#[test]
fn remote_client_round_trips_and_serve_is_found() {
    let mut s = Server::start(false);
    let remote = kubelite::server::running(&s.home.0).expect("serve.json names the running server");
    assert_eq!(remote.server_url(), s.url);
    let unauthenticated = Remote::new(&s.url, Some(&s.ca()), None).expect("client");
    let pods = registry::find("pods").expect("pods");
    assert_eq!(
        unauthenticated
            .list(pods, Some("default"), &ListOptions::default())
            .expect_err("401")
            .code,
        401
    );

    let w = WriteOptions::default();
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "r1", "labels": {"app": "r"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}});
    let created = remote
        .create(pods, Some("default"), pod.clone(), &w)
        .expect("create");
    let rv: i64 = created["metadata"]["resourceVersion"]
        .as_str()
        .expect("rv")
        .parse()
        .expect("number");
    let e = remote
        .create(pods, Some("default"), pod, &w)
        .expect_err("duplicate");
    assert_eq!(
        e.to_string(),
        "Error from server (AlreadyExists): pods \"r1\" already exists"
    );
    let got = remote.get(pods, Some("default"), "r1").expect("get");
    assert_eq!(got["metadata"]["uid"], created["metadata"]["uid"]);
    let list = remote
        .list(pods, Some("default"), &ListOptions::labels(Some("app=r")))
        .expect("list");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let patched = remote
        .patch(
            pods,
            Some("default"),
            "r1",
            PatchType::Merge,
            &json!({"metadata": {"labels": {"x": "1"}}}),
            &w,
        )
        .expect("patch");
    assert_eq!(patched["metadata"]["labels"]["x"], "1");
    let table = remote
        .list_table(pods, Some("default"), &ListOptions::default())
        .expect("table");
    assert_eq!(table["kind"], "Table");
    assert_eq!(table["rows"][0]["cells"][0], "r1");
    let (events, next) = remote
        .watch(pods, Some("default"), &ListOptions::default(), rv)
        .expect("watch");
    assert!(
        events
            .iter()
            .any(|e| e.kind == "MODIFIED" && e.object["metadata"]["labels"]["x"] == "1"),
        "{events:?}"
    );
    assert!(next > rv);
    let (events, again) = remote
        .watch(pods, Some("default"), &ListOptions::default(), next)
        .expect("watch again");
    // Resuming delivers only what came after `next` (the control plane may still be
    // binding and starting r1, so later changes to it can appear).
    assert!(
        events
            .iter()
            .all(|e| e.object["metadata"]["resourceVersion"]
                .as_str()
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > next)),
        "{events:?}"
    );
    assert!(again >= next);
    remote
        .delete(
            pods,
            Some("default"),
            "r1",
            &DeleteOptions {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .expect("delete");
    let paged = remote
        .list(
            registry::find("nodes").expect("nodes"),
            None,
            &ListOptions {
                limit: Some(1),
                ..Default::default()
            },
        )
        .expect("paged");
    assert_eq!(paged["items"].as_array().map(Vec::len), Some(1));
    assert!(paged["metadata"]["continue"].is_string(), "{paged}");
    assert_eq!(remote.version().expect("version")["minor"], "32");

    assert_eq!(s.stop(), 0);
    assert!(kubelite::server::running(&s.home.0).is_none());
}

/// Every watcher gets every change, also while writers race each other.
#[test]
fn watchers_receive_every_concurrent_update() {
    use std::io::{BufRead, BufReader};
    const WRITERS: usize = 4;
    const EACH: usize = 50;
    let s = Server::start(false);
    let c = s.https();
    let auth = format!("Bearer {}", s.token());
    let base = format!("{}/api/v1/namespaces/default/configmaps", s.url);
    let mut rv = String::new();
    for w in 0..WRITERS {
        let (code, body) = status_and_json(
            c.post(&base)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .body(format!(
                    r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"w{w}"}}}}"#
                )),
        );
        assert_eq!(code, 201);
        rv = body["metadata"]["resourceVersion"]
            .as_str()
            .expect("rv")
            .to_string();
    }
    let watchers: Vec<_> = (0..3)
        .map(|_| {
            let resp = c
                .get(format!("{base}?watch=true&resourceVersion={rv}"))
                .header("Authorization", &auth)
                .send()
                .expect("watch");
            assert_eq!(resp.status().as_u16(), 200);
            std::thread::spawn(move || {
                let mut seen = 0;
                for line in BufReader::new(resp).lines() {
                    let Ok(line) = line else { break };
                    if line.contains("\"MODIFIED\"") {
                        seen += 1;
                        if seen == WRITERS * EACH {
                            break;
                        }
                    }
                }
                seen
            })
        })
        .collect();
    std::thread::scope(|scope| {
        for w in 0..WRITERS {
            let (c, auth, base) = (s.https(), auth.clone(), base.clone());
            scope.spawn(move || {
                for i in 0..EACH {
                    let (code, _) = status_and_json(
                        c.patch(format!("{base}/w{w}"))
                            .header("Authorization", &auth)
                            .header("Content-Type", "application/merge-patch+json")
                            .body(format!(r#"{{"data":{{"n":"{i}"}}}}"#)),
                    );
                    assert_eq!(code, 200);
                }
            });
        }
    });
    for w in watchers {
        assert_eq!(w.join().expect("watcher"), WRITERS * EACH);
    }
}
