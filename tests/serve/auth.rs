//! Credentials and TLS settings against `kubelite serve`: each through kubelite's `Remote`
//! and through the real kubectl with an equivalent kubeconfig. Both must be let in (or
//! turned away) alike, and kubelite's error lines must be kubectl's.

use super::auth_support::*;
use super::support::{Server, TempDir, kubectl_available};
use kubelite::api::options::{ListOptions, WriteOptions};
use kubelite::api::registry;
use kubelite::client::{Client, ConnectionConfig, Credentials, Remote};
use serde_json::json;
use std::time::Duration;

fn list_pods(r: &Remote) -> Result<serde_json::Value, kubelite::api::status::ApiError> {
    let pods = registry::find("pods").expect("pods");
    r.list(pods, Some("default"), &ListOptions::default())
}

#[test]
fn tokens_certificates_and_basic_auth() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("auth");
    let cache = TempDir::new("auth-cache");
    let admin_token = s.token();
    let (cert, key) = (read(&s, "admin.crt"), read(&s, "admin.key"));

    // The admin token, and the admin client certificate alone.
    list_pods(&connect(&config(&s, token(&admin_token)))).expect("token");
    let by_cert = connect(&config(
        &s,
        Credentials {
            client_cert_pem: Some(cert.clone()),
            client_key_pem: Some(key.clone()),
            ..Default::default()
        },
    ));
    let cms = registry::find("configmaps").expect("configmaps");
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "by-cert"}});
    by_cert
        .create(cms, Some("default"), cm, &WriteOptions::default())
        .expect("a certificate from serve's CA may write");
    let cert_config = kubeconfig(
        &dir.0,
        "cert",
        &s.url,
        &ca_line(&s),
        &format!(
            "client-certificate-data: {}\nclient-key-data: {}",
            b64(&cert),
            b64(&key)
        ),
    );
    let got = kubectl(
        &cert_config,
        &cache,
        &["get", "configmap", "by-cert", "-o", "name"],
    );
    assert_eq!(
        got.ok("kubectl with the admin certificate"),
        "configmap/by-cert\n"
    );

    // A wrong token: 401 for both, in the same words (kubectl's discovery cache is warm by
    // now, so kubectl's message comes from the Status, as kubelite's does).
    let wrong = kubeconfig(&dir.0, "wrong", &s.url, &ca_line(&s), "token: wrong");
    let e = list_pods(&connect(&config(&s, token("wrong")))).expect_err("401");
    assert_eq!(e.code, 401);
    let k = kubectl(&wrong, &cache, &["get", "pods"]);
    assert_eq!(k.code, 1);
    assert_eq!(kubelite_error(&e), kubectl_error(&k));
    assert_eq!(
        kubelite_error(&e),
        "error: You must be logged in to the server (Unauthorized)"
    );
    // With a cold cache kubectl fails at discovery, whose 401 client-go words otherwise.
    let cold = TempDir::new("auth-cold-cache");
    let k = kubectl(&wrong, &cold, &["get", "pods"]);
    assert_eq!(
        kubelite_error(&kubelite::client::auth::failure::as_discovery_error(e)),
        kubectl_error(&k)
    );

    // A certificate from another CA is no credential: 401, not a handshake failure.
    let (_, other_cert, other_key) = foreign_client_cert("kubelite-ca");
    let foreign = Credentials {
        client_cert_pem: Some(other_cert.clone().into_bytes()),
        client_key_pem: Some(other_key.clone().into_bytes()),
        ..Default::default()
    };
    let e = list_pods(&connect(&config(&s, foreign))).expect_err("401");
    let foreign_config = kubeconfig(
        &dir.0,
        "foreign",
        &s.url,
        &ca_line(&s),
        &format!(
            "client-certificate-data: {}\nclient-key-data: {}",
            b64(other_cert.as_bytes()),
            b64(other_key.as_bytes())
        ),
    );
    let k = kubectl(&foreign_config, &cache, &["get", "pods"]);
    assert_eq!((e.code, k.code), (401, 1));
    assert_eq!(kubelite_error(&e), kubectl_error(&k));

    // kube-apiserver 1.32 has no basic auth: 401.
    let basic = Credentials {
        username: Some("admin".into()),
        password: Some(admin_token.clone()),
        ..Default::default()
    };
    let e = list_pods(&connect(&config(&s, basic))).expect_err("401");
    let basic_config = kubeconfig(
        &dir.0,
        "basic",
        &s.url,
        &ca_line(&s),
        &format!("username: admin\npassword: {admin_token}"),
    );
    let k = kubectl(&basic_config, &cache, &["get", "pods"]);
    assert_eq!((e.code, k.code), (401, 1));
    assert_eq!(kubelite_error(&e), kubectl_error(&k));

    // A token file is read at connect and again after a 401.
    let file = dir.0.join("token");
    std::fs::write(&file, "stale\n").expect("write");
    let by_file = connect(&config(
        &s,
        Credentials {
            token_file: Some(file.clone()),
            ..Default::default()
        },
    ));
    std::fs::write(&file, format!("{admin_token}\n")).expect("write");
    list_pods(&by_file).expect("the file is read again after the 401");
    let file_config = kubeconfig(
        &dir.0,
        "file",
        &s.url,
        &ca_line(&s),
        &format!("tokenFile: {}", file.display()),
    );
    kubectl(&file_config, &cache, &["get", "pods"]).ok("kubectl with tokenFile");
}

#[test]
fn viewers_and_impersonation_get_kube_apiservers_403() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("viewer");
    let cache = TempDir::new("viewer-cache");
    let viewer_token = String::from_utf8(read(&s, "viewer-token")).expect("text");
    let manifest = super::support::manifest(
        &dir.0,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v1\n",
    );
    let manifest = manifest.to_str().expect("utf-8");
    let cms = registry::find("configmaps").expect("configmaps");
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "v1"}});

    let viewer = connect(&config(&s, token(viewer_token.trim())));
    list_pods(&viewer).expect("viewers read");
    let e = viewer
        .create(cms, Some("default"), cm.clone(), &WriteOptions::default())
        .expect_err("403");
    assert_eq!(
        e.message,
        "configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\""
    );
    let viewer_config = kubeconfig(
        &dir.0,
        "viewer",
        &s.url,
        &ca_line(&s),
        &format!("token: {}", viewer_token.trim()),
    );
    kubectl(&viewer_config, &cache, &["get", "pods"]).ok("kubectl as viewer reads");
    let k = kubectl(&viewer_config, &cache, &["create", "-f", manifest]);
    assert_eq!(k.code, 1);
    assert_eq!(
        kubelite::cli::errors::api_error_in_file(&e, "creating", manifest),
        kubectl_error(&k)
    );

    // The admin acting as the viewer is refused alike; the viewer may not impersonate.
    let as_viewer = connect(&ConnectionConfig {
        impersonate_user: Some("viewer".into()),
        impersonate_groups: vec!["readers".into()],
        ..config(&s, token(&s.token()))
    });
    let e2 = as_viewer
        .create(cms, Some("default"), cm, &WriteOptions::default())
        .expect_err("403");
    assert_eq!(e2.message, e.message);
    let k = s.kubectl(&["--as", "viewer", "create", "-f", manifest]);
    assert_eq!(
        kubelite::cli::errors::api_error_in_file(&e2, "creating", manifest),
        kubectl_error(&k)
    );
    let climbing = connect(&ConnectionConfig {
        impersonate_user: Some("kubernetes-admin".into()),
        ..config(&s, token(viewer_token.trim()))
    });
    let e = list_pods(&climbing).expect_err("403");
    let k = kubectl(
        &viewer_config,
        &cache,
        &["--as", "kubernetes-admin", "get", "pods"],
    );
    assert_eq!(kubelite_error(&e), kubectl_error(&k));
    assert!(kubectl_error(&k).starts_with("Error from server (Forbidden): users"));

    // Exec over WebSocket is a create of pods/exec.
    let mut out = Vec::new();
    let mut err = Vec::new();
    let refused = viewer.exec(
        "kube-system",
        "etcd-master",
        "etcd",
        &["etcdctl".to_string(), "version".to_string()],
        &mut out,
        &mut err,
    );
    let k = kubectl(
        &viewer_config,
        &cache,
        &[
            "exec",
            "-n",
            "kube-system",
            "etcd-master",
            "--",
            "etcdctl",
            "version",
        ],
    );
    match refused {
        Err(kubelite::kubelet::exec::ExecError::Api(e)) => {
            assert_eq!(kubelite_error(&e), kubectl_error(&k));
        }
        other => panic!("viewer exec: {other:?}"),
    }

    // The files serve keeps are its owner's only.
    use std::os::unix::fs::PermissionsExt;
    for f in ["admin.key", "admin.crt", "viewer-token", "serve-token"] {
        let mode = std::fs::metadata(s.home.0.join(f))
            .expect(f)
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{f}");
    }
}

#[test]
fn tls_options_and_transport_failures_in_kubectls_words() {
    require_kubectl!();
    let s = Server::start(false);
    let dir = TempDir::new("tls");
    let cache = TempDir::new("tls-cache");
    let admin = s.token();
    let user = format!("token: {admin}");

    // insecure-skip-tls-verify: no CA, any certificate.
    let insecure = connect(&ConnectionConfig {
        ca_pem: None,
        insecure_skip_tls_verify: true,
        ..config(&s, token(&admin))
    });
    list_pods(&insecure).expect("insecure");
    let c = kubeconfig(
        &dir.0,
        "insecure",
        &s.url,
        "insecure-skip-tls-verify: true",
        &user,
    );
    kubectl(&c, &cache, &["get", "pods"]).ok("kubectl insecure");

    // The certificate is checked against tls-server-name instead of 127.0.0.1.
    let named = connect(&ConnectionConfig {
        tls_server_name: Some("localhost".into()),
        ..config(&s, token(&admin))
    });
    list_pods(&named).expect("tls-server-name localhost");
    let c = kubeconfig(
        &dir.0,
        "named",
        &s.url,
        &format!("{}\ntls-server-name: localhost", ca_line(&s)),
        &user,
    );
    kubectl(&c, &cache, &["get", "pods"]).ok("kubectl tls-server-name");
    let e = list_pods(&connect(&ConnectionConfig {
        tls_server_name: Some("wrong".into()),
        ..config(&s, token(&admin))
    }))
    .expect_err("name mismatch");
    let c = kubeconfig(
        &dir.0,
        "misnamed",
        &s.url,
        &format!("{}\ntls-server-name: wrong", ca_line(&s)),
        &user,
    );
    let k = kubectl(&c, &cache, &["get", "pods"]);
    assert_eq!(kubelite_error(&e), kubectl_error(&k));

    // A CA that did not sign the serving certificate, named otherwise, and named as
    // serve's CA is (another KUBELITE_HOME's): Go names the candidate then.
    for (name, ca_name) in [("otherca", "other-ca"), ("samename", "kubelite-ca")] {
        let (other_ca, _, _) = foreign_client_cert(ca_name);
        let e = list_pods(&connect(&ConnectionConfig {
            ca_pem: Some(other_ca.clone().into_bytes()),
            ..config(&s, token(&admin))
        }))
        .expect_err("unknown authority");
        let c = kubeconfig(
            &dir.0,
            name,
            &s.url,
            &format!("certificate-authority-data: {}", b64(other_ca.as_bytes())),
            &user,
        );
        let k = kubectl(&c, &cache, &["get", "pods"]);
        assert_eq!(kubelite_error(&e), kubectl_error(&k), "{name}");
        if ca_name == "other-ca" {
            assert_eq!(
                kubelite_error(&e),
                "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority"
            );
        }
    }

    // A closed port.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let url = format!("https://127.0.0.1:{closed}");
    let e = list_pods(&connect(&ConnectionConfig {
        server: url.clone(),
        ..config(&s, token(&admin))
    }))
    .expect_err("refused");
    let c = kubeconfig(&dir.0, "closed", &url, &ca_line(&s), &user);
    let k = kubectl(&c, &cache, &["get", "pods"]);
    assert_eq!(kubelite_error(&e), kubectl_error(&k));

    // A name that does not resolve.
    let url = "https://kubelite-test.invalid:6443".to_string();
    let e = list_pods(&connect(&ConnectionConfig {
        server: url.clone(),
        ..config(&s, token(&admin))
    }))
    .expect_err("no such host");
    let c = kubeconfig(&dir.0, "nxdomain", &url, &ca_line(&s), &user);
    let k = kubectl(&c, &cache, &["get", "pods"]);
    assert_eq!(kubelite_error(&e), kubectl_error(&k));

    // A server that accepts and never answers, with --request-timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("https://{}", silent.local_addr().expect("addr"));
    let e = list_pods(&connect(&ConnectionConfig {
        server: url.clone(),
        request_timeout: Some(Duration::from_secs(1)),
        ..config(&s, token(&admin))
    }))
    .expect_err("timeout");
    let c = kubeconfig(&dir.0, "silent", &url, &ca_line(&s), &user);
    let k = kubectl(&c, &cache, &["--request-timeout=1s", "get", "pods"]);
    // kubectl's request context and its HTTP client's timeout race: either may win, and
    // on a loaded machine Go wraps one in the other's words.
    let ours = "Unable to connect to the server: context deadline exceeded";
    let theirs = kubectl_error(&k);
    assert_eq!(kubelite_error(&e), ours);
    assert!(
        [
            ours,
            "Unable to connect to the server: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
            "Unable to connect to the server: context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
        ]
        .contains(&theirs.as_str()),
        "{theirs}"
    );
    drop(silent);

    // With a request timeout against a live server, requests still work.
    let timed = connect(&ConnectionConfig {
        request_timeout: Some(Duration::from_secs(5)),
        ..config(&s, token(&admin))
    });
    list_pods(&timed).expect("request timeout 5s");

    // An http proxy carries both clients' connections.
    let (proxy, tunnels) = connect_proxy();
    let through = connect(&ConnectionConfig {
        proxy_url: Some(proxy.clone()),
        ..config(&s, token(&admin))
    });
    list_pods(&through).expect("through the proxy");
    let ours = tunnels.load(std::sync::atomic::Ordering::SeqCst);
    assert!(ours >= 1, "kubelite went around the proxy");
    let c = kubeconfig(
        &dir.0,
        "proxied",
        &s.url,
        &format!("{}\nproxy-url: {proxy}", ca_line(&s)),
        &user,
    );
    kubectl(&c, &cache, &["get", "pods"]).ok("kubectl through the proxy");
    assert!(tunnels.load(std::sync::atomic::Ordering::SeqCst) > ours);

    // socks5 is refused clearly at connect; a proxy that refuses is named as kubectl does.
    let socks = Remote::connect(&ConnectionConfig {
        proxy_url: Some("socks5://127.0.0.1:1080".into()),
        ..config(&s, token(&admin))
    });
    assert!(
        socks
            .err()
            .unwrap_or_default()
            .contains("socks5 proxies are not supported"),
        "socks5"
    );
    let e = list_pods(&connect(&ConnectionConfig {
        proxy_url: Some(format!("http://127.0.0.1:{closed}")),
        ..config(&s, token(&admin))
    }))
    .expect_err("proxy refused");
    let c = kubeconfig(
        &dir.0,
        "proxy",
        &s.url,
        &format!("{}\nproxy-url: http://127.0.0.1:{closed}", ca_line(&s)),
        &user,
    );
    let k = kubectl(&c, &cache, &["get", "pods"]);
    assert_eq!(kubelite_error(&e), kubectl_error(&k));
}
