//! Just enough DER to read the subject of an X.509 certificate: its common name (the
//! Kubernetes user) and organizations (the groups).

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

/// The subject's CN (if any) and every O, from a DER certificate.
pub fn subject_cn_and_orgs(cert: &[u8]) -> Option<(Option<String>, Vec<String>)> {
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
    let (_, mut name, _) = element(rest)?;
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
        assert_eq!(subject_cn_and_orgs(b"\x30\x05junk"), None);
        assert_eq!(subject_cn_and_orgs(b""), None);
    }
}
