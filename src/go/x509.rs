//! The first steps of Go's `x509.ParseCertificate`: it walks a certificate's DER with
//! `cryptobyte` and names the first part it cannot read (`x509: malformed tbs certificate`
//! for a private key in a CERTIFICATE block, `x509: malformed serial number`, ...). Only
//! the outline is walked here (up to the subject public key); what lies deeper is left to
//! a full parser, whose failure reads as Go's outermost `x509: malformed certificate`.

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
/// `[0] EXPLICIT`, the version's tag.
const VERSION_TAG: u8 = 0xa0;

/// DER input read from the front, as `cryptobyte.String`.
#[derive(Clone, Copy)]
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    /// The next element (tag, header length, whole element), as cryptobyte's `readASN1`
    /// takes it: a low tag number, a definite length in the fewest octets, all present.
    fn next(&mut self) -> Option<(u8, usize, &'a [u8])> {
        let s = self.0;
        let (&tag, &len_byte) = (s.first()?, s.get(1)?);
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (header, body) = if len_byte & 0x80 == 0 {
            (2, usize::from(len_byte))
        } else {
            let octets = usize::from(len_byte & 0x7f);
            if octets == 0 || octets > 4 || s.len() < 2 + octets {
                return None;
            }
            let len = s[2..2 + octets]
                .iter()
                .fold(0u32, |n, &b| (n << 8) | u32::from(b));
            // DER: a short length in short form, no leading zero octet.
            if len < 128 || len >> ((octets - 1) * 8) == 0 {
                return None;
            }
            (2 + octets, usize::try_from(len).ok()?)
        };
        let total = header.checked_add(body)?;
        if s.len() < total {
            return None;
        }
        self.0 = &s[total..];
        Some((tag, header, &s[..total]))
    }

    /// `ReadASN1Element`: the next element whole, if it has `tag`.
    fn element(&mut self, tag: u8) -> Option<&'a [u8]> {
        self.next()
            .filter(|(t, _, _)| *t == tag)
            .map(|(_, _, whole)| whole)
    }

    /// `ReadASN1`: the contents of the next element, if it has `tag`.
    fn contents(&mut self, tag: u8) -> Option<Der<'a>> {
        self.next()
            .filter(|(t, _, _)| *t == tag)
            .map(|(_, header, whole)| Der(&whole[header..]))
    }
}

/// An INTEGER's contents as cryptobyte accepts them: not empty, minimally encoded.
fn integer(der: &mut Der) -> Option<Vec<u8>> {
    let body = der.contents(INTEGER)?.0;
    let minimal = match body {
        [] => false,
        [0, next, ..] => next & 0x80 != 0,
        [0xff, next, ..] => next & 0x80 == 0,
        _ => true,
    };
    minimal.then(|| body.to_vec())
}

/// The version (zero-based) from the optional `[0]` element; 0 when absent.
fn version(tbs: &mut Der) -> Result<i64, &'static str> {
    const MALFORMED: &str = "x509: malformed version";
    if tbs.0.first() != Some(&VERSION_TAG) {
        return Ok(0);
    }
    let mut inner = tbs.contents(VERSION_TAG).ok_or(MALFORMED)?;
    let bytes = integer(&mut inner).ok_or(MALFORMED)?;
    if !inner.0.is_empty() || bytes.len() > 8 {
        return Err(MALFORMED);
    }
    let negative = bytes[0] & 0x80 != 0;
    let value = bytes
        .iter()
        .fold(if negative { -1i64 } else { 0 }, |n, &b| {
            (n << 8) | i64::from(b)
        });
    Ok(value)
}

/// Go's error for the outline of a certificate's DER; when the outline reads, the length of
/// its first element (what follows it is Go's `trailing data`).
pub fn outline_error(der: &[u8]) -> Result<usize, &'static str> {
    let mut input = Der(der);
    let whole = input
        .element(SEQUENCE)
        .ok_or("x509: malformed certificate")?;
    let mut cert = Der(whole)
        .contents(SEQUENCE)
        .ok_or("x509: malformed certificate")?;
    let mut tbs = cert
        .element(SEQUENCE)
        .and_then(|t| Der(t).contents(SEQUENCE))
        .ok_or("x509: malformed tbs certificate")?;
    let v = version(&mut tbs)?;
    if v < 0 {
        return Err("x509: malformed version");
    }
    if v + 1 > 3 {
        return Err("x509: invalid version");
    }
    let serial = integer(&mut tbs).ok_or("x509: malformed serial number")?;
    if serial[0] & 0x80 != 0 {
        return Err("x509: negative serial number");
    }
    let inner_ai = tbs
        .contents(SEQUENCE)
        .ok_or("x509: malformed signature algorithm identifier")?;
    let outer_ai = cert
        .contents(SEQUENCE)
        .ok_or("x509: malformed algorithm identifier")?;
    if inner_ai.0 != outer_ai.0 {
        return Err("x509: inner and outer signature algorithm identifiers don't match");
    }
    tbs.element(SEQUENCE).ok_or("x509: malformed issuer")?;
    tbs.contents(SEQUENCE).ok_or("x509: malformed validity")?;
    // Go says issuer for the subject too.
    tbs.element(SEQUENCE).ok_or("x509: malformed issuer")?;
    let mut spki = tbs
        .element(SEQUENCE)
        .and_then(|s| Der(s).contents(SEQUENCE))
        .ok_or("x509: malformed spki")?;
    spki.contents(SEQUENCE)
        .ok_or("x509: malformed public key algorithm identifier")?;
    spki.contents(BIT_STRING)
        .filter(|b| match b.0 {
            [unused] => *unused == 0,
            [unused, .., last] => *unused < 8 && *last & ((1u8 << *unused) - 1) == 0,
            [] => false,
        })
        .ok_or("x509: malformed subjectPublicKey")?;
    Ok(whole.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate_der() -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["a.example".to_string()]).unwrap();
        params.self_signed(&key).unwrap().der().to_vec()
    }

    /// DER of a SEQUENCE holding `parts`, with a one- or two-octet length.
    fn seq(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let body: Vec<u8> = parts.concat();
        let mut out = vec![tag];
        if body.len() < 128 {
            out.push(body.len() as u8);
        } else {
            out.extend([0x82, (body.len() >> 8) as u8, body.len() as u8]);
        }
        out.extend(body);
        out
    }

    #[test]
    fn a_certificate_reads_and_its_length_is_known() {
        let der = certificate_der();
        assert_eq!(outline_error(&der), Ok(der.len()));
        let mut longer = der.clone();
        longer.extend(b"tail");
        assert_eq!(outline_error(&longer), Ok(der.len()));
    }

    #[test]
    fn the_first_unreadable_part_is_named_as_go_names_it() {
        let der = certificate_der();
        // Cut short, or not DER at all.
        assert_eq!(
            outline_error(&der[..der.len() - 1]),
            Err("x509: malformed certificate")
        );
        assert_eq!(outline_error(b"hello"), Err("x509: malformed certificate"));
        // A private key (PKCS#8) where a certificate should be.
        let key = rcgen::KeyPair::generate().unwrap();
        assert_eq!(
            outline_error(&key.serialize_der()),
            Err("x509: malformed tbs certificate")
        );
        let int = |v: &[u8]| seq(INTEGER, &[v]);
        let ai = seq(SEQUENCE, &[&[0x06, 0x01, 0x2a]]);
        let cert = |tbs: &[&[u8]], outer_ai: &[u8]| {
            seq(
                SEQUENCE,
                &[&seq(SEQUENCE, tbs), outer_ai, &[0x03, 0x01, 0x00]],
            )
        };
        let v = |n: u8| seq(VERSION_TAG, &[&int(&[n])]);
        assert_eq!(
            outline_error(&cert(&[&v(3), &int(&[1])], &ai)),
            Err("x509: invalid version")
        );
        assert_eq!(
            outline_error(&cert(
                &[&seq(VERSION_TAG, &[&int(&[0, 1])]), &int(&[1])],
                &ai
            )),
            Err("x509: malformed version")
        );
        assert_eq!(
            outline_error(&cert(&[&v(2), &ai], &ai)),
            Err("x509: malformed serial number")
        );
        assert_eq!(
            outline_error(&cert(&[&v(2), &int(&[0xff])], &ai)),
            Err("x509: negative serial number")
        );
        assert_eq!(
            outline_error(&cert(&[&v(2), &int(&[1]), &int(&[1])], &ai)),
            Err("x509: malformed signature algorithm identifier")
        );
        assert_eq!(
            outline_error(&cert(&[&v(2), &int(&[1]), &ai], &int(&[1]))),
            Err("x509: malformed algorithm identifier")
        );
        let other_ai = seq(SEQUENCE, &[&[0x06, 0x01, 0x2b]]);
        assert_eq!(
            outline_error(&cert(&[&v(2), &int(&[1]), &ai], &other_ai)),
            Err("x509: inner and outer signature algorithm identifiers don't match")
        );
        assert_eq!(
            outline_error(&cert(&[&v(2), &int(&[1]), &ai], &ai)),
            Err("x509: malformed issuer")
        );
        let name = seq(SEQUENCE, &[]);
        assert_eq!(
            outline_error(&cert(&[&v(2), &int(&[1]), &ai, &name, &ai, &name], &ai)),
            Err("x509: malformed spki")
        );
        // A length in long form that fits the short form is not DER.
        assert_eq!(
            outline_error(&[0x30, 0x81, 0x01, 0x00]),
            Err("x509: malformed certificate")
        );
    }
}
