//! kubectl's global flags. Those that choose a cluster go to the kubeconfig loader
//! (`crate::kubeconfig`), which applies them as kubectl does.

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
    /// The selected context's namespace, used when `-n` is not given (filled in once the
    /// cluster is selected; `-n` alone makes a namespace explicit).
    #[arg(skip)]
    pub context_namespace: Option<String>,
}

impl GlobalFlags {
    /// The namespace a namespaced request goes to: `-n`, else the selected context's.
    pub fn namespace(&self) -> &str {
        self.namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .or(self.context_namespace.as_deref())
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }

    /// The flags that choose the cluster and how to reach it, for the kubeconfig loader.
    pub fn overrides(&self) -> crate::kubeconfig::Overrides {
        crate::kubeconfig::Overrides {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            cluster: self.cluster.clone(),
            user: self.user.clone(),
            namespace: self.namespace.clone(),
            server: self.server.clone(),
            token: self.token.clone(),
            certificate_authority: self.certificate_authority.clone(),
            client_certificate: self.client_certificate.clone(),
            client_key: self.client_key.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            tls_server_name: self.tls_server_name.clone(),
            request_timeout: self.request_timeout.clone(),
            username: self.username.clone(),
            password: self.password.clone(),
            as_user: self.as_user.clone(),
            as_groups: self.as_group.clone(),
            disable_compression: self.disable_compression,
        }
    }
}
