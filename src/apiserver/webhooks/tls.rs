//! The TLS trust of a webhook call: the webhook's caBundle (the system's roots when it has
//! none), checked against the URL's host or, for a Service, the Service's DNS name
//! `<name>.<namespace>.svc` whichever endpoint address is dialled.

use crate::tls::{provider, roots_from_pem, system_roots, verifier};
use rustls::pki_types::ServerName;

/// The client configuration for one caBundle and, for Services, the name to check.
pub fn client_config(
    ca_bundle: &[u8],
    server_name: Option<&str>,
) -> Result<rustls::ClientConfig, String> {
    let roots = if ca_bundle.is_empty() {
        system_roots().0
    } else {
        roots_from_pem(ca_bundle)?
    };
    let name = server_name
        .map(|name| {
            ServerName::try_from(name.to_string())
                .map_err(|_| format!("invalid server name {name:?}"))
        })
        .transpose()?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier(roots, name)?)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
