//! Several `kubelite serve` on one etcd: one HA control plane. Every serve answers the API
//! from etcd; the controllers, the scheduler and each node's kubelet run where their
//! coordination.k8s.io/v1 Lease is held, and another serve takes over when the holder dies.

use super::*;
use std::io::{BufRead, BufReader};
use std::sync::mpsc;

/// Short election timings, so a takeover happens within seconds.
const ELECTION: [&str; 3] = [
    "--leader-elect-lease-duration=3s",
    "--leader-elect-renew-deadline=2s",
    "--leader-elect-retry-period=500ms",
];

fn ha_flags(url: &str) -> Vec<&str> {
    let mut flags = vec!["--etcd-servers", url];
    flags.extend(ELECTION);
    flags
}

/// The holder of `kube-system/<lease>` as serve tells it ("" when none).
fn holder(serve: &Serve, lease: &str) -> String {
    let out = serve.kubectl(&[
        "get",
        "lease",
        "-n",
        "kube-system",
        lease,
        "-o",
        "jsonpath={.spec.holderIdentity}",
    ]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn leases_held(serve: &Serve) -> bool {
    ["kube-controller-manager", "kube-scheduler"]
        .iter()
        .all(|l| !holder(serve, l).is_empty())
}

/// Lines `kubectl get <what> --watch` prints, read on a thread.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watch {
    fn start(serve: &Serve, args: &[&str]) -> Watch {
        let mut child = Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(serve.home.join("kubeconfig"))
            .arg("--cache-dir")
            .arg(serve.home.join("kubectl-cache"))
            .args(args)
            .env_remove("KUBECONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run kubectl --watch");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// Waits at most `limit` for a line containing `want`.
    fn saw(&self, want: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(want) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn kill_9(serve: &mut Serve) {
    if let Some(mut child) = serve.child.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[test]
fn two_serves_on_one_etcd_see_each_others_writes_and_watches() {
    require_tools!();
    let etcd = Etcd::start();
    let url = etcd.url();
    let a = Serve::start(&ha_flags(&url));
    let b = Serve::start(&ha_flags(&url));

    // A watch through b sees a ConfigMap created through a, and the other way round.
    let watch_b = Watch::start(&b, &["get", "configmaps", "--watch", "-o", "name"]);
    let watch_a = Watch::start(&a, &["get", "configmaps", "--watch", "-o", "name"]);
    let created = a.kubectl(&["create", "configmap", "from-a", "--from-literal=k=1"]);
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        watch_b.saw("configmap/from-a", Duration::from_secs(30)),
        "b's watch did not see a's write"
    );
    let created = b.kubectl(&["create", "configmap", "from-b", "--from-literal=k=1"]);
    assert!(created.status.success(), "{}", text(&created));
    assert!(
        watch_a.saw("configmap/from-b", Duration::from_secs(30)),
        "a's watch did not see b's write"
    );
    let got = b.kubectl(&["get", "configmap", "from-a", "-o", "jsonpath={.data.k}"]);
    assert_eq!(text(&got), "1");

    // resourceVersion is etcd's: the same object reads the same through either serve, and
    // an update on a stale one is a conflict whichever serve wrote the newer.
    let rv = |s: &Serve| {
        text(&s.kubectl(&[
            "get",
            "configmap",
            "from-a",
            "-o",
            "jsonpath={.metadata.resourceVersion}",
        ]))
    };
    assert_eq!(rv(&a), rv(&b));
    let stale = a.kubectl(&["get", "configmap", "from-a", "-o", "json"]);
    assert!(stale.status.success(), "{}", text(&stale));
    let patched = b.kubectl(&[
        "patch",
        "configmap",
        "from-a",
        "-p",
        r#"{"data":{"k":"2"}}"#,
    ]);
    assert!(patched.status.success(), "{}", text(&patched));
    let stale_file = a.home.join("stale.json");
    std::fs::write(&stale_file, &stale.stdout).expect("write the stale object");
    let replaced = a.kubectl(&["replace", "-f", stale_file.to_str().expect("utf-8 path")]);
    assert!(!replaced.status.success(), "{}", text(&replaced));
    assert!(
        text(&replaced).contains("Error from server (Conflict)"),
        "{}",
        text(&replaced)
    );

    // The controllers run once: a Deployment through b gets its pods, each node's kubelet
    // Lease has one holder, and every node is Ready.
    run_web(&b, &a);
    assert!(
        leases_held(&a),
        "{}",
        text(&a.kubectl(&["get", "leases", "-A"]))
    );
    for node in ["master", "node01", "node02"] {
        let lease = format!("kubelite-kubelet-{node}");
        assert!(!holder(&b, &lease).is_empty(), "no holder of {lease}");
    }
    let replicasets = a.kubectl(&["get", "replicasets", "-o", "name"]);
    assert_eq!(
        String::from_utf8_lossy(&replicasets.stdout).lines().count(),
        1,
        "{}",
        text(&replicasets)
    );
    assert!(
        eventually(Duration::from_secs(60), || {
            let out = b.kubectl(&[
                "get",
                "nodes",
                "-o",
                "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}",
            ]);
            let s = String::from_utf8_lossy(&out.stdout).into_owned();
            s.lines().count() == 3 && s.lines().all(|l| l == "True")
        }),
        "{}",
        text(&b.kubectl(&["get", "nodes"]))
    );
}

#[test]
fn killing_the_leader_hands_its_leases_over_and_nothing_acknowledged_is_lost() {
    require_tools!();
    let mut etcd = Etcd::start();
    let url = etcd.url();
    // a starts alone and holds everything before b starts.
    let mut a = Serve::start(&ha_flags(&url));
    assert!(
        eventually(Duration::from_secs(30), || leases_held(&a)),
        "a did not take the leader Leases"
    );
    let first = holder(&a, "kube-controller-manager");
    let mut b = Serve::start(&ha_flags(&url));
    run_web(&a, &b);
    // Writes acknowledged through both serves.
    for (serve, name) in [(&a, "acked-a"), (&b, "acked-b")] {
        let out = serve.kubectl(&["create", "configmap", name, "--from-literal=k=v"]);
        assert!(out.status.success(), "{}", text(&out));
    }
    assert_eq!(holder(&b, "kube-controller-manager"), first);

    // The leader dies without a word (kill -9): its Leases are not given up.
    kill_9(&mut a);
    let pods = b.kubectl(&["get", "pods", "-l", "app=web", "-o", "name"]);
    let victim = String::from_utf8_lossy(&pods.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(!victim.is_empty(), "{}", text(&pods));
    let deleted = b.kubectl(&["delete", &victim, "--wait=false"]);
    assert!(deleted.status.success(), "{}", text(&deleted));
    // b takes the controller manager's Lease and replaces the pod; its kubelets run it.
    assert!(
        eventually(Duration::from_secs(60), || {
            let now = holder(&b, "kube-controller-manager");
            !now.is_empty() && now != first
        }),
        "b did not take over: {}",
        text(&b.kubectl(&["get", "leases", "-n", "kube-system", "-o", "yaml"]))
    );
    assert!(
        eventually(Duration::from_secs(120), || {
            let gone = !b.kubectl(&["get", &victim]).status.success();
            gone && running(&b, "web", 2)
        }),
        "the deleted pod was not replaced: {}",
        text(&b.kubectl(&["get", "pods", "-o", "wide"]))
    );
    let transitions = b.kubectl(&[
        "get",
        "lease",
        "-n",
        "kube-system",
        "kube-controller-manager",
        "-o",
        "jsonpath={.spec.leaseTransitions}",
    ]);
    assert_eq!(text(&transitions), "1");
    let written = b.kubectl(&["create", "configmap", "acked-after", "--from-literal=k=v"]);
    assert!(written.status.success(), "{}", text(&written));

    // Everything killed at once, etcd too, then started again: nothing acknowledged lost.
    kill_9(&mut b);
    etcd.stop();
    etcd.resume();
    let c = Serve::start(&ha_flags(&url));
    for name in ["acked-a", "acked-b", "acked-after"] {
        let got = c.kubectl(&["get", "configmap", name, "-o", "jsonpath={.data.k}"]);
        assert_eq!(text(&got), "v", "{name}");
    }
    assert!(
        eventually(Duration::from_secs(120), || running(&c, "web", 2)),
        "{}",
        text(&c.kubectl(&["get", "pods", "-o", "wide"]))
    );
}

/// One member of a 3-member etcd on loopback.
struct Member {
    name: String,
    client: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Member {
    fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.client)
    }

    fn start(&mut self, peers: &str, peer: u16) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("etcd.log"))
            .expect("log file");
        let child = Command::new("etcd")
            .arg(format!("--name={}", self.name))
            .arg(format!("--data-dir={}", self.dir.join("data").display()))
            .arg(format!("--listen-client-urls=http://{}", self.endpoint()))
            .arg(format!(
                "--advertise-client-urls=http://{}",
                self.endpoint()
            ))
            .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
            .arg(format!(
                "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
            ))
            .arg(format!("--initial-cluster={peers}"))
            .arg("--initial-cluster-state=new")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start an etcd member");
        self.child = Some(child);
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Whether this member says it is the leader (`etcdctl endpoint status`).
    fn is_leader(&self) -> bool {
        let out = Command::new("etcdctl")
            .env_clear()
            .env("ETCDCTL_API", "3")
            .arg(format!("--endpoints={}", self.endpoint()))
            .args(["endpoint", "status", "-w", "json"])
            .output()
            .expect("etcdctl");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let s = &v[0]["Status"];
        s["leader"].as_u64().is_some() && s["leader"] == s["header"]["member_id"]
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A 3-member etcd on loopback, once it has a leader: its members, their peer ports, the
/// `--initial-cluster` they share, and which one leads.
fn three_members() -> (Vec<Member>, Vec<u16>, String, usize) {
    let peers: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let initial = (0..3)
        .map(|i| format!("m{i}=http://127.0.0.1:{}", peers[i]))
        .collect::<Vec<_>>()
        .join(",");
    let mut members: Vec<Member> = (0..3)
        .map(|i| Member {
            name: format!("m{i}"),
            client: free_port(),
            dir: temp_dir(&format!("m{i}")),
            child: None,
        })
        .collect();
    for (m, peer) in members.iter_mut().zip(&peers) {
        m.start(&initial, *peer);
    }
    let mut leader = None;
    assert!(
        eventually(Duration::from_secs(30), || {
            leader = members.iter().position(Member::is_leader);
            leader.is_some()
        }),
        "the 3 members elected no leader"
    );
    let leader = leader.unwrap_or(0);
    (members, peers, initial, leader)
}

#[test]
fn a_three_member_etcd_loses_a_follower_then_its_leader_and_writes_go_on() {
    require_tools!();
    let (mut members, peers, initial, leader) = three_members();
    // serve talks to a follower that stays up; the other follower and then the leader die.
    let kept = (0..3).find(|i| *i != leader).unwrap_or(0);
    let victim = (0..3).find(|i| *i != leader && *i != kept).unwrap_or(0);
    let url = format!("http://{}", members[kept].endpoint());
    let serve = Serve::start(&ha_flags(&url));
    let write = |name: &str| {
        eventually(Duration::from_secs(60), || {
            serve
                .kubectl(&["create", "configmap", name, "--from-literal=k=v"])
                .status
                .success()
                || serve.kubectl(&["get", "configmap", name]).status.success()
        })
    };
    assert!(write("before"), "no write on 3 members");
    members[victim].kill();
    assert!(
        write("without-a-follower"),
        "writes stopped with a follower down"
    );
    members[victim].start(&initial, peers[victim]);
    members[leader].kill();
    assert!(
        write("after-the-leader"),
        "writes did not resume after the election"
    );
    for name in ["before", "without-a-follower", "after-the-leader"] {
        let got = serve.kubectl(&["get", "configmap", name, "-o", "jsonpath={.data.k}"]);
        assert_eq!(text(&got), "v", "{name}");
    }
}

#[test]
fn a_batch_that_could_not_be_sent_goes_on_to_the_next_member() {
    use kubelite::store::etcd::{EtcdCluster, EtcdStore};
    use kubelite::store::{RequestOp, Store, TxnRequest};
    require_tools!();
    let (mut members, _, _, leader) = three_members();
    // The endpoint in use is a follower, killed before the batch: the others keep quorum.
    let first = (0..3).find(|i| *i != leader).unwrap_or(0);
    let mut order = vec![first];
    order.extend((0..3).filter(|i| *i != first));
    let endpoints: Vec<String> = order
        .iter()
        .map(|i| format!("http://{}", members[*i].endpoint()))
        .collect();
    let etcd = EtcdStore::connect(&endpoints, Duration::from_secs(5), Duration::from_secs(10))
        .expect("connect");
    let cluster = EtcdCluster::new(std::sync::Arc::new(etcd)).expect("follow etcd");
    members[first].kill();
    let reqs: Vec<TxnRequest> = (0..4)
        .map(|i| TxnRequest {
            success: vec![RequestOp::Put {
                key: format!("/batch/{i}").into_bytes(),
                value: b"v".to_vec(),
                prev_kv: false,
                lease: 0,
            }],
            ..Default::default()
        })
        .collect();
    let answers = match cluster.txn_batch(&reqs) {
        Ok(answers) => answers,
        // Sent on the connection while it died (under load the client may not have seen it
        // close yet): it may have been applied, so it is not sent again; the next batch
        // finds the connection gone and goes on.
        Err(_) => cluster.txn_batch(&reqs).expect("the batch was written"),
    };
    assert_eq!(answers.len(), 4);
    assert!(answers.iter().all(|a| a.succeeded), "{answers:?}");
    let kept = order[1];
    let out = Command::new("etcdctl")
        .env_clear()
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={}", members[kept].endpoint()))
        .args(["get", "--prefix", "--keys-only", "/batch/"])
        .output()
        .expect("etcdctl");
    let keys: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(keys, ["/batch/0", "/batch/1", "/batch/2", "/batch/3"]);
}

#[test]
fn a_read_a_member_without_a_leader_refuses_goes_on_to_the_next_endpoint() {
    use kubelite::store::etcd::EtcdStore;
    use kubelite::store::{RangeRequest, Store};
    require_tools!();
    // A member whose two peers died: it still answers, but has no leader to read through.
    let (mut members, _, _, _) = three_members();
    members[1].kill();
    members[2].kill();
    let etcd = Etcd::start();
    let put = etcd.etcdctl(&["put", "/read/here", "v"]);
    assert!(put.status.success(), "{put:?}");
    let endpoints = [format!("http://{}", members[0].endpoint()), etcd.url()];
    let store = EtcdStore::connect(&endpoints, Duration::from_secs(5), Duration::from_secs(20))
        .expect("connect");
    let got = store
        .range(&RangeRequest::single(b"/read/here"))
        .expect("the read went on to the member with a leader");
    assert_eq!(got.kvs.len(), 1);
    assert_eq!(got.kvs[0].value, b"v");
}
