//! Failures that happen before a server answers (refused connections, unknown names,
//! certificates, timeouts, credential plugins), in the words kubectl 1.32 prints for them.
//! They travel as an `ApiError` with the `CLIENT_SIDE` reason, whose message is kubectl's
//! whole line; the CLI prints it as it is.

use crate::api::status::ApiError;
use std::error::Error as _;

/// The reason that marks an `ApiError` made on the client side.
pub const CLIENT_SIDE: &str = "KubeliteClientSide";

/// An error whose message is printed as it is (no `error: ` or `Error from server`).
pub fn client_side(line: impl Into<String>) -> ApiError {
    ApiError::new(0, CLIENT_SIDE, line)
}

pub fn is_client_side(e: &ApiError) -> bool {
    e.code == 0 && e.reason == CLIENT_SIDE
}

/// `Unable to connect to the server: <why>`, kubectl's line for most transport failures.
pub fn unable_to_connect(why: &str) -> ApiError {
    client_side(format!("Unable to connect to the server: {why}"))
}

/// What the words of a failure depend on.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub server: String,
    pub request_timeout: bool,
    /// The CN of the one trusted CA, and Go's words for a bad signature by its key: Go
    /// names the candidate CA when a certificate's issuer has its name but not its key.
    pub trusted_ca: Option<(String, &'static str)>,
}

impl Context {
    pub fn new(config: &crate::client::ConnectionConfig) -> Context {
        let trusted_ca = config.ca_pem.as_deref().and_then(|pem| {
            let certs = super::tls::certificates(pem)?;
            let [ca] = certs.as_slice() else {
                return None;
            };
            let (cn, _) = super::der::subject_cn_and_orgs(ca.as_ref())?;
            Some((cn?, super::der::signature_failure_words(ca.as_ref())?))
        });
        Context {
            server: config.server.trim_end_matches('/').to_string(),
            request_timeout: config.request_timeout.is_some(),
            trusted_ca,
        }
    }
}

/// What went wrong reaching the server, from an error of the HTTP client.
pub fn from_reqwest(e: &reqwest::Error, ctx: &Context) -> ApiError {
    let server = ctx.server.as_str();
    if e.is_timeout() {
        return unable_to_connect(if ctx.request_timeout || !e.is_connect() {
            "context deadline exceeded"
        } else {
            "net/http: TLS handshake timeout"
        });
    }
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && let Some(mapped) = from_io(io, ctx)
        {
            return mapped;
        }
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return from_tls(tls, ctx);
        }
        let text = s.to_string();
        if text.contains("failed to lookup address") || text.contains("dns error") {
            return no_such_host(server);
        }
        source = s.source();
    }
    unable_to_connect(&e.to_string())
}

/// Socket and TLS errors (of reqwest's connector or of exec's own connection).
pub fn from_io(e: &std::io::Error, ctx: &Context) -> Option<ApiError> {
    if e.kind() == std::io::ErrorKind::ConnectionRefused {
        return Some(client_side(format!(
            "The connection to the server {} was refused - did you specify the right host or port?",
            authority(&ctx.server)
        )));
    }
    // Connectors wrap errors in io errors, whose `source` skips the wrapped error itself.
    if let Some(inner) = e.get_ref() {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(from_tls(tls, ctx));
        }
        if let Some(io) = inner.downcast_ref::<std::io::Error>()
            && let Some(mapped) = from_io(io, ctx)
        {
            return Some(mapped);
        }
    }
    if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock {
        return Some(unable_to_connect("context deadline exceeded"));
    }
    None
}

/// A failed discovery request (`/api`, `/apis`) as kubectl reports it: client-go does
/// not decode the Status of an aggregated-discovery reply, so a 401 there reads
/// `the server has asked for the client to provide credentials` (kubectl with a cold
/// discovery cache prints that; with a warm one, the Status message `Unauthorized`).
pub fn as_discovery_error(mut e: ApiError) -> ApiError {
    if e.code == 401 {
        e.message = "the server has asked for the client to provide credentials".to_string();
    }
    e
}

/// `host:port` of a server URL, as kubectl names it.
pub fn authority(server: &str) -> &str {
    let rest = server.split_once("://").map(|(_, r)| r).unwrap_or(server);
    rest.split('/').next().unwrap_or(rest)
}

fn host(server: &str) -> &str {
    let a = authority(server);
    if let Some(v6) = a.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    a.rsplit_once(':').map(|(h, _)| h).unwrap_or(a)
}

/// Go's resolver names the name server it asked.
pub fn no_such_host(server: &str) -> ApiError {
    let host = host(server);
    let resolver = std::fs::read_to_string("/etc/resolv.conf")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                let mut w = l.split_whitespace();
                (w.next() == Some("nameserver")).then(|| w.next().map(str::to_string))?
            })
        });
    match resolver {
        Some(ns) if ns.contains(':') => unable_to_connect(&format!(
            "dial tcp: lookup {host} on [{ns}]:53: no such host"
        )),
        Some(ns) => unable_to_connect(&format!("dial tcp: lookup {host} on {ns}:53: no such host")),
        None => unable_to_connect(&format!("dial tcp: lookup {host}: no such host")),
    }
}

/// Certificate failures in Go's crypto/x509 words.
pub fn from_tls(e: &rustls::Error, ctx: &Context) -> ApiError {
    use rustls::CertificateError as C;
    let verify =
        |why: &str| unable_to_connect(&format!("tls: failed to verify certificate: {why}"));
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => verify("x509: certificate signed by unknown authority"),
            C::BadSignature => match &ctx.trusted_ca {
                Some((cn, words)) => verify(&format!(
                    "x509: certificate signed by unknown authority (possibly because of \"{words}\" while trying to verify candidate authority certificate \"{cn}\")"
                )),
                None => verify("x509: certificate signed by unknown authority"),
            },
            C::NotValidForNameContext {
                expected,
                presented,
            } => verify(&name_mismatch(&expected.to_str(), presented)),
            C::NotValidForName => verify("x509: certificate is not valid for the server name"),
            C::Expired
            | C::ExpiredContext { .. }
            | C::NotValidYet
            | C::NotValidYetContext { .. } => {
                verify("x509: certificate has expired or is not yet valid")
            }
            other => verify(&format!("x509: {other:?}")),
        },
        rustls::Error::AlertReceived(alert) => {
            unable_to_connect(&format!("remote error: tls: {}", alert_words(alert)))
        }
        other => unable_to_connect(&format!("tls: {other}")),
    }
}

/// `x509: certificate is valid for a, b, not c`: Go lists the DNS names for a name and
/// the IP addresses for an address.
fn name_mismatch(expected: &str, presented: &[String]) -> String {
    let want_ip = expected.parse::<std::net::IpAddr>().is_ok();
    let names: Vec<String> = presented
        .iter()
        .filter_map(|p| {
            if let Some(d) = p.strip_prefix("DnsName(\"") {
                (!want_ip).then(|| d.trim_end_matches("\")").to_string())
            } else if let Some(ip) = p.strip_prefix("IpAddress(") {
                let ip = ip.trim_end_matches(')');
                want_ip.then(|| {
                    ip.parse::<std::net::IpAddr>()
                        .map(|a| a.to_string())
                        .unwrap_or_else(|_| ip.to_string())
                })
            } else {
                None
            }
        })
        .collect();
    if names.is_empty() {
        return format!(
            "x509: certificate is not valid for any names, but wanted to match {expected}"
        );
    }
    format!(
        "x509: certificate is valid for {}, not {expected}",
        names.join(", ")
    )
}

fn alert_words(alert: &rustls::AlertDescription) -> String {
    use rustls::AlertDescription as A;
    match alert {
        A::BadCertificate => "bad certificate".into(),
        A::UnknownCA => "unknown certificate authority".into(),
        A::CertificateRequired => "certificate required".into(),
        A::HandshakeFailure => "handshake failure".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_as_go_lists_them() {
        let presented = vec![
            "DnsName(\"localhost\")".to_string(),
            "DnsName(\"kubelite\")".to_string(),
            "IpAddress(127.0.0.1)".to_string(),
        ];
        assert_eq!(
            name_mismatch("wrong", &presented),
            "x509: certificate is valid for localhost, kubelite, not wrong"
        );
        assert_eq!(
            name_mismatch("127.0.0.2", &presented),
            "x509: certificate is valid for 127.0.0.1, not 127.0.0.2"
        );
    }

    #[test]
    fn discovery_401s_read_as_client_go_reads_them() {
        let e = as_discovery_error(ApiError::new(401, "Unauthorized", "Unauthorized"));
        assert_eq!(
            e.message,
            "the server has asked for the client to provide credentials"
        );
        let e = as_discovery_error(ApiError::new(404, "NotFound", "x"));
        assert_eq!(e.message, "x");
    }

    #[test]
    fn authorities_and_hosts_of_urls() {
        assert_eq!(authority("https://127.0.0.1:6443/prefix"), "127.0.0.1:6443");
        assert_eq!(host("https://[::1]:6443"), "::1");
        assert_eq!(host("https://example.com"), "example.com");
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let ctx = Context {
            server: "https://127.0.0.1:6443".into(),
            ..Default::default()
        };
        let e = from_io(&refused, &ctx).expect("mapped");
        assert!(is_client_side(&e));
        assert_eq!(
            e.message,
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?"
        );
    }
}
