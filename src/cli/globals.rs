//! kubectl's global flags. All are accepted; those that select a remote cluster are refused
//! with a clear error until remote mode exists.

use super::errors::CliError;
use clap::Args;

#[derive(Args, Debug, Default, Clone)]
pub struct GlobalFlags {
    /// If present, the namespace scope for this CLI request
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// Path to the kubeconfig file to use for CLI requests.
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<String>,
    /// The name of the kubeconfig context to use
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// The name of the kubeconfig cluster to use
    #[arg(long, global = true)]
    pub cluster: Option<String>,
    /// The name of the kubeconfig user to use
    #[arg(long, global = true)]
    pub user: Option<String>,
    /// The address and port of the Kubernetes API server
    #[arg(short = 's', long, global = true)]
    pub server: Option<String>,
    /// Bearer token for authentication to the API server
    #[arg(long, global = true)]
    pub token: Option<String>,
    /// Path to a cert file for the certificate authority
    #[arg(long, global = true)]
    pub certificate_authority: Option<String>,
    /// Path to a client certificate file for TLS
    #[arg(long, global = true)]
    pub client_certificate: Option<String>,
    /// Path to a client key file for TLS
    #[arg(long, global = true)]
    pub client_key: Option<String>,
    /// If true, the server's certificate will not be checked for validity.
    #[arg(long, global = true)]
    pub insecure_skip_tls_verify: bool,
    /// Server name to use for server certificate validation.
    #[arg(long, global = true)]
    pub tls_server_name: Option<String>,
    /// The length of time to wait before giving up on a single server request.
    #[arg(long, global = true, default_value = "0")]
    pub request_timeout: String,
    /// Default cache directory
    #[arg(long, global = true)]
    pub cache_dir: Option<String>,
    /// Username to impersonate for the operation.
    #[arg(long = "as", global = true)]
    pub as_user: Option<String>,
    /// Group to impersonate for the operation.
    #[arg(long = "as-group", global = true)]
    pub as_group: Vec<String>,
    /// Username for basic authentication to the API server
    #[arg(long, global = true)]
    pub username: Option<String>,
    /// Password for basic authentication to the API server
    #[arg(long, global = true)]
    pub password: Option<String>,
    /// Require server version to match client version
    #[arg(long, global = true)]
    pub match_server_version: bool,
    /// If true, opt-out of response compression for all requests to the server
    #[arg(long, global = true)]
    pub disable_compression: bool,
    /// number for the log level verbosity
    #[arg(short = 'v', long = "v", global = true, value_name = "LEVEL")]
    pub verbosity: Option<u8>,
}

impl GlobalFlags {
    /// The namespace a namespaced request goes to.
    pub fn namespace(&self) -> &str {
        self.namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }

    /// With no kubeconfig named by flag or `KUBECONFIG` and no server, kubelite uses its
    /// embedded cluster. Anything that names a remote cluster is refused until remote mode
    /// lands, so a command never silently goes to the wrong cluster.
    pub fn check_remote_not_requested(&self) -> Result<(), CliError> {
        let named = if self.kubeconfig.is_some() {
            Some("--kubeconfig")
        } else if self.server.is_some() {
            Some("--server")
        } else if self.context.is_some() {
            Some("--context")
        } else if std::env::var_os("KUBECONFIG").is_some_and(|v| !v.is_empty()) {
            Some("KUBECONFIG")
        } else {
            None
        };
        match named {
            Some(what) => Err(CliError::message(format!(
                "{what} selects a remote cluster, and this kubelite build only drives its embedded cluster; unset it to use the embedded cluster"
            ))),
            None => Ok(()),
        }
    }
}
