//! kubelite's etcdctl on the embedded redb store, without any real etcd: expected bytes as
//! etcdctl 3.4 prints them (taken from the real tool), with the embedded identity.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::support::run_kubelite_etcdctl;
use kubelite::etcdctl::{Backend, ClusterInfo, ConnectOptions, EmbeddedBackend, WatchLimits};
use kubelite::store::redb::RedbStore;

struct Fixture {
    dir: PathBuf,
    backend: Arc<dyn Backend>,
}

impl Fixture {
    fn new(tag: &str) -> Fixture {
        let dir =
            std::env::temp_dir().join(format!("kl-etcdctl-embedded-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store =
            RedbStore::open(&dir.join("s.redb"), Duration::from_secs(5)).expect("open store");
        Fixture {
            dir,
            backend: Arc::new(EmbeddedBackend::new(store)),
        }
    }

    fn run(&self, args: &[&str], stdin: &str) -> (String, String, i32) {
        self.run_with(args, stdin, WatchLimits::default())
    }

    fn run_with(&self, args: &[&str], stdin: &str, watch: WatchLimits) -> (String, String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let shared = Arc::clone(&self.backend);
        let connect = move |_: &ConnectOptions| -> Result<Box<dyn Backend>, String> {
            Ok(Box::new(Arc::clone(&shared)))
        };
        let mut input = stdin.as_bytes();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_kubelite_etcdctl(&args, connect, &mut input, &mut out, &mut err, watch);
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            code,
        )
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn ok(out: &str) -> (String, String, i32) {
    (out.to_string(), String::new(), 0)
}

fn fail(err: &str, code: i32) -> (String, String, i32) {
    (String::new(), err.to_string(), code)
}

#[test]
fn put_get_del_print_as_etcdctl() {
    let f = Fixture::new("kv");
    let id = ClusterInfo::embedded();
    assert_eq!(f.run(&["put", "foo", "bar"], ""), ok("OK\n"));
    assert_eq!(
        f.run(&["put", "foo", "baz", "--prev-kv"], ""),
        ok("OK\nfoo\nbar\n")
    );
    assert_eq!(f.run(&["get", "foo"], ""), ok("foo\nbaz\n"));
    assert_eq!(
        f.run(&["get", "foo", "--print-value-only"], ""),
        ok("baz\n")
    );
    assert_eq!(f.run(&["put", "fox", "x"], ""), ok("OK\n"));
    assert_eq!(
        f.run(&["get", "fo", "--prefix", "--keys-only"], ""),
        ok("foo\n\nfox\n\n")
    );
    assert_eq!(
        f.run(&["get", "foo", "--hex"], ""),
        ok("\\x66\\x6f\\x6f\n\\x62\\x61\\x7a\n")
    );
    assert_eq!(
        f.run(&["get", "fo", "--prefix", "--limit=1", "-w", "json"], ""),
        ok(&format!(
            "{{\"header\":{{\"cluster_id\":{},\"member_id\":{},\"revision\":4,\"raft_term\":{}}},\"kvs\":[{{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":3,\"version\":2,\"value\":\"YmF6\"}}],\"more\":true,\"count\":2}}\n",
            id.cluster_id, id.member_id, id.raft_term
        ))
    );
    assert_eq!(f.run(&["get", "nothing"], ""), ok(""));
    assert_eq!(f.run(&["put", "from-stdin"], "some\nlines\n"), ok("OK\n"));
    assert_eq!(
        f.run(&["get", "from-stdin"], ""),
        ok("from-stdin\nsome\nlines\n\n")
    );
    assert_eq!(f.run(&["del", "fo", "--prefix"], ""), ok("2\n"));
    assert_eq!(f.run(&["del", "fo", "--prefix"], ""), ok("0\n"));
}

#[test]
fn errors_and_exit_statuses_match_etcdctl() {
    let f = Fixture::new("errors");
    assert_eq!(
        f.run(&["get"], ""),
        fail(
            "Error: get command needs one argument as key and an optional argument as range_end\n",
            128
        )
    );
    assert_eq!(
        f.run(&["put", "k"], ""),
        fail(
            "Error: put command needs 1 argument and input from stdin or 2 arguments\n",
            128
        )
    );
    assert_eq!(
        f.run(&["get", "k", "-w", "table"], ""),
        fail("Error: table not supported as output format\n", 4)
    );
    assert_eq!(
        f.run(&["get", "k", "-w", "yaml"], ""),
        fail("Error: unsupported output format\n", 4)
    );
    assert_eq!(
        f.run(&["get", "k", "--sort-by=x"], ""),
        fail("Error: bad sort target x\n", 4)
    );
    let (out, err, code) = f.run(&["get", "k", "--bogus"], "");
    assert!(
        out.starts_with("NAME:\n\tget - Gets the key or a range of keys\n\nUSAGE:\n"),
        "{out}"
    );
    assert_eq!(
        (err.as_str(), code),
        (
            "Error: unknown flag: --bogus\n\nError: unknown flag: --bogus\n",
            1
        )
    );
    let (_, err, code) = f.run(&["gett"], "");
    assert_eq!(code, 1);
    assert!(err.starts_with(
        "Error: unknown command \"gett\" for \"etcdctl\"\n\nDid you mean this?\n\tget\n\n"
    ));
    let (_, err, code) = f.run(&["get", "k", "--rev=99"], "");
    assert_eq!(code, 1);
    assert!(
        err.ends_with("Error: etcdserver: mvcc: required revision is a future revision\n"),
        "{err}"
    );
    assert_eq!(
        f.run(&["compaction"], ""),
        fail("Error: compaction command needs 1 argument\n", 128)
    );
}

#[test]
fn txn_reads_stdin_like_etcdctl() {
    let f = Fixture::new("txn");
    assert_eq!(f.run(&["put", "t1", "a"], ""), ok("OK\n"));
    assert_eq!(
        f.run(
            &["txn"],
            "mod(\"t1\") > \"0\"\n\nput t2 yes\nget t1\n\nput t2 no\n\n"
        ),
        ok("SUCCESS\n\nOK\n\nt1\na\n")
    );
    assert_eq!(
        f.run(&["txn"], "value(\"t1\") = \"zz\"\n\n\nget t2\n\n"),
        ok("FAILURE\n\nt2\nyes\n")
    );
    assert_eq!(
        f.run(&["txn"], "bogus\n\n"),
        fail("Error: malformed comparison: bogus\n", 3)
    );
    assert_eq!(f.run(&["txn"], ""), fail("Error: EOF\n", 3));
    assert_eq!(
        f.run(&["txn", "-i"], "\nput t3 x\n\n\n"),
        ok(
            "compares:\nsuccess requests (get, put, del):\nfailure requests (get, put, del):\nSUCCESS\n\nOK\n"
        )
    );
}

#[test]
fn cluster_views_use_the_embedded_identity() {
    let f = Fixture::new("cluster");
    let id = ClusterInfo::embedded();
    assert_eq!(
        f.run(&["member", "list"], ""),
        ok(&format!(
            "{:x}, started, default, http://localhost:2380, http://localhost:2379, false\n",
            id.member_id
        ))
    );
    let (out, _, code) = f.run(&["member", "list", "-w", "table"], "");
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(
        lines[0],
        "+------------------+---------+---------+-----------------------+-----------------------+------------+"
    );
    assert_eq!(
        lines[1],
        "|        ID        | STATUS  |  NAME   |      PEER ADDRS       |     CLIENT ADDRS      | IS LEARNER |"
    );
    assert_eq!(
        f.run(&["version"], ""),
        ok("etcdctl version: 3.4.23\nAPI version: 3.4\n")
    );
}

#[test]
fn watch_replays_history_and_stops_when_told() {
    let f = Fixture::new("watch");
    assert_eq!(f.run(&["put", "w/a", "1"], ""), ok("OK\n"));
    assert_eq!(f.run(&["put", "w/a", "2"], ""), ok("OK\n"));
    assert_eq!(f.run(&["del", "w/a"], ""), ok("1\n"));
    let limits = WatchLimits {
        deadline: Some(Duration::from_millis(200)),
        ..Default::default()
    };
    assert_eq!(
        f.run_with(
            &["watch", "w/", "--prefix", "--rev", "2", "--prev-kv"],
            "",
            limits
        ),
        ok("PUT\nw/a\n1\nPUT\nw/a\n1\nw/a\n2\nDELETE\nw/a\n2\nw/a\n\n")
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let limits = WatchLimits {
        stop: Some(stop),
        ..Default::default()
    };
    assert_eq!(
        f.run_with(&["watch", "w/a", "--rev", "4"], "", limits),
        ("DELETE\nw/a\n\n".into(), String::new(), 130)
    );
    assert_eq!(
        f.run(&["watch"], ""),
        fail("Error: bad number of arguments\n", 128)
    );
}

/// The embedded store's leases run on the cluster's clock: stepping it expires them, and
/// their keys go, before the next command runs (as a real etcd would have by then).
#[test]
fn leases_expire_on_the_clusters_clock() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let dir = std::env::temp_dir().join(format!("kl-etcdctl-lease-clock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = RedbStore::open(&dir.join("s.redb"), Duration::from_secs(5)).expect("open store");
    let clock = Arc::new(AtomicI64::new(1_800_000_000));
    let mut backend = EmbeddedBackend::new(store);
    let c = Arc::clone(&clock);
    backend.now = Box::new(move || c.load(Ordering::SeqCst));
    let fx = Fixture {
        dir,
        backend: Arc::new(backend),
    };
    let (out, _, code) = fx.run(&["lease", "grant", "60"], "");
    assert_eq!(code, 0, "{out}");
    let id = out.split(' ').nth(1).expect("lease id").to_string();
    // An etcd-like id: the member id's low 16 bits first, drawn from the clock.
    assert_eq!(&id[..4], "694d", "{out}");
    assert_eq!(
        fx.run(&["put", "k", "v", &format!("--lease={id}")], "").2,
        0
    );
    assert_eq!(
        fx.run(&["lease", "timetolive", &id, "--keys"], ""),
        ok(&format!(
            "lease {id} granted with TTL(60s), remaining(60s), attached keys([k])\n"
        ))
    );
    clock.fetch_add(45, Ordering::SeqCst);
    // Renewed at +45 s: it now ends at +105 s, not +60 s.
    assert_eq!(
        fx.run(&["lease", "keep-alive", "--once", &id], ""),
        ok(&format!("lease {id} keepalived with TTL(60)\n"))
    );
    clock.fetch_add(30, Ordering::SeqCst);
    assert_eq!(fx.run(&["get", "k", "--print-value-only"], ""), ok("v\n"));
    clock.fetch_add(30, Ordering::SeqCst);
    assert_eq!(fx.run(&["get", "k"], ""), ok(""));
    assert_eq!(
        fx.run(&["lease", "timetolive", &id], ""),
        ok(&format!("lease {id} already expired\n"))
    );
    assert_eq!(fx.run(&["lease", "list"], ""), ok("found 0 leases\n"));
    // keep-alive without --once keeps renewing until stopped, then ends as a killed etcdctl.
    let (out, _, _) = fx.run(&["lease", "grant", "3"], "");
    let id = out.split(' ').nth(1).expect("lease id").to_string();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let limits = WatchLimits {
        stop: Some(stop),
        ..Default::default()
    };
    assert_eq!(
        fx.run_with(&["lease", "keep-alive", &id], "", limits),
        (
            format!("lease {id} keepalived with TTL(3)\n"),
            String::new(),
            130
        )
    );
}
