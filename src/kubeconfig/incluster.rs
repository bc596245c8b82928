//! kubectl's in-cluster configuration: inside a pod, with no kubeconfig content, the API
//! server comes from `KUBERNETES_SERVICE_HOST`/`_PORT` and credentials from the mounted
//! service account.

use crate::client::{ConnectionConfig, Credentials};
use std::path::PathBuf;

/// Where a pod's service account is mounted.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
/// kubelite's own variable naming another directory in its place (for tests).
pub const SERVICE_ACCOUNT_DIR_ENV: &str = "KUBELITE_SERVICEACCOUNT_DIR";

/// What in-cluster configuration needs from the environment.
#[derive(Debug, Clone, Default)]
pub struct InClusterEnv {
    pub host: Option<String>,
    pub port: Option<String>,
    pub pod_namespace: Option<String>,
    pub account_dir: PathBuf,
}

impl InClusterEnv {
    pub fn from_process() -> InClusterEnv {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        InClusterEnv {
            host: var("KUBERNETES_SERVICE_HOST"),
            port: var("KUBERNETES_SERVICE_PORT"),
            pod_namespace: var("POD_NAMESPACE"),
            account_dir: var(SERVICE_ACCOUNT_DIR_ENV)
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(SERVICE_ACCOUNT_DIR)),
        }
    }

    /// The connection and namespace a pod's kubectl would use, if this is a pod.
    pub fn config(&self) -> Option<(ConnectionConfig, String)> {
        let (host, port) = (self.host.as_ref()?, self.port.as_ref()?);
        let token_file = self.account_dir.join("token");
        let token = std::fs::read_to_string(&token_file).ok()?;
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.clone()
        };
        let namespace = self
            .pod_namespace
            .clone()
            .or_else(|| {
                std::fs::read_to_string(self.account_dir.join("namespace"))
                    .ok()
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty())
            })
            .unwrap_or_else(|| "default".to_string());
        let config = ConnectionConfig {
            server: format!("https://{host}:{port}"),
            ca_pem: std::fs::read(self.account_dir.join("ca.crt")).ok(),
            credentials: Credentials {
                token: Some(token.trim().to_string()),
                token_file: Some(token_file),
                ..Default::default()
            },
            ..Default::default()
        };
        Some((config, namespace))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_env_and_token() {
        let dir = std::env::temp_dir().join(format!("kubelite-sa-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut env = InClusterEnv {
            host: Some("fd00::1".into()),
            port: Some("443".into()),
            pod_namespace: None,
            account_dir: dir.clone(),
        };
        assert!(env.config().is_none(), "no token yet");
        std::fs::write(dir.join("token"), "tok\n").unwrap();
        std::fs::write(dir.join("namespace"), "team").unwrap();
        let (config, ns) = env.config().unwrap();
        assert_eq!(config.server, "https://[fd00::1]:443");
        assert_eq!(config.credentials.token.as_deref(), Some("tok"));
        assert_eq!(ns, "team");
        env.host = None;
        assert!(env.config().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
