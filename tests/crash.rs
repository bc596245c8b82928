//! Durability of `create`: a `create -f` of 10,000 objects is killed with SIGKILL at a
//! random moment; the store must open, and every object `create` reported as created must
//! be there and intact.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

fn kubelite(home: &PathBuf) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KUBELITE_HOME", home)
        .env("KUBELITE_NOW", "2026-11-29T01:42:16Z");
    c
}

fn manifest(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:05}\n  labels:\n    batch: crash\ndata:\n  index: \"{i}\"\n  payload: \"{}\"\n",
                "x".repeat(200)
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

#[test]
fn killed_create_keeps_every_reported_object() {
    let dir = std::env::temp_dir().join(format!("kubelite-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let home = dir.join("home");
    let file = dir.join("many.yaml");
    std::fs::write(&file, manifest(10_000)).unwrap();
    // Boot the cluster first, so the kill lands inside create's own work.
    assert!(
        kubelite(&home)
            .args(["get", "ns"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    );

    // A random moment: once create has reported a random number of objects (it prints in
    // batches, so the kill lands anywhere inside a batch's commit or output).
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let kill_at = 1 + (nanos as usize) % 9_500;
    let mut child = kubelite(&home)
        .args(["create", "-f"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let stdout = child.stdout.take().unwrap();
    let mut reported = Vec::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        reported.push(line);
        if reported.len() == kill_at {
            // SAFETY: pid is our own child, not yet waited for.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    let status = child.wait().unwrap();
    eprintln!(
        "kill at {kill_at} reported objects: create reported {} ({status})",
        reported.len()
    );
    assert!(
        reported.len() >= kill_at.min(10_000),
        "create ended before the kill"
    );

    let listed = kubelite(&home)
        .args(["get", "cm", "-l", "batch=crash", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "store did not open: {}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("list is JSON");
    let items = list["items"].as_array().unwrap();
    let stored: std::collections::HashMap<&str, &serde_json::Value> = items
        .iter()
        .map(|i| (i["metadata"]["name"].as_str().unwrap(), i))
        .collect();
    for line in &reported {
        let name = line
            .strip_prefix("configmap/")
            .and_then(|l| l.strip_suffix(" created"))
            .unwrap_or_else(|| panic!("unexpected output line {line:?}"));
        let obj = stored
            .get(name)
            .unwrap_or_else(|| panic!("{name} was reported created but is missing"));
        let index: usize = name[3..].parse().unwrap();
        assert_eq!(
            obj["data"]["index"],
            index.to_string(),
            "{name} is not intact"
        );
        assert_eq!(obj["data"]["payload"].as_str().map(str::len), Some(200));
    }
    assert!(stored.len() >= reported.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A read of a cluster whose control plane has nothing to do opens the store read-only:
/// the file is not written (not even redb's open and close), and what it prints is what a
/// settle would have left. Once the clock has moved on, the same read settles first.
#[test]
fn reads_of_an_idle_cluster_leave_its_store_untouched() {
    let dir = std::env::temp_dir().join(format!("kubelite-idle-read-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let home = dir.join("home");
    let run = |now: &str, args: &[&str]| {
        let out = kubelite(&home)
            .env("KUBELITE_NOW", now)
            .args(args)
            .output()
            .expect("run kubelite");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let start = "2026-11-29T01:42:16Z";
    run(
        start,
        &[
            "create",
            "deployment",
            "web",
            "--image=nginx",
            "--replicas=2",
        ],
    );
    run(start, &["get", "pods"]);
    let store = home.join("cluster.redb");
    let before = std::fs::read(&store).expect("store");
    let pods = run(start, &["get", "pods"]);
    assert_eq!(pods.matches(" Running ").count(), 2, "{pods}");
    for args in [
        &["describe", "deployment", "web"][..],
        &["get", "events"],
        &["logs", "deployment/web"],
        &["api-resources"],
    ] {
        run(start, args);
    }
    assert!(
        std::fs::read(&store).expect("store") == before,
        "a read wrote to the store"
    );
    // An hour on, the kubelets' leases are due: the read settles before it prints.
    let pods = run("2026-11-29T02:42:16Z", &["get", "pods"]);
    assert_eq!(pods.matches(" Running ").count(), 2, "{pods}");
    assert!(pods.contains(" 60m\n"), "{pods}");
    assert!(
        std::fs::read(&store).expect("store") != before,
        "the later read did not settle"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
