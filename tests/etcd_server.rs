//! `kubelite etcd` against a real etcd 3.4: the real etcdctl runs the same command lines,
//! with the same stdin, on both (each starting empty) and must print the same bytes, with
//! only what differs by nature masked (each mask says why). Also: the flags it refuses, and
//! bad input (malformed gRPC, a request over etcd's size limit, a watch from a compacted
//! revision) answered without a panic or a hang.
//!
//! Needs Debian's `etcd` (etcd-server) and `etcdctl` (etcd-client); without them the tests
//! say so loudly and pass.

#[path = "support/loopback.rs"]
mod loopback;
use loopback::free_port;
use regex::Regex;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn have_tools() -> bool {
    let ok = tool("etcd").is_some() && tool("etcdctl").is_some();
    if !ok {
        eprintln!(
            "SKIPPED: etcd and etcdctl (Debian's etcd-server, etcd-client) are not installed"
        );
    }
    ok
}

fn temp_dir(tag: &str) -> PathBuf {
    loopback::temp_dir("kl-etcd-server", tag)
}

/// A server process (kubelite etcd or a real etcd) on a loopback port; killed and its
/// directory removed on drop.
struct Server {
    child: Child,
    dir: PathBuf,
    endpoint: String,
    /// The member's peer URL, as `member list` shows it.
    peer: String,
}

impl Server {
    /// `kubelite etcd`, started through a link named `etcd` (the seed's `./etcd`).
    fn kubelite(tag: &str) -> Server {
        let dir = temp_dir(tag);
        let data = dir.join("data");
        Server::kubelite_on(dir, &data)
    }

    /// `kubelite etcd` on the data dir `data`; `dir` is removed on drop.
    fn kubelite_on(dir: PathBuf, data: &std::path::Path) -> Server {
        let link = dir.join("etcd");
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubelite"), &link).expect("link etcd");
        let endpoint = format!("127.0.0.1:{}", free_port());
        let mut cmd = Command::new(&link);
        cmd.arg(format!("--data-dir={}", data.display()))
            .arg(format!("--listen-client-urls=http://{endpoint}"))
            .arg(format!("--advertise-client-urls=http://{endpoint}"));
        // No peers: it shows etcd's default peer URL.
        Server::start(cmd, dir, endpoint, "http://localhost:2380".to_string())
    }

    fn real(tag: &str) -> Server {
        let dir = temp_dir(tag);
        let (client, peer) = (free_port(), free_port());
        let endpoint = format!("127.0.0.1:{client}");
        let mut cmd = Command::new("etcd");
        cmd.arg("--name=default")
            .arg(format!("--data-dir={}", dir.join("data").display()))
            .arg(format!("--listen-client-urls=http://{endpoint}"))
            .arg(format!("--advertise-client-urls=http://{endpoint}"))
            .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
            .arg(format!(
                "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
            ))
            .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer}"));
        Server::start(cmd, dir, endpoint, format!("http://127.0.0.1:{peer}"))
    }

    fn start(mut cmd: Command, dir: PathBuf, endpoint: String, peer: String) -> Server {
        let log = std::fs::File::create(dir.join("server.log")).expect("log file");
        let child = cmd
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start the server");
        let server = Server {
            child,
            dir,
            endpoint,
            peer,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if server.etcdctl(&["endpoint", "health"], b"").2 == 0 {
                return server;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "server on {} did not become healthy: {}",
            server.endpoint,
            std::fs::read_to_string(server.dir.join("server.log")).unwrap_or_default()
        );
    }

    /// The real etcdctl on this server, with a clean environment.
    fn etcdctl(&self, args: &[&str], stdin: &[u8]) -> (String, String, i32) {
        let mut child = Command::new("etcdctl")
            .env_clear()
            .env("ETCDCTL_ENDPOINTS", &self.endpoint)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run etcdctl");
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(stdin);
        }
        let out = child.wait_with_output().expect("etcdctl output");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    /// `etcdctl watch ARGS` until its stdout holds `until` (or it ends), at most 10 s.
    fn watch(&self, args: &[&str], until: &str) -> (String, String, Option<i32>) {
        let mut child = Command::new("etcdctl")
            .env_clear()
            .env("ETCDCTL_ENDPOINTS", &self.endpoint)
            .arg("watch")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run etcdctl watch");
        let mut stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut out = Vec::new();
        let mut status = None;
        while Instant::now() < deadline {
            if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(50)) {
                out.extend(chunk);
            }
            if String::from_utf8_lossy(&out).contains(until) {
                break;
            }
            if let Ok(Some(s)) = child.try_wait() {
                status = s.code();
                break;
            }
        }
        if status.is_none() {
            let _ = child.kill();
        }
        let _ = child.wait();
        let _ = reader.join();
        out.extend(rx.try_iter().flatten());
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        (String::from_utf8_lossy(&out).into_owned(), err, status)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What differs between two servers by nature, masked.
fn mask(text: &str, server: &Server) -> String {
    let rules: &[(&str, &str)] = &[
        // Cluster and member ids: etcd derives them from its peer URLs and a hash of the
        // time it started; kubelite's are fixed.
        (r#""cluster_id":\d+"#, r#""cluster_id":<ID>"#),
        (r#""member_id":\d+"#, r#""member_id":<ID>"#),
        // The raft term counts the real member's elections; kubelite has none.
        (r#""raft_term":\d+"#, r#""raft_term":<TERM>"#),
        (r#""(ClusterID|MemberID)" : \d+"#, r#""$1" : <ID>"#),
        (r#""RaftTerm" : \d+"#, r#""RaftTerm" : <TERM>"#),
        // Lease ids: etcd draws them from its member id and clock.
        (r#""(ID|id)":\d+"#, r#""$1":<ID>"#),
        (r#""lease":[1-9]\d*"#, r#""lease":<ID>"#),
        (r"\b[0-9a-f]{14,16}\b", "<ID>"),
        // A lease's remaining seconds depend on when the command ran.
        (r"remaining\(\d+s\)", "remaining(<S>s)"),
        (r#""ttl":\d+"#, r#""ttl":<S>"#),
        // Durations and timestamps of etcdctl's own log lines.
        (r"took = [0-9.]+[µmn]?s", "took = <T>"),
        (r#""ts":"[^"]*""#, r#""ts":<TS>"#),
        (r#""ts":[0-9.e+]+"#, r#""ts":<TS>"#),
        (r#""target":"[^"]*""#, r#""target":<TARGET>"#),
    ];
    // Ports are free ones; the real member needs a peer URL to run, kubelite has none.
    let mut text = text
        .replace(&server.endpoint, "<ENDPOINT>")
        .replace(&server.peer, "<PEER>");
    for (pattern, with) in rules {
        text = Regex::new(pattern)
            .expect("mask pattern")
            .replace_all(&text, *with)
            .into_owned();
    }
    mask_table(&text)
}

/// In tables: `endpoint status`'s DB SIZE (bolt's pages against redb's), RAFT TERM and
/// RAFT INDEX columns (the real member's raft log also holds its elections and
/// configuration entries), and `endpoint health`'s TOOK (a duration) are masked; borders
/// and padding, which follow the cells' widths, are dropped.
fn mask_table(text: &str) -> String {
    let mut masked_cols: Vec<usize> = Vec::new();
    text.lines()
        .map(|line| {
            if line.starts_with('+') {
                return "+".to_string();
            }
            if !line.starts_with('|') {
                return line.to_string();
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.contains(&"ENDPOINT") {
                masked_cols = cells
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        [
                            "DB SIZE",
                            "RAFT TERM",
                            "RAFT INDEX",
                            "RAFT APPLIED INDEX",
                            "TOOK",
                        ]
                        .contains(c)
                    })
                    .map(|(i, _)| i)
                    .collect();
                return cells.join("|");
            }
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| if masked_cols.contains(&i) { "*" } else { c })
                .collect::<Vec<_>>()
                .join("|")
        })
        .map(|line| line + "\n")
        .collect()
}

/// One step of the script: etcdctl's arguments and stdin.
type Step<'a> = (&'a [&'a str], &'a [u8]);

const TXN: &[u8] = b"value(\"key1\") = \"value1\"\nmod(\"key2\") > \"0\"\n\nput key3 value3\nget key --prefix\n\ndel key1\n\n";
const TXN_FAILS: &[u8] =
    b"version(\"key1\") = \"9\"\n\nput key4 x\n\nget key1\nput key5 value5\n\n";

#[test]
fn the_real_etcdctl_sees_kubelite_etcd_as_a_real_etcd() {
    if !have_tools() {
        return;
    }
    let ours = Server::kubelite("ours");
    let theirs = Server::real("theirs");
    let script: &[Step] = &[
        (&["put", "key1", "value1"], b""),
        (&["put", "key2", "value2", "-w", "json"], b""),
        (&["get", "key1", "-w", "json"], b""),
        (&["get", "key", "--prefix", "-w", "fields"], b""),
        (&["get", "key", "--prefix", "--keys-only"], b""),
        (&["get", "key", "--prefix", "--limit=1", "-w", "json"], b""),
        (&["put", "key1", "value1b", "--prev-kv"], b""),
        (&["get", "key1", "--rev=2"], b""),
        (
            &[
                "get",
                "key",
                "--prefix",
                "--sort-by=MODIFY",
                "--order=DESCEND",
            ],
            b"",
        ),
        (
            &["get", "key", "--prefix", "--count-only", "-w", "json"],
            b"",
        ),
        (&["get", "a", "--from-key", "-w", "simple"], b""),
        (&["txn"], TXN),
        (&["txn", "-w", "json"], TXN_FAILS),
        (&["txn", "-w", "json"], TXN),
        (&["del", "key2", "--prev-kv"], b""),
        (&["del", "nothing"], b""),
        (&["put", "--ignore-value", "key3"], b""),
        (&["put", "--ignore-value", "missing"], b""),
        (&["get", "", "--prefix"], b""),
        (&["member", "list", "-w", "table"], b""),
        (&["member", "list", "-w", "json"], b""),
        (&["endpoint", "status", "-w", "table"], b""),
        (&["endpoint", "health", "-w", "table"], b""),
        (&["endpoint", "health"], b""),
        (&["alarm", "list"], b""),
        (&["defrag"], b""),
        (&["compaction", "4"], b""),
        (&["get", "key1", "--rev=3"], b""),
        (&["compaction", "2"], b""),
        (&["get", "key1", "--rev=99"], b""),
        (&["get", "key", "--prefix", "-w", "json"], b""),
    ];
    for (args, stdin) in script {
        let a = ours.etcdctl(args, stdin);
        let b = theirs.etcdctl(args, stdin);
        let a = (mask(&a.0, &ours), mask(&a.1, &ours), a.2);
        let b = (mask(&b.0, &theirs), mask(&b.1, &theirs), b.2);
        assert_eq!(
            a,
            b,
            "etcdctl {args:?}\nkubelite etcd's log:\n{}",
            ours.log()
        );
    }
}

/// The lease id each side granted, from `lease grant`'s line.
fn granted(out: &str) -> String {
    out.split_whitespace().nth(1).expect("lease id").to_string()
}

#[test]
fn leases_as_a_real_etcd_keeps_them() {
    if !have_tools() {
        return;
    }
    let ours = Server::kubelite("lease-ours");
    let theirs = Server::real("lease-theirs");
    let mut ids = Vec::new();
    for server in [&ours, &theirs] {
        let (out, _, code) = server.etcdctl(&["lease", "grant", "100"], b"");
        assert_eq!(code, 0);
        ids.push(granted(&out));
    }
    let steps: &[&[&str]] = &[
        &["put", "--lease=ID", "lk", "lv"],
        &["get", "lk", "-w", "json"],
        &["lease", "timetolive", "ID"],
        &["lease", "timetolive", "--keys", "ID", "-w", "json"],
        &["lease", "keep-alive", "--once", "ID"],
        &["lease", "list"],
        &["lease", "revoke", "ID"],
        &["get", "lk"],
        &["lease", "timetolive", "ID"],
        &["lease", "revoke", "ID"],
        &["put", "--lease=ID", "lk", "lv"],
    ];
    for step in steps {
        let mut outcomes = Vec::new();
        for (server, id) in [(&ours, &ids[0]), (&theirs, &ids[1])] {
            let args: Vec<String> = step.iter().map(|a| a.replace("ID", id)).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (out, err, code) = server.etcdctl(&args, b"");
            outcomes.push((mask(&out, server), mask(&err, server), code));
        }
        assert_eq!(outcomes[0], outcomes[1], "etcdctl {step:?}\n{}", ours.log());
    }
}

#[test]
fn watches_as_a_real_etcd_sends_them() {
    if !have_tools() {
        return;
    }
    let ours = Server::kubelite("watch-ours");
    let theirs = Server::real("watch-theirs");
    for server in [&ours, &theirs] {
        for args in [
            &["put", "w1", "a"][..],
            &["put", "w2", "b"],
            &["put", "w1", "c"],
            &["del", "w2"],
            &["put", "other", "x"],
            &["put", "w9", "end"],
        ] {
            assert_eq!(server.etcdctl(args, b"").2, 0);
        }
    }
    let watches: &[(&[&str], &str)] = &[
        (&["w", "--prefix", "--rev=1"], "end\n"),
        (
            &["w", "--prefix", "--rev=3", "--prev-kv", "-w", "json"],
            "ZW5k",
        ),
        (&["w1", "--rev=2"], "c\n"),
    ];
    for (args, until) in watches {
        let a = ours.watch(args, until);
        let b = theirs.watch(args, until);
        let a = (mask(&a.0, &ours), mask(&a.1, &ours), a.2);
        let b = (mask(&b.0, &theirs), mask(&b.1, &theirs), b.2);
        assert_eq!(a, b, "etcdctl watch {args:?}\n{}", ours.log());
        assert!(
            a.0.contains(until),
            "the watch delivered the history: {a:?}"
        );
    }
    // A watch from a compacted revision is canceled with etcd's words, and etcdctl ends.
    for server in [&ours, &theirs] {
        assert_eq!(server.etcdctl(&["compaction", "5"], b"").2, 0);
    }
    let a = ours.watch(&["w", "--prefix", "--rev=2"], "\u{0}");
    let b = theirs.watch(&["w", "--prefix", "--rev=2"], "\u{0}");
    assert!(a.2.is_some(), "the compacted watch ended by itself: {a:?}");
    assert_eq!(
        (mask(&a.0, &ours), mask(&a.1, &ours), a.2),
        (mask(&b.0, &theirs), mask(&b.1, &theirs), b.2)
    );
}

#[test]
fn requests_over_etcds_limit_are_refused_with_its_error() {
    if !have_tools() {
        return;
    }
    let ours = Server::kubelite("big-ours");
    let theirs = Server::real("big-theirs");
    // Between --max-request-bytes (1.5 MiB) and the gRPC limit (2 MiB): etcd's own error.
    let value = vec![b'v'; 1600 * 1024];
    for server in [&ours, &theirs] {
        let (_, err, code) = server.etcdctl(&["put", "big"], &value);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.ends_with("Error: etcdserver: request is too large\n"),
            "{err}"
        );
    }
    // Past the gRPC limit: refused before it is read whole; the server stays up.
    let huge = vec![b'v'; 3 << 20];
    let (_, err, code) = ours.etcdctl(&["put", "huge"], &huge);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        ours.etcdctl(&["put", "small", "ok"], b"").2,
        0,
        "{}",
        ours.log()
    );
}

#[test]
fn malformed_grpc_messages_are_answered_and_the_member_goes_on() {
    if !have_tools() || tool("curl").is_none() {
        return;
    }
    let ours = Server::kubelite("malformed");
    // A gRPC frame whose protobuf is garbage, and one whose length prefix lies.
    for body in [
        &b"\x00\x00\x00\x00\x05\xff\xff\xff\xff\xff"[..],
        b"\x00\x7f\xff\xff\xffab",
    ] {
        let body_file = ours.dir.join("body");
        std::fs::write(&body_file, body).expect("body");
        let out = Command::new("curl")
            .args([
                "-s",
                "-m",
                "10",
                "--http2-prior-knowledge",
                "-D",
                "-",
                "-o",
                "/dev/null",
            ])
            .args(["-H", "content-type: application/grpc", "-H", "te: trailers"])
            .arg("--data-binary")
            .arg(format!("@{}", body_file.display()))
            .arg(format!("http://{}/etcdserverpb.KV/Range", ours.endpoint))
            .output()
            .expect("curl");
        let head = String::from_utf8_lossy(&out.stdout);
        assert!(
            head.contains("grpc-status"),
            "answered with a gRPC status: {head}"
        );
        assert!(!head.contains("grpc-status: 0"), "not a success: {head}");
    }
    assert_eq!(
        ours.etcdctl(&["put", "still", "here"], b"").2,
        0,
        "{}",
        ours.log()
    );
    assert!(!ours.log().contains("panicked"), "{}", ours.log());
}

fn kubelite_etcd(args: &[&str]) -> (String, i32) {
    let dir = temp_dir("flags");
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .arg("etcd")
        .arg(format!("--data-dir={}", dir.join("d").display()))
        .args(args)
        .output()
        .expect("run kubelite etcd");
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn peers_and_tls_are_refused_in_one_line() {
    for args in [
        &["--initial-cluster=a=http://127.0.0.1:2380,b=http://127.0.0.1:2381"][..],
        &["--listen-peer-urls=http://127.0.0.1:2380"],
        &["--listen-client-urls=https://127.0.0.1:2379"],
        &["--cert-file=server.crt"],
    ] {
        let (err, code) = kubelite_etcd(args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("kubelite etcd is one member only"), "{err}");
    }
}

#[test]
fn sigterm_stops_it_cleanly() {
    if !have_tools() {
        return;
    }
    let mut ours = Server::kubelite("sigterm");
    // SAFETY: kill(2) on the pid of a child this test started and has not reaped.
    let rc = unsafe { libc::kill(ours.child.id() as i32, libc::SIGTERM) };
    assert_eq!(rc, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = ours.child.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}: {}", ours.log());
    assert!(
        ours.log().ends_with("kubelite etcd: stopped\n"),
        "{}",
        ours.log()
    );
}

/// kubelite's etcdctl (`kubelite etcdctl ARGS`), with a clean environment and its own home.
fn kubelite_etcdctl(home: &std::path::Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .env_clear()
        .env("KUBELITE_HOME", home)
        .arg("etcdctl")
        .args(args)
        .output()
        .expect("run kubelite etcdctl");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// `snapshot save` against kubelite etcd, by the real etcdctl (gRPC) and by kubelite's (the
/// JSON gateway), saves kubelite's own snapshot: the real etcdctl prints what it prints
/// against a real etcd, `kubelite etcdctl snapshot status|restore` accept both files, and a
/// kubelite etcd on the restored data dir serves the keys as they were at the save.
#[test]
fn snapshot_save_streams_a_snapshot_that_kubelite_restores() {
    if !have_tools() {
        return;
    }
    let ours = Server::kubelite("snap-ours");
    let real = Server::real("snap-real");
    for server in [&ours, &real] {
        for (k, v) in [("key1", "value1"), ("key2", "value2")] {
            assert_eq!(server.etcdctl(&["put", k, v], b"").2, 0);
        }
    }
    let save = |server: &Server| {
        let file = server.dir.join("backup.db");
        let (out, err, code) =
            server.etcdctl(&["snapshot", "save", &file.display().to_string()], b"");
        let dir = server.dir.display().to_string();
        let masked = |text: &str| {
            // The size of a bolt file against a redb file's, and how long the save took.
            let text = Regex::new(r#""size":"[^"]*","took":[0-9.e-]+"#)
                .expect("size pattern")
                .replace_all(text, r#""size":<SIZE>,"took":<T>"#)
                .replace(&dir, "<DIR>");
            mask(&text, server)
        };
        (masked(&out), masked(&err), code)
    };
    let real_save = save(&real);
    assert_eq!(real_save.2, 0, "{real_save:?}");
    assert_eq!(save(&ours), real_save);
    let by_real = ours.dir.join("backup.db");

    // kubelite's etcdctl saves the same snapshot through the gateway.
    let home = ours.dir.join("home");
    let by_ours = ours.dir.join("ours.db");
    let (out, err, code) = kubelite_etcdctl(
        &home,
        &[
            &format!("--endpoints={}", ours.endpoint),
            "snapshot",
            "save",
            &by_ours.display().to_string(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("Snapshot saved at {}\n", by_ours.display()));
    // Written after both saves: not in the snapshots.
    assert_eq!(ours.etcdctl(&["put", "key3", "later"], b"").2, 0);

    let status = |file: &PathBuf| {
        let (out, err, code) = kubelite_etcdctl(
            &home,
            &[
                "snapshot",
                "status",
                &file.display().to_string(),
                "-w",
                "json",
            ],
        );
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("status json");
        (v["hash"].clone(), v["revision"].clone())
    };
    assert_eq!(status(&by_real), status(&by_ours));
    assert_eq!(status(&by_real).1, serde_json::json!(3));

    // The real etcdctl reads bbolt files only (README says so).
    let (_, err, code) = real.etcdctl(&["snapshot", "status", &by_real.display().to_string()], b"");
    assert_eq!((err.as_str(), code), ("Error: invalid database\n", 1));

    let restored_dir = temp_dir("snap-restored");
    let data = restored_dir.join("restored");
    let (_, err, code) = kubelite_etcdctl(
        &home,
        &[
            "snapshot",
            "restore",
            &by_real.display().to_string(),
            &format!("--data-dir={}", data.display()),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let restored = Server::kubelite_on(restored_dir, &data);
    let (out, err, code) = restored.etcdctl(&["get", "key", "--prefix"], b"");
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "key1\nvalue1\nkey2\nvalue2\n");
    assert!(!ours.log().contains("panicked"), "{}", ours.log());
}
