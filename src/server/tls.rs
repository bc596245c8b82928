//! The cluster's CA (made once, kept in KUBELITE_HOME), a serving certificate signed by
//! it for the listening address, loopback and `localhost`, and an admin client certificate
//! (`admin.crt` / `admin.key`: CN kubernetes-admin, O system:masters, as kubeadm makes it).

use super::authn::CertChecker;
use super::files::write_private;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::Arc;

const SERVING_CERT: &str = "serving.crt";
const SERVING_KEY: &str = "serving.key";
pub const ADMIN_CERT: &str = "admin.crt";
pub const ADMIN_KEY: &str = "admin.key";

pub struct Certs {
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
    /// Checks the client certificates that connections present.
    pub cert_checker: Arc<CertChecker>,
}

use crate::apiserver::cluster_ca::{cert_error, params as ca_params};

/// The kept CA, or a new one written to `ca.crt` / `ca.key`.
fn load_or_create_ca(home: &Path) -> Result<(String, KeyPair), String> {
    let ca = crate::apiserver::cluster_ca::load_or_create(home)?;
    Ok((ca.cert_pem, ca.key))
}

/// CA and a fresh serving certificate for `listen_ip`, as a rustls server configuration.
pub fn load_or_create(home: &Path, listen_ip: IpAddr) -> Result<Certs, String> {
    let (ca_pem, ca_key) = load_or_create_ca(home)?;
    let issuer = Issuer::new(ca_params()?, ca_key);
    let mut ips = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ];
    if !listen_ip.is_unspecified() && !ips.contains(&listen_ip) {
        ips.push(listen_ip);
    }
    let mut params = CertificateParams::new(vec!["localhost".to_string(), "kubelite".to_string()])
        .map_err(cert_error)?;
    params
        .subject_alt_names
        .extend(ips.into_iter().map(SanType::IpAddress));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "kube-apiserver");
    params.distinguished_name = dn;
    let (cert, key) = issue(
        params,
        ExtendedKeyUsagePurpose::ServerAuth,
        &issuer,
        home,
        (SERVING_CERT, SERVING_KEY),
    )?;
    write_admin_cert(home, &issuer)?;
    let cert_checker = Arc::new(CertChecker::new(ca_der(&ca_pem)?)?);
    let chain = vec![cert.der().clone(), ca_der(&ca_pem)?];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("cannot configure TLS: {e}"))?
    .with_client_cert_verifier(cert_checker.handshake_verifier())
    .with_single_cert(chain, private)
    .map_err(|e| format!("cannot configure TLS: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Certs {
        ca_pem,
        server_config: Arc::new(config),
        cert_checker,
    })
}

/// A fresh admin client certificate signed by the CA (the CA stays, so copies of older
/// ones keep working).
fn write_admin_cert(home: &Path, issuer: &Issuer<'_, KeyPair>) -> Result<(), String> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(cert_error)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, super::authn::MASTERS);
    dn.push(DnType::CommonName, "kubernetes-admin");
    params.distinguished_name = dn;
    issue(
        params,
        ExtendedKeyUsagePurpose::ClientAuth,
        issuer,
        home,
        (ADMIN_CERT, ADMIN_KEY),
    )?;
    Ok(())
}

/// Signs a new key's certificate for `usage` with the CA and writes both, as PEM, to
/// `cert_file` and `key_file` in `home`.
fn issue(
    mut params: CertificateParams,
    usage: ExtendedKeyUsagePurpose,
    issuer: &Issuer<'_, KeyPair>,
    home: &Path,
    (cert_file, key_file): (&str, &str),
) -> Result<(rcgen::Certificate, KeyPair), String> {
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![usage];
    let key = KeyPair::generate().map_err(cert_error)?;
    let cert = params.signed_by(&key, issuer).map_err(cert_error)?;
    write_private(&home.join(key_file), key.serialize_pem().as_bytes())?;
    write_private(&home.join(cert_file), cert.pem().as_bytes())?;
    Ok((cert, key))
}

/// The DER bytes of a PEM certificate.
pub fn ca_der(pem: &str) -> Result<CertificateDer<'static>, String> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .map(CertificateDer::from)
        .map_err(|e| format!("the CA certificate is not valid PEM: {e}"))
}
