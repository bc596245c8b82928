//! What a `Remote` needs to reach one API server: the resolved cluster, credentials and
//! transport settings. The kubeconfig loader fills it in (files already read, paths
//! already resolved); the HTTP client consumes it. Neither knows about the other.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectionConfig {
    /// `https://host:port` (or `http://`), with any path prefix the cluster entry has.
    pub server: String,
    /// PEM certificates to trust, from `certificate-authority(-data)`; `None` means the
    /// system's roots.
    pub ca_pem: Option<Vec<u8>>,
    pub insecure_skip_tls_verify: bool,
    /// `tls-server-name`: the name checked against the server's certificate.
    pub tls_server_name: Option<String>,
    /// `proxy-url` of the cluster entry (http, https or socks5).
    pub proxy_url: Option<String>,
    pub credentials: Credentials,
    /// `--request-timeout`; `None` waits as long as the server takes.
    pub request_timeout: Option<Duration>,
    pub disable_compression: bool,
    /// `--as` / `--as-group` (and the user entry's `as`, `as-groups`).
    pub impersonate_user: Option<String>,
    pub impersonate_groups: Vec<String>,
}

/// How requests prove who they are. kubectl sends every credential the user entry has
/// (a client certificate and a token together, for example), so these are not exclusive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credentials {
    pub token: Option<String>,
    /// `tokenFile`: read again when the server answers 401, as client-go does.
    pub token_file: Option<PathBuf>,
    /// PEM certificate chain and PEM private key.
    pub client_cert_pem: Option<Vec<u8>>,
    pub client_key_pem: Option<Vec<u8>>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub exec: Option<ExecConfig>,
}

/// A user entry's `exec:` credential plugin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecConfig {
    pub command: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// `client.authentication.k8s.io/v1` or `v1beta1`.
    pub api_version: String,
    pub install_hint: Option<String>,
    pub provide_cluster_info: bool,
    /// `Never`, `IfAvailable` or `Always` (v1 requires it; v1beta1 defaults to IfAvailable).
    pub interactive_mode: Option<String>,
}
