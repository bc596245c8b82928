//! Exec credential plugins (small shell scripts) through kubelite's `Remote` and through
//! the real kubectl: what they are told, what they may answer, when they run again, and
//! what is printed when they fail.

use super::auth_support::*;
use super::support::{Server, TempDir, kubectl_available};
use kubelite::api::options::ListOptions;
use kubelite::api::registry;
use kubelite::client::{Client, ConnectionConfig, Credentials, ExecConfig, Remote};
use std::io::IsTerminal;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Counts its runs in `$DIR/count`, keeps `KUBERNETES_EXEC_INFO` in `$DIR/info`, and
/// answers as `$MODE` says.
const PLUGIN: &str = r#"#!/bin/sh
n=$(cat "$DIR/count" 2>/dev/null || echo 0)
n=$((n+1))
echo $n > "$DIR/count"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$DIR/info"
case "$MODE" in
cert) cat "$DIR/cert.json"; exit 0 ;;
raw) cat "$DIR/raw"; exit 0 ;;
fail) exit 3 ;;
esac
tok="$TOKEN"
if [ "$MODE" = stale-first ] && [ $n = 1 ]; then tok=stale; fi
exp=""
if [ "$MODE" = expiring ]; then
  exp=",\"expirationTimestamp\":\"$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)\""
fi
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' "$ANSWER" "$tok" "$exp"
"#;

struct Plugin {
    dir: TempDir,
}

impl Plugin {
    fn new(what: &str) -> Plugin {
        let dir = TempDir::new(what);
        let script = dir.0.join("plugin.sh");
        std::fs::write(&script, PLUGIN).expect("write plugin");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        Plugin { dir }
    }

    fn runs(&self) -> u32 {
        std::fs::read_to_string(self.dir.0.join("count"))
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0)
    }

    fn reset(&self) {
        let _ = std::fs::remove_file(self.dir.0.join("count"));
    }

    fn info(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("info")).unwrap_or_default()
    }

    /// The exec entry: `version` configured, `answer` returned, `mode` as above.
    fn exec(&self, version: &str, answer: &str, mode: &str, token: &str) -> ExecConfig {
        ExecConfig {
            command: self.dir.0.join("plugin.sh").display().to_string(),
            args: vec![],
            env: vec![
                ("DIR".into(), self.dir.0.display().to_string()),
                ("MODE".into(), mode.into()),
                ("TOKEN".into(), token.into()),
                ("ANSWER".into(), answer.into()),
            ],
            api_version: version.into(),
            install_hint: None,
            provide_cluster_info: true,
            interactive_mode: Some("Never".into()),
        }
    }
}

/// The same entry as kubeconfig YAML for kubectl.
fn exec_yaml(e: &ExecConfig) -> String {
    let mut y = format!(
        "exec:\n  apiVersion: {}\n  command: {}\n  provideClusterInfo: {}\n",
        e.api_version, e.command, e.provide_cluster_info
    );
    if let Some(m) = &e.interactive_mode {
        y.push_str(&format!("  interactiveMode: {m}\n"));
    }
    if let Some(h) = &e.install_hint {
        y.push_str(&format!("  installHint: {h:?}\n"));
    }
    if !e.env.is_empty() {
        y.push_str("  env:\n");
        for (k, v) in &e.env {
            y.push_str(&format!("  - name: {k}\n    value: {v:?}\n"));
        }
    }
    y
}

fn with_plugin(s: &Server, exec: &ExecConfig) -> ConnectionConfig {
    config(
        s,
        Credentials {
            exec: Some(exec.clone()),
            ..Default::default()
        },
    )
}

fn list_pods(r: &Remote) -> Result<serde_json::Value, kubelite::api::status::ApiError> {
    let pods = registry::find("pods").expect("pods");
    r.list(pods, Some("default"), &ListOptions::default())
}

fn kubeconfig_for(s: &Server, dir: &Path, name: &str, exec: &ExecConfig) -> std::path::PathBuf {
    kubeconfig(dir, name, &s.url, &ca_line(s), &exec_yaml(exec))
}

#[test]
fn plugins_give_tokens_and_certificates_and_run_again_when_they_must() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("plugin-cache");
    let admin = s.token();
    let p = Plugin::new("plugin");
    const V1: &str = "client.authentication.k8s.io/v1";
    const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";

    // v1, a token; one run serves every request of the process.
    let exec = p.exec(V1, V1, "token", &admin);
    let remote = Remote::connect(&with_plugin(&s, &exec)).expect("connect");
    assert_eq!(
        p.runs(),
        0,
        "the plugin runs at the first request, not at connect"
    );
    list_pods(&remote).expect("v1 token");
    list_pods(&remote).expect("v1 token, again");
    assert_eq!(p.runs(), 1);
    let ours = p.info();
    p.reset();
    let c = kubeconfig_for(&s, &p.dir.0, "v1.kc", &exec);
    kubectl(&c, &cache, &["get", "pods"]).ok("kubectl with the v1 plugin");
    assert_eq!(p.runs(), 1);
    // What the plugin is told is byte for byte what kubectl tells it.
    assert_eq!(ours, p.info());
    assert!(ours.contains("\"interactive\":false"), "{ours}");

    // v1beta1, a client certificate and key.
    let cert = String::from_utf8(read(&s, "admin.crt")).expect("pem");
    let key = String::from_utf8(read(&s, "admin.key")).expect("pem");
    let answer = serde_json::json!({"apiVersion": V1BETA1, "kind": "ExecCredential",
        "status": {"clientCertificateData": cert, "clientKeyData": key}});
    std::fs::write(p.dir.0.join("cert.json"), answer.to_string()).expect("write");
    let exec = p.exec(V1BETA1, V1BETA1, "cert", "");
    let mut beta = exec;
    beta.interactive_mode = None;
    list_pods(&connect(&with_plugin(&s, &beta))).expect("v1beta1 certificate");
    let c = kubeconfig_for(&s, &p.dir.0, "beta.kc", &beta);
    kubectl(&c, &cache, &["get", "pods"]).ok("kubectl with the v1beta1 certificate plugin");
    // The WebSocket exec presents the plugin's certificate too.
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = connect(&with_plugin(&s, &beta))
        .exec(
            "kube-system",
            "etcd-master",
            "etcd",
            &[
                "etcdctl".to_string(),
                "get".to_string(),
                "/registry/namespaces/default".to_string(),
                "--keys-only".to_string(),
            ],
            &mut out,
            &mut err,
        )
        .expect("exec with the plugin's certificate");
    assert_eq!(
        (code, String::from_utf8_lossy(&out).trim()),
        (0, "/registry/namespaces/default")
    );

    // A credential that expires is fetched again after its expiry.
    p.reset();
    let exec = p.exec(V1, V1, "expiring", &admin);
    let remote = connect(&with_plugin(&s, &exec));
    list_pods(&remote).expect("first");
    list_pods(&remote).expect("cached");
    assert_eq!(p.runs(), 1);
    std::thread::sleep(std::time::Duration::from_millis(3100));
    list_pods(&remote).expect("after expiry");
    assert_eq!(p.runs(), 2);

    // A 401 runs the plugin again, and the request is tried once more.
    p.reset();
    let exec = p.exec(V1, V1, "stale-first", &admin);
    list_pods(&connect(&with_plugin(&s, &exec))).expect("second token works");
    assert_eq!(p.runs(), 2);
}

#[test]
fn plugin_failures_are_printed_as_kubectl_prints_them() {
    require_kubectl!();
    let s = Server::start(false);
    let cache = TempDir::new("plugin-fail-cache");
    let p = Plugin::new("plugin-fail");
    const V1: &str = "client.authentication.k8s.io/v1";
    const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";
    let same = |name: &str, exec: &ExecConfig| {
        let e = list_pods(&connect(&with_plugin(&s, exec))).expect_err(name);
        let c = kubeconfig_for(&s, &p.dir.0, name, exec);
        let k = kubectl(&c, &cache, &["get", "pods"]);
        assert_eq!(k.code, 1, "{name}");
        assert_eq!(kubelite_error(&e), kubectl_error(&k), "{name}");
        kubelite_error(&e)
    };

    // Not installed, with the entry's hint.
    let mut missing = p.exec(V1, V1, "token", "x");
    missing.command = "kubelite-test-no-such-plugin".into();
    missing.install_hint = Some("Install it with: apt install no-such-plugin".into());
    let text = same("missing.kc", &missing);
    assert!(
        text.ends_with("\n\nInstall it with: apt install no-such-plugin"),
        "{text}"
    );
    // A non-zero exit, and an answer of another version.
    same("fail.kc", &p.exec(V1, V1, "fail", "x"));
    same("version.kc", &p.exec(V1, V1BETA1, "token", "x"));
    // Answers that are not credentials.
    for (i, answer) in [
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"Foo","status":{"token":"x"}}"#,
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}"#,
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#,
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"k"}}"#,
        r#"{"kind":"ExecCredential","status":{"token":"x"}}"#,
        r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x","expirationTimestamp":"bad"}}"#,
        "not json",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(p.dir.0.join("raw"), format!("{answer}\n")).expect("write");
        same(&format!("raw{i}.kc"), &p.exec(V1, V1, "raw", "x"));
    }
    // Interactive mode Always needs a terminal on stdin.
    if !std::io::stdin().is_terminal() {
        let mut always = p.exec(V1, V1, "token", "x");
        always.interactive_mode = Some("Always".into());
        let text = same("always.kc", &always);
        assert!(text.ends_with("standard input is not a terminal"), "{text}");
    }
}
