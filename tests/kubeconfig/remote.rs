//! The selection reaching a real server (`kubelite serve`): a kubeconfig with relative paths
//! to its CA and token file, and a pod's in-cluster configuration.

use super::sandbox::{BIN, Sandbox};
use super::serve_support::Server;

/// The serve's CA and token as files in the sandbox, and its port.
fn credentials_of(server: &Server, sb: &Sandbox, dir: &str) -> String {
    let home = &server.home.0;
    let ca = std::fs::read_to_string(home.join("ca.crt")).expect("serve CA");
    let token = std::fs::read_to_string(home.join("serve-token")).expect("serve token");
    std::fs::create_dir_all(sb.dir.join(dir)).expect("dir");
    std::fs::write(sb.dir.join(dir).join("ca.crt"), ca).expect("write CA");
    std::fs::write(sb.dir.join(dir).join("token"), token).expect("write token");
    server.url.rsplit(':').next().unwrap_or("").to_string()
}

#[test]
fn relative_ca_and_token_file_reach_the_server_and_in_cluster_config_works() {
    let server = Server::start(false);
    let sb = Sandbox::new(&[]);
    credentials_of(&server, &sb, "conf/secrets");
    let config = format!(
        "clusters:
- name: lab
  cluster: {{server: \"{}\", certificate-authority: secrets/ca.crt}}
users:
- name: me
  user: {{tokenFile: secrets/token}}
contexts:
- name: lab
  context: {{cluster: lab, user: me, namespace: kube-system}}
current-context: lab
",
        server.url
    );
    std::fs::write(sb.dir.join("conf/config"), config).expect("kubeconfig");
    // Relative to conf/, not to the working directory.
    let out = sb.run(BIN, Some("conf/config"), &["get", "pods", "-o", "name"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("pod/etcd-master"), "{out:?}");
    // This process did not open an embedded cluster of its own.
    assert!(!sb.dir.join("kubelite-home").exists());

    // A pod: nothing in the kubeconfig, the service account mounted.
    let port = credentials_of(&server, &sb, "sa");
    std::fs::write(sb.dir.join("sa/namespace"), "kube-system\n").expect("namespace");
    let sa = sb.dir.join("sa").to_string_lossy().into_owned();
    let vars = [
        ("KUBECONFIG", "/dev/null"),
        ("KUBERNETES_SERVICE_HOST", "127.0.0.1"),
        ("KUBERNETES_SERVICE_PORT", port.as_str()),
        ("KUBELITE_SERVICEACCOUNT_DIR", sa.as_str()),
    ];
    let out = sb.run_with(BIN, &vars, &["get", "pods", "-o", "name"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains("pod/etcd-master"), "{out:?}");
    // Without the service account the empty config means kubectl's localhost:8080.
    let none = sb.dir.join("no-account").to_string_lossy().into_owned();
    let vars = [
        vars[0],
        vars[1],
        vars[2],
        ("KUBELITE_SERVICEACCOUNT_DIR", none.as_str()),
    ];
    let out = sb.run_with(BIN, &vars, &["get", "pods", "-o", "name"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("localhost:8080"), "{out:?}");
}
