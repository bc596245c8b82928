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

/// The same verbs through kubelite and through the real kubectl, both reaching one
/// `kubelite serve` by one kubeconfig: TLS plus a token, TLS plus a client certificate (files
/// named relative to the kubeconfig), and an exec credential plugin (`./plugin.sh`, resolved
/// against the kubeconfig's directory), and a wrong token. Outputs must be identical.
#[test]
fn kubelite_and_kubectl_reach_serve_alike_through_a_kubeconfig() {
    if !std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!(
            "\n!!!!!! kubectl NOT FOUND ON PATH: SKIPPING THE KUBECTL ORACLE COMPARISON !!!!!!\n"
        );
        return;
    }
    let server = Server::start(true);
    let sb = Sandbox::new(&[]);
    credentials_of(&server, &sb, "conf");
    let home = &server.home.0;
    for f in ["admin.crt", "admin.key"] {
        std::fs::copy(home.join(f), sb.dir.join("conf").join(f)).expect("client certificate");
    }
    let plugin = format!(
        "#!/bin/sh\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{}\"}}}}'\n",
        server.token()
    );
    std::fs::write(sb.dir.join("conf/plugin.sh"), plugin).expect("plugin");
    {
        use std::os::unix::fs::PermissionsExt;
        let p = sb.dir.join("conf/plugin.sh");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let config = format!(
        "apiVersion: v1
kind: Config
clusters:
- name: serve
  cluster: {{server: \"{}\", certificate-authority: ca.crt}}
users:
- name: by-token
  user: {{tokenFile: token}}
- name: by-cert
  user: {{client-certificate: admin.crt, client-key: admin.key}}
- name: wrong
  user: {{token: not-the-token}}
- name: by-plugin
  user:
    exec: {{apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh, interactiveMode: Never}}
contexts:
- {{name: token, context: {{cluster: serve, user: by-token}}}}
- {{name: cert, context: {{cluster: serve, user: by-cert, namespace: kube-system}}}}
- {{name: plugin, context: {{cluster: serve, user: by-plugin}}}}
- {{name: wrong, context: {{cluster: serve, user: wrong}}}}
current-context: token
",
        server.url
    );
    std::fs::write(sb.dir.join("conf/config"), config).expect("kubeconfig");
    let mut failures = Vec::new();
    let mut compared = 0;
    for context in ["token", "cert", "plugin", "wrong"] {
        for verb in [
            // The context's namespace (kube-system for "cert", else default) applies.
            vec!["get", "serviceaccounts", "-o", "name"],
            vec!["get", "nodes", "-o", "name"],
            vec!["get", "namespace", "kube-system", "-o", "yaml"],
            vec![
                "get",
                "pods",
                "-A",
                "-o",
                "jsonpath={.items[*].metadata.name}",
            ],
            vec!["get", "configmap", "nope"],
            vec!["get", "pods", "-n", "kube-system", "-o", "name"],
            // Server-side Tables: the ages are the server's cells.
            vec!["get", "pods", "-n", "kube-system"],
            vec!["get", "nodes", "-o", "wide"],
        ] {
            let mut args = vec!["--context", context];
            args.extend(verb);
            let expected = sb.run("kubectl", Some("conf/config"), &args);
            let got = sb.run(BIN, Some("conf/config"), &args);
            compared += 1;
            if expected != got {
                failures.push(format!(
                    "{}\n  kubectl: {expected:?}\n  kubelite: {got:?}",
                    args.join(" ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
