//! `create secret tls`: a `kubernetes.io/tls` Secret from a certificate and its key, checked
//! as Go's `tls.X509KeyPair` checks them, with its words.

use super::{Common, objects};
use clap::Args;
use serde_json::Value;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{
    OID_KEY_TYPE_EC_PUBLIC_KEY, OID_PKCS1_RSAENCRYPTION, OID_SIG_ED25519,
};
use x509_parser::prelude::FromDer;

#[derive(Args, Debug)]
pub struct TlsArgs {
    /// NAME
    pub names: Vec<String>,
    /// Path to the PEM certificate (chain).
    #[arg(long, default_value = "")]
    pub cert: String,
    /// Path to the PEM private key of the certificate.
    #[arg(long, default_value = "")]
    pub key: String,
    /// Append a hash of the content to the name.
    #[arg(long)]
    pub append_hash: bool,
    #[command(flatten)]
    pub common: Common,
}

impl TlsArgs {
    /// kubectl's check after the NAME.
    pub fn check(&self) -> Result<(), String> {
        if self.cert.is_empty() || self.key.is_empty() {
            return Err("key and cert must be specified".into());
        }
        Ok(())
    }

    pub fn build(&self, name: &str, namespace: Option<&str>) -> Result<Value, String> {
        let cert = read(&self.cert)?;
        let key = read(&self.key)?;
        check_pair(&cert, &key)?;
        let mut data = objects::Data::default();
        data.binary.insert("tls.crt".into(), cert);
        data.binary.insert("tls.key".into(), key);
        Ok(objects::secret(name, namespace, &data, "kubernetes.io/tls"))
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => format!("open {path}: no such file or directory"),
            std::io::ErrorKind::PermissionDenied => format!("open {path}: permission denied"),
            std::io::ErrorKind::IsADirectory => format!("read {path}: is a directory"),
            _ => format!("read {path}: {e}"),
        };
        format!("Cannot read file {path}, {why}")
    })
}

/// PEM blocks (type, DER) in the order they appear; text around them and blocks whose body
/// is not base64 are passed over, as Go's decoder passes them.
fn pem_blocks(text: &[u8]) -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    let text = String::from_utf8_lossy(text);
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(kind) = line
            .trim_end()
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {kind}-----");
        let mut body = String::new();
        let mut closed = false;
        for l in lines.by_ref() {
            if l.trim_end() == end {
                closed = true;
                break;
            }
            // Headers (`Proc-Type: ...`) are not part of the body.
            if !l.contains(':') {
                body.push_str(l.trim());
            }
        }
        let engine = base64::engine::general_purpose::STANDARD;
        if let (true, Ok(der)) = (closed, engine.decode(&body)) {
            blocks.push((kind.to_string(), der));
        }
    }
    blocks
}

/// One DER element: tag, contents, and what follows it.
fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = b.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, &x| (a << 8) | usize::from(x));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The elements of a SEQUENCE that makes up all of `der`.
fn sequence(der: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let (0x30, mut body, []) = tlv(der)? else {
        return None;
    };
    let mut items = Vec::new();
    while !body.is_empty() {
        let (tag, content, rest) = tlv(body)?;
        items.push((tag, content));
        body = rest;
    }
    Some(items)
}

/// An integer's magnitude, without the sign byte DER puts before a high bit.
fn unsigned(int: &[u8]) -> &[u8] {
    let start = int.iter().position(|&b| b != 0).unwrap_or(int.len());
    &int[start..]
}

/// What a private key says its public half is.
#[derive(PartialEq)]
enum Public {
    /// The RSA modulus.
    Rsa(Vec<u8>),
    /// The EC point, when the key carries it.
    Ec(Option<Vec<u8>>),
    Ed25519(Vec<u8>),
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// `RSAPrivateKey` (PKCS #1): version, modulus, exponents and primes, all integers.
fn pkcs1(der: &[u8]) -> Option<Public> {
    let items = sequence(der)?;
    (items.len() >= 9 && items[..9].iter().all(|(t, _)| *t == 0x02))
        .then(|| Public::Rsa(unsigned(items[1].1).to_vec()))
}

/// `ECPrivateKey` (SEC 1): version 1, the scalar, then optional [0] curve and [1] point.
fn sec1(der: &[u8]) -> Option<Public> {
    let items = sequence(der)?;
    let [(0x02, [1]), (0x04, _), ..] = items[..] else {
        return None;
    };
    let point = items.iter().find(|(t, _)| *t == 0xa1).and_then(|(_, c)| {
        let (0x03, bits, _) = tlv(c)? else {
            return None;
        };
        bits.split_first().map(|(_, p)| p.to_vec())
    });
    Some(Public::Ec(point))
}

/// `PrivateKeyInfo` (PKCS #8) around an RSA, EC or Ed25519 key.
fn pkcs8(der: &[u8]) -> Option<Result<Public, String>> {
    let items = sequence(der)?;
    let [(0x02, _), (0x30, alg), (0x04, inner), ..] = items[..] else {
        return None;
    };
    let (0x06, oid, _) = tlv(alg)? else {
        return None;
    };
    let public = match oid {
        o if o == OID_RSA => pkcs1(inner)?,
        o if o == OID_EC => sec1(inner)?,
        o if o == OID_ED25519 => {
            let (0x04, seed, []) = tlv(inner)? else {
                return None;
            };
            let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed).ok()?;
            Public::Ed25519(
                ring::signature::KeyPair::public_key(&pair)
                    .as_ref()
                    .to_vec(),
            )
        }
        _ => {
            return Some(Err(
                "tls: found unknown private key type in PKCS#8 wrapping".into(),
            ));
        }
    };
    Some(Ok(public))
}

/// Go's order: PKCS #1, then PKCS #8, then SEC 1.
fn private_key(der: &[u8]) -> Result<Public, String> {
    if let Some(p) = pkcs1(der) {
        return Ok(p);
    }
    if let Some(p) = pkcs8(der) {
        return p;
    }
    sec1(der).ok_or_else(|| "tls: failed to parse private key".to_string())
}

/// The certificate's public key, in the terms of [`Public`].
fn certificate_key(der: &[u8]) -> Result<Option<Public>, String> {
    let (rest, cert) =
        X509Certificate::from_der(der).map_err(|_| "x509: malformed certificate".to_string())?;
    if !rest.is_empty() {
        return Err("x509: trailing data".into());
    }
    let spki = cert.public_key();
    let oid = &spki.algorithm.algorithm;
    let bits = spki.subject_public_key.data.as_ref();
    Ok(if *oid == OID_PKCS1_RSAENCRYPTION {
        sequence(bits)
            .and_then(|items| items.first().map(|(_, n)| unsigned(n).to_vec()))
            .map(Public::Rsa)
    } else if *oid == OID_KEY_TYPE_EC_PUBLIC_KEY {
        Some(Public::Ec(Some(bits.to_vec())))
    } else if *oid == OID_SIG_ED25519 {
        Some(Public::Ed25519(bits.to_vec()))
    } else {
        None
    })
}

/// Go's `tls.X509KeyPair` checks, in its order and words.
fn check_pair(cert_pem: &[u8], key_pem: &[u8]) -> Result<(), String> {
    let mut skipped = Vec::new();
    let mut certs = Vec::new();
    for (kind, der) in pem_blocks(cert_pem) {
        if kind == "CERTIFICATE" {
            certs.push(der);
        } else {
            skipped.push(kind);
        }
    }
    let Some(leaf) = certs.first() else {
        return Err(match &skipped[..] {
            [] => "tls: failed to find any PEM data in certificate input".into(),
            [one] if one.ends_with("PRIVATE KEY") => "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".into(),
            _ => format!("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]", skipped.join(" ")),
        });
    };
    skipped.clear();
    let mut key = None;
    for (kind, der) in pem_blocks(key_pem) {
        if kind == "PRIVATE KEY" || kind.ends_with(" PRIVATE KEY") {
            key = Some(der);
            break;
        }
        skipped.push(kind);
    }
    let Some(key) = key else {
        return Err(match &skipped[..] {
            [] => "tls: failed to find any PEM data in key input".into(),
            [one] if one == "CERTIFICATE" => {
                "tls: found a certificate rather than a key in the PEM for the private key".into()
            }
            _ => format!(
                "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]",
                skipped.join(" ")
            ),
        });
    };
    let public = certificate_key(leaf)?;
    let private = private_key(&key)?;
    let Some(public) = public else {
        return Err("tls: unknown public key algorithm".into());
    };
    if std::mem::discriminant(&public) != std::mem::discriminant(&private) {
        return Err("tls: private key type does not match public key type".into());
    }
    // An EC key without its point cannot be matched here; Go would compute the point.
    if public != private {
        return Err("tls: private key does not match public key".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(alg: &'static rcgen::SignatureAlgorithm) -> (String, String) {
        let key = rcgen::KeyPair::generate_for(alg).expect("key");
        let cert = rcgen::CertificateParams::new(vec!["x".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        (cert.pem(), key.serialize_pem())
    }

    #[test]
    fn a_key_matches_its_own_certificate_only() {
        let (c1, k1) = pair(&rcgen::PKCS_ECDSA_P256_SHA256);
        let (c2, k2) = pair(&rcgen::PKCS_ECDSA_P256_SHA256);
        let (c3, k3) = pair(&rcgen::PKCS_ED25519);
        assert_eq!(check_pair(c1.as_bytes(), k1.as_bytes()), Ok(()));
        assert_eq!(check_pair(c3.as_bytes(), k3.as_bytes()), Ok(()));
        assert_eq!(
            check_pair(c1.as_bytes(), k2.as_bytes()).unwrap_err(),
            "tls: private key does not match public key"
        );
        assert_eq!(
            check_pair(c2.as_bytes(), k3.as_bytes()).unwrap_err(),
            "tls: private key type does not match public key type"
        );
        assert_eq!(
            check_pair(k1.as_bytes(), c1.as_bytes()).unwrap_err(),
            "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"
        );
    }
}
