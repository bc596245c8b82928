//! `cp` against `kubelite serve`: its containers are simulated and have no `tar`, which
//! serve's exec says as a container runtime would; kubelite prints and exits as the real
//! kubectl does. Without serve, the embedded cluster refuses `cp` outright.

use super::support::{BIN, Server, TempDir, kubectl_available, kubelite};
use std::process::Command;

#[test]
fn serves_simulated_containers_have_no_tar_for_either_client() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("cp-serve");
    let args = ["-n", "kube-system", "cp", "etcd-master:/etc/hosts", "hosts"];
    let theirs = s.kubectl_in(&args, Some(&dir.0));
    let ours = Command::new(BIN)
        .args(args)
        .current_dir(&dir.0)
        .env("KUBELITE_HOME", &s.home.0)
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubelite cp");
    let ours: super::support::Run = ours.into();
    assert_eq!(theirs.code, 126, "{}", theirs.stderr);
    assert_eq!(
        (ours.stdout.as_str(), ours.stderr.as_str(), ours.code),
        (theirs.stdout.as_str(), theirs.stderr.as_str(), theirs.code)
    );
    assert!(!dir.0.join("hosts").exists());
}

#[test]
fn the_embedded_cluster_refuses_cp() {
    let home = TempDir::new("cp-embedded");
    let run = kubelite(&home.0, false, &["cp", "etcd-master:/etc/hosts", "hosts"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: cp copies with tar run inside the container"),
        "{}",
        run.stderr
    );
    // kubectl's own checks of the command line come first.
    let run = kubelite(&home.0, false, &["cp", "a", "b"]);
    assert_eq!(
        (run.stderr.as_str(), run.code),
        (
            "error: one of src or dest must be a remote file specification\n",
            1
        )
    );
}
