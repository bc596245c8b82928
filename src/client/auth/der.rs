//! Just enough DER to read the subject of an X.509 certificate (its common name, the
//! Kubernetes user, and organizations, the groups) and the kind of its public key.

/// OID 2.5.4.3 and 2.5.4.10, the encoded bytes.
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];

/// One element: its tag, contents, and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The subject Name and what follows it (the subjectPublicKeyInfo first).
fn subject_and_rest(cert: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, certificate, _) = element(cert)?;
    let (_, tbs, _) = element(certificate)?;
    let mut rest = tbs;
    let (tag, _, after) = element(rest)?;
    if tag == 0xa0 {
        rest = after; // version
    }
    // serialNumber, signature, issuer, validity, then subject.
    for _ in 0..4 {
        rest = element(rest)?.2;
    }
    let (_, name, after) = element(rest)?;
    Some((name, after))
}

/// OIDs of public key algorithms, and the words Go uses when a signature made with such
/// a key does not verify.
const KEY_KINDS: &[(&[u8], &str)] = &[
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
        "x509: ECDSA verification failure",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
        "crypto/rsa: verification error",
    ),
    (&[0x2b, 0x65, 0x70], "x509: Ed25519 verification failure"),
];

/// Go's words for a bad signature by this certificate's key.
pub fn signature_failure_words(cert: &[u8]) -> Option<&'static str> {
    let (_, rest) = subject_and_rest(cert)?;
    let (_, spki, _) = element(rest)?;
    let (_, algorithm, _) = element(spki)?;
    let (_, oid, _) = element(algorithm)?;
    KEY_KINDS.iter().find(|(o, _)| *o == oid).map(|(_, w)| *w)
}

/// The subject's CN (if any) and every O, from a DER certificate.
pub fn subject_cn_and_orgs(cert: &[u8]) -> Option<(Option<String>, Vec<String>)> {
    let (mut name, _) = subject_and_rest(cert)?;
    let (mut cn, mut orgs) = (None, Vec::new());
    while !name.is_empty() {
        let (_, mut rdn, next) = element(name)?;
        name = next;
        while !rdn.is_empty() {
            let (_, attribute, next) = element(rdn)?;
            rdn = next;
            let (_, oid, value) = element(attribute)?;
            let (_, text, _) = element(value)?;
            let text = String::from_utf8_lossy(text).into_owned();
            if oid == COMMON_NAME {
                cn = Some(text);
            } else if oid == ORGANIZATION {
                orgs.push(text);
            }
        }
    }
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
        assert_eq!(subject_cn_and_orgs(b"\x30\x05junk"), None);
        assert_eq!(subject_cn_and_orgs(b""), None);
    }
}
