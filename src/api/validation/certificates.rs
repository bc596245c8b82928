//! certificates.k8s.io/v1 CertificateSigningRequest validation, with kube-apiserver 1.32's
//! field paths and messages. Which door an update comes through decides what it may set:
//! only `approval` the Approved/Denied conditions, only `status` the certificate.

use super::field_error::{FieldError, index};
use super::meta;
use crate::api::csr;
use serde_json::{Value, json};

/// Which door a write of a request comes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Main,
    Status,
    Approval,
}

const VALID_USAGES: &[&str] = &[
    "any",
    "cert sign",
    "client auth",
    "code signing",
    "content commitment",
    "crl sign",
    "data encipherment",
    "decipher only",
    "digital signature",
    "email protection",
    "encipher only",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "key agreement",
    "key encipherment",
    "microsoft sgc",
    "netscape sgc",
    "ocsp signing",
    "s/mime",
    "server auth",
    "signing",
    "timestamping",
];

const LEGACY_SIGNER: &str = "kubernetes.io/legacy-unknown";
const TRUE_ONLY_TYPES: &[&str] = &["Approved", "Denied", "Failed"];

/// What an update tolerates because the stored object already has it (kube keeps old data
/// readable), plus what the door allows.
#[derive(Default)]
struct Options {
    setting_approval: bool,
    setting_certificate: bool,
    both_approved_and_denied: bool,
    legacy_signer: bool,
    duplicate_condition_types: bool,
    empty_condition_type: bool,
    arbitrary_certificate: bool,
    unknown_usages: bool,
    duplicate_usages: bool,
}

fn usages(obj: &Value) -> Vec<&str> {
    obj.pointer("/spec/usages")
        .and_then(Value::as_array)
        .map(|u| u.iter().map(|v| v.as_str().unwrap_or("")).collect())
        .unwrap_or_default()
}

fn conditions(obj: &Value) -> Vec<&Value> {
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

fn type_of(c: &Value) -> &str {
    c.get("type").and_then(Value::as_str).unwrap_or("")
}

fn certificate(obj: &Value) -> Vec<u8> {
    use base64::Engine;
    obj.pointer("/status/certificate")
        .and_then(Value::as_str)
        .map(|c| {
            base64::engine::general_purpose::STANDARD
                .decode(c)
                .unwrap_or_else(|_| c.as_bytes().to_vec())
        })
        .unwrap_or_default()
}

fn options(new: &Value, old: Option<&Value>) -> Options {
    let Some(old) = old else {
        return Options::default();
    };
    let old_types: Vec<&str> = conditions(old).into_iter().map(type_of).collect();
    let old_usages = usages(old);
    let old_certificate = certificate(old);
    Options {
        both_approved_and_denied: old_types.contains(&"Approved") && old_types.contains(&"Denied"),
        legacy_signer: old.pointer("/spec/signerName").and_then(Value::as_str)
            == Some(LEGACY_SIGNER),
        duplicate_condition_types: (1..old_types.len())
            .any(|i| old_types[..i].contains(&old_types[i])),
        empty_condition_type: old_types.contains(&""),
        arbitrary_certificate: certificate(new) == old_certificate
            || csr::check_certificates(&old_certificate).is_err(),
        unknown_usages: old_usages.iter().any(|u| !VALID_USAGES.contains(u)),
        duplicate_usages: (1..old_usages.len()).any(|i| old_usages[..i].contains(&old_usages[i])),
        ..Options::default()
    }
}

/// Create (no `old`) or update through the main resource.
pub fn validate_csr(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    validate_csr_through(Door::Main, obj, old)
}

/// A write through `door`; `old` is the stored object of an update.
pub fn validate_csr_through(door: Door, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut opts = options(obj, old);
    opts.setting_approval = door == Door::Approval;
    opts.setting_certificate = door == Door::Status;
    let mut errs = validate_object(obj, &opts);
    if let Some(old) = old {
        errs.extend(validate_update(obj, old, &opts));
        errs.extend(meta::validate_meta_update(
            obj.get("metadata"),
            old.get("metadata"),
        ));
    }
    errs
}

fn validate_object(obj: &Value, opts: &Options) -> Vec<FieldError> {
    // kube does not care what requests are called: any name is fine.
    let mut errs = meta::validate_object_meta(obj.get("metadata"), false, |_| vec![], "metadata");
    let request = csr::request_bytes(obj);
    if let Err(e) = csr::parse(request.as_deref().unwrap_or_default()) {
        errs.push(FieldError::invalid_repr(
            "spec.request",
            go_bytes(request.as_deref()),
            &e,
        ));
    }
    let usages = usages(obj);
    if usages.is_empty() {
        errs.push(FieldError::required("spec.usages", ""));
    }
    if !opts.unknown_usages {
        for (i, u) in usages.iter().enumerate() {
            if !VALID_USAGES.contains(u) {
                errs.push(FieldError::not_supported(
                    &index("spec.usages", i),
                    json!(u),
                    VALID_USAGES,
                ));
            }
        }
    }
    if !opts.duplicate_usages {
        for i in 1..usages.len() {
            if usages[..i].contains(&usages[i]) {
                errs.push(FieldError::duplicate(
                    &index("spec.usages", i),
                    json!(usages[i]),
                ));
            }
        }
    }
    let signer = obj
        .pointer("/spec/signerName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !opts.legacy_signer && signer == LEGACY_SIGNER {
        errs.push(FieldError::invalid(
            "spec.signerName",
            json!(signer),
            "the legacy signerName is not allowed via this API version",
        ));
    } else {
        errs.extend(validate_signer_name("spec.signerName", signer));
    }
    if let Some(seconds) = obj
        .pointer("/spec/expirationSeconds")
        .and_then(Value::as_i64)
        .filter(|s| *s < 600)
    {
        errs.push(FieldError::invalid(
            "spec.expirationSeconds",
            json!(seconds),
            "may not specify a duration less than 600 seconds (10 minutes)",
        ));
    }
    errs.extend(validate_conditions(obj, opts));
    if !opts.arbitrary_certificate
        && let Err(e) = csr::check_certificates(&certificate(obj))
    {
        errs.push(FieldError::invalid(
            "status.certificate",
            json!("<certificate data>"),
            &e,
        ));
    }
    errs
}

fn validate_conditions(obj: &Value, opts: &Options) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let (mut approved, mut denied) = (false, false);
    let mut seen: Vec<&str> = Vec::new();
    for (i, c) in conditions(obj).into_iter().enumerate() {
        let path = index("status.conditions", i);
        let t = type_of(c);
        if !opts.empty_condition_type && t.is_empty() {
            errs.push(FieldError::required(&format!("{path}.type"), ""));
        }
        let allowed: &[&str] = if TRUE_ONLY_TYPES.contains(&t) {
            &["True"]
        } else {
            &["False", "True", "Unknown"]
        };
        match c.get("status").and_then(Value::as_str).unwrap_or("") {
            "" => errs.push(FieldError::required(&format!("{path}.status"), "")),
            s if !allowed.contains(&s) => errs.push(FieldError::not_supported(
                &format!("{path}.status"),
                json!(s),
                allowed,
            )),
            _ => {}
        }
        if !opts.both_approved_and_denied {
            let clash = match t {
                "Approved" => {
                    approved = true;
                    denied
                }
                "Denied" => {
                    denied = true;
                    approved
                }
                _ => false,
            };
            if clash {
                errs.push(FieldError::invalid(
                    &format!("{path}.type"),
                    json!(t),
                    "Approved and Denied conditions are mutually exclusive",
                ));
            }
        }
        if !opts.duplicate_condition_types {
            if seen.contains(&t) {
                errs.push(FieldError::duplicate(&format!("{path}.type"), json!(t)));
            }
            seen.push(t);
        }
    }
    errs
}

fn validate_update(obj: &Value, old: &Value, opts: &Options) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let of_type = |o: &Value, t: &str| -> Vec<Value> {
        conditions(o)
            .into_iter()
            .filter(|c| type_of(c) == t)
            .cloned()
            .collect()
    };
    for t in ["Approved", "Denied", "Failed"] {
        if of_type(obj, t).len() < of_type(old, t).len() {
            errs.push(FieldError::forbidden(
                "status.conditions",
                &format!(
                    "updates may not remove a condition of type {}",
                    crate::go::quote(t)
                ),
            ));
        }
    }
    if !opts.setting_approval {
        for t in ["Approved", "Denied"] {
            let (new, old) = (of_type(obj, t), of_type(old, t));
            let what = if new.len() > old.len() {
                "add"
            } else if new.len() == old.len() && new != old {
                "modify"
            } else {
                continue;
            };
            errs.push(FieldError::forbidden(
                "status.conditions",
                &format!(
                    "updates may not {what} a condition of type {}",
                    crate::go::quote(t)
                ),
            ));
        }
    }
    let (new_cert, old_cert) = (certificate(obj), certificate(old));
    if new_cert != old_cert {
        if !opts.setting_certificate {
            errs.push(FieldError::forbidden(
                "status.certificate",
                "updates may not set certificate content",
            ));
        } else if !old_cert.is_empty() {
            errs.push(FieldError::forbidden(
                "status.certificate",
                "updates may not modify existing certificate content",
            ));
        }
    }
    errs
}

/// kube's ValidateSignerName: `example.com/signer-name`, a domain of DNS labels with at
/// least one dot, then a path of DNS subdomains.
pub fn validate_signer_name(path: &str, signer: &str) -> Vec<FieldError> {
    use super::names::{is_dns1123_label, is_dns1123_subdomain};
    let mut errs = Vec::new();
    if signer.is_empty() {
        errs.push(FieldError::required(path, ""));
        return errs;
    }
    let segments: Vec<&str> = signer.split('/').collect();
    if segments.len() != 2 {
        errs.push(FieldError::invalid(
            path,
            json!(signer),
            "must be a fully qualified domain and path of the form 'example.com/signer-name'",
        ));
        return errs;
    }
    let (domain, rest) = (segments[0], segments[1]);
    if domain.len() > 253 {
        errs.push(FieldError::too_long(path, 253));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for label in &labels {
        let problems = is_dns1123_label(label);
        if !problems.is_empty() {
            for p in problems {
                errs.push(FieldError::invalid(
                    path,
                    json!(domain),
                    &format!("validating label {}: {p}", crate::go::quote(label)),
                ));
            }
            break;
        }
    }
    if labels.len() < 2 {
        errs.push(FieldError::invalid(
            path,
            json!(domain),
            "should be a domain with at least two segments separated by dots",
        ));
    }
    for label in rest.split('.') {
        let problems = is_dns1123_subdomain(label);
        if !problems.is_empty() {
            for p in problems {
                errs.push(FieldError::invalid(
                    path,
                    json!(rest),
                    &format!("validating label {}: {p}", crate::go::quote(label)),
                ));
            }
            break;
        }
    }
    // A domain, a namespace-sized label and a resource name, with their separators.
    let max = 253 + (253 + 63 + 1) + 1;
    if signer.len() > max {
        errs.push(FieldError::too_long(path, max));
    }
    errs
}

/// Go's `%#v` of a byte slice: `[]byte{0x2d, 0x2d}`, `[]byte(nil)` when absent.
fn go_bytes(bytes: Option<&[u8]>) -> String {
    match bytes {
        None => "[]byte(nil)".to_string(),
        Some(b) => {
            let items: Vec<String> = b.iter().map(|x| format!("{x:#x}")).collect();
            format!("[]byte{{{}}}", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn signer_names_as_kube_words_them() {
        assert_eq!(
            messages(&validate_signer_name("spec.signerName", "")),
            ["spec.signerName: Required value"]
        );
        assert_eq!(
            messages(&validate_signer_name("spec.signerName", "nope")),
            [
                "spec.signerName: Invalid value: \"nope\": must be a fully qualified domain and path of the form 'example.com/signer-name'"
            ]
        );
        assert_eq!(
            messages(&validate_signer_name("spec.signerName", "example/x")),
            [
                "spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots"
            ]
        );
        assert!(validate_signer_name("s", "kubernetes.io/kube-apiserver-client").is_empty());
    }

    #[test]
    fn bad_requests_usages_durations_and_conditions() {
        let csr = json!({"metadata": {"name": "x"}, "spec": {"request": "bm9wZQ==",
            "signerName": "example.com/s", "usages": ["client auth", "bogus", "client auth"],
            "expirationSeconds": 60},
            "status": {"conditions": [{"type": "Approved", "status": "True"},
                                      {"type": "Denied", "status": "False"}]}});
        let got = messages(&validate_csr(&csr, None));
        assert_eq!(
            got[0],
            "spec.request: Invalid value: []byte{0x6e, 0x6f, 0x70, 0x65}: PEM block type must be CERTIFICATE REQUEST"
        );
        assert!(got[1].starts_with(
            "spec.usages[1]: Unsupported value: \"bogus\": supported values: \"any\""
        ));
        assert_eq!(got[2], "spec.usages[2]: Duplicate value: \"client auth\"");
        assert_eq!(
            got[3],
            "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)"
        );
        assert_eq!(
            got[4],
            "status.conditions[1].status: Unsupported value: \"False\": supported values: \"True\""
        );
        assert_eq!(
            got[5],
            "status.conditions[1].type: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive"
        );
    }

    #[test]
    fn only_the_approval_door_sets_approval_and_only_status_the_certificate() {
        let old = json!({"metadata": {"name": "x"}, "spec": {}, "status": {}});
        let approved = json!({"metadata": {"name": "x"}, "spec": {}, "status": {"conditions": [
            {"type": "Approved", "status": "True"}]}});
        let through = |door| messages(&validate_csr_through(door, &approved, Some(&old)));
        assert!(
            through(Door::Status)
                .iter()
                .any(|m| m == "status.conditions: Forbidden: updates may not add a condition of type \"Approved\"")
        );
        assert!(
            !through(Door::Approval)
                .iter()
                .any(|m| m.contains("status.conditions"))
        );
        let removed = messages(&validate_csr_through(Door::Approval, &old, Some(&approved)));
        assert!(removed.iter().any(|m| m == "status.conditions: Forbidden: updates may not remove a condition of type \"Approved\""));
        let with_cert =
            json!({"metadata": {"name": "x"}, "spec": {}, "status": {"certificate": "eA=="}});
        assert!(
            messages(&validate_csr_through(
                Door::Approval,
                &with_cert,
                Some(&old)
            ))
            .iter()
            .any(|m| m == "status.certificate: Forbidden: updates may not set certificate content")
        );
    }
}
