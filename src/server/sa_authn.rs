//! ServiceAccount tokens as bearer credentials: a JWT this cluster signed stands for its
//! service account (user `system:serviceaccount:NS:NAME`); a JWT it did not sign, or one
//! expired or whose account is gone, is 401 as kube-apiserver answers it. Everything else
//! goes to serve's other authenticators (`authn`), which a valid client certificate
//! precedes, as kube-apiserver tries x509 first.

use super::State;
use super::authn::{self, Identity, PeerCert};
use super::message::{Request, Response, error, json};
use crate::api::status::ApiError;
use hyper::Method;
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

/// `POST tokenreviews`: a TokenReview answered with the cluster's signing key.
pub fn token_review(state: &State, named: bool, req: &Request) -> Response {
    if req.method != Method::POST || named {
        return error(&ApiError::method_not_allowed());
    }
    let body = if super::protobuf::is_protobuf(req.header("content-type")) {
        super::protobuf::body_to_json(&req.body)
    } else {
        serde_json::from_slice(&req.body).map_err(|e| {
            ApiError::bad_request(format!("the body of the request is not valid JSON: {e}"))
        })
    };
    match body.and_then(|b| state.client.token_review(&b)) {
        Ok(out) => json(201, &out),
        Err(e) => error(&e),
    }
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
