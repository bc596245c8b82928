//! Request options checked as kube-apiserver checks them before it acts: a list's
//! `resourceVersion` and `resourceVersionMatch`, `pods/log`'s options, and the 422 its
//! option validation answers with (`<Kind>.meta.k8s.io "" is invalid: ...`).

use super::State;
use super::message::Request;
use super::query::{self, go_quote};
use crate::api::status::ApiError;
use serde_json::json;

/// A 422 for one invalid field of a `meta.k8s.io` options object (`DeleteOptions`,
/// `PatchOptions`, `ListOptions`); `detail` is the field error's text after the field.
pub fn options_invalid(kind: &str, field: &str, reason: &str, detail: &str) -> ApiError {
    ApiError::invalid(
        "meta.k8s.io",
        kind,
        "",
        format!("{kind}.meta.k8s.io \"\" is invalid: {field}: {detail}"),
        vec![json!({"reason": reason, "message": detail, "field": field})],
    )
}

/// `resourceVersionMatch` as kube-apiserver validates a list's options.
pub fn check_version_match(req: &Request) -> Result<(), ApiError> {
    let Some(m) = req.param("resourceVersionMatch").filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    if req.param("watch").is_some_and(|w| w == "true" || w == "1") {
        // Watches take it only with sendInitialEvents, which kubelite does not serve.
        return Err(options_invalid(
            "ListOptions",
            "resourceVersionMatch",
            "FieldValueForbidden",
            "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        ));
    }
    let rv = req.param("resourceVersion").unwrap_or("");
    let forbidden = |why: &str| {
        options_invalid(
            "ListOptions",
            "resourceVersionMatch",
            "FieldValueForbidden",
            &format!("Forbidden: {why}"),
        )
    };
    if rv.is_empty() {
        return Err(forbidden(
            "resourceVersionMatch is forbidden unless resourceVersion is provided",
        ));
    }
    if req.param("continue").is_some_and(|c| !c.is_empty()) {
        return Err(forbidden(
            "resourceVersionMatch is forbidden when continue is provided",
        ));
    }
    match m {
        "Exact" if rv == "0" => Err(forbidden(
            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
        )),
        "Exact" | "NotOlderThan" => Ok(()),
        other => Err(options_invalid(
            "ListOptions",
            "resourceVersionMatch",
            "FieldValueNotSupported",
            &format!(
                "Unsupported value: {}: supported values: \"Exact\", \"NotOlderThan\", \"\"",
                go_quote(other)
            ),
        )),
    }
}

/// A list's `resourceVersion`: a revision number or 400, and not one the store has not
/// reached yet (504 `Too large resource version`, as kube-apiserver's storage answers;
/// kubelite reads its own writes, so no client that saw a revision here waits for it).
pub fn check_list_version(state: &State, req: &Request) -> Result<(), ApiError> {
    let Some(rv) = req.param("resourceVersion").filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let wanted = query::parse_uint64(rv).map_err(|e| {
        ApiError::bad_request(format!(
            "invalid resource version: resourceVersion: Invalid value: {}: {}",
            go_quote(rv),
            e.message
        ))
    })?;
    let current = state.client.server().current_revision()?;
    if wanted == 0 || wanted <= current.max(0) as u64 {
        return Ok(());
    }
    // An exact read goes to etcd, which retries nothing; the others to the watch cache,
    // which says "in a second".
    let retry = if req.param("resourceVersionMatch") == Some("Exact") {
        0
    } else {
        1
    };
    Err(too_large_resource_version(wanted, current, retry))
}

/// kube-apiserver's 504 for a revision the store has not reached.
pub fn too_large_resource_version(wanted: u64, current: i64, retry_seconds: u32) -> ApiError {
    let mut e = ApiError::new(
        504,
        "Timeout",
        format!("Timeout: Too large resource version: {wanted}, current: {current}"),
    );
    let mut details = json!({
        "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}]
    });
    if retry_seconds > 0 {
        details["retryAfterSeconds"] = json!(retry_seconds);
    }
    e.details = Some(Box::new(details));
    e
}

/// `pods/log`'s numeric options.
pub struct LogOptions {
    pub tail_lines: Option<i64>,
    pub limit_bytes: Option<i64>,
}

/// Reads and validates `tailLines`, `sinceSeconds` and `limitBytes` (400 for a value that
/// is not an int64; 422 `PodLogOptions "<pod>" is invalid` for one out of range).
pub fn log_options(req: &Request, pod: &str) -> Result<LogOptions, ApiError> {
    let tail_lines = query::int64(req, "tailLines")?;
    let since = query::int64(req, "sinceSeconds")?;
    let limit_bytes = query::int64(req, "limitBytes")?;
    let mut errors: Vec<(&str, String)> = Vec::new();
    if let Some(t) = tail_lines.filter(|t| *t < 0) {
        errors.push((
            "tailLines",
            format!("Invalid value: {t}: must be greater than or equal to 0"),
        ));
    }
    if let Some(l) = limit_bytes.filter(|l| *l < 1) {
        errors.push((
            "limitBytes",
            format!("Invalid value: {l}: must be greater than 0"),
        ));
    }
    if since.is_some() && req.param("sinceTime").is_some() {
        errors.push((
            "",
            "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified".into(),
        ));
    } else if let Some(s) = since.filter(|s| *s < 1) {
        errors.push((
            "sinceSeconds",
            format!("Invalid value: {s}: must be greater than 0"),
        ));
    }
    if errors.is_empty() {
        return Ok(LogOptions {
            tail_lines,
            limit_bytes,
        });
    }
    let text: Vec<String> = errors
        .iter()
        .map(|(f, d)| {
            if f.is_empty() {
                d.clone()
            } else {
                format!("{f}: {d}")
            }
        })
        .collect();
    let message = if text.len() == 1 {
        text[0].clone()
    } else {
        format!("[{}]", text.join(", "))
    };
    let causes = errors
        .iter()
        .map(|(f, d)| {
            let reason = if d.starts_with("Forbidden") {
                "FieldValueForbidden"
            } else {
                "FieldValueInvalid"
            };
            json!({"reason": reason, "message": d, "field": f})
        })
        .collect();
    Err(ApiError::invalid(
        "",
        "PodLogOptions",
        pod,
        format!("PodLogOptions {} is invalid: {message}", go_quote(pod)),
        causes,
    ))
}

/// At most `limit` bytes of a log (kubelet cuts at the byte, not at a line).
pub fn truncate(mut text: String, limit: i64) -> String {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if text.len() > limit {
        let mut at = limit;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_resource_version_is_kubes_timeout() {
        let s = too_large_resource_version(900, 12, 1).to_status();
        assert_eq!(s["code"], 504);
        assert_eq!(s["reason"], "Timeout");
        assert_eq!(
            s["message"],
            "Timeout: Too large resource version: 900, current: 12"
        );
        assert_eq!(s["details"]["retryAfterSeconds"], 1);
        assert_eq!(
            s["details"]["causes"][0]["reason"],
            "ResourceVersionTooLarge"
        );
        let exact = too_large_resource_version(900, 12, 0).to_status();
        assert!(exact["details"].get("retryAfterSeconds").is_none());
    }

    #[test]
    fn logs_are_cut_at_a_character() {
        assert_eq!(truncate("héllo".into(), 2), "h");
        assert_eq!(truncate("hello".into(), 3), "hel");
        assert_eq!(truncate("hi".into(), i64::MAX), "hi");
    }
}
