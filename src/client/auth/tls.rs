//! The client's TLS settings from a `ConnectionConfig`: which server certificates to trust
//! (the cluster's CA, the system's roots, or anything with `insecure-skip-tls-verify`),
//! which name to check them against (`tls-server-name`), and the client certificate.

pub use crate::tls::certificates;
use crate::tls::{provider, roots_from_pem, verifier};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

/// What to trust and what to present, already parsed.
pub struct TlsSettings<'a> {
    pub ca_pem: Option<&'a [u8]>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<&'a str>,
    pub client_cert_pem: Option<&'a [u8]>,
    pub client_key_pem: Option<&'a [u8]>,
}

/// The rustls client configuration for `s`.
pub fn client_config(s: &TlsSettings) -> Result<rustls::ClientConfig, String> {
    let verifier: Arc<dyn ServerCertVerifier> = if s.insecure_skip_tls_verify {
        Arc::new(AcceptAnyServerCert)
    } else {
        let roots = match s.ca_pem {
            Some(pem) => roots_from_pem(pem)?,
            None => system_roots()?,
        };
        let name = s
            .tls_server_name
            .map(|name| {
                ServerName::try_from(name.to_string())
                    .map_err(|_| format!("tls-server-name {name:?} is not a valid server name"))
            })
            .transpose()?;
        verifier(roots, name)?
    };
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    check_cert_pair(s.client_cert_pem.is_some(), s.client_key_pem.is_some())?;
    let mut config = match (s.client_cert_pem, s.client_key_pem) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert)
                .ok_or("tls: failed to find any PEM data in certificate input")?;
            let key = private_key(key)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| match e {
                    rustls::Error::InconsistentKeys(_) => {
                        "tls: private key does not match public key".to_string()
                    }
                    other => format!("tls: {other}"),
                })?
        }
        _ => builder.with_no_client_auth(),
    };
    // kube-apiserver speaks HTTP/2 too, but reqwest here is built for HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A client certificate needs its key and a key its certificate; kubectl's words when one
/// is missing.
pub fn check_cert_pair(has_cert: bool, has_key: bool) -> Result<(), String> {
    let missing = match (has_cert, has_key) {
        (true, false) => "client-key-data or client-key",
        (false, true) => "client-cert-data or client-cert",
        _ => return Ok(()),
    };
    Err(format!(
        "{missing} must be specified to use the clientCert authentication method."
    ))
}

/// A PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private key in PEM.
pub fn private_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, String> {
    PrivateKeyDer::from_pem_slice(pem)
        .map_err(|_| "tls: failed to find any PEM data in key input".to_string())
}

/// The operating system's trusted roots, as Go reads them on Linux (`SSL_CERT_FILE`,
/// `SSL_CERT_DIR`, then the distribution's bundle).
fn system_roots() -> Result<rustls::RootCertStore, String> {
    let (roots, error) = crate::tls::system_roots();
    if roots.is_empty() {
        return Err(match error {
            Some(e) => format!("cannot load the system's trusted certificates: {e}"),
            None => "the system has no trusted certificates; set certificate-authority".into(),
        });
    }
    Ok(roots)
}

/// `insecure-skip-tls-verify`: any certificate is taken. The handshake's signatures are
/// still checked, so the server at least holds the key of the certificate it shows.
#[derive(Debug)]
struct AcceptAnyServerCert;

impl ServerCertVerifier for AcceptAnyServerCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings<'a>() -> TlsSettings<'a> {
        TlsSettings {
            ca_pem: None,
            insecure_skip_tls_verify: true,
            tls_server_name: None,
            client_cert_pem: None,
            client_key_pem: None,
        }
    }

    #[test]
    fn keys_of_every_pem_kind_are_read() {
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["me".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        let (cert_pem, key_pem) = (cert.pem(), key.serialize_pem());
        let s = TlsSettings {
            client_cert_pem: Some(cert_pem.as_bytes()),
            client_key_pem: Some(key_pem.as_bytes()),
            ..settings()
        };
        assert!(client_config(&s).is_ok());
        // An EC key in SEC1 form is taken as well as PKCS#8.
        use base64::Engine;
        let body = base64::engine::general_purpose::STANDARD.encode([0x30u8, 0x03, 2, 1, 1]);
        let sec1 =
            format!("-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----\n");
        assert!(matches!(
            private_key(sec1.as_bytes()),
            Ok(PrivateKeyDer::Sec1(_))
        ));
        assert!(private_key(b"nothing here").is_err());
        let half = TlsSettings {
            client_cert_pem: Some(cert_pem.as_bytes()),
            ..settings()
        };
        let e = client_config(&half).err().unwrap_or_default();
        assert!(
            e.starts_with("client-key-data or client-key must be specified"),
            "{e}"
        );
        let stranger = rcgen::KeyPair::generate().expect("key").serialize_pem();
        let mismatched = TlsSettings {
            client_cert_pem: Some(cert_pem.as_bytes()),
            client_key_pem: Some(stranger.as_bytes()),
            ..settings()
        };
        assert_eq!(
            client_config(&mismatched).err().as_deref(),
            Some("tls: private key does not match public key")
        );
    }

    #[test]
    fn bad_certificate_authorities_are_errors() {
        let s = TlsSettings {
            ca_pem: Some(b"not a certificate"),
            insecure_skip_tls_verify: false,
            ..settings()
        };
        assert_eq!(
            client_config(&s).err().as_deref(),
            Some("unable to load root certificates: unable to parse bytes as PEM block")
        );
    }
}
