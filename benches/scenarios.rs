//! `kubelite test` benchmarks (release build: `cargo bench --bench scenarios`):
//! - one scenario of 20 commands on a fresh cluster (target: under 150 ms);
//! - 100 such scenarios with `-j 2` (target: under 10 s on 2 cores).

#[path = "support/children_cpu.rs"]
mod children_cpu;

use children_cpu::children_cpu;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Twenty commands a user's scenario might hold: creates, gets, a rollout, a clock step.
const COMMANDS: &[&str] = &[
    "kubelite get nodes",
    "kubelite create ns shop",
    "kubelite create deployment web --image=nginx --replicas=3 -n shop",
    "kubelite get deploy -n shop",
    "kubelite get pods -n shop -o wide",
    "kubelite expose deployment web --port=80 -n shop",
    "kubelite get svc,endpoints -n shop",
    "kubelite label deployment web tier=front -n shop",
    "kubelite scale deployment web --replicas=5 -n shop",
    "kubelite get rs -n shop",
    "kubelite set image deployment/web nginx=nginx:1.28 -n shop",
    "kubelite rollout status deployment/web -n shop",
    "kubelite rollout history deployment/web -n shop",
    "kubelite run one --image=busybox",
    "kubelite describe pod one",
    "kubelite get pods -A",
    "kubelite annotate pod one note=x",
    "kubelite get pod one -o yaml",
    "kubelite delete pod one",
    "kubelite get events -n shop",
];

fn kubelite_test(args: &[&str], paths: &[&Path]) -> Duration {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_kubelite"))
        .arg("test")
        .args(args)
        .args(paths)
        .output()
        .expect("run kubelite test");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kubelite-bench-scenarios-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let many = dir.join("many");
    std::fs::create_dir_all(&many).unwrap();
    let mut text = String::from("# 20 commands\n");
    for (i, c) in COMMANDS.iter().enumerate() {
        if i == 12 {
            text.push_str("@advance 1m\n");
        }
        text.push_str(&format!("$ {c}\n"));
    }
    let one = dir.join("one.txt");
    std::fs::write(&one, text).unwrap();
    // The expectations are what the commands print.
    kubelite_test(&["--update"], &[&one]);
    let cpu = children_cpu();
    let runs: Vec<Duration> = (0..11).map(|_| kubelite_test(&[], &[&one])).collect();
    let cpu = (children_cpu() - cpu) / 11;
    println!(
        "one scenario of 20 commands on a fresh cluster: median {:?} over 11 runs (target 150 ms); CPU {cpu:?} a run",
        median(runs)
    );
    for i in 0..100 {
        std::fs::copy(&one, many.join(format!("s{i:03}.txt"))).unwrap();
    }
    let cpu = children_cpu();
    let wall = kubelite_test(&["-j", "2"], &[&many]);
    let cpu = children_cpu() - cpu;
    println!("100 scenarios of 20 commands, -j 2: {wall:?} (target 10 s on 2 cores); CPU {cpu:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
