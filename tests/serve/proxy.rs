//! `kubelite proxy` in front of `kubelite serve`: the real kubectl and kubelite both reach
//! the cluster through it, with the answers they get going straight to serve; its filter
//! refuses what kubectl's refuses; without serve the embedded cluster has nothing to
//! forward to, which it says.

use super::support::{BIN, Server, kubectl_available, kubelite};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running proxy, stopped on drop.
pub struct Proxy {
    child: Child,
    pub port: u16,
    pub line: String,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `program ... proxy --port=0 extra...` and reads its startup line (bounded).
pub fn start(mut cmd: Command, extra: &[&str]) -> Proxy {
    cmd.args(["proxy", "--port=0"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("start the proxy");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the proxy's startup line");
    let port = line
        .trim_end()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Proxy { child, port, line }
}

fn kubelite_proxy(s: &Server, extra: &[&str]) -> Proxy {
    let mut cmd = Command::new(BIN);
    cmd.env("KUBELITE_HOME", &s.home.0).env_remove("KUBECONFIG");
    start(cmd, extra)
}

#[test]
fn kubectl_and_kubelite_reach_serve_through_the_proxy() {
    require_kubectl!();
    let s = Server::start(false);
    let p = kubelite_proxy(&s, &[]);
    assert_eq!(
        p.line,
        format!("Starting to serve on 127.0.0.1:{}\n", p.port)
    );
    let through = format!("http://127.0.0.1:{}", p.port);
    let direct = s.kubectl(&["get", "nodes", "-o", "name"]).ok("direct");
    assert!(direct.contains("node/master"), "{direct}");
    let via_kubectl = s
        .kubectl(&["-s", &through, "get", "nodes", "-o", "name"])
        .ok("kubectl via the proxy");
    assert_eq!(via_kubectl, direct);
    // kubelite with -s reaches the proxy as a remote server (plain HTTP, no credentials:
    // the proxy adds serve's token).
    let home = super::support::TempDir::new("proxy-client");
    let via_kubelite = kubelite(
        &home.0,
        false,
        &["-s", &through, "get", "nodes", "-o", "name"],
    );
    assert_eq!(
        (via_kubelite.stdout.as_str(), via_kubelite.code),
        (direct.as_str(), 0),
        "{}",
        via_kubelite.stderr
    );
    // A write through the proxy lands in serve.
    let made = s.kubectl(&["-s", &through, "create", "namespace", "via-proxy"]);
    assert_eq!(
        made.stdout, "namespace/via-proxy created\n",
        "{}",
        made.stderr
    );
    let seen = s.kubectl(&["get", "namespace", "via-proxy", "-o", "name"]);
    assert_eq!(seen.stdout, "namespace/via-proxy\n", "{}", seen.stderr);
}

#[test]
fn the_filter_refuses_exec_and_foreign_hosts() {
    let s = Server::start(false);
    let p = kubelite_proxy(&s, &[]);
    kubelite::client::install_tls_provider();
    let http = reqwest::blocking::Client::new();
    let base = format!("http://127.0.0.1:{}", p.port);
    let exec = http
        .get(format!(
            "{base}/api/v1/namespaces/kube-system/pods/etcd-master/exec?command=true"
        ))
        .send()
        .expect("exec through the proxy");
    assert_eq!(exec.status().as_u16(), 403);
    assert_eq!(exec.text().unwrap(), "Forbidden\n");
    let foreign = http
        .get(format!("{base}/version"))
        .header("Host", "evil.example")
        .send()
        .expect("a foreign Host");
    assert_eq!(foreign.status().as_u16(), 403);
    let version = http
        .get(format!("{base}/version"))
        .send()
        .expect("/version");
    assert_eq!(version.status().as_u16(), 200);
    let v: serde_json::Value = serde_json::from_str(&version.text().unwrap()).expect("JSON");
    assert_eq!(v["major"], "1");
}

#[test]
fn an_api_prefix_is_stripped_and_other_paths_are_not_found() {
    let s = Server::start(false);
    let p = kubelite_proxy(&s, &["--api-prefix=/custom"]);
    kubelite::client::install_tls_provider();
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{}", p.port);
    let ok = http.get(format!("{base}/custom/version")).send().unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let outside = http.get(format!("{base}/version")).send().unwrap();
    assert_eq!(outside.status().as_u16(), 404);
    assert_eq!(outside.text().unwrap(), "404 page not found\n");
    let bare = http.get(format!("{base}/custom")).send().unwrap();
    assert_eq!(bare.status().as_u16(), 301);
    assert_eq!(
        bare.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/custom/")
    );
}

#[test]
fn the_embedded_cluster_without_serve_has_nothing_to_proxy() {
    let home = super::support::TempDir::new("proxy-embedded");
    let run = kubelite(&home.0, false, &["proxy"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: proxy forwards to an API server")
            && run.stderr.contains("kubelite serve"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

/// With the filter off, an exec's WebSocket upgrade goes through the proxy as a tunnel.
#[test]
fn exec_upgrades_pass_through_with_the_filter_disabled() {
    require_kubectl!();
    let s = Server::start(false);
    let p = kubelite_proxy(&s, &["--disable-filter"]);
    let through = format!("http://127.0.0.1:{}", p.port);
    let run = s.kubectl(&[
        "-s",
        &through,
        "-n",
        "kube-system",
        "exec",
        "etcd-master",
        "--",
        "etcdctl",
        "get",
        "/registry/namespaces/default",
        "--keys-only",
    ]);
    assert_eq!(
        (run.stdout.as_str(), run.code),
        ("/registry/namespaces/default\n\n", 0),
        "{}",
        run.stderr
    );
}
