//! `serve --max-store-bytes`: past its quota the store raises etcd's NOSPACE alarm, and the
//! API server answers writes as kube-apiserver does on that error (500, no reason, etcd's
//! words) while reads keep working, across a restart too; deleting, compacting,
//! defragmenting and disarming through the etcd pod's etcdctl clear it.

use super::support::{Server, TempDir};

const QUOTA: &str = "--max-store-bytes=16777216";
const REFUSED: &str = "Error from server: etcdserver: mvcc: database space exceeded\n";

fn etcdctl(s: &Server, args: &[&str]) -> super::support::Run {
    let mut all = vec!["exec", "-n", "kube-system", "etcd-master", "--", "etcdctl"];
    all.extend_from_slice(args);
    s.kubectl(&all)
}

/// The store's revision, as etcdctl's `endpoint status` reports it.
fn revision(s: &Server) -> i64 {
    let out = etcdctl(s, &["endpoint", "status", "-w", "json"]).ok("endpoint status");
    let v: serde_json::Value = serde_json::from_str(&out).expect("status json");
    v[0]["Status"]["header"]["revision"]
        .as_i64()
        .expect("revision")
}

#[test]
fn a_full_store_refuses_writes_keeps_reads_and_is_cleared_by_compact_defrag_disarm() {
    if !super::support::kubectl_available() {
        return;
    }
    let mut s = Server::start_with(false, &[QUOTA]);
    s.wait_until_settled();
    let dir = TempDir::new("quota");
    let data = dir.0.join("data");
    // Random letters and digits: the store compresses values, so repeated bytes would
    // never fill it.
    let text: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(900 << 10)
        .collect();
    std::fs::write(&data, text).expect("write data");
    let from_file = format!("--from-file=data={}", data.display());
    let mut made = 0;
    let refusal = loop {
        assert!(
            made < 100,
            "100 ConfigMaps of 900 KiB did not fill a 16 MiB store"
        );
        let run = s.kubectl(&["create", "configmap", &format!("big{made}"), &from_file]);
        if run.code != 0 {
            break run;
        }
        made += 1;
    };
    assert!(made > 0, "nothing fit under the quota");
    assert_eq!(
        refusal.stderr,
        "error: failed to create configmap: etcdserver: mvcc: database space exceeded\n"
    );
    let label = s.kubectl(&["label", "configmap", "big0", "a=b"]);
    assert_eq!((label.code, label.stderr.as_str()), (1, REFUSED));
    // kube-apiserver's answer: a Status with code 500 and etcd's message, no reason.
    let (code, body) = super::support::status_and_json(
        s.https()
            .post(format!("{}/api/v1/namespaces/default/configmaps", s.url))
            .bearer_auth(s.token())
            .header("content-type", "application/json")
            .body(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"small"}}"#),
    );
    assert_eq!(code, 500, "{body}");
    assert_eq!(body["message"], "etcdserver: mvcc: database space exceeded");
    assert!(body.get("reason").is_none(), "{body}");
    // Reads work.
    let names = s.kubectl(&["get", "configmap", "big0", "-o", "name"]);
    assert_eq!(names.ok("get"), "configmap/big0\n");
    assert_eq!(
        etcdctl(&s, &["alarm", "list"]).ok("alarm list"),
        "memberID:10276657743932975437 alarm:NOSPACE \n"
    );

    // The alarm is durable: a restarted server (default quota) still refuses writes.
    s.kill_and_restart();
    let label = s.kubectl(&["label", "configmap", "big0", "a=b"]);
    assert_eq!((label.code, label.stderr.as_str()), (1, REFUSED));

    // Freeing space: deletes work under the alarm; then compaction, defrag and disarm.
    let names: Vec<String> = (0..made).map(|i| format!("big{i}")).collect();
    let mut delete = vec!["delete", "configmap"];
    delete.extend(names.iter().map(String::as_str));
    s.kubectl(&delete).ok("delete");
    let rev = revision(&s).to_string();
    assert_eq!(
        etcdctl(&s, &["compaction", &rev]).ok("compaction"),
        format!("compacted revision {rev}\n")
    );
    assert_eq!(
        etcdctl(&s, &["defrag"]).ok("defrag"),
        "Finished defragmenting etcd member[127.0.0.1:2379]\n"
    );
    let label = s.kubectl(&["create", "configmap", "after"]);
    assert_eq!(label.code, 1, "written before the disarm: {}", label.stdout);
    assert_eq!(
        etcdctl(&s, &["alarm", "disarm"]).ok("disarm"),
        "memberID:10276657743932975437 alarm:NOSPACE \n"
    );
    s.kubectl(&["create", "configmap", "after"])
        .ok("create after disarm");
    assert_eq!(etcdctl(&s, &["alarm", "list"]).ok("alarm list"), "");
}
