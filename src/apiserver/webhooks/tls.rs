//! The TLS trust of a webhook call: the webhook's caBundle (the system's roots when it has
//! none), checked against the URL's host or, for a Service, the Service's DNS name
//! `<name>.<namespace>.svc` whichever endpoint address is dialled.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn roots(ca_bundle: &[u8]) -> Result<rustls::RootCertStore, String> {
    let mut roots = rustls::RootCertStore::empty();
    if ca_bundle.is_empty() {
        let found = rustls_native_certs::load_native_certs();
        let _ = roots.add_parsable_certificates(found.certs);
        return Ok(roots);
    }
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(ca_bundle)
        .collect::<Result<_, _>>()
        .map_err(|_| "unable to load root certificates: unable to parse bytes as PEM block")?;
    if certs.is_empty() {
        return Err("unable to load root certificates: unable to parse bytes as PEM block".into());
    }
    for der in certs {
        roots
            .add(der)
            .map_err(|e| format!("unable to load root certificates: {e}"))?;
    }
    Ok(roots)
}

/// The client configuration for one caBundle and, for Services, the name to check.
pub fn client_config(
    ca_bundle: &[u8],
    server_name: Option<&str>,
) -> Result<rustls::ClientConfig, String> {
    let inner =
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots(ca_bundle)?), provider())
            .build()
            .map_err(|e| format!("unable to load root certificates: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = match server_name {
        Some(name) => Arc::new(NamedServer {
            inner,
            name: ServerName::try_from(name.to_string())
                .map_err(|_| format!("invalid server name {name:?}"))?,
        }),
        None => inner,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Verifies the certificate against `name` instead of the dialled address.
#[derive(Debug)]
struct NamedServer {
    inner: Arc<WebPkiServerVerifier>,
    name: ServerName<'static>,
}

impl ServerCertVerifier for NamedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, &self.name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
