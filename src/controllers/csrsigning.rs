//! kube-controller-manager's csrsigning controller for `kubernetes.io/kube-apiserver-client`,
//! `kubernetes.io/kube-apiserver-client-kubelet` and `kubernetes.io/kubelet-serving`: an
//! approved request that has not failed and has no certificate yet gets one from the
//! cluster CA (subject and alternative names from the request, usages from the spec,
//! validity from expirationSeconds between 10 minutes and a year, never past the CA's own);
//! a request its signer's rules refuse (usages, and for the kubelet signers the node's
//! subject and names) is marked Failed with kube's SignerValidationFailure condition instead.

use super::common as c;
use crate::api::csr::{self, ParsedRequest};
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Kind, Reconciled, Reconciler, Triggers};
use base64::Engine;
use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, IsCa, SanType};
use rcgen::{ExtendedKeyUsagePurpose as Eku, KeyUsagePurpose as Ku};
use serde_json::{Value, json};

pub type CsrSigningController = Controller<Signer>;

pub const CLIENT_SIGNER: &str = "kubernetes.io/kube-apiserver-client";
pub const KUBELET_CLIENT_SIGNER: &str = "kubernetes.io/kube-apiserver-client-kubelet";
pub const KUBELET_SERVING_SIGNER: &str = "kubernetes.io/kubelet-serving";
/// kube-controller-manager's default `--cluster-signing-duration`.
const MAX_SECONDS: i64 = 365 * 24 * 3600;
const MIN_SECONDS: i64 = 600;
/// Clock skew allowance before now, as kube's signer backdates.
const BACKDATE_SECONDS: i64 = 300;
/// Below this lifetime kube does not move the end back with the start.
const SHORT_SECONDS: i64 = 8 * 3600;

#[derive(Default)]
pub struct Signer;

fn has_condition(csr: &Value, t: &str) -> bool {
    csr.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some(t)
                    && c.get("status").and_then(Value::as_str) != Some("False")
            })
        })
}

impl Reconciler for Signer {
    fn name(&self) -> &'static str {
        "csrsigning-controller"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "certificatesigningrequests",
                kind: "CertificateSigningRequest",
                api_version: "certificates.k8s.io/v1",
            },
            others: vec![],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        csr: &Value,
    ) -> Result<Reconciled, ApiError> {
        let issued = csr
            .pointer("/status/certificate")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        let signer = csr
            .pointer("/spec/signerName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let ours = [CLIENT_SIGNER, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER];
        if issued
            || !has_condition(csr, "Approved")
            || has_condition(csr, "Failed")
            || !ours.contains(&signer)
        {
            return Ok(Reconciled::default());
        }
        let Some(ca) = ctx.client.signing_ca() else {
            return Ok(Reconciled::default());
        };
        let ca = ca?;
        // Validation let only well-formed requests in; one that is not stays unsigned.
        let Some(request) = csr::request_bytes(csr).and_then(|b| csr::parse(&b).ok()) else {
            return Ok(Reconciled::default());
        };
        let usages: Vec<&str> = csr
            .pointer("/spec/usages")
            .and_then(Value::as_array)
            .map(|u| u.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut updated = csr.clone();
        let now = ctx.now.timestamp();
        match signer_allows(signer, &request, &usages).and_then(|()| {
            let seconds = csr
                .pointer("/spec/expirationSeconds")
                .and_then(Value::as_i64);
            let (from, until) = validity(now, seconds, ca.not_after());
            sign(&ca, &request, &usages, from, until)
        }) {
            Ok(pem) => {
                let data = base64::engine::general_purpose::STANDARD.encode(pem);
                updated["status"]["certificate"] = json!(data);
            }
            Err(message) => {
                let at = timestamp(ctx.now);
                let failed = json!({"type": "Failed", "status": "True",
                    "reason": "SignerValidationFailure", "message": message,
                    "lastUpdateTime": at, "lastTransitionTime": at});
                let status = updated["status"].as_object_mut();
                match status {
                    Some(s) => match s.get_mut("conditions").and_then(Value::as_array_mut) {
                        Some(list) => list.push(failed),
                        None => {
                            s.insert("conditions".into(), json!([failed]));
                        }
                    },
                    None => updated["status"] = json!({"conditions": [failed]}),
                }
            }
        }
        let r = ctx.resource("certificatesigningrequests")?;
        ctx.client
            .update_status(r, None, c::name(csr), updated, &WriteOptions::default())?;
        Ok(Reconciled::wrote(true))
    }
}

/// Whether `signer`'s rules take the request, else kube's reason.
fn signer_allows(signer: &str, request: &ParsedRequest, usages: &[&str]) -> Result<(), String> {
    match signer {
        KUBELET_CLIENT_SIGNER => kubelet_client_ok(request, usages),
        KUBELET_SERVING_SIGNER => kubelet_serving_ok(request, usages),
        _ => client_usages_ok(usages),
    }
}

fn node_subject_ok(request: &ParsedRequest) -> Result<(), String> {
    let organizations: Vec<&str> = request.values(csr::OID_ORGANIZATION).collect();
    if organizations != ["system:nodes"] {
        return Err("subject organization is not system:nodes".to_string());
    }
    Ok(())
}

fn node_name_ok(request: &ParsedRequest) -> Result<(), String> {
    if !request.common_name().starts_with("system:node:") {
        return Err("subject common name does not begin with system:node:".to_string());
    }
    Ok(())
}

/// The usages as a set equals one of the allowed sets (kube's `sets.String` equality).
fn usages_match(usages: &[&str], with_rsa: &[&str], without_rsa: &[&str]) -> Result<(), String> {
    let set: std::collections::BTreeSet<&str> = usages.iter().copied().collect();
    let same = |want: &[&str]| set == want.iter().copied().collect();
    if same(with_rsa) || same(without_rsa) {
        return Ok(());
    }
    let mut listed = with_rsa.to_vec();
    listed.sort_unstable();
    Err(format!("usages did not match [{}]", listed.join(" ")))
}

/// kube's ValidateKubeletClientCSR: a node's client certificate, no alternative names.
pub fn kubelet_client_ok(request: &ParsedRequest, usages: &[&str]) -> Result<(), String> {
    node_subject_ok(request)?;
    if !request.dns_names.is_empty() {
        return Err("DNS subjectAltNames are not allowed".to_string());
    }
    if !request.emails.is_empty() {
        return Err("Email subjectAltNames are not allowed".to_string());
    }
    if !request.ip_addresses.is_empty() {
        return Err("IP subjectAltNames are not allowed".to_string());
    }
    if !request.uris.is_empty() {
        return Err("URI subjectAltNames are not allowed".to_string());
    }
    node_name_ok(request)?;
    usages_match(
        usages,
        &["digital signature", "key encipherment", "client auth"],
        &["digital signature", "client auth"],
    )
}

/// kube's ValidateKubeletServingCSR: a node's serving certificate for its DNS names or IPs.
pub fn kubelet_serving_ok(request: &ParsedRequest, usages: &[&str]) -> Result<(), String> {
    node_subject_ok(request)?;
    if request.dns_names.is_empty() && request.ip_addresses.is_empty() {
        return Err("DNS or IP subjectAltName is required".to_string());
    }
    if !request.emails.is_empty() {
        return Err("Email subjectAltNames are not allowed".to_string());
    }
    if !request.uris.is_empty() {
        return Err("URI subjectAltNames are not allowed".to_string());
    }
    usages_match(
        usages,
        &["digital signature", "key encipherment", "server auth"],
        &["digital signature", "server auth"],
    )?;
    node_name_ok(request)
}

/// kube's check of a `kube-apiserver-client` request: client auth required, digital
/// signature and key encipherment allowed, nothing else.
pub fn client_usages_ok(usages: &[&str]) -> Result<(), String> {
    let mut client_auth = false;
    for u in usages {
        match *u {
            "digital signature" | "key encipherment" => {}
            "client auth" => client_auth = true,
            other => return Err(format!("invalid usage for client certificate: {other}")),
        }
    }
    if client_auth {
        Ok(())
    } else {
        Err("missing required usage for client certificate: client auth".to_string())
    }
}

/// Not-before and not-after (Unix seconds) of a certificate issued at `now`: the requested
/// duration within [10m, 1y] (a year when none), backdated five minutes, the end moved
/// back too for lifetimes of eight hours or more, and never past the CA's own end.
pub fn validity(now: i64, requested: Option<i64>, ca_not_after: Option<i64>) -> (i64, i64) {
    let ttl = requested.map_or(MAX_SECONDS, |s| s.clamp(MIN_SECONDS, MAX_SECONDS));
    let from = now - BACKDATE_SECONDS;
    let mut until = if ttl < SHORT_SECONDS {
        now + ttl
    } else {
        from + ttl
    };
    if let Some(end) = ca_not_after {
        until = until.min(end);
    }
    (from, until)
}

/// The subject as Go re-encodes a parsed name: country, province, locality, street,
/// postal code, organization, unit, common name, serial number (other attributes dropped).
const SUBJECT_ORDER: &[&str] = &[
    "2.5.4.6", "2.5.4.8", "2.5.4.7", "2.5.4.9", "2.5.4.17", "2.5.4.10", "2.5.4.11", "2.5.4.3",
    "2.5.4.5",
];

/// rcgen's name for an attribute type (its own OID spelled out where it has none).
fn dn_type(oid: &str) -> DnType {
    match oid {
        "2.5.4.6" => DnType::CountryName,
        "2.5.4.8" => DnType::StateOrProvinceName,
        "2.5.4.7" => DnType::LocalityName,
        "2.5.4.10" => DnType::OrganizationName,
        "2.5.4.11" => DnType::OrganizationalUnitName,
        "2.5.4.3" => DnType::CommonName,
        other => custom(other),
    }
}

fn custom(oid: &str) -> DnType {
    DnType::CustomDnType(oid.split('.').filter_map(|a| a.parse().ok()).collect())
}

fn go_string(value: &str) -> DnValue {
    match rcgen::string::PrintableString::try_from(value) {
        Ok(p) => DnValue::PrintableString(p),
        Err(_) => DnValue::Utf8String(value.to_string()),
    }
}

fn subject(request: &ParsedRequest) -> Result<DistinguishedName, String> {
    let mut dn = DistinguishedName::new();
    for oid in SUBJECT_ORDER {
        let values: Vec<&str> = request.values(oid).collect();
        // Go keeps one common name and serial number (the last).
        let values = if matches!(*oid, "2.5.4.3" | "2.5.4.5") {
            values.last().map(|v| vec![*v]).unwrap_or_default()
        } else {
            values
        };
        match values.as_slice() {
            [] => {}
            [one] => dn.push(dn_type(oid), go_string(one)),
            // rcgen keeps one value per attribute type: a second goes under the type's
            // OID spelled as a custom type, which encodes the same.
            [first, second] => {
                dn.push(dn_type(oid), go_string(first));
                dn.push(custom(oid), go_string(second));
            }
            _ => {
                return Err(format!(
                    "kubelite signs at most two values of subject attribute {oid}"
                ));
            }
        }
    }
    Ok(dn)
}

fn sign(
    ca: &crate::apiserver::cluster_ca::ClusterCa,
    request: &ParsedRequest,
    usages: &[&str],
    from: i64,
    until: i64,
) -> Result<String, String> {
    let err = |e: rcgen::Error| format!("error auto signing csr: {e}");
    let mut params = CertificateParams::default();
    params.distinguished_name = subject(request)?;
    params.is_ca = IsCa::ExplicitNoCa;
    let key_usage = |ku: Ku, params: &mut CertificateParams| {
        if !params.key_usages.contains(&ku) {
            params.key_usages.push(ku);
        }
    };
    let extended = |eku: Eku, params: &mut CertificateParams| {
        if !params.extended_key_usages.contains(&eku) {
            params.extended_key_usages.push(eku);
        }
    };
    for u in usages {
        match *u {
            "digital signature" | "signing" => key_usage(Ku::DigitalSignature, &mut params),
            "key encipherment" => key_usage(Ku::KeyEncipherment, &mut params),
            "client auth" => extended(Eku::ClientAuth, &mut params),
            "server auth" => extended(Eku::ServerAuth, &mut params),
            _ => {}
        }
    }
    for d in &request.dns_names {
        params
            .subject_alt_names
            .push(SanType::DnsName(d.as_str().try_into().map_err(err)?));
    }
    for e in &request.emails {
        params
            .subject_alt_names
            .push(SanType::Rfc822Name(e.as_str().try_into().map_err(err)?));
    }
    for u in &request.uris {
        params
            .subject_alt_names
            .push(SanType::URI(u.as_str().try_into().map_err(err)?));
    }
    for ip in &request.ip_addresses {
        params.subject_alt_names.push(SanType::IpAddress(*ip));
    }
    let time = |t: i64| time::OffsetDateTime::from_unix_timestamp(t).map_err(|e| e.to_string());
    params.not_before = time(from)?;
    params.not_after = time(until)?;
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial()?));
    params.use_authority_key_identifier_extension = true;
    let key = rcgen::SubjectPublicKeyInfo::from_der(&request.public_key).map_err(err)?;
    let cert = params.signed_by(&key, &ca.issuer()?).map_err(err)?;
    Ok(cert.pem())
}

/// A random positive 128-bit serial number, as kube's signer draws one.
fn serial() -> Result<[u8; 16], String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| "unable to generate a serial number".to_string())?;
    bytes[0] &= 0x7f;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_usages_as_kube_checks_them() {
        assert!(client_usages_ok(&["client auth", "digital signature"]).is_ok());
        assert_eq!(
            client_usages_ok(&["client auth", "server auth"]).unwrap_err(),
            "invalid usage for client certificate: server auth"
        );
        assert_eq!(
            client_usages_ok(&["digital signature"]).unwrap_err(),
            "missing required usage for client certificate: client auth"
        );
    }

    fn node_request(cn: &str, orgs: &[&str], dns: &[&str]) -> ParsedRequest {
        let mut subject = vec![(csr::OID_COMMON_NAME.to_string(), cn.to_string())];
        subject.extend(
            orgs.iter()
                .map(|o| (csr::OID_ORGANIZATION.to_string(), o.to_string())),
        );
        ParsedRequest {
            subject,
            dns_names: dns.iter().map(|d| d.to_string()).collect(),
            ip_addresses: vec![],
            emails: vec![],
            uris: vec![],
            public_key: vec![],
            rsa_key: true,
        }
    }

    #[test]
    fn kubelet_requests_as_kube_checks_them() {
        let node = node_request("system:node:node01", &["system:nodes"], &[]);
        let client = ["digital signature", "key encipherment", "client auth"];
        assert!(kubelet_client_ok(&node, &client).is_ok());
        assert!(kubelet_client_ok(&node, &["client auth", "digital signature"]).is_ok());
        assert_eq!(
            kubelet_client_ok(&node, &["client auth"]).unwrap_err(),
            "usages did not match [client auth digital signature key encipherment]"
        );
        let stranger = node_request("jane", &["system:nodes", "dev"], &[]);
        assert_eq!(
            kubelet_client_ok(&stranger, &client).unwrap_err(),
            "subject organization is not system:nodes"
        );
        assert_eq!(
            kubelet_serving_ok(&node, &["digital signature", "server auth"]).unwrap_err(),
            "DNS or IP subjectAltName is required"
        );
        let serving = node_request("system:node:node01", &["system:nodes"], &["node01"]);
        assert!(kubelet_serving_ok(&serving, &["digital signature", "server auth"]).is_ok());
        assert_eq!(
            kubelet_client_ok(&serving, &client).unwrap_err(),
            "DNS subjectAltNames are not allowed"
        );
        let not_node = node_request("node01", &["system:nodes"], &[]);
        assert_eq!(
            kubelet_client_ok(&not_node, &client).unwrap_err(),
            "subject common name does not begin with system:node:"
        );
    }

    #[test]
    fn validity_is_capped_and_backdated() {
        // A day: backdated start and end; ten minutes at least; a year at most.
        assert_eq!(
            validity(10_000, Some(86_400), None),
            (9_700, 9_700 + 86_400)
        );
        assert_eq!(validity(10_000, Some(60), None), (9_700, 10_600));
        assert_eq!(validity(10_000, None, None), (9_700, 9_700 + MAX_SECONDS));
        assert_eq!(
            validity(10_000, Some(86_400), Some(50_000)),
            (9_700, 50_000)
        );
    }
}
