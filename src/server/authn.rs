//! Who a request comes from. As kube-apiserver does it: the TLS handshake asks for a client
//! certificate but takes any (so token clients connect without one); the certificate is
//! then checked against the cluster's CA per connection, and a request is authenticated by
//! a valid certificate (user = CN, groups = O) or by one of serve's bearer tokens. A wrong
//! credential is 401 everywhere; no credential at all is anonymous, which may only read
//! `/healthz`, `/livez`, `/readyz` and `/version`.

use hyper::header::{AUTHORIZATION, HeaderMap};
use rustls::DistinguishedName;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

/// The group whose members may do anything (kubeadm's admin certificate is in it).
pub const MASTERS: &str = "system:masters";
pub const AUTHENTICATED: &str = "system:authenticated";
/// The user of the read-only token.
pub const VIEWER: &str = "viewer";

#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub user: String,
    pub groups: Vec<String>,
}

impl Identity {
    pub fn admin() -> Identity {
        Identity {
            user: "kubernetes-admin".to_string(),
            groups: vec![MASTERS.to_string(), AUTHENTICATED.to_string()],
        }
    }

    pub fn viewer() -> Identity {
        Identity {
            user: VIEWER.to_string(),
            groups: vec![AUTHENTICATED.to_string()],
        }
    }

    pub fn is_master(&self) -> bool {
        self.groups.iter().any(|g| g == MASTERS)
    }
}

/// What the connection's certificate says, checked once per connection.
#[derive(Debug, Clone, PartialEq)]
pub enum PeerCert {
    None,
    Valid(Identity),
    /// Presented but not signed by the cluster's CA (or expired, or not for clients).
    Invalid,
}

/// The bearer tokens serve accepts.
pub struct Tokens {
    pub admin: String,
    pub viewer: String,
}

/// The request's identity; `Err(())` for a credential that is wrong (401), `Ok(None)` for
/// none at all (anonymous).
pub fn authenticate(
    headers: &HeaderMap,
    cert: &PeerCert,
    tokens: &Tokens,
) -> Result<Option<Identity>, ()> {
    if let PeerCert::Valid(id) = cert {
        return Ok(Some(id.clone()));
    }
    match headers.get(AUTHORIZATION).map(|v| v.to_str().unwrap_or("")) {
        Some(value) => {
            let Some(given) = value.strip_prefix("Bearer ") else {
                // Basic auth and other schemes: kube-apiserver has no authenticator for
                // them.
                return Err(());
            };
            let given = given.trim();
            if same(given, &tokens.admin) {
                Ok(Some(Identity::admin()))
            } else if same(given, &tokens.viewer) {
                Ok(Some(Identity::viewer()))
            } else {
                Err(())
            }
        }
        None if *cert == PeerCert::Invalid => Err(()),
        None => Ok(None),
    }
}

/// Compares in time that does not depend on where the strings differ.
fn same(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a connection's certificate chain against the cluster's CA.
pub struct CertChecker {
    verifier: Arc<dyn ClientCertVerifier>,
}

impl CertChecker {
    pub fn new(ca: CertificateDer<'static>) -> Result<CertChecker, String> {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(ca)
            .map_err(|e| format!("the CA certificate is not usable: {e}"))?;
        let verifier = WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            Arc::new(rustls::crypto::ring::default_provider()),
        )
        .build()
        .map_err(|e| format!("cannot configure client certificates: {e}"))?;
        Ok(CertChecker { verifier })
    }

    pub fn check(&self, chain: Option<&[CertificateDer<'static>]>) -> PeerCert {
        let Some((leaf, intermediates)) = chain.and_then(|c| c.split_first()) else {
            return PeerCert::None;
        };
        if self
            .verifier
            .verify_client_cert(leaf, intermediates, UnixTime::now())
            .is_err()
        {
            return PeerCert::Invalid;
        }
        match subject_identity(leaf) {
            Some(id) => PeerCert::Valid(id),
            None => PeerCert::Invalid,
        }
    }

    /// The handshake side: asks for a certificate naming the CA, takes any.
    pub fn handshake_verifier(&self) -> Arc<dyn ClientCertVerifier> {
        Arc::new(AskForAnyCert {
            inner: self.verifier.clone(),
        })
    }
}

/// Requests a client certificate and lets every one through the handshake (its holder
/// still has to prove it has the key); `CertChecker::check` decides what it is worth.
#[derive(Debug)]
struct AskForAnyCert {
    inner: Arc<dyn ClientCertVerifier>,
}

impl ClientCertVerifier for AskForAnyCert {
    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.inner.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
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

/// User (CN) and groups (every O) of a certificate's subject.
fn subject_identity(cert: &CertificateDer<'_>) -> Option<Identity> {
    let (cn, orgs) = crate::client::auth::der::subject_cn_and_orgs(cert.as_ref())?;
    let mut groups = orgs;
    groups.push(AUTHENTICATED.to_string());
    Some(Identity { user: cn?, groups })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn tokens() -> Tokens {
        Tokens {
            admin: "adm".into(),
            viewer: "view".into(),
        }
    }

    #[test]
    fn credentials_decide_the_identity() {
        let mut h = HeaderMap::new();
        assert_eq!(authenticate(&h, &PeerCert::None, &tokens()), Ok(None));
        assert_eq!(authenticate(&h, &PeerCert::Invalid, &tokens()), Err(()));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer adm"));
        assert_eq!(
            authenticate(&h, &PeerCert::None, &tokens()),
            Ok(Some(Identity::admin()))
        );
        // A valid token makes up for a certificate from elsewhere.
        assert_eq!(
            authenticate(&h, &PeerCert::Invalid, &tokens()),
            Ok(Some(Identity::admin()))
        );
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer view"));
        assert_eq!(
            authenticate(&h, &PeerCert::None, &tokens()),
            Ok(Some(Identity::viewer()))
        );
        for wrong in ["Bearer ad", "Bearer admx", "Basic YWRtOmFkbQ=="] {
            h.insert(AUTHORIZATION, HeaderValue::from_static(wrong));
            assert_eq!(
                authenticate(&h, &PeerCert::None, &tokens()),
                Err(()),
                "{wrong}"
            );
        }
    }

    #[test]
    fn certificates_from_the_ca_name_their_user() {
        let ca_key = rcgen::KeyPair::generate().expect("key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("p");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).expect("ca");
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("p");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "alice");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "dev");
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &issuer).expect("cert");
        let checker = CertChecker::new(ca.der().clone()).expect("checker");
        assert_eq!(
            checker.check(Some(&[cert.der().clone()])),
            PeerCert::Valid(Identity {
                user: "alice".into(),
                groups: vec!["dev".into(), AUTHENTICATED.into()]
            })
        );
        assert_eq!(checker.check(None), PeerCert::None);
        let other = CertChecker::new(cert.der().clone()).expect("checker");
        assert_eq!(other.check(Some(&[ca.der().clone()])), PeerCert::Invalid);
    }
}
