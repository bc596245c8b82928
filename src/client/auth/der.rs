//! The subject of an X.509 certificate (its common name, the Kubernetes user, and
//! organizations, the groups) and the kind of its public key, read with `x509-parser`.

use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{
    OID_KEY_TYPE_EC_PUBLIC_KEY, OID_PKCS1_RSAENCRYPTION, OID_SIG_ED25519,
};
use x509_parser::prelude::FromDer;

fn parse(cert: &[u8]) -> Option<X509Certificate<'_>> {
    X509Certificate::from_der(cert).ok().map(|(_, c)| c)
}

/// Go's words for a bad signature by this certificate's key.
pub fn signature_failure_words(cert: &[u8]) -> Option<&'static str> {
    let cert = parse(cert)?;
    let oid = &cert.public_key().algorithm.algorithm;
    if *oid == OID_KEY_TYPE_EC_PUBLIC_KEY {
        Some("x509: ECDSA verification failure")
    } else if *oid == OID_PKCS1_RSAENCRYPTION {
        Some("crypto/rsa: verification error")
    } else if *oid == OID_SIG_ED25519 {
        Some("x509: Ed25519 verification failure")
    } else {
        None
    }
}

/// The subject's CN (if any; the last one, as Go keeps it) and every O, from a DER
/// certificate. Values are read as UTF-8 whatever their string type, lossily.
pub fn subject_cn_and_orgs(cert: &[u8]) -> Option<(Option<String>, Vec<String>)> {
    let cert = parse(cert)?;
    let subject = cert.subject();
    let text = |a: &x509_parser::x509::AttributeTypeAndValue<'_>| {
        String::from_utf8_lossy(a.as_slice()).into_owned()
    };
    let cn = subject.iter_common_name().last().map(text);
    let orgs = subject.iter_organization().map(text).collect();
    Some((cn, orgs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_subject_not_the_issuer() {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params = rcgen::CertificateParams::new(vec!["x".to_string()]).expect("p");
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "system:masters");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "kubernetes-admin");
        let cert = params.self_signed(&key).expect("cert");
        assert_eq!(
            subject_cn_and_orgs(cert.der()),
            Some((
                Some("kubernetes-admin".to_string()),
                vec!["system:masters".to_string()]
            ))
        );
        assert_eq!(
            signature_failure_words(cert.der()),
            Some("x509: ECDSA verification failure")
        );
        let ed = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).expect("ed25519 key");
        let ed_cert = rcgen::CertificateParams::new(vec!["y".to_string()])
            .expect("p")
            .self_signed(&ed)
            .expect("cert");
        assert_eq!(
            signature_failure_words(ed_cert.der()),
            Some("x509: Ed25519 verification failure")
        );
        assert_eq!(subject_cn_and_orgs(b"\x30\x05junk"), None);
        assert_eq!(subject_cn_and_orgs(b""), None);
    }
}
