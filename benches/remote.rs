//! `kubelite get pods` against `kubelite serve`, side by side with the real kubectl's
//! `get pods` against the same server: wall time of the whole command, median of RUNS
//! runs each, with 100 and 1,000 pods. Issue 6 asks for kubelite ≥ 3× faster.
//!
//! `cargo bench --bench remote` (release build). Needs `kubectl` on the PATH.

#[path = "support/serve_child.rs"]
mod serve_child;

use serve_child::ServeChild;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kubelite");
const RUNS: usize = 15;
const SIZES: &[usize] = &[100, 1_000];

fn start(tag: usize) -> ServeChild {
    let home = std::env::temp_dir().join(format!(
        "kubelite-remote-bench-{}-{tag}",
        std::process::id()
    ));
    let serve = ServeChild::spawn(home, Stdio::null());
    let deadline = Instant::now() + Duration::from_secs(60);
    while !serve.home.join("serve.json").exists() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    serve
}

fn kubelite(home: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("KUBELITE_HOME", home)
        .env("KUBECACHEDIR", home.join("kubelite-cache"))
        .env_remove("KUBECONFIG");
    c
}

fn kubectl(home: &Path) -> Command {
    let mut c = Command::new("kubectl");
    c.arg("--kubeconfig")
        .arg(home.join("kubeconfig"))
        .arg("--cache-dir")
        .arg(home.join("kubectl-cache"))
        .env_remove("KUBECONFIG");
    c
}

/// Wall time of one `get pods`; the output must list `pods` pods.
fn time_get(mut cmd: Command, pods: usize) -> Duration {
    let started = Instant::now();
    let out = cmd.args(["get", "pods"]).output().expect("run get pods");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = out
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(rows, pods + 1, "header and one row per pod");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn create_pods(home: &Path, n: usize) {
    let mut manifest = String::new();
    for i in 0..n {
        manifest.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bench-{i:05}\n  labels:\n    app: bench\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
        ));
    }
    let path = home.join("pods.yaml");
    std::fs::write(&path, manifest).expect("manifest");
    let out = kubelite(home)
        .args(["create", "-f"])
        .arg(&path)
        .output()
        .expect("create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Until the control plane is done with them: three nodes hold 110 pods each, so not
    // all of 1,000 can run; wait for the listing to stop changing.
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut last = Vec::new();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let out = kubelite(home)
            .args(["get", "pods", "-o", "wide"])
            .output()
            .expect("get");
        if out.stdout == last || Instant::now() > deadline {
            break;
        }
        last = out.stdout;
    }
}

fn main() {
    if !Command::new("kubectl")
        .args(["version", "--client"])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        println!("remote: kubectl is not on the PATH, nothing to compare with");
        return;
    }
    println!(
        "kubectl get pods vs kubelite get pods against the same kubelite serve, median of {RUNS} runs"
    );
    for (i, &n) in SIZES.iter().enumerate() {
        let serve = start(i);
        create_pods(&serve.home, n);
        // Discovery cached for both, as in everyday use.
        time_get(kubectl(&serve.home), n);
        time_get(kubelite(&serve.home), n);
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            ours.push(time_get(kubelite(&serve.home), n));
            theirs.push(time_get(kubectl(&serve.home), n));
        }
        let (ours, theirs) = (median(ours), median(theirs));
        println!(
            "remote get pods, {n:>5} pods: kubelite {:>7.1} ms   kubectl {:>7.1} ms   kubelite {:.1}x faster",
            ours.as_secs_f64() * 1e3,
            theirs.as_secs_f64() * 1e3,
            theirs.as_secs_f64() / ours.as_secs_f64()
        );
    }
}
