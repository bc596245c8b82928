//! `etcdctl snapshot save|status|restore`: against the real etcdctl 3.4 (same command lines,
//! same bytes once timestamps, durations and temp paths are masked), and kubelite's own
//! snapshots saved, checked and restored into a store that holds the cluster as it was.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kubelite::etcdctl::{self as kl, Backend, ConnectOptions, EmbeddedBackend, WatchLimits};
use kubelite::store::redb::RedbStore;
use kubelite::store::{RangeRequest, Store};
use regex::Regex;

use crate::support::{Etcd, Outcome, real, run_kubelite_etcdctl, temp_dir, tool};

/// kubelite's etcdctl in this process: on the store file `store` without `--endpoints`,
/// on a real etcd with them.
fn ours(store: &Path, args: &[&str]) -> Outcome {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let path = store.to_path_buf();
    let connect = move |opts: &ConnectOptions| -> Result<Box<dyn Backend>, String> {
        if opts.endpoints_given {
            return kl::connect_etcd(opts);
        }
        let s = RedbStore::open(&path, Duration::from_secs(5)).map_err(|e| e.to_string())?;
        Ok(Box::new(EmbeddedBackend::new(s)))
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_kubelite_etcdctl(
        &args,
        connect,
        &mut &b""[..],
        &mut out,
        &mut err,
        WatchLimits::default(),
    );
    (out, err, code)
}

/// Timestamps and durations, which no two runs share.
fn mask(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let ts = Regex::new(r#""ts":("[^"]*"|[0-9.e+]+)"#).unwrap();
    let took = Regex::new(r#""took":[0-9.e-]+"#).unwrap();
    let text = ts.replace_all(&text, "\"ts\":TS");
    took.replace_all(&text, "\"took\":TOOK").into_owned()
}

fn oracle() -> Option<PathBuf> {
    match (tool("etcd"), tool("etcdctl")) {
        (Some(etcd), Some(_)) => Some(etcd),
        _ => {
            eprintln!(
                "\n\n!!!!!!!! SKIPPED: the `etcd` and `etcdctl` binaries are not on PATH.\n!!!!!!!! Install them (apt-get install -y etcd-server etcd-client) to run the snapshot compatibility test.\n\n"
            );
            None
        }
    }
}

fn same(what: &str, real: &Outcome, ours: &Outcome, diffs: &mut Vec<String>) {
    let (r, o) = (
        (mask(&real.0), mask(&real.1), real.2),
        (mask(&ours.0), mask(&ours.1), ours.2),
    );
    if r != o {
        diffs.push(format!("{what}\n  real: {r:?}\n  ours: {o:?}"));
    }
}

/// The same command lines where no file of either side's making is read: usage, argument
/// errors, missing files, restore's flag checks, an existing data dir.
#[test]
fn errors_and_help_match_real_etcdctl() {
    if oracle().is_none() {
        return;
    }
    let dir = temp_dir("snap-errors");
    let exists = dir.join("exists");
    std::fs::create_dir_all(&exists).unwrap();
    let d = |p: &str| dir.join(p).display().to_string();
    let (missing, nodir, target, existing) = (
        d("missing.db"),
        d("no/such/dir/s.db"),
        d("restored"),
        exists.display().to_string(),
    );
    let lines: Vec<Vec<&str>> = vec![
        vec!["snapshot"],
        vec!["snapshot", "--help"],
        vec!["snapshot", "save", "--help"],
        vec!["snapshot", "status", "-h"],
        vec!["snapshot", "restore", "--help"],
        vec!["help", "snapshot", "restore"],
        vec!["snapshot", "save"],
        vec!["snapshot", "save", "a", "b"],
        vec!["snapshot", "status"],
        vec!["snapshot", "status", "a", "b"],
        vec!["snapshot", "restore"],
        vec!["snapshot", "status", &missing],
        vec!["snapshot", "status", &missing, "-w", "protobuf"],
        vec!["snapshot", "status", &missing, "-w", "yaml"],
        vec!["snapshot", "restore", &missing, "--data-dir", &target],
        vec!["snapshot", "restore", &missing, "--data-dir", &existing],
        vec![
            "snapshot",
            "restore",
            &missing,
            "--data-dir",
            &target,
            "--name",
            "m1",
        ],
        vec![
            "snapshot",
            "restore",
            &missing,
            "--data-dir",
            &target,
            "--initial-advertise-peer-urls",
            "http://10.1.1.1:2380",
        ],
        vec![
            "snapshot",
            "restore",
            &missing,
            "--data-dir",
            &target,
            "--initial-advertise-peer-urls",
            "ftp://x:1",
        ],
        vec!["snapshot", "save", &nodir],
    ];
    let store = dir.join("store.redb");
    let mut diffs = Vec::new();
    for args in &lines {
        let r = real("127.0.0.1:2379", args, b"", &[]);
        let o = ours(&store, args);
        same(&args.join(" "), &r, &o, &mut diffs);
    }
    // The real etcdctl is given its endpoints in ETCDCTL_ENDPOINTS, kubelite's as a flag.
    let r = real(
        "127.0.0.1:1,127.0.0.1:2",
        &["snapshot", "save", &missing],
        b"",
        &[],
    );
    let o = ours(
        &store,
        &[
            "--endpoints=127.0.0.1:1,127.0.0.1:2",
            "snapshot",
            "save",
            &missing,
        ],
    );
    same("save to two endpoints", &r, &o, &mut diffs);
    assert!(!target_exists(&target), "an error restored something");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(diffs.is_empty(), "{}", diffs.join("\n\n"));
}

fn target_exists(p: &str) -> bool {
    Path::new(p).exists()
}

/// Against a real etcd: kubelite's `save` writes what the real etcdctl writes (its logs,
/// `Snapshot saved at`), a file the real etcdctl's `status` reads as its own; and kubelite's
/// `status`/`restore` say clearly that they do not read a real etcd's (bbolt) snapshot.
#[test]
fn save_from_a_real_etcd_matches_real_etcdctl() {
    let Some(etcd) = oracle() else { return };
    let server = Etcd::start(&etcd, "snap-save");
    let ep = format!("--endpoints={}", server.endpoint);
    for (k, v) in [("a", "1"), ("b", "2"), ("a", "3")] {
        assert_eq!(real(&server.endpoint, &["put", k, v], b"", &[]).2, 0);
    }
    let dir = temp_dir("snap-save");
    let (real_file, our_file) = (dir.join("real.db"), dir.join("ours.db"));
    let real_save = real(
        &server.endpoint,
        &["snapshot", "save", &real_file.display().to_string()],
        b"",
        &[],
    );
    let our_save = ours(
        &dir.join("unused.redb"),
        &[&ep, "snapshot", "save", &real_file.display().to_string()],
    );
    let mut diffs = Vec::new();
    same("snapshot save", &real_save, &our_save, &mut diffs);
    // The same stream again, under another name, to read with the real etcdctl.
    let ours_again = ours(
        &dir.join("unused.redb"),
        &[&ep, "snapshot", "save", &our_file.display().to_string()],
    );
    assert_eq!(
        ours_again.2,
        0,
        "{}",
        String::from_utf8_lossy(&ours_again.1)
    );
    assert!(!dir.join("ours.db.part").exists());
    for w in ["simple", "table", "json", "fields"] {
        let status = |f: &Path| {
            real(
                &server.endpoint,
                &["snapshot", "status", &f.display().to_string(), "-w", w],
                b"",
                &[],
            )
        };
        same(
            &format!("status -w {w}"),
            &status(&real_file),
            &status(&our_file),
            &mut diffs,
        );
    }
    let ours_status = ours(
        &dir.join("unused.redb"),
        &["snapshot", "status", &our_file.display().to_string()],
    );
    assert_eq!(ours_status.2, 1);
    assert!(String::from_utf8_lossy(&ours_status.1).contains("real etcd (a bbolt file)"));
    let target = dir.join("restored");
    let ours_restore = ours(
        &dir.join("unused.redb"),
        &[
            "snapshot",
            "restore",
            &our_file.display().to_string(),
            "--data-dir",
            &target.display().to_string(),
        ],
    );
    assert_eq!(ours_restore.2, 1);
    assert!(
        !target.exists(),
        "a refused restore wrote {}",
        target.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(diffs.is_empty(), "{}", diffs.join("\n\n"));
}

/// kubelite's snapshot of the embedded store next to the real etcdctl's of a real etcd:
/// `save`'s and `restore`'s lines and `status`'s layouts are the same once the values that
/// must differ (hash, revision, key count, size, paths) are masked.
#[test]
fn embedded_snapshots_print_as_real_etcdctl() {
    let Some(etcd) = oracle() else { return };
    let server = Etcd::start(&etcd, "snap-embedded");
    let dir = temp_dir("snap-embedded");
    let store = dir.join("store.redb");
    {
        let s = RedbStore::open(&store, Duration::from_secs(5)).unwrap();
        s.put(b"a", b"1", false).unwrap();
    }
    let real_file = dir.join("snap.db").display().to_string();
    let our_dir = dir.join("ours");
    std::fs::create_dir_all(&our_dir).unwrap();
    let our_file = our_dir.join("snap.db").display().to_string();
    let from_ours = |o: Outcome| -> Outcome {
        let fix = |b: Vec<u8>| {
            let t = String::from_utf8_lossy(&b).replace(
                &format!("{}/ours/", dir.display()),
                &format!("{}/", dir.display()),
            );
            // The embedded member answers for the default endpoint, the real one elsewhere.
            t.replace("127.0.0.1:2379", &server.endpoint).into_bytes()
        };
        (fix(o.0), fix(o.1), o.2)
    };
    let mut diffs = Vec::new();
    let r = real(
        &server.endpoint,
        &["snapshot", "save", &real_file],
        b"",
        &[],
    );
    let o = from_ours(ours(&store, &["snapshot", "save", &our_file]));
    let size = Regex::new(r#""size":"[^"]*""#).unwrap();
    let unsize = |o: &Outcome| -> Outcome {
        (
            o.0.clone(),
            size.replace_all(&String::from_utf8_lossy(&o.1), "\"size\":SIZE")
                .into_owned()
                .into_bytes(),
            o.2,
        )
    };
    same("snapshot save", &unsize(&r), &unsize(&o), &mut diffs);
    let numbers = Regex::new(r"[0-9a-f.]+( kB| MB| B)?").unwrap();
    let dashes = Regex::new(r"[-+ ]+").unwrap();
    for w in ["simple", "json", "fields", "table"] {
        let r = real(
            &server.endpoint,
            &["snapshot", "status", &real_file, "-w", w],
            b"",
            &[],
        );
        let o = ours(&store, &["snapshot", "status", &our_file, "-w", w]);
        let shape = |o: &Outcome| {
            let t = numbers
                .replace_all(&String::from_utf8_lossy(&o.0), "N")
                .into_owned();
            let t = dashes.replace_all(&t, " ").into_owned();
            (t.into_bytes(), o.1.clone(), o.2)
        };
        same(
            &format!("status -w {w}"),
            &shape(&r),
            &shape(&o),
            &mut diffs,
        );
    }
    let restore_args = |file: &str, target: &str| -> Vec<String> {
        [
            "snapshot",
            "restore",
            file,
            "--data-dir",
            target,
            "--name",
            "m1",
            "--initial-cluster",
            "m1=http://10.0.0.1:2380,m2=http://10.0.0.2:2380",
            "--initial-cluster-token",
            "tok",
            "--initial-advertise-peer-urls",
            "http://10.0.0.1:2380",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let real_target = dir.join("restored").display().to_string();
    let our_target = our_dir.join("restored").display().to_string();
    let ra = restore_args(&real_file, &real_target);
    let r = real(
        &server.endpoint,
        &ra.iter().map(String::as_str).collect::<Vec<_>>(),
        b"",
        &[],
    );
    let oa = restore_args(&our_file, &our_target);
    let o = from_ours(ours(
        &store,
        &oa.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    same("snapshot restore", &r, &o, &mut diffs);
    assert!(Path::new(&our_target).join("member/snap/db").is_file());
    assert!(Path::new(&our_target).join("member/wal").is_dir());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(diffs.is_empty(), "{}", diffs.join("\n\n"));
}

/// No real etcd needed: a snapshot holds the store at the revision it was saved at, a
/// restore brings exactly that back, and damaged files are refused with etcdctl's errors
/// and restore nothing.
#[test]
fn embedded_save_restore_round_trip_and_damage() {
    let dir = temp_dir("snap-roundtrip");
    let store = dir.join("store.redb");
    {
        let s = RedbStore::open(&store, Duration::from_secs(5)).unwrap();
        s.put(b"/registry/pods/default/a", b"one", false).unwrap();
        s.put(b"/registry/pods/default/a", b"two", false).unwrap();
    }
    let file = dir.join("snap.db").display().to_string();
    let saved = ours(&store, &["snapshot", "save", &file]);
    assert_eq!(saved.2, 0, "{}", String::from_utf8_lossy(&saved.1));
    assert_eq!(saved.0, format!("Snapshot saved at {file}\n").into_bytes());
    {
        let s = RedbStore::open(&store, Duration::from_secs(5)).unwrap();
        s.put(b"/registry/pods/default/b", b"later", false).unwrap();
    }
    let status = ours(&store, &["snapshot", "status", &file, "-w", "json"]);
    let text = String::from_utf8_lossy(&status.0).into_owned();
    assert!(text.contains("\"revision\":3,"), "{text}");

    let target = dir.join("restored");
    let t = target.display().to_string();
    let restored = ours(&store, &["snapshot", "restore", &file, "--data-dir", &t]);
    assert_eq!(restored.2, 0, "{}", String::from_utf8_lossy(&restored.1));
    let db = RedbStore::open(&target.join("member/snap/db"), Duration::from_secs(5)).unwrap();
    assert_eq!(db.current_revision().unwrap(), 3);
    let now = db.range(&RangeRequest::prefix(b"/registry/pods/")).unwrap();
    assert_eq!(now.kvs.len(), 1);
    assert_eq!(now.kvs[0].value, b"two");
    let past = RangeRequest {
        revision: 2,
        ..RangeRequest::single(b"/registry/pods/default/a")
    };
    assert_eq!(db.range(&past).unwrap().kvs[0].value, b"one");
    drop(db);

    let again = ours(&store, &["snapshot", "restore", &file, "--data-dir", &t]);
    assert_eq!(
        String::from_utf8_lossy(&again.1).lines().last(),
        Some(format!("Error: data-dir \"{t}\" exists").as_str())
    );

    let bytes = std::fs::read(&file).unwrap();
    let damaged = dir.join("damaged.db").display().to_string();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("flipped", flip(&bytes, 4100), "Error: expected sha256 ["),
        (
            "truncated",
            bytes[..bytes.len() - 100].to_vec(),
            "Error: snapshot missing hash but --skip-hash-check=false",
        ),
        (
            "no hash",
            bytes[..bytes.len() - 32].to_vec(),
            "Error: snapshot missing hash but --skip-hash-check=false",
        ),
        ("garbage", vec![0x5a; 4096 + 32], "Error: expected sha256 ["),
        (
            "empty",
            Vec::new(),
            "Error: snapshot missing hash but --skip-hash-check=false",
        ),
    ];
    for (what, content, error) in cases {
        std::fs::write(&damaged, &content).unwrap();
        let target = dir.join(format!("from-{}", what.replace(' ', "-")));
        let t = target.display().to_string();
        let o = ours(&store, &["snapshot", "restore", &damaged, "--data-dir", &t]);
        let err = String::from_utf8_lossy(&o.1).into_owned();
        assert_eq!(o.2, 1, "{what}: {err}");
        assert!(
            err.lines().last().is_some_and(|l| l.starts_with(error)),
            "{what}: {err}"
        );
        assert!(!target.exists(), "{what}: restore left {t}");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("restoring"))
            .collect();
        assert!(leftovers.is_empty(), "{what}: staging left behind");
        let st = ours(&store, &["snapshot", "status", &damaged]);
        // Without its hash the store file is still whole: `status` reads it, as etcd's
        // reads a bbolt file copied from a data dir.
        let want = if what == "no hash" { 0 } else { 1 };
        assert_eq!(
            st.2,
            want,
            "{what}: status {}",
            String::from_utf8_lossy(&st.1)
        );
    }
    // A store file copied out of a data dir has no hash: restored with --skip-hash-check.
    std::fs::write(&damaged, &bytes[..bytes.len() - 32]).unwrap();
    let t = dir.join("from-copy").display().to_string();
    let o = ours(
        &store,
        &[
            "snapshot",
            "restore",
            &damaged,
            "--data-dir",
            &t,
            "--skip-hash-check",
        ],
    );
    assert_eq!(o.2, 0, "{}", String::from_utf8_lossy(&o.1));
    let _ = std::fs::remove_dir_all(&dir);
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= 0xff;
    b
}

/// The whole cluster: objects saved with `kubelite etcdctl snapshot save`, deleted, then
/// seen again in a home whose store is the restored db. In the etcd pod, which has no
/// filesystem, the snapshot commands are refused with a pointer to where they work.
#[test]
fn restored_db_brings_the_cluster_back() {
    let dir = temp_dir("snap-cluster");
    let (home, home2) = (dir.join("home"), dir.join("home2"));
    let kubelite = |home: &Path, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
            .args(args)
            .env("KUBELITE_HOME", home)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run kubelite");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    };
    let file = dir.join("snap.db").display().to_string();
    let r = kubelite(
        &home,
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--replicas=2",
        ],
    );
    assert_eq!(r.2, 0, "{}", r.1);
    let r = kubelite(&home, &["etcdctl", "snapshot", "save", &file]);
    assert_eq!(r.2, 0, "{}", r.1);
    let r = kubelite(&home, &["delete", "deployment", "web"]);
    assert_eq!(r.2, 0, "{}", r.1);
    let data = dir.join("restored").display().to_string();
    let r = kubelite(
        &home,
        &["etcdctl", "snapshot", "restore", &file, "--data-dir", &data],
    );
    assert_eq!(r.2, 0, "{}", r.1);
    std::fs::create_dir_all(&home2).unwrap();
    std::fs::copy(
        dir.join("restored/member/snap/db"),
        home2.join("cluster.redb"),
    )
    .unwrap();
    let r = kubelite(&home2, &["get", "deployment", "web", "-o", "name"]);
    assert_eq!(r.0, "deployment.apps/web\n", "{}", r.1);
    let r = kubelite(&home, &["get", "deployment", "web", "-o", "name"]);
    assert_ne!(r.2, 0, "the deployment was deleted after the save");
    let r = kubelite(
        &home,
        &[
            "exec",
            "etcd-master",
            "-n",
            "kube-system",
            "--",
            "etcdctl",
            "snapshot",
            "save",
            "/tmp/x.db",
        ],
    );
    assert_ne!(r.2, 0);
    assert!(r.1.contains("no filesystem for snapshot files"), "{}", r.1);
    let _ = std::fs::remove_dir_all(&dir);
}
