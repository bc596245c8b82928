//! What a forwarding proxy (`kubelite proxy`) needs to reach the server the way this
//! client does: where to dial, the TLS settings and server name, the server URL's path,
//! and the credential and impersonation headers. The proxy's own HTTP lives in the CLI;
//! this only hands out the connection settings, so that credentials stay in the client.

use super::Remote;
use super::auth::failure;
use crate::api::status::ApiError;
use std::sync::Arc;

/// How to open connections to the server, as this client opens its own.
pub struct Upstream {
    /// `host:port` to dial.
    pub address: String,
    /// What the `Host` header names (the server's authority).
    pub authority: String,
    /// TLS settings and the name to verify, for an `https://` server.
    pub tls: Option<(
        Arc<rustls::ClientConfig>,
        rustls::pki_types::ServerName<'static>,
    )>,
    /// The server URL's path (`/k8s/clusters/c1` for a server behind a path), without a
    /// trailing slash; empty for most servers.
    pub path: String,
    /// Headers a request gets when it has none of its own (User-Agent, Authorization).
    pub defaults: Vec<(&'static str, String)>,
    /// Headers every request gets, replacing the caller's (impersonation).
    pub overrides: Vec<(&'static str, String)>,
}

impl Remote {
    /// The settings a proxy in front of this server forwards with (credentials read now:
    /// a token file or exec plugin runs here).
    pub fn upstream(&self) -> Result<Upstream, ApiError> {
        let https = self.base().starts_with("https://");
        let authority = failure::authority(self.base()).to_string();
        let address = if authority.contains(':') && !authority.ends_with(']') {
            authority.clone()
        } else {
            format!("{authority}:{}", if https { 443 } else { 80 })
        };
        let path = reqwest::Url::parse(self.base())
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        let tls = if https {
            // With tls-server-name the certificate is checked against that name.
            let (request_base, _) = self.dial_target();
            let named = failure::authority(request_base);
            let host = match named.rsplit_once(':') {
                Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => h,
                _ => named,
            };
            let host = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
            let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| {
                failure::unable_to_connect(&format!("{host:?} is not a server name: {e}"))
            })?;
            Some((self.tls()?, name))
        } else {
            None
        };
        let mut defaults = Vec::new();
        let mut overrides = Vec::new();
        for (k, v) in self.auth_headers()? {
            if k.starts_with("Impersonate-") {
                overrides.push((k, v));
            } else {
                defaults.push((k, v));
            }
        }
        Ok(Upstream {
            address,
            authority,
            tls,
            path,
            defaults,
            overrides,
        })
    }
}
