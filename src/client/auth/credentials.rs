//! The credentials a `Remote` sends, as they change during a run: a token file is read at
//! connect and again after a 401; an exec plugin runs at the first request, its result is
//! kept until it expires, and it runs again after a 401.

use super::exec_plugin::{self, ExecCredential};
use super::failure;
use crate::api::status::ApiError;
use crate::client::ConnectionConfig;
use base64::Engine;
use std::sync::Mutex;
use std::time::SystemTime;

pub struct Authenticator {
    /// The whole configuration, for the plugin's `KUBERNETES_EXEC_INFO`.
    config: ConnectionConfig,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    file_token: Option<String>,
    plugin: Option<ExecCredential>,
}

/// A client certificate and key, PEM.
pub type CertPair = (Vec<u8>, Vec<u8>);

impl Authenticator {
    pub fn new(config: &ConnectionConfig) -> Result<Authenticator, String> {
        if let Some(exec) = &config.credentials.exec {
            exec_plugin::check_config(exec)?;
        }
        let c = &config.credentials;
        super::tls::check_cert_pair(c.client_cert_pem.is_some(), c.client_key_pem.is_some())?;
        let file_token = match &config.credentials.token_file {
            Some(path) => Some(read_token_file(path)?),
            None => None,
        };
        Ok(Authenticator {
            config: config.clone(),
            state: Mutex::new(State {
                file_token,
                plugin: None,
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The plugin's credential, running it when there is none or it expired.
    fn plugin(&self) -> Result<Option<ExecCredential>, ApiError> {
        let Some(exec) = &self.config.credentials.exec else {
            return Ok(None);
        };
        let mut state = self.state();
        if let Some(c) = &state.plugin
            && !c.expired(SystemTime::now())
        {
            return Ok(Some(c.clone()));
        }
        let fresh = exec_plugin::run(exec, &self.config)
            .map_err(|e| failure::unable_to_connect(&format!("getting credentials: {e}")))?;
        state.plugin = Some(fresh.clone());
        Ok(Some(fresh))
    }

    /// The configured client certificate, if there is one.
    pub fn static_cert(&self) -> Option<CertPair> {
        let c = &self.config.credentials;
        Some((c.client_cert_pem.clone()?, c.client_key_pem.clone()?))
    }

    /// The client certificate to present: the configured one, else the plugin's.
    pub fn client_cert(&self) -> Result<Option<CertPair>, ApiError> {
        if let Some(pair) = self.static_cert() {
            return Ok(Some(pair));
        }
        Ok(self
            .plugin()?
            .and_then(|p| Some((p.client_cert_pem?, p.client_key_pem?))))
    }

    /// The `Authorization` header to send, if any. A configured token (or token file)
    /// comes first, then the plugin's token, then basic auth.
    pub fn authorization(&self) -> Result<Option<String>, ApiError> {
        let c = &self.config.credentials;
        if let Some(t) = self.state().file_token.clone() {
            return Ok(Some(format!("Bearer {t}")));
        }
        if let Some(t) = c.token.as_deref().filter(|t| !t.is_empty()) {
            return Ok(Some(format!("Bearer {t}")));
        }
        if let Some(t) = self.plugin()?.and_then(|p| p.token) {
            return Ok(Some(format!("Bearer {t}")));
        }
        if let Some(user) = &c.username {
            let pair = format!("{user}:{}", c.password.as_deref().unwrap_or(""));
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            return Ok(Some(format!("Basic {encoded}")));
        }
        Ok(None)
    }

    /// After a 401: forgets what may have gone stale. True when a second try may succeed.
    pub fn refresh(&self) -> bool {
        let c = &self.config.credentials;
        let mut state = self.state();
        let mut changed = false;
        if let Some(path) = &c.token_file
            && let Ok(t) = read_token_file(path)
            && state.file_token.as_deref() != Some(t.as_str())
        {
            state.file_token = Some(t);
            changed = true;
        }
        // A plugin is only asked again when it supplies what this request used.
        let static_token = c.token.is_some() || c.token_file.is_some();
        if c.exec.is_some() && !static_token && state.plugin.take().is_some() {
            changed = true;
        }
        changed
    }
}

fn read_token_file(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|t| t.trim().to_string())
        .map_err(|e| format!("open {}: {}", path.display(), io_words(&e)))
}

/// Go's wording of common file errors.
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Credentials;

    #[test]
    fn tokens_come_before_basic_auth_and_files_are_reread() {
        let dir = std::env::temp_dir().join(format!("kubelite-auth-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("token");
        std::fs::write(&file, "one\n").expect("write");
        let config = ConnectionConfig {
            credentials: Credentials {
                token_file: Some(file.clone()),
                username: Some("u".into()),
                password: Some("p".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let a = Authenticator::new(&config).expect("reads the file");
        assert_eq!(
            a.authorization().ok().flatten().as_deref(),
            Some("Bearer one")
        );
        assert!(!a.refresh(), "an unchanged file is no reason to retry");
        std::fs::write(&file, "two").expect("write");
        assert!(a.refresh());
        assert_eq!(
            a.authorization().ok().flatten().as_deref(),
            Some("Bearer two")
        );
        let _ = std::fs::remove_dir_all(&dir);

        let basic = ConnectionConfig {
            credentials: Credentials {
                username: Some("u".into()),
                password: Some("p".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let a = Authenticator::new(&basic).expect("basic");
        assert_eq!(
            a.authorization().ok().flatten().as_deref(),
            Some("Basic dTpw")
        );
        let missing = ConnectionConfig {
            credentials: Credentials {
                token_file: Some("/nonexistent/kubelite-token".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            Authenticator::new(&missing).err().as_deref(),
            Some("open /nonexistent/kubelite-token: no such file or directory")
        );
    }
}
