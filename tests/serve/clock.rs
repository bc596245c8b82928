//! serve says where it listens on stdout, and its clock moves forward on request
//! (`/kubelite/clock`, kubelite's own path: virtual time for tests).

use super::support::{BIN, FIXED_NOW, Server, TempDir, status_and_json};
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn serve_on_port_zero_says_where_it_listens_on_stdout() {
    let home = TempDir::new("announce");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KUBELITE_HOME", &home.0)
        .env_remove("KUBECONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().take(2) {
            let _ = tx.send(line.unwrap_or_default());
        }
    });
    let mut lines = Vec::new();
    for _ in 0..2 {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => lines.push(l),
            Err(_) => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(lines.len(), 2, "two lines on stdout: {lines:?}");
    let url = lines[0].strip_prefix("server: https://127.0.0.1:");
    let port: u16 = url.and_then(|p| p.parse().ok()).expect(&lines[0]);
    assert_ne!(port, 0);
    assert_eq!(
        lines[1],
        format!("kubeconfig: {}", home.0.join("kubeconfig").display())
    );
    let kubeconfig = std::fs::read_to_string(home.0.join("kubeconfig")).expect("kubeconfig");
    assert!(kubeconfig.contains(&format!("server: https://127.0.0.1:{port}")));
}

#[test]
fn the_clock_moves_forward_on_request_and_the_cluster_follows() {
    let mut s = Server::start(true);
    let http = s.https();
    let clock = format!("{}/kubelite/clock", s.url);
    let admin = format!("Bearer {}", s.token());
    let (code, now) = status_and_json(http.get(&clock).header("authorization", &admin));
    assert_eq!(code, 200, "{now}");
    assert_eq!(now["now"], FIXED_NOW.replace('Z', ".000000Z"));

    // A Job whose pod runs five minutes of cluster time.
    let job = serde_json::json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "five"},
        "spec": {"template": {
            "metadata": {"annotations": {"kubelite.io/run-duration": "5m"}},
            "spec": {"restartPolicy": "Never",
                     "containers": [{"name": "c", "image": "busybox"}]}}}});
    let (code, created) = status_and_json(
        http.post(format!("{}/apis/batch/v1/namespaces/default/jobs", s.url))
            .header("authorization", &admin)
            .header("content-type", "application/json")
            .body(job.to_string()),
    );
    assert_eq!(code, 201, "{created}");
    let read_job = || {
        status_and_json(
            http.get(format!(
                "{}/apis/batch/v1/namespaces/default/jobs/five",
                s.url
            ))
            .header("authorization", &admin),
        )
        .1
    };

    // Wrong steps and readers who may not move it are refused, and it stays where it was.
    let viewer = std::fs::read_to_string(s.home.0.join("viewer-token")).expect("viewer");
    let (code, _) = status_and_json(
        http.post(format!("{clock}?advance=1h"))
            .header("authorization", format!("Bearer {}", viewer.trim())),
    );
    assert_eq!(code, 403);
    for bad in ["", "?advance=soon", "?advance=400d"] {
        let (code, status) = status_and_json(
            http.post(format!("{clock}{bad}"))
                .header("authorization", &admin),
        );
        assert_eq!(code, 400, "{bad}: {status}");
    }
    let (code, status) = status_and_json(http.put(&clock).header("authorization", &admin));
    assert_eq!(code, 405, "{status}");

    // Its pod must be running before the step, or it would start at the new time.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while read_job()["status"]["ready"] != 1 {
        assert!(std::time::Instant::now() < deadline, "{}", read_job());
        std::thread::sleep(Duration::from_millis(50));
    }
    let (code, moved) = status_and_json(
        http.post(format!("{clock}?advance=6m"))
            .header("authorization", &admin),
    );
    assert_eq!(code, 200, "{moved}");
    assert_eq!(moved["now"], "2026-11-29T01:48:16.000000Z");
    // The answer comes after the control plane ran at the new time: the Job is done.
    let done = read_job();
    assert_eq!(done["status"]["succeeded"], 1, "{done}");

    // The step was kept: after a crash the cluster goes on from the moved time.
    s.kill_and_restart_on(true);
    let http = s.https();
    let clock = format!("{}/kubelite/clock", s.url);
    let (code, now) = status_and_json(http.get(&clock).header("authorization", &admin));
    assert_eq!(code, 200, "{now}");
    assert_eq!(now["now"], "2026-11-29T01:48:16.000000Z");
}
