//! `kubelite proxy` in front of the mock, next to the real `kubectl proxy` in front of
//! another mock with the same script: the same requests sent through each must reach the
//! mock the same way (path, query, credentials and impersonation from the kubeconfig, the
//! caller's own headers, X-Forwarded-For).

use super::http::{self, Request};
use super::run::{self, BIN, Scratch};
use super::world::World;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

struct Proxy {
    child: Child,
    port: u16,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kubeconfig for `url` (plain HTTP, as the mock is) with a token, which kubectl keeps
/// off plain HTTP, and a user to impersonate, which it sends.
fn kubeconfig(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let p = dir.join("kubeconfig");
    std::fs::write(
        &p,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: {url}/base\ncontexts:\n- name: mock\n  context:\n    cluster: mock\n    user: someone\ncurrent-context: mock\nusers:\n- name: someone\n  user:\n    token: not-for-plain-http\n    as: alice\n"
        ),
    )
    .unwrap();
    p
}

fn start(
    program: &std::path::Path,
    config: &std::path::Path,
    home: &std::path::Path,
    extra: &[&str],
) -> Proxy {
    let mut child = Command::new(program)
        .arg("--kubeconfig")
        .arg(config)
        .args(["proxy", "--port=0"])
        .args(extra)
        .env("KUBELITE_HOME", home)
        .env_remove("KUBECONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the proxy");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("startup line");
    assert!(
        line.starts_with("Starting to serve on 127.0.0.1:"),
        "{line:?}"
    );
    let port = line.trim_end().rsplit(':').next().unwrap().parse().unwrap();
    Proxy { child, port }
}

/// The requests the mock saw, as lines of what a proxy decides.
fn seen(recorded: &[Request]) -> Vec<String> {
    recorded
        .iter()
        .filter(|r| {
            !r.header("user-agent")
                .unwrap_or("")
                .starts_with("kubectl-dispatcher")
        })
        .map(|r| {
            let h = |n: &str| r.header(n).unwrap_or("-").to_string();
            format!(
                "{} {} ua={} auth={} as={} xff={} accept={} body={}",
                r.method,
                r.target,
                h("user-agent"),
                h("authorization"),
                h("impersonate-user"),
                h("x-forwarded-for"),
                h("accept"),
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect()
}

/// What one proxy passed on to its mock for the same three requests, and what the client
/// got back.
fn through(program: &std::path::Path, extra: &[&str]) -> (Vec<String>, Vec<(u16, String)>) {
    let world = Arc::new(World::default());
    super::cluster(&world);
    let w = world;
    let listener = http::serve(Arc::new(move |r: &Request| w.answer(r)));
    let dir = Scratch::new("proxy");
    let config = kubeconfig(&dir.0, &listener.url);
    let proxy = start(program, &config, &dir.0.join("home"), extra);
    let base = format!("http://127.0.0.1:{}", proxy.port);
    kubelite::client::install_tls_provider();
    let client = reqwest::blocking::Client::new();
    let mut answers = Vec::new();
    let requests = [
        client
            .get(format!("{base}/api/v1/namespaces/default/pods/web-1"))
            .header("User-Agent", "tester/1"),
        client
            .get(format!(
                "{base}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb"
            ))
            .header("User-Agent", "tester/1")
            .header("Authorization", "Bearer callers-own"),
        client
            .post(format!("{base}/api/v1/namespaces/default/configmaps"))
            .header("User-Agent", "tester/1")
            .header("Content-Type", "application/json")
            .body(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"#),
        client
            .get(format!(
                "{base}/api/v1/namespaces/default/pods/web-1/exec?command=ls"
            ))
            .header("User-Agent", "tester/1"),
    ];
    for r in requests {
        let reply = r.send().expect("through the proxy");
        let code = reply.status().as_u16();
        let body = reply.text().unwrap_or_default();
        let kind = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["kind"].as_str().map(str::to_string))
            .unwrap_or(body);
        answers.push((code, kind));
    }
    drop(proxy);
    let recorded = listener.recorded.lock().unwrap().clone();
    (seen(&recorded), answers)
}

#[test]
fn kubelite_proxy_forwards_as_kubectl_proxy_does() {
    let Some(kubectl) = run::kubectl_program() else {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    };
    let ours = through(std::path::Path::new(BIN), &[]);
    let theirs = through(&kubectl, &[]);
    assert_eq!(ours, theirs);
    // And what both did is what a proxy must do: impersonation from the kubeconfig, no
    // token over plain HTTP, the caller's own headers kept, the exec refused.
    assert_eq!(ours.0.len(), 3, "{:#?}", ours.0);
    assert!(
        ours.0[0].starts_with(
            "GET /api/v1/namespaces/default/pods/web-1 ua=tester/1 auth=- as=alice xff=127.0.0.1"
        ),
        "{}",
        ours.0[0]
    );
    assert!(
        ours.0[1].contains("auth=Bearer callers-own"),
        "{}",
        ours.0[1]
    );
    assert_eq!(ours.1[3], (403, "Forbidden\n".to_string()));
}

/// `--append-server-path` puts the kubeconfig server's path (`/base`) before each path.
#[test]
fn the_server_path_is_appended_when_asked_as_kubectl_does() {
    let Some(kubectl) = run::kubectl_program() else {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    };
    let ours = through(std::path::Path::new(BIN), &["--append-server-path"]);
    let theirs = through(&kubectl, &["--append-server-path"]);
    assert_eq!(ours, theirs);
    assert!(
        ours.0[0].starts_with("GET /base/api/v1/namespaces/default/pods/web-1 "),
        "{}",
        ours.0[0]
    );
}
