//! The cluster's CA, made once and kept in the cluster's directory (`ca.crt` / `ca.key`):
//! serve's TLS certificates and client certificates chain to it, and the controller
//! manager's CSR signer issues certificates with it, as kubeadm's cluster CA serves both.

use crate::private_file::write_private;
use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer};
use rcgen::{KeyPair, KeyUsagePurpose};
use std::path::Path;

pub const CA_CERT: &str = "ca.crt";
pub const CA_KEY: &str = "ca.key";

/// The CA's certificate (PEM) and key.
pub struct ClusterCa {
    pub cert_pem: String,
    pub key: KeyPair,
}

impl ClusterCa {
    /// The CA as an rcgen issuer (its parameters never change, so a kept key signs again).
    pub fn issuer(&self) -> Result<Issuer<'_, &KeyPair>, String> {
        Ok(Issuer::new(params()?, &self.key))
    }

    /// When the CA's own certificate stops being valid.
    pub fn not_after(&self) -> Option<i64> {
        let der = pem_body(&self.cert_pem)?;
        let (_, cert) = x509_parser::parse_x509_certificate(&der).ok()?;
        Some(cert.validity().not_after.timestamp())
    }
}

fn pem_body(pem: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .ok()
}

/// The CA's parameters: always the same, so a kept CA key can sign again.
pub fn params() -> Result<CertificateParams, String> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(cert_error)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "kubelite-ca");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(params)
}

pub fn cert_error(e: rcgen::Error) -> String {
    format!("cannot make the server's certificates: {e}")
}

/// The kept CA of `home`, or a new one written there (owner-only files).
pub fn load_or_create(home: &Path) -> Result<ClusterCa, String> {
    let cert_path = home.join(CA_CERT);
    let key_path = home.join(CA_KEY);
    if let (Ok(pem), Ok(key)) = (
        std::fs::read_to_string(&cert_path),
        std::fs::read_to_string(&key_path),
    ) && let Ok(key) = KeyPair::from_pem(&key)
    {
        return Ok(ClusterCa { cert_pem: pem, key });
    }
    let key = KeyPair::generate().map_err(cert_error)?;
    let cert = params()?.self_signed(&key).map_err(cert_error)?;
    write_private(&key_path, key.serialize_pem().as_bytes())?;
    write_private(&cert_path, cert.pem().as_bytes())?;
    Ok(ClusterCa {
        cert_pem: cert.pem(),
        key,
    })
}
