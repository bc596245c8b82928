//! TLS trust shared by every client kubelite opens (kubectl's connections, webhook calls):
//! the crypto provider, root stores from PEM or the system, and a verifier that checks a
//! certificate against a given name instead of the dialled host.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

/// Go's words for a CA file that holds no certificate.
const UNPARSABLE_ROOTS: &str =
    "unable to load root certificates: unable to parse bytes as PEM block";

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Every CERTIFICATE block of `pem`, in order; `None` when there is none.
pub fn certificates(pem: &[u8]) -> Option<Vec<CertificateDer<'static>>> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .ok()?;
    (!certs.is_empty()).then_some(certs)
}

/// The certificates of a CA bundle in PEM.
pub fn roots_from_pem(pem: &[u8]) -> Result<rustls::RootCertStore, String> {
    let mut roots = rustls::RootCertStore::empty();
    for der in certificates(pem).ok_or(UNPARSABLE_ROOTS)? {
        roots.add(der).map_err(|_| UNPARSABLE_ROOTS.to_string())?;
    }
    Ok(roots)
}

/// The operating system's trusted roots, as Go reads them on Linux (`SSL_CERT_FILE`,
/// `SSL_CERT_DIR`, then the distribution's bundle), with the first error met if none load.
pub fn system_roots() -> (rustls::RootCertStore, Option<String>) {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (_, _) = roots.add_parsable_certificates(found.certs);
    let error = found.errors.first().map(|e| e.to_string());
    (roots, error)
}

/// A verifier trusting `roots`, checking certificates against `name` when given, else
/// against the dialled host.
pub fn verifier(
    roots: rustls::RootCertStore,
    name: Option<ServerName<'static>>,
) -> Result<Arc<dyn ServerCertVerifier>, String> {
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| format!("cannot configure TLS: {e}"))?;
    Ok(match name {
        None => inner,
        Some(name) => Arc::new(NamedServer { inner, name }),
    })
}

/// Verifies the server's certificate against `name` instead of the dialled host.
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
        _dialled_host: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, &self.name, ocsp, now)
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
