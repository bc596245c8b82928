//! ServiceAccount tokens: the `serviceaccounts/token` subresource (a TokenRequest in, the
//! same with `status.token` out) and the check of such a token when it comes back as a
//! bearer credential. Tokens are JWTs signed ES256 with ring (already in the tree for
//! TLS; it generates P-256 keys and signs in JOSE's fixed r||s form, where RSA keys it
//! cannot generate). The key is PKCS#8 in `$KUBELITE_HOME/sa.key`, made at first use.

use super::ApiServer;
use crate::api::registry;
use crate::api::status::ApiError;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
    UnparsedPublicKey,
};
use serde_json::{Value, json};
use std::path::Path;

/// The key's file in KUBELITE_HOME.
pub const KEY_FILE: &str = "sa.key";
/// kubeadm's issuer, which is also the API server's audience.
pub const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";
const GROUP: &str = "authentication.k8s.io";
/// kube-apiserver's bounds on `spec.expirationSeconds`.
const MIN_SECONDS: i64 = 600;
const MAX_SECONDS: i64 = 1 << 32;
const DEFAULT_SECONDS: i64 = 3600;
const PEM_LABEL: &str = "PRIVATE KEY";

pub struct SigningKey {
    pair: EcdsaKeyPair,
    /// The key id in the JWT header: the public key's SHA-256, as kube names its keys.
    kid: String,
}

impl SigningKey {
    /// The key kept in `home`, made (and written, owner-only) when there is none.
    pub fn load_or_create(home: &Path) -> Result<SigningKey, String> {
        let path = home.join(KEY_FILE);
        let rng = SystemRandom::new();
        let der = match std::fs::read_to_string(&path) {
            Ok(text) => from_pem(&text)
                .ok_or_else(|| format!("{} is not a PKCS#8 PEM key", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                    .map_err(|_| "cannot generate the service account signing key".to_string())?;
                crate::private_file::write_private(&path, to_pem(doc.as_ref()).as_bytes())?;
                doc.as_ref().to_vec()
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        SigningKey::from_pkcs8(&der)
    }

    fn from_pkcs8(der: &[u8]) -> Result<SigningKey, String> {
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der, &SystemRandom::new())
                .map_err(|e| format!("the service account signing key is not usable: {e}"))?;
        let digest = ring::digest::digest(&ring::digest::SHA256, pair.public_key().as_ref());
        let kid = URL_SAFE_NO_PAD.encode(digest.as_ref());
        Ok(SigningKey { pair, kid })
    }

    fn sign(&self, claims: &Value) -> Result<String, ApiError> {
        let header = json!({"alg": "ES256", "kid": self.kid});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .map_err(|_| ApiError::internal("cannot sign the token"))?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref())))
    }

    /// The claims of a token this key signed; `None` for anything else.
    fn verified_claims(&self, token: &str) -> Option<Value> {
        let (input, sig) = token.rsplit_once('.')?;
        let (header, claims) = input.split_once('.')?;
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header["alg"] != "ES256" {
            return None;
        }
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, self.pair.public_key().as_ref())
            .verify(input.as_bytes(), &sig)
            .ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
    }
}

/// The key of one cluster directory, loaded (or made) when a token is first asked for or
/// checked.
#[derive(Default)]
pub struct KeyHolder {
    home: Option<std::path::PathBuf>,
    key: std::sync::Mutex<Option<std::sync::Arc<SigningKey>>>,
}

impl KeyHolder {
    pub fn in_dir(home: &Path) -> KeyHolder {
        KeyHolder {
            home: Some(home.to_path_buf()),
            key: std::sync::Mutex::default(),
        }
    }

    pub fn get(&self) -> Result<std::sync::Arc<SigningKey>, ApiError> {
        let home = self.home.as_deref().ok_or_else(|| {
            ApiError::internal("this cluster keeps no service account signing key")
        })?;
        let mut held = self
            .key
            .lock()
            .map_err(|_| ApiError::internal("the signing key's lock is poisoned"))?;
        if let Some(k) = held.as_ref() {
            return Ok(k.clone());
        }
        let k = std::sync::Arc::new(SigningKey::load_or_create(home).map_err(ApiError::internal)?);
        *held = Some(k.clone());
        Ok(k)
    }
}

fn to_pem(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    format!(
        "-----BEGIN {PEM_LABEL}-----\n{}\n-----END {PEM_LABEL}-----\n",
        lines.join("\n")
    )
}

fn from_pem(text: &str) -> Option<Vec<u8>> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    STANDARD.decode(body).ok()
}

fn invalid(name: &str, field: &str, value: &Value, detail: &str) -> ApiError {
    let shown = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    let text = format!("{field}: Invalid value: {shown}: {detail}");
    ApiError::invalid(
        GROUP,
        "TokenRequest",
        name,
        format!("TokenRequest.{GROUP} \"{name}\" is invalid: {text}"),
        vec![
            json!({"reason": "FieldValueInvalid", "message": format!("Invalid value: {shown}: {detail}"), "field": field}),
        ],
    )
}

fn random_uid() -> String {
    let mut b = [0u8; 16];
    let _ = SystemRandom::new().fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Answers a TokenRequest for ServiceAccount `namespace/name`: the token, signed by `key`,
/// for the audiences asked (the API server's by default), bound to the object named.
pub fn request(
    server: &ApiServer,
    key: &SigningKey,
    namespace: &str,
    name: &str,
    body: &Value,
) -> Result<Value, ApiError> {
    let sa_r = registry::find("serviceaccounts").ok_or_else(|| ApiError::internal("no sa"))?;
    let sa = server.get(sa_r, Some(namespace), name)?;
    let spec = &body["spec"];
    let seconds = match &spec["expirationSeconds"] {
        Value::Null => DEFAULT_SECONDS,
        v => {
            let n = v.as_i64().unwrap_or(0);
            let field = "spec.expirationSeconds";
            if n < MIN_SECONDS {
                return Err(invalid(
                    name,
                    field,
                    v,
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if n > MAX_SECONDS {
                return Err(invalid(
                    name,
                    field,
                    v,
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            n
        }
    };
    let audiences: Vec<String> = match spec["audiences"].as_array() {
        Some(a) if !a.is_empty() => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec![ISSUER.to_string()],
    };
    let now = server.clock().now();
    let exp = now + chrono::Duration::seconds(seconds);
    let mut k8s = json!({
        "namespace": namespace,
        "serviceaccount": {"name": name, "uid": sa["metadata"]["uid"]},
    });
    let bound = &spec["boundObjectRef"];
    if let Some(kind) = bound["kind"].as_str() {
        let (plural, claim) = match kind {
            "Pod" => ("pods", "pod"),
            "Secret" => ("secrets", "secret"),
            "Node" => ("nodes", "node"),
            other => {
                return Err(ApiError::bad_request(format!(
                    "cannot bind token to object of type {other}"
                )));
            }
        };
        let bound_name = bound["name"].as_str().unwrap_or("");
        let r = registry::find(plural).ok_or_else(|| ApiError::internal("no bound kind"))?;
        let obj = server.get(r, r.namespaced.then_some(namespace), bound_name)?;
        let uid = obj["metadata"]["uid"].as_str().unwrap_or("");
        if let Some(want) = bound["uid"].as_str().filter(|u| !u.is_empty())
            && want != uid
        {
            return Err(ApiError::new(
                409,
                "Conflict",
                format!(
                    "Operation cannot be fulfilled on {kind} \"{bound_name}\": the UID in the bound object reference ({want}) does not match the UID in record. The object might have been deleted and then recreated"
                ),
            ));
        }
        k8s[claim] = json!({"name": bound_name, "uid": uid});
        // A pod's token also names the node it runs on, as kube 1.32's does.
        if let Some(node) = obj["spec"]["nodeName"].as_str().filter(|n| !n.is_empty())
            && let Some(nodes) = registry::find("nodes")
            && let Ok(n) = server.get(nodes, None, node)
        {
            k8s["node"] = json!({"name": node, "uid": n["metadata"]["uid"]});
        }
    }
    let claims = json!({
        "aud": audiences,
        "exp": exp.timestamp(),
        "iat": now.timestamp(),
        "iss": ISSUER,
        "jti": random_uid(),
        "kubernetes.io": k8s,
        "nbf": now.timestamp(),
        "sub": format!("system:serviceaccount:{namespace}:{name}"),
    });
    let token = key.sign(&claims)?;
    let mut spec_out = json!({
        "audiences": audiences,
        "expirationSeconds": seconds,
        "boundObjectRef": null,
    });
    if bound.is_object() {
        spec_out["boundObjectRef"] = bound.clone();
    }
    Ok(json!({
        "kind": "TokenRequest",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"name": name, "namespace": namespace, "creationTimestamp": crate::clock::timestamp(now)},
        "spec": spec_out,
        "status": {"token": token, "expirationTimestamp": crate::clock::timestamp(exp)},
    }))
}

/// A service account a token stands for.
#[derive(Debug, PartialEq)]
pub struct TokenUser {
    pub name: String,
    pub uid: String,
    pub groups: Vec<String>,
    /// The token's audiences among those asked for.
    pub audiences: Vec<String>,
    /// kube's `authentication.kubernetes.io/credential-id` (`JTI=<jti>`).
    pub credential_id: String,
}

/// Who a token this cluster issued stands for, for one of `audiences` (the API server's
/// when empty); `None` when it is forged, expired, not yet valid, for another audience,
/// or its service account (or bound object) is gone.
pub fn authenticate(
    server: &ApiServer,
    key: &SigningKey,
    token: &str,
    audiences: &[String],
) -> Option<TokenUser> {
    let claims = key.verified_claims(token)?;
    let now = server.clock().now();
    let wanted: Vec<String> = if audiences.is_empty() {
        vec![ISSUER.to_string()]
    } else {
        audiences.to_vec()
    };
    let audiences = valid_at(&claims, now, &wanted)?;
    let k8s = &claims["kubernetes.io"];
    let ns = k8s["namespace"].as_str()?;
    let sa_name = k8s["serviceaccount"]["name"].as_str()?;
    if claims["sub"].as_str()? != format!("system:serviceaccount:{ns}:{sa_name}") {
        return None;
    }
    let still = |plural: &str, claim: &Value| -> Option<()> {
        let r = registry::find(plural)?;
        let obj = server.get(r, Some(ns), claim["name"].as_str()?).ok()?;
        (obj["metadata"]["uid"] == claim["uid"]).then_some(())
    };
    still("serviceaccounts", &k8s["serviceaccount"])?;
    for (plural, claim) in [("pods", "pod"), ("secrets", "secret")] {
        if k8s[claim].is_object() {
            still(plural, &k8s[claim])?;
        }
    }
    // A node-bound token (not a pod's, where the node is only named) ends with its node.
    if !k8s["pod"].is_object() && k8s["node"].is_object() {
        let nodes = registry::find("nodes")?;
        let node = server
            .get(nodes, None, k8s["node"]["name"].as_str()?)
            .ok()?;
        (node["metadata"]["uid"] == k8s["node"]["uid"]).then_some(())?;
    }
    Some(TokenUser {
        name: format!("system:serviceaccount:{ns}:{sa_name}"),
        uid: k8s["serviceaccount"]["uid"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        groups: vec![
            "system:serviceaccounts".to_string(),
            format!("system:serviceaccounts:{ns}"),
            "system:authenticated".to_string(),
        ],
        audiences,
        credential_id: format!("JTI={}", claims["jti"].as_str().unwrap_or("")),
    })
}

/// Answers a TokenReview: who the token is, or kube's error when it is no one.
pub fn review(server: &ApiServer, key: &SigningKey, body: &Value) -> Result<Value, ApiError> {
    let spec = &body["spec"];
    let token = spec["token"].as_str().unwrap_or("");
    if token.is_empty() {
        return Err(ApiError::bad_request(
            "token is required for TokenReview in authentication",
        ));
    }
    let asked: Vec<String> = spec["audiences"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let status = match authenticate(server, key, token, &asked) {
        Some(u) => json!({
            "authenticated": true,
            "user": {
                "username": u.name,
                "uid": u.uid,
                "groups": u.groups,
                "extra": {"authentication.kubernetes.io/credential-id": [u.credential_id]},
            },
            "audiences": u.audiences,
        }),
        None => json!({"user": {}, "error": "[invalid bearer token, token lookup failed]"}),
    };
    let mut out_spec = json!({"token": token});
    if !asked.is_empty() {
        out_spec["audiences"] = json!(asked);
    }
    Ok(json!({
        "kind": "TokenReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "spec": out_spec,
        "status": status,
    }))
}

/// The issuer and the time window; the token's audiences among `wanted` (one at least).
fn valid_at(claims: &Value, now: DateTime<Utc>, wanted: &[String]) -> Option<Vec<String>> {
    if claims["iss"] != ISSUER {
        return None;
    }
    let aud: Vec<String> = claims["aud"]
        .as_array()?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .filter(|a| wanted.contains(a))
        .collect();
    let t = now.timestamp();
    (!aud.is_empty() && claims["nbf"].as_i64()? <= t && t < claims["exp"].as_i64()?).then_some(aud)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        let doc =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .expect("key");
        SigningKey::from_pkcs8(doc.as_ref()).expect("key")
    }

    #[test]
    fn signed_tokens_verify_and_forged_ones_do_not() {
        let k = key();
        let claims = json!({"sub": "x", "iss": ISSUER});
        let token = k.sign(&claims).expect("sign");
        assert_eq!(k.verified_claims(&token), Some(claims));
        // Another key's signature, and a payload changed under the signature.
        assert_eq!(key().verified_claims(&token), None);
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(json!({"sub": "y", "iss": ISSUER}).to_string()),
            parts[2]
        );
        assert_eq!(k.verified_claims(&forged), None);
    }

    #[test]
    fn the_key_file_is_kept_and_read_back() {
        let dir = std::env::temp_dir().join(format!("kubelite-sa-key-{}", random_uid()));
        std::fs::create_dir_all(&dir).expect("dir");
        let a = SigningKey::load_or_create(&dir).expect("create");
        let b = SigningKey::load_or_create(&dir).expect("load");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(a.kid, b.kid);
        let token = a.sign(&json!({"a": 1})).expect("sign");
        assert!(b.verified_claims(&token).is_some());
    }

    #[test]
    fn the_time_window_and_audience_decide() {
        let now = Utc::now();
        let t = now.timestamp();
        let api = [ISSUER.to_string()];
        let ok = json!({"iss": ISSUER, "aud": [ISSUER, "vault"], "nbf": t - 10, "exp": t + 10});
        assert_eq!(valid_at(&ok, now, &api), Some(api.to_vec()));
        assert_eq!(
            valid_at(&ok, now, &["vault".to_string(), "x".to_string()]),
            Some(vec!["vault".to_string()])
        );
        let mut expired = ok.clone();
        expired["exp"] = json!(t);
        assert_eq!(valid_at(&expired, now, &api), None);
        let mut early = ok.clone();
        early["nbf"] = json!(t + 1);
        assert_eq!(valid_at(&early, now, &api), None);
        let mut other = ok.clone();
        other["aud"] = json!(["vault"]);
        assert_eq!(valid_at(&other, now, &api), None);
        let mut forged_issuer = ok;
        forged_issuer["iss"] = json!("https://elsewhere");
        assert_eq!(valid_at(&forged_issuer, now, &api), None);
    }
}
