//! One-shot timings of the verbs that read or compare rather than write (release build:
//! `cargo bench --bench verbs`), each the median of 10 runs on a cluster of 1,000 pods:
//! - `kustomize` of an overlay (base + patches + generators), beside `kubectl kustomize`
//!   when kubectl is on the PATH;
//! - `explain pod.spec.containers` and `explain deployment --recursive` (offline);
//! - `top pod` and `top node`;
//! - `diff -f` of the 1,000-pod file the cluster was made from (a dry-run apply of each
//!   object; `create` left no last-applied annotation, which the apply adds: exit 1).

#[path = "support/manifests.rs"]
mod manifests;

use manifests::{median, pods};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A pinned cluster clock: a settled cluster has nothing left to do between commands.
const NOW: &str = "2026-11-29T01:42:16Z";

fn kubelite(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    c.env("KUBELITE_HOME", home)
        .env("KUBELITE_NOW", NOW)
        .env_remove("KUBECONFIG");
    c
}

/// Runs a command to completion with the exit code it must have; returns its wall time.
fn timed(cmd: &mut Command, code: i32) -> Duration {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run");
    let wall = start.elapsed();
    assert_eq!(status.code(), Some(code), "{cmd:?}");
    wall
}

fn report(what: &str, cmd: &mut dyn FnMut() -> Command, code: i32) {
    let walls: Vec<Duration> = (0..10).map(|_| timed(&mut cmd(), code)).collect();
    println!("{what}: median {:?} over 10 runs", median(walls));
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-verbs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let home = dir.join("home");
    let file = dir.join("pods.yaml");
    std::fs::write(&file, pods(1000)).unwrap();
    timed(kubelite(&home).arg("create").arg("-f").arg(&file), 0);

    let overlay = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/kustomize/app/overlays/prod"
    );
    report(
        "kustomize app/overlays/prod",
        &mut || {
            let mut c = kubelite(&home);
            c.args(["kustomize", overlay]);
            c
        },
        0,
    );
    if Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        report(
            "kubectl kustomize app/overlays/prod (the real kubectl 1.32)",
            &mut || {
                let mut c = Command::new("kubectl");
                c.args(["kustomize", overlay]);
                c
            },
            0,
        );
    }
    for args in [
        &["explain", "pod.spec.containers"][..],
        &["explain", "deployment", "--recursive"],
        &["top", "pod"],
        &["top", "node"],
    ] {
        report(
            &format!("{} (1,000 pods)", args.join(" ")),
            &mut || {
                let mut c = kubelite(&home);
                c.args(args);
                c
            },
            0,
        );
    }
    report(
        "diff -f of the 1,000 pods created from the same file",
        &mut || {
            let mut c = kubelite(&home);
            c.arg("diff").arg("-f").arg(&file);
            c
        },
        1,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
