//! Persistence across reopen, the file lock, bad files, and acknowledged writes surviving
//! SIGKILL. Child processes are this test binary re-run with `child_process` selected and
//! environment variables saying what to do.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::common::{TempDir, get, get_at, open};
use kubelite::store::redb::RedbStore;
use kubelite::store::{RangeRequest, Store, StoreError};

const ENV_PATH: &str = "KUBELITE_STORE_CHILD_PATH";
const ENV_MODE: &str = "KUBELITE_STORE_CHILD_MODE";
const ENV_ARG: &str = "KUBELITE_STORE_CHILD_ARG";

/// Not a test of its own: the child process of the tests below, which run it with
/// `--include-ignored` and environment variables saying what to do.
#[test]
#[ignore = "helper run as a child process by the other tests"]
fn child_process() {
    let (Ok(path), Ok(mode)) = (std::env::var(ENV_PATH), std::env::var(ENV_MODE)) else {
        return;
    };
    let arg = std::env::var(ENV_ARG).unwrap_or_default();
    let store = RedbStore::open(Path::new(&path), Duration::from_secs(10)).expect("child open");
    match mode.as_str() {
        // Hold the file for `arg` milliseconds.
        "hold" => {
            println!("ready");
            thread::sleep(Duration::from_millis(arg.parse().unwrap_or(1000)));
        }
        // Put keys `arg/000000`, ... and print each one once the put is acknowledged.
        "put" => {
            println!("ready");
            for i in 0..1_000_000u32 {
                let key = format!("{arg}/{i:06}");
                store
                    .put(key.as_bytes(), key.as_bytes(), false)
                    .expect("child put");
                println!("ack {key}");
            }
        }
        // A deferring thread writes `arg/deferred/N` as fast as it can while 4 threads put
        // `arg/tN/M` durably and print each acknowledged key, and 2 threads read the
        // revision and print what they saw.
        "mixed" => {
            let store = std::sync::Arc::new(store);
            let deferring = {
                let store = store.clone();
                let arg = arg.clone();
                thread::spawn(move || {
                    store.set_deferred(true).expect("defer");
                    for i in 0..u32::MAX {
                        let key = format!("{arg}/deferred/{i:08}");
                        store
                            .put(key.as_bytes(), b"d", false)
                            .expect("deferred put");
                    }
                })
            };
            println!("ready");
            let mut writers: Vec<_> = (0..4)
                .map(|t| {
                    let store = store.clone();
                    let arg = arg.clone();
                    thread::spawn(move || {
                        for i in 0..1_000_000u32 {
                            let key = format!("{arg}/t{t}/{i:06}");
                            store
                                .put(key.as_bytes(), key.as_bytes(), false)
                                .expect("child put");
                            println!("ack {key}");
                        }
                    })
                })
                .collect();
            writers.extend((0..2).map(|_| {
                let store = store.clone();
                thread::spawn(move || {
                    loop {
                        let seen = store.current_revision().expect("revision");
                        println!("seen {seen}");
                    }
                })
            }));
            for w in writers {
                let _ = w.join();
            }
            let _ = deferring.join();
        }
        // Give the free pages back (the file was prepared mostly free), then say so.
        "reclaim" => {
            println!("ready");
            let done = store.reclaim_space().expect("child reclaim");
            println!("reclaimed {done:?}");
        }
        other => panic!("unknown child mode {other}"),
    }
}

fn spawn_child(path: &Path, mode: &str, arg: &str) -> (Child, mpsc::Receiver<String>) {
    let exe = std::env::current_exe().expect("current exe");
    let mut child = Command::new(exe)
        .args([
            "durability::child_process",
            "--exact",
            "--include-ignored",
            "--nocapture",
        ])
        .env(ENV_PATH, path)
        .env(ENV_MODE, mode)
        .env(ENV_ARG, arg)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout: ChildStdout = child.stdout.take().expect("child stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn wait_ready(rx: &mpsc::Receiver<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            // The harness prints "test child_process ... " before the child's first line.
            if line.ends_with("ready") {
                return;
            }
        }
    }
    panic!("child never became ready");
}

#[test]
fn everything_survives_reopen() {
    let dir = TempDir::new();
    {
        let store = open(&dir);
        store.put(b"a", b"1", false).unwrap(); // 2
        store.put(b"a", b"2", false).unwrap(); // 3
        store.put(b"b", b"1", false).unwrap(); // 4
        store.delete_range(b"b", b"", false).unwrap(); // 5
        store.put(b"c", b"1", false).unwrap(); // 6
        store.compact(3).unwrap();
    }
    let store = open(&dir);
    assert_eq!(store.current_revision().unwrap(), 6);
    assert_eq!(store.compacted_revision().unwrap(), 3);
    let a = get(&store, b"a").unwrap();
    assert_eq!(
        (a.value.as_slice(), a.version, a.create_revision),
        (&b"2"[..], 2, 2)
    );
    assert!(get(&store, b"b").is_none());
    assert_eq!(get_at(&store, b"b", 4).unwrap().value, b"1");
    assert_eq!(store.events_since(b"\0", &[0], 3, false).unwrap().len(), 4);
    let old = RangeRequest {
        revision: 2,
        ..RangeRequest::single(b"a")
    };
    assert!(matches!(
        store.range(&old),
        Err(StoreError::Compacted { .. })
    ));
    assert_eq!(store.put(b"d", b"1", false).unwrap().header.revision, 7);
}

#[test]
fn second_open_in_process_waits_then_reports_locked() {
    let dir = TempDir::new();
    let first = open(&dir);
    let started = Instant::now();
    let err = match RedbStore::open(&dir.file(), Duration::from_millis(300)) {
        Err(err) => err,
        Ok(_) => panic!("second open succeeded while the first holds the file"),
    };
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(err, StoreError::Locked { path: dir.file() });
    let msg = err.to_string();
    assert!(msg.contains(&dir.file().display().to_string()), "{msg}");
    assert!(msg.contains("another kubelite process holds it"), "{msg}");
    drop(first);
    assert!(RedbStore::open(&dir.file(), Duration::ZERO).is_ok());
}

#[test]
fn second_process_gets_locked_after_the_wait_and_in_when_released() {
    let dir = TempDir::new();
    drop(open(&dir));
    let (mut holder, rx) = spawn_child(&dir.file(), "hold", "3000");
    wait_ready(&rx);
    let started = Instant::now();
    let result = RedbStore::open(&dir.file(), Duration::from_millis(400));
    assert!(matches!(result, Err(StoreError::Locked { .. })));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    // Within a long enough wait the store opens once the holder exits.
    let store = RedbStore::open(&dir.file(), Duration::from_secs(20)).expect("open after release");
    assert!(started.elapsed() >= Duration::from_millis(2500));
    assert_eq!(store.current_revision().unwrap(), 1);
    let _ = holder.wait();
}

#[test]
fn a_file_that_is_not_a_store_gives_a_clear_error() {
    let dir = TempDir::new();
    let path = dir.file();
    std::fs::write(&path, "this is a text file, not a database\n".repeat(200)).unwrap();
    let err = match RedbStore::open(&path, Duration::ZERO) {
        Err(err) => err,
        Ok(_) => panic!("opened a text file as a store"),
    };
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("is not a kubelite store"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    // The file was left alone.
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("this is a text file")
    );
}

#[test]
fn a_missing_directory_gives_an_io_error_naming_the_path() {
    let dir = TempDir::new();
    let path = dir.path().join("no/such/dir/store.redb");
    let err = match RedbStore::open(&path, Duration::ZERO) {
        Err(err) => err,
        Ok(_) => panic!("opened a store in a missing directory"),
    };
    assert!(matches!(err, StoreError::Io(_)), "{err:?}");
    assert!(err.to_string().contains("no/such/dir/store.redb"));
}

/// Runs a child in `mode` and kills it with SIGKILL once it has acknowledged a few writes
/// (a bounded wait, not a fixed time a busy machine might spend starting up) plus up to
/// 400 ms; returns everything it printed.
fn run_then_kill(path: &Path, mode: &str, arg: &str) -> Vec<String> {
    let (mut child, rx) = spawn_child(path, mode, arg);
    wait_ready(&rx);
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while lines
        .iter()
        .filter(|l: &&String| l.contains("ack "))
        .count()
        < 5
        && Instant::now() < deadline
    {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            lines.push(line);
        }
    }
    thread::sleep(Duration::from_millis(clock_random(400)));
    child.kill().expect("SIGKILL child"); // Child::kill sends SIGKILL on Unix.
    let _ = child.wait();
    // The reader thread ends at EOF.
    lines.extend(rx.iter());
    lines
}

/// A pseudo-random number from the clock: no rand crate needed for kill timing.
fn clock_random(modulo: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    u64::from(nanos) % modulo
}

/// What a killed child reported: the keys it acknowledged (`ack KEY`), and the highest
/// revision a reader saw (`seen REV`; 0 if none).
fn reports(lines: &[String]) -> (Vec<String>, i64) {
    let mut acks = Vec::new();
    let mut seen_max = 0i64;
    for line in lines {
        if let Some(pos) = line.find("ack ") {
            acks.push(line[pos + 4..].to_string());
        } else if let Some(pos) = line.find("seen ")
            && let Ok(seen) = line[pos + 5..].parse::<i64>()
        {
            seen_max = seen_max.max(seen);
        }
    }
    (acks, seen_max)
}

/// Every acknowledged key is in the store, holding its own name (as the child put it).
fn assert_all_kept(store: &RedbStore, acked: &[String]) {
    for key in acked {
        let kv = get(store, key.as_bytes());
        assert_eq!(
            kv.map(|kv| kv.value),
            Some(key.as_bytes().to_vec()),
            "lost {key}"
        );
    }
}

#[test]
fn acknowledged_puts_survive_sigkill() {
    let dir = TempDir::new();
    drop(open(&dir));
    let mut acked: Vec<String> = Vec::new();
    for round in 0..3 {
        let (acks, _) = reports(&run_then_kill(&dir.file(), "put", &format!("round{round}")));
        assert!(
            !acks.is_empty(),
            "child acknowledged nothing in round {round}"
        );
        acked.extend(acks);
        let store = RedbStore::open(&dir.file(), Duration::from_secs(5)).expect("reopen");
        assert_all_kept(&store, &acked);
        // Only puts of distinct keys happened: one revision per key present.
        let all = store.range(&RangeRequest {
            count_only: true,
            ..RangeRequest::prefix(b"")
        });
        let present = all.unwrap().count;
        assert!(present as usize >= acked.len());
        assert!(present as usize <= acked.len() + round + 1);
        assert_eq!(store.current_revision().unwrap(), present + 1);
    }
}

/// Group commit and deferred writes under SIGKILL: every acknowledged put survives, and the
/// store never reopens at a revision below one a reader saw (the deferring thread's writes
/// are made durable before anyone else reads them).
#[test]
fn acknowledged_and_seen_writes_survive_sigkill_beside_deferred_ones() {
    let dir = TempDir::new();
    drop(open(&dir));
    let mut acked: Vec<String> = Vec::new();
    for round in 0..3 {
        let (acks, seen_max) = reports(&run_then_kill(
            &dir.file(),
            "mixed",
            &format!("round{round}"),
        ));
        assert!(
            !acks.is_empty(),
            "child acknowledged nothing in round {round}"
        );
        acked.extend(acks);
        let store = RedbStore::open(&dir.file(), Duration::from_secs(5)).expect("reopen");
        let now = store.current_revision().unwrap();
        assert!(
            now >= seen_max,
            "round {round}: a reader saw revision {seen_max}, the store reopened at {now}"
        );
        assert_all_kept(&store, &acked);
    }
}

/// A file two thirds free: 240 values of 64 KiB, every key but each third deleted, history
/// compacted. Returns the keys kept.
fn prepare_mostly_free(path: &Path) -> Vec<String> {
    let store = RedbStore::open(path, Duration::from_secs(5)).expect("open");
    let value = crate::common::incompressible(64 << 10);
    for i in 0..240 {
        store
            .put(format!("/big/{i:04}").as_bytes(), &value, false)
            .expect("put");
    }
    let mut kept = Vec::new();
    for i in 0..240 {
        let key = format!("/big/{i:04}");
        if i % 3 == 0 {
            kept.push(key);
        } else {
            store
                .delete_range(key.as_bytes(), b"", false)
                .expect("delete");
        }
    }
    let rev = store.current_revision().expect("revision");
    store.compact(rev).expect("compact");
    kept
}

/// SIGKILL at any point of giving free pages back leaves a store that opens with every key
/// kept and takes writes; a compaction left half done is finished by a later one.
#[test]
fn a_kill_during_file_compaction_loses_nothing() {
    let dir = TempDir::new();
    let kept = prepare_mostly_free(&dir.file());
    let full = std::fs::metadata(dir.file()).expect("file").len();
    let value = crate::common::incompressible(64 << 10);
    let mut finished_in_child = 0;
    for round in 0..3 {
        let (mut child, rx) = spawn_child(&dir.file(), "reclaim", "");
        wait_ready(&rx);
        // Spread over the compaction, which takes seconds on this file in a debug build.
        thread::sleep(Duration::from_millis(clock_random(200) + round * 300));
        child.kill().expect("SIGKILL child");
        let _ = child.wait();
        if rx.iter().any(|l| l.contains("reclaimed Some")) {
            finished_in_child += 1;
        }
        let store = RedbStore::open(&dir.file(), Duration::from_secs(5)).expect("reopen");
        for key in &kept {
            let kv = get(&store, key.as_bytes()).unwrap_or_else(|| panic!("lost {key}"));
            assert!(kv.value == value, "{key} damaged");
        }
        store
            .put(b"/after", b"kill", false)
            .expect("a write after the kill");
        assert_eq!(
            store
                .range(&RangeRequest {
                    count_only: true,
                    ..RangeRequest::prefix(b"/big/")
                })
                .expect("count")
                .count as usize,
            kept.len()
        );
    }
    // However far the killed ones got, a last one completes it.
    let store = RedbStore::open(&dir.file(), Duration::from_secs(5)).expect("reopen");
    let _ = store.reclaim_space().expect("reclaim");
    drop(store);
    let small = std::fs::metadata(dir.file()).expect("file").len();
    assert!(
        small * 2 < full,
        "file still {small} of {full} bytes ({finished_in_child} rounds finished in the child)"
    );
}
