//! Exec credential plugins (`client.authentication.k8s.io/v1` and `v1beta1`), run the way
//! client-go runs them: `KUBERNETES_EXEC_INFO` describes the request, the entry's `env`
//! is added to kubelite's own, stdin is passed only in interactive mode, stderr goes to
//! the user, and stdout must be an `ExecCredential` of the configured version.
//! Errors are the text kubectl prints after `getting credentials: `.

use crate::client::{ConnectionConfig, ExecConfig};
use base64::Engine;
use serde_json::{Map, Value, json};
use std::io::IsTerminal;
use std::process::{Command, Stdio};
use std::time::SystemTime;

pub const V1: &str = "client.authentication.k8s.io/v1";
pub const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";

const NOT_INSTALLED: &str = "It looks like you are trying to use a client-go credential plugin that is not installed.

To learn more about this feature, consult the documentation available at:
      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins";

/// What a plugin returned.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecCredential {
    pub token: Option<String>,
    pub client_cert_pem: Option<Vec<u8>>,
    pub client_key_pem: Option<Vec<u8>>,
    /// `status.expirationTimestamp`; `None` means valid for the life of the process.
    pub expires: Option<SystemTime>,
}

impl ExecCredential {
    pub fn expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|t| t <= now)
    }
}

/// Problems of the configuration itself, found before anything runs (kubectl reports them
/// as `error: ...`).
pub fn check_config(exec: &ExecConfig) -> Result<(), String> {
    if exec.api_version != V1 && exec.api_version != V1BETA1 {
        return Err(format!(
            "exec plugin: invalid apiVersion \"{}\"",
            exec.api_version
        ));
    }
    match exec.interactive_mode.as_deref() {
        None if exec.api_version == V1 => {
            Err("interactiveMode must be specified to use exec authentication plugin".to_string())
        }
        None | Some("Never" | "IfAvailable" | "Always") => Ok(()),
        Some(other) => Err(format!(
            "invalid interactiveMode: {other} (must be one of Never, IfAvailable, Always)"
        )),
    }
}

/// Runs the plugin once.
pub fn run(exec: &ExecConfig, cluster: &ConnectionConfig) -> Result<ExecCredential, String> {
    let mode = exec.interactive_mode.as_deref().unwrap_or("IfAvailable");
    let stdin_is_terminal = std::io::stdin().is_terminal();
    if mode == "Always" && !stdin_is_terminal {
        return Err(
            "exec plugin cannot support interactive mode: standard input is not a terminal"
                .to_string(),
        );
    }
    let interactive = mode != "Never" && stdin_is_terminal;
    let info = exec_info(exec, cluster, interactive);
    let mut cmd = Command::new(&exec.command);
    cmd.args(&exec.args)
        .envs(exec.env.iter().map(|(k, v)| (k, v)))
        // Go's JSON encoder ends the document with a newline; plugins see it.
        .env("KUBERNETES_EXEC_INFO", format!("{info}\n"))
        .stdin(if interactive {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let output = cmd.output().map_err(|e| spawn_error(exec, &e))?;
    if !output.status.success() {
        return Err(match output.status.code() {
            Some(code) => format!(
                "exec: executable {} failed with exit code {code}",
                exec.command
            ),
            None => format!("exec: executable {} was killed by a signal", exec.command),
        });
    }
    parse_output(&exec.api_version, &output.stdout)
}

fn spawn_error(exec: &ExecConfig, e: &std::io::Error) -> String {
    if e.kind() != std::io::ErrorKind::NotFound {
        return format!("exec: fork/exec {}: {}", exec.command, go_errno_text(e));
    }
    if exec.command.contains('/') {
        // A path that does not exist: Go reports the failed exec, without the hint.
        return format!(
            "exec: fork/exec {}: no such file or directory",
            exec.command
        );
    }
    let mut text = format!(
        "exec: executable {} not found\n\n{NOT_INSTALLED}",
        exec.command
    );
    if let Some(hint) = exec.install_hint.as_deref().filter(|h| !h.is_empty()) {
        text.push_str("\n\n");
        text.push_str(hint);
    }
    text
}

/// The lower-case strerror text Go prints for a system error.
fn go_errno_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text.to_string(),
            }
        }
    }
}

/// The `ExecCredential` request in `KUBERNETES_EXEC_INFO`, field order as client-go
/// writes it.
pub fn exec_info(exec: &ExecConfig, cluster: &ConnectionConfig, interactive: bool) -> Value {
    let mut spec = Map::new();
    if exec.provide_cluster_info {
        let mut c = Map::new();
        c.insert("server".into(), json!(cluster.server));
        if let Some(n) = &cluster.tls_server_name {
            c.insert("tls-server-name".into(), json!(n));
        }
        if cluster.insecure_skip_tls_verify {
            c.insert("insecure-skip-tls-verify".into(), json!(true));
        }
        if let Some(ca) = &cluster.ca_pem {
            c.insert(
                "certificate-authority-data".into(),
                json!(base64::engine::general_purpose::STANDARD.encode(ca)),
            );
        }
        if let Some(p) = &cluster.proxy_url {
            c.insert("proxy-url".into(), json!(p));
        }
        if cluster.disable_compression {
            c.insert("disable-compression".into(), json!(true));
        }
        // The cluster's `client.authentication.k8s.io/exec` extension is not carried by
        // ConnectionConfig; client-go sends null when there is none.
        c.insert("config".into(), Value::Null);
        spec.insert("cluster".into(), Value::Object(c));
    }
    spec.insert("interactive".into(), json!(interactive));
    json!({"kind": "ExecCredential", "apiVersion": exec.api_version, "spec": spec})
}

/// Checks and reads the plugin's stdout.
pub fn parse_output(api_version: &str, stdout: &[u8]) -> Result<ExecCredential, String> {
    let v: Value = serde_json::from_slice(stdout).map_err(|e| {
        if stdout.trim_ascii_start().starts_with(b"{") {
            format!("decoding stdout: couldn't get version/kind; json parse error: {e}")
        } else {
            // Go reads the output as YAML first: a bare word is a string.
            "decoding stdout: couldn't get version/kind; json parse error: json: cannot \
             unmarshal string into Go value of type struct { APIVersion string \
             \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }"
                .to_string()
        }
    })?;
    let kind = v["kind"].as_str().unwrap_or("");
    if kind.is_empty() {
        return Err(format!(
            "decoding stdout: Object 'Kind' is missing in '{}'",
            String::from_utf8_lossy(stdout).trim_end()
        ));
    }
    // Without an apiVersion, Go's decoder takes the object as its internal version.
    let got_version = v["apiVersion"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("client.authentication.k8s.io/__internal");
    if got_version != api_version {
        return Err(format!(
            "exec plugin is configured to use API version {api_version}, plugin returned version {got_version}"
        ));
    }
    if kind != "ExecCredential" {
        return Err(format!(
            "decoding stdout: no kind \"{kind}\" is registered for version \"{got_version}\" in scheme \"pkg/client/auth/exec/exec.go:62\""
        ));
    }
    let Some(status) = v.get("status").filter(|s| s.is_object()) else {
        return Err("exec plugin didn't return a status field".to_string());
    };
    let text = |k: &str| {
        status[k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let token = text("token");
    let cert = text("clientCertificateData");
    let key = text("clientKeyData");
    if token.is_none() && cert.is_none() && key.is_none() {
        return Err("exec plugin didn't return a token or cert/key pair".to_string());
    }
    if cert.is_some() != key.is_some() {
        return Err("exec plugin returned only certificate or key, not both".to_string());
    }
    let expires = match status["expirationTimestamp"].as_str() {
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(t)
                .map(SystemTime::from)
                .map_err(|_| {
                    format!(
                        "decoding stdout: parsing time \"{t}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{t}\" as \"2006\""
                    )
                })?,
        ),
        None => None,
    };
    Ok(ExecCredential {
        token,
        client_cert_pem: cert.map(String::into_bytes),
        client_key_pem: key.map(String::into_bytes),
        expires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(version: &str) -> ExecConfig {
        ExecConfig {
            command: "get-token".into(),
            api_version: version.into(),
            interactive_mode: Some("Never".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_request_names_the_cluster_only_when_asked() {
        let cluster = ConnectionConfig {
            server: "https://k:6443".into(),
            ca_pem: Some(b"CA".to_vec()),
            tls_server_name: Some("k".into()),
            proxy_url: Some("http://p:3128".into()),
            ..Default::default()
        };
        let mut exec = plugin(V1);
        assert_eq!(
            exec_info(&exec, &cluster, false).to_string(),
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#
        );
        exec.provide_cluster_info = true;
        assert_eq!(
            exec_info(&exec, &cluster, true).to_string(),
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://k:6443","tls-server-name":"k","certificate-authority-data":"Q0E=","proxy-url":"http://p:3128","config":null},"interactive":true}}"#
        );
    }

    #[test]
    fn outputs_are_checked_as_client_go_checks_them() {
        let ok = br#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2030-01-01T00:00:00Z"}}"#;
        let c = parse_output(V1, ok).expect("parses");
        assert_eq!(c.token.as_deref(), Some("t"));
        assert!(!c.expired(SystemTime::now()));
        assert!(c.expired(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_900_000_000)));
        assert_eq!(
            parse_output(V1BETA1, ok).err().as_deref(),
            Some(
                "exec plugin is configured to use API version client.authentication.k8s.io/v1beta1, plugin returned version client.authentication.k8s.io/v1"
            )
        );
        let empty = br#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#;
        assert_eq!(
            parse_output(V1, empty).err().as_deref(),
            Some("exec plugin didn't return a token or cert/key pair")
        );
        let half = br#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"k"}}"#;
        assert_eq!(
            parse_output(V1, half).err().as_deref(),
            Some("exec plugin returned only certificate or key, not both")
        );
        assert_eq!(
            parse_output(V1, b"not json").err().as_deref(),
            Some(
                "decoding stdout: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }"
            )
        );
        let foo = br#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"Foo"}"#;
        assert_eq!(
            parse_output(V1, foo).err().as_deref(),
            Some(
                "decoding stdout: no kind \"Foo\" is registered for version \"client.authentication.k8s.io/v1\" in scheme \"pkg/client/auth/exec/exec.go:62\""
            )
        );
        let unversioned = br#"{"kind":"ExecCredential","status":{"token":"x"}}"#;
        assert!(parse_output(V1, unversioned).err().is_some_and(|e| {
            e.ends_with("plugin returned version client.authentication.k8s.io/__internal")
        }));
        let bad_time = br#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x","expirationTimestamp":"bad"}}"#;
        assert_eq!(
            parse_output(V1, bad_time).err().as_deref(),
            Some(
                "decoding stdout: parsing time \"bad\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"bad\" as \"2006\""
            )
        );
    }

    #[test]
    fn configurations_are_checked_first() {
        let mut exec = plugin(V1);
        assert!(check_config(&exec).is_ok());
        exec.interactive_mode = None;
        assert!(check_config(&exec).is_err());
        exec.api_version = V1BETA1.into();
        assert!(check_config(&exec).is_ok());
        exec.api_version = "client.authentication.k8s.io/v2".into();
        assert!(check_config(&exec).is_err());
    }

    #[test]
    fn missing_plugins_get_the_install_hint() {
        let mut exec = plugin(V1);
        exec.command = "kubelite-no-such-plugin".into();
        exec.install_hint = Some("brew install it".into());
        let e = run(&exec, &ConnectionConfig::default()).expect_err("missing");
        assert!(
            e.starts_with("exec: executable kubelite-no-such-plugin not found\n\nIt looks like"),
            "{e}"
        );
        assert!(
            e.ends_with("#client-go-credential-plugins\n\nbrew install it"),
            "{e}"
        );
    }
}
