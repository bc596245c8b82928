//! ServiceAccount tokens as bearer credentials: a JWT this cluster signed stands for its
//! service account (user `system:serviceaccount:NS:NAME`); a JWT it did not sign, or one
//! expired or whose account is gone, is 401 as kube-apiserver answers it. Everything else
//! goes to serve's other authenticators (`authn`), which a valid client certificate
//! precedes, as kube-apiserver tries x509 first.

use super::State;
use super::authn::{self, Identity, PeerCert};
use hyper::header::{AUTHORIZATION, HeaderMap};

pub fn authenticate(
    headers: &HeaderMap,
    cert: &PeerCert,
    state: &State,
) -> Result<Option<Identity>, ()> {
    if !matches!(cert, PeerCert::Valid(_))
        && let Some(token) = bearer(headers).filter(|t| looks_like_jwt(t))
    {
        return match state.client.service_account_user(token) {
            Some((user, groups)) => Ok(Some(Identity { user, groups })),
            None => Err(()),
        };
    }
    authn::authenticate(headers, cert, &state.tokens)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::trim)
}

/// Three base64url parts: serve's own tokens are plain random strings, never this.
fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_jwt_shaped_tokens_are_taken_for_service_accounts() {
        assert!(looks_like_jwt("eyJh.eyJz.c2ln"));
        assert!(!looks_like_jwt("0123456789abcdef"));
        assert!(!looks_like_jwt("a..b"));
        assert!(!looks_like_jwt("a.b.c.d"));
        assert!(!looks_like_jwt("a.b+.c"));
    }
}
