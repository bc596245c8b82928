//! `attach` against `kubelite serve`: its containers are simulated and run no process, so
//! serve's `pods/attach` says so, and the real kubectl and kubelite print the same. The
//! embedded cluster without serve refuses `attach` with the same reason.

use super::support::{BIN, Server, TempDir, kubectl_available, kubelite};
use std::process::Command;

#[test]
fn serve_says_its_containers_run_no_process_to_attach_to() {
    require_kubectl!();
    let s = Server::start(false);
    let args = ["-n", "kube-system", "attach", "etcd-master"];
    let theirs = s.kubectl(&args);
    let ours: super::support::Run = Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", &s.home.0)
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubelite attach")
        .into();
    assert_eq!(theirs.code, 1, "{}", theirs.stderr);
    assert!(
        theirs.stderr.ends_with(
            "Error from server (BadRequest): pod \"etcd-master\": kubelite's containers are simulated and run no process to attach to; what they print is in the pod's log (kubectl logs etcd-master)\n"
        ),
        "{}",
        theirs.stderr
    );
    assert_eq!(
        (ours.stdout.as_str(), ours.stderr.as_str(), ours.code),
        (theirs.stdout.as_str(), theirs.stderr.as_str(), theirs.code)
    );
}

#[test]
fn the_embedded_cluster_refuses_attach() {
    let home = TempDir::new("attach-embedded");
    let run = kubelite(&home.0, false, &["attach", "web"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: attach joins a container's running process"),
        "{}",
        run.stderr
    );
}

#[test]
fn port_forward_has_nothing_to_reach_in_the_embedded_cluster() {
    let home = TempDir::new("refused");
    let run = kubelite(&home.0, false, &["port-forward", "pod/web", "8080:80"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: port-forward reaches a port a container listens on, and the embedded cluster's containers are simulated"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

/// The real kubectl's port-forward to serve gets serve's reason, over its WebSocket
/// tunnel and then its SPDY fallback.
#[test]
fn serve_says_its_containers_listen_on_no_ports() {
    require_kubectl!();
    let s = Server::start(false);
    let args = ["-n", "kube-system", "port-forward", "etcd-master", "0:2379"];
    let run = s.kubectl(&args);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            "error: error upgrading connection: pod \"etcd-master\": kubelite's containers are simulated and listen on no ports: there is nothing to forward to\n",
            1
        )
    );
    let ours: super::support::Run = Command::new(BIN)
        .args(args)
        .env("KUBELITE_HOME", &s.home.0)
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubelite port-forward")
        .into();
    assert_eq!(
        (ours.stdout.as_str(), ours.stderr.as_str(), ours.code),
        (run.stdout.as_str(), run.stderr.as_str(), run.code)
    );
}
