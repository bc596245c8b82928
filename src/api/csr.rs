//! A CertificateSigningRequest's `spec.request`: a PEM `CERTIFICATE REQUEST` block holding
//! a PKCS#10 request, read (and its signature checked) with x509-parser, with the errors
//! kube-apiserver's validation and kube-controller-manager's signer report.

use base64::Engine;
use serde_json::Value;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

/// What the signer and the validators need of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    /// Subject attributes in the request's order: dotted OID and value.
    pub subject: Vec<(String, String)>,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<std::net::IpAddr>,
    pub emails: Vec<String>,
    pub uris: Vec<String>,
    /// The SubjectPublicKeyInfo, DER.
    pub public_key: Vec<u8>,
    /// Whether the key is RSA (kubelet certificates need key encipherment only then).
    pub rsa_key: bool,
}

pub const OID_COMMON_NAME: &str = "2.5.4.3";
pub const OID_ORGANIZATION: &str = "2.5.4.10";

impl ParsedRequest {
    pub fn common_name(&self) -> &str {
        self.values(OID_COMMON_NAME).next().unwrap_or("")
    }

    pub fn values<'a>(&'a self, oid: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.subject
            .iter()
            .filter(move |(o, _)| o == oid)
            .map(|(_, v)| v.as_str())
    }
}

/// The bytes of `spec.request` (base64 in JSON); `None` when absent.
pub fn request_bytes(obj: &Value) -> Option<Vec<u8>> {
    let text = obj.pointer("/spec/request")?.as_str()?;
    Some(
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap_or_default(),
    )
}

/// Reads the first PEM block and the request in it, checking its signature.
pub fn parse(pem: &[u8]) -> Result<ParsedRequest, String> {
    const WRONG_BLOCK: &str = "PEM block type must be CERTIFICATE REQUEST";
    let block = first_pem_block(pem).ok_or(WRONG_BLOCK)?;
    if block.label != "CERTIFICATE REQUEST" {
        return Err(WRONG_BLOCK.to_string());
    }
    let (_, csr) = X509CertificationRequest::from_der(&block.contents)
        .map_err(|_| "asn1: structure error: the certificate request is malformed".to_string())?;
    let info = &csr.certification_request_info;
    let rsa_key = info.subject_pki.algorithm.algorithm.to_id_string() == "1.2.840.113549.1.1.1";
    if csr.verify_signature().is_err() {
        return Err(if rsa_key {
            "crypto/rsa: verification error".to_string()
        } else {
            "x509: ECDSA verification failure".to_string()
        });
    }
    let mut out = ParsedRequest {
        subject: Vec::new(),
        dns_names: Vec::new(),
        ip_addresses: Vec::new(),
        emails: Vec::new(),
        uris: Vec::new(),
        public_key: info.subject_pki.raw.to_vec(),
        rsa_key,
    };
    for attr in info.subject.iter_attributes() {
        if let Ok(value) = attr.as_str() {
            out.subject
                .push((attr.attr_type().to_id_string(), value.to_string()));
        }
    }
    for ext in csr.requested_extensions().into_iter().flatten() {
        if let ParsedExtension::SubjectAlternativeName(san) = ext {
            for name in &san.general_names {
                match name {
                    GeneralName::DNSName(d) => out.dns_names.push(d.to_string()),
                    GeneralName::RFC822Name(e) => out.emails.push(e.to_string()),
                    GeneralName::URI(u) => out.uris.push(u.to_string()),
                    GeneralName::IPAddress(ip) => {
                        if let Ok(b) = <[u8; 4]>::try_from(*ip) {
                            out.ip_addresses.push(b.into());
                        } else if let Ok(b) = <[u8; 16]>::try_from(*ip) {
                            out.ip_addresses.push(b.into());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}

struct Block {
    label: String,
    contents: Vec<u8>,
}

/// The first `-----BEGIN X-----` ... `-----END X-----` block, anywhere in the text, as Go's
/// pem.Decode finds it.
fn first_pem_block(data: &[u8]) -> Option<Block> {
    let text = std::str::from_utf8(data).ok()?;
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body.find(&end_marker)?;
    let b64: String = body[..end].split_whitespace().collect();
    let contents = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some(Block {
        label: label.to_string(),
        contents,
    })
}

/// Whether `pem` holds one or more CERTIFICATE blocks and nothing else, as kube checks
/// `status.certificate`; the error otherwise.
pub fn check_certificates(pem: &[u8]) -> Result<(), String> {
    if pem.is_empty() {
        return Ok(());
    }
    let text = std::str::from_utf8(pem)
        .map_err(|_| "must contain at least one CERTIFICATE PEM block".to_string())?;
    let mut rest = text;
    let mut blocks = 0;
    while let Some(block) = first_pem_block(rest.as_bytes()) {
        if block.label != "CERTIFICATE" {
            return Err(format!(
                "only CERTIFICATE PEM blocks are allowed, found {}",
                crate::go::quote(&block.label)
            ));
        }
        if x509_parser::parse_x509_certificate(&block.contents).is_err() {
            return Err("x509: malformed certificate".to_string());
        }
        blocks += 1;
        let end = format!("-----END {}-----", block.label);
        match rest.find(&end) {
            Some(i) => rest = &rest[i + end.len()..],
            None => break,
        }
    }
    if blocks == 0 {
        return Err("must contain at least one CERTIFICATE PEM block".to_string());
    }
    Ok(())
}
