//! The node's certificates, as kubeadm lays them out: `/etc/kubernetes/pki/` on the
//! control-plane node (the cluster CA, the API server's serving and client certificates,
//! the front proxy's CA, the service account key pair, etcd's own CA and its members'
//! certificates) and the kubelet's client certificate on every node. All chain to the
//! cluster's CA (the one `serve` and the CSR signer use), so `openssl verify` agrees.
//!
//! Keys are ECDSA P-256 (rcgen's default): cheap to make, so the first `node ssh` stays
//! quick; after that nothing is made again, every file is only looked at.

use super::write::{Mode, write_file};
use crate::apiserver::cluster_ca;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use std::net::IpAddr;
use std::path::Path;

/// What a node's certificates name.
pub struct NodeIdentity<'a> {
    pub node: &'a str,
    pub ip: IpAddr,
    pub control_plane: bool,
}

/// The kubelet's client certificate and key in one file, as the kubelet rotates it.
pub const KUBELET_CLIENT: &str = "/var/lib/kubelet/pki/kubelet-client-current.pem";

/// The first IP of the service range: the `kubernetes` Service's ClusterIP.
const KUBERNETES_SERVICE_IP: [u8; 4] = [10, 96, 0, 1];

/// Writes the certificates `id`'s node lacks into its root `root`; `home` keeps the
/// cluster's CA.
pub fn ensure(home: &Path, root: &Path, id: &NodeIdentity) -> Result<(), String> {
    let missing = |p: &str| !root.join(p.trim_start_matches('/')).exists();
    let mut wanted = vec!["/etc/kubernetes/pki/ca.crt", KUBELET_CLIENT];
    if id.control_plane {
        wanted.extend([
            "/etc/kubernetes/pki/apiserver.crt",
            "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
            "/etc/kubernetes/pki/apiserver-etcd-client.crt",
            "/etc/kubernetes/pki/front-proxy-client.crt",
            "/etc/kubernetes/pki/sa.pub",
            "/etc/kubernetes/pki/etcd/server.crt",
            "/etc/kubernetes/pki/etcd/peer.crt",
            "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
        ]);
    }
    if !wanted.iter().any(|p| missing(p)) {
        return Ok(());
    }
    let ca = cluster_ca::load_or_create(home)?;
    let write = |p: &str, text: &str, mode: Mode| write_file(root, p, text.as_bytes(), mode);
    if missing("/etc/kubernetes/pki/ca.crt") {
        write("/etc/kubernetes/pki/ca.crt", &ca.cert_pem, Mode::Public)?;
        if id.control_plane {
            write(
                "/etc/kubernetes/pki/ca.key",
                &ca.key.serialize_pem(),
                Mode::Private,
            )?;
        }
    }
    let cluster = ca.issuer()?;
    if missing(KUBELET_CLIENT) {
        let (cert, key) = sign(
            client(&format!("system:node:{}", id.node), Some("system:nodes"))?,
            &cluster,
        )?;
        write(KUBELET_CLIENT, &(cert + &key), Mode::Private)?;
    }
    if !id.control_plane {
        return Ok(());
    }
    let pki = |name: &str| format!("/etc/kubernetes/pki/{name}");
    let mut pair = |name: &str, (cert, key): (String, String)| -> Result<(), String> {
        write(&pki(&format!("{name}.crt")), &cert, Mode::Public)?;
        write(&pki(&format!("{name}.key")), &key, Mode::Private)
    };
    if missing(&pki("apiserver.crt")) {
        pair("apiserver", sign(apiserver_serving(id)?, &cluster)?)?;
    }
    if missing(&pki("apiserver-kubelet-client.crt")) {
        let params = client(
            "kube-apiserver-kubelet-client",
            Some("kubeadm:cluster-admins"),
        )?;
        pair("apiserver-kubelet-client", sign(params, &cluster)?)?;
    }
    // The front proxy has a CA of its own, as kubeadm gives it.
    if missing(&pki("front-proxy-client.crt")) {
        let (ca_cert, ca_key) = new_ca("front-proxy-ca")?;
        let issuer = Issuer::from_ca_cert_pem(&ca_cert, &ca_key).map_err(err)?;
        let leaf = sign(client("front-proxy-client", None)?, &issuer)?;
        pair("front-proxy-ca", (ca_cert, ca_key.serialize_pem()))?;
        pair("front-proxy-client", leaf)?;
    }
    if missing(&pki("sa.pub")) {
        let key = KeyPair::generate().map_err(err)?;
        write(&pki("sa.key"), &key.serialize_pem(), Mode::Private)?;
        write(&pki("sa.pub"), &key.public_key_pem(), Mode::Public)?;
    }
    etcd(root, id, &mut pair)
}

/// Writes a certificate and its key as `<name>.crt` and `<name>.key` in the pki directory.
type WritePair<'a> = dyn FnMut(&str, (String, String)) -> Result<(), String> + 'a;

/// etcd's CA and the certificates of its member, its health check and the API server's
/// etcd client.
fn etcd(root: &Path, id: &NodeIdentity, pair: &mut WritePair) -> Result<(), String> {
    let ca_cert_path = root.join("etc/kubernetes/pki/etcd/ca.crt");
    let ca_key_path = root.join("etc/kubernetes/pki/etcd/ca.key");
    let (ca_cert, ca_key) = match (
        std::fs::read_to_string(&ca_cert_path),
        std::fs::read_to_string(&ca_key_path),
    ) {
        (Ok(cert), Ok(key)) => (cert, KeyPair::from_pem(&key).map_err(err)?),
        _ => {
            let (cert, key) = new_ca("etcd-ca")?;
            pair("etcd/ca", (cert.clone(), key.serialize_pem()))?;
            (cert, key)
        }
    };
    let issuer = Issuer::from_ca_cert_pem(&ca_cert, &ca_key).map_err(err)?;
    let exists = |name: &str| root.join(format!("etc/kubernetes/pki/{name}.crt")).exists();
    for member in ["etcd/server", "etcd/peer"] {
        if !exists(member) {
            pair(member, sign(etcd_member(id)?, &issuer)?)?;
        }
    }
    if !exists("etcd/healthcheck-client") {
        let params = client("kube-etcd-healthcheck-client", None)?;
        pair("etcd/healthcheck-client", sign(params, &issuer)?)?;
    }
    if !exists("apiserver-etcd-client") {
        let params = client("kube-apiserver-etcd-client", None)?;
        pair("apiserver-etcd-client", sign(params, &issuer)?)?;
    }
    Ok(())
}

fn err(e: rcgen::Error) -> String {
    format!("cannot make the node's certificates: {e}")
}

fn name(common: &str, organization: Option<&str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    if let Some(o) = organization {
        dn.push(DnType::OrganizationName, o);
    }
    dn.push(DnType::CommonName, common);
    dn
}

/// A self-signed CA named `common`: its certificate (PEM) and key.
fn new_ca(common: &str) -> Result<(String, KeyPair), String> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    params.distinguished_name = name(common, None);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let key = KeyPair::generate().map_err(err)?;
    let cert = params.self_signed(&key).map_err(err)?;
    Ok((cert.pem(), key))
}

fn client(common: &str, organization: Option<&str>) -> Result<CertificateParams, String> {
    let mut params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    params.distinguished_name = name(common, organization);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    Ok(params)
}

/// kube-apiserver's serving certificate: the node, the `kubernetes` Service's names and
/// ClusterIP, and the node's address.
fn apiserver_serving(id: &NodeIdentity) -> Result<CertificateParams, String> {
    let names = vec![
        "kubernetes".to_string(),
        "kubernetes.default".to_string(),
        "kubernetes.default.svc".to_string(),
        "kubernetes.default.svc.cluster.local".to_string(),
        id.node.to_string(),
    ];
    let mut params = CertificateParams::new(names).map_err(err)?;
    params.distinguished_name = name("kube-apiserver", None);
    params.subject_alt_names.extend([
        SanType::IpAddress(IpAddr::from(KUBERNETES_SERVICE_IP)),
        SanType::IpAddress(id.ip),
    ]);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    Ok(params)
}

/// etcd's server and peer certificates: both ends of TLS, for the node's names.
fn etcd_member(id: &NodeIdentity) -> Result<CertificateParams, String> {
    let mut params =
        CertificateParams::new(vec![id.node.to_string(), "localhost".to_string()]).map_err(err)?;
    params.distinguished_name = name(id.node, None);
    params.subject_alt_names.extend([
        SanType::IpAddress(id.ip),
        SanType::IpAddress(IpAddr::from([127, 0, 0, 1])),
        SanType::IpAddress(IpAddr::from(std::net::Ipv6Addr::LOCALHOST)),
    ]);
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    Ok(params)
}

/// A new key and its certificate signed by `issuer`, both PEM.
fn sign(
    mut params: CertificateParams,
    issuer: &Issuer<'_, impl rcgen::SigningKey>,
) -> Result<(String, String), String> {
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let key = KeyPair::generate().map_err(err)?;
    let cert = params.signed_by(&key, issuer).map_err(err)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// A client certificate and key for `user` (in `organization`) from the cluster's CA, for
/// a kubeconfig.
pub fn client_pair(
    home: &Path,
    user: &str,
    organization: Option<&str>,
) -> Result<(String, String), String> {
    let ca = cluster_ca::load_or_create(home)?;
    sign(client(user, organization)?, &ca.issuer()?)
}
