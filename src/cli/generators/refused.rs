//! A refused connection as kubectl's generators report it: they wrap Go's own error, which
//! names the request (`Post "URL"`) and the dial, not kubectl's `The connection to the
//! server ... was refused` line.

use crate::api::options::WriteOptions;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::client::Client;
use crate::client::auth::failure;
use std::net::{SocketAddr, ToSocketAddrs};

/// Go's words for the failed POST, when `e` is a refused connection.
pub fn words(
    client: &dyn Client,
    resource: &Resource,
    namespace: Option<&str>,
    opts: &WriteOptions,
    e: &ApiError,
) -> Option<String> {
    let refused = failure::is_client_side(e)
        && e.message.starts_with("The connection to the server ")
        && e.message.contains(" was refused");
    if !refused {
        return None;
    }
    let base = client.server_url();
    let base = base.trim_end_matches('/');
    let authority = failure::authority(base);
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let default_port = if base.starts_with("http://") { 80 } else { 443 };
    let authority = if has_port {
        authority.to_string()
    } else {
        format!("{authority}:{default_port}")
    };
    // Go dials an address: a name is resolved first.
    let dial = match authority.parse::<SocketAddr>() {
        Ok(a) => a.to_string(),
        Err(_) => authority.to_socket_addrs().ok()?.next()?.to_string(),
    };
    let mut query = Vec::new();
    if opts.dry_run {
        query.push("dryRun=All".to_string());
    }
    if let Some(m) = &opts.field_manager {
        query.push(format!("fieldManager={}", query_escape(m)));
    }
    if let Some(v) = opts.field_validation {
        query.push(format!("fieldValidation={v}"));
    }
    Some(format!(
        "Post \"{base}{}?{}\": dial tcp {dial}: connect: connection refused",
        resource.collection_path(namespace),
        query.join("&")
    ))
}

/// Go's `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_escape_is_gos() {
        assert_eq!(super::query_escape("kubectl-create"), "kubectl-create");
        assert_eq!(super::query_escape("a b/c&é"), "a+b%2Fc%26%C3%A9");
    }
}
