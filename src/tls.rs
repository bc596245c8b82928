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

/// Why client-go refuses `pem` as CA data, in its words (`unable to load root certificates:
/// ...`): no CERTIFICATE block without headers holds a certificate Go can parse. None for
/// an empty bundle (the system's roots) or one with a usable certificate. kube-apiserver
/// judges webhook `caBundle`s by this.
pub fn ca_data_error(pem: &[u8]) -> Option<String> {
    if pem.is_empty() || !usable_certificates(pem).is_empty() {
        return None;
    }
    // Go's second pass names the first thing wrong.
    let mut rest = pem;
    let reason = loop {
        if rest.is_empty() {
            break "no valid certificate authority data seen".to_string();
        }
        let Some((block, after)) = crate::go::pem::decode(rest) else {
            break "unable to parse bytes as PEM block".to_string();
        };
        rest = after;
        if block.label != "CERTIFICATE" || block.has_headers {
            continue;
        }
        if let Err(e) = parse_certificate(&block.bytes) {
            break format!("failed to parse certificate: {e}");
        }
    };
    Some(format!("unable to load root certificates: {reason}"))
}

/// The certificates Go's `CertPool.AppendCertsFromPEM` would take from `pem`: CERTIFICATE
/// blocks without headers that parse, anything else skipped.
fn usable_certificates(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    let mut rest = pem;
    let mut found = Vec::new();
    while let Some((block, after)) = crate::go::pem::decode(rest) {
        rest = after;
        if block.label == "CERTIFICATE"
            && !block.has_headers
            && parse_certificate(&block.bytes).is_ok()
        {
            found.push(CertificateDer::from(block.bytes));
        }
    }
    found
}

/// Go's `x509.ParseCertificate` verdict, in its words: the first part of the outline it
/// cannot read, then bytes after the certificate; a certificate whose outline reads but
/// whose insides do not gets Go's outermost complaint.
fn parse_certificate(der: &[u8]) -> Result<(), &'static str> {
    let first = crate::go::x509::outline_error(der)?;
    if first != der.len() {
        return Err("x509: trailing data");
    }
    match x509_parser::parse_x509_certificate(der) {
        Ok(_) => Ok(()),
        Err(_) => Err("x509: malformed certificate"),
    }
}

/// The certificates of a CA bundle in PEM.
pub fn roots_from_pem(pem: &[u8]) -> Result<rustls::RootCertStore, String> {
    let usable = usable_certificates(pem);
    if usable.is_empty() {
        // Parsed again only to say what is wrong.
        return Err(ca_data_error(pem).unwrap_or_else(|| UNPARSABLE_ROOTS.to_string()));
    }
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(usable);
    if added == 0 {
        return Err(UNPARSABLE_ROOTS.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    fn pem_block(label: &str, der: &[u8]) -> String {
        use base64::Engine;
        let text = crate::go::base64::STD.encode(der);
        format!("-----BEGIN {label}-----\n{text}\n-----END {label}-----\n")
    }

    #[test]
    fn ca_data_is_judged_as_client_go_judges_it() {
        let good = ca_pem();
        assert_eq!(ca_data_error(b""), None);
        assert_eq!(ca_data_error(good.as_bytes()), None);
        // Junk around a good certificate is skipped, as Go skips it.
        assert_eq!(ca_data_error(format!("junk\n{good}junk").as_bytes()), None);
        let why = |pem: &[u8]| ca_data_error(pem).unwrap();
        assert_eq!(
            why(b"\n"),
            "unable to load root certificates: unable to parse bytes as PEM block"
        );
        assert_eq!(
            why(b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n"),
            "unable to load root certificates: failed to parse certificate: x509: malformed certificate"
        );
        // A key's DER in a CERTIFICATE block, a certificate with bytes after it.
        let key_der = rcgen::KeyPair::generate().unwrap().serialize_der();
        assert_eq!(
            why(pem_block("CERTIFICATE", &key_der).as_bytes()),
            "unable to load root certificates: failed to parse certificate: x509: malformed tbs certificate"
        );
        let mut long = CertificateDer::from_pem_slice(good.as_bytes())
            .unwrap()
            .to_vec();
        long.push(0);
        assert_eq!(
            why(pem_block("CERTIFICATE", &long).as_bytes()),
            "unable to load root certificates: failed to parse certificate: x509: trailing data"
        );
        assert_eq!(
            why(b"-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n"),
            "unable to load root certificates: no valid certificate authority data seen"
        );
        assert!(roots_from_pem(good.as_bytes()).is_ok());
        assert_eq!(roots_from_pem(b"\n").err(), Some(why(b"\n")));
    }
}
