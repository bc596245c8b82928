//! `fieldValidation=Strict|Warn|Ignore`: what happens to fields the kind does not declare.
//! Strict fails the request (400), Warn (the default) answers with a `Warning` header per
//! field, which kubectl prints as `Warning: unknown field "spec.foo"`, Ignore drops them.

use super::http::{Request as HttpRequest, Response};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::managed::unknown::unknown_fields;
use hyper::header::HeaderValue;
use serde_json::Value;

/// What kind of request the object came with (they word a strict failure differently).
#[derive(Clone, Copy, PartialEq)]
pub enum Request {
    /// POST or PUT of a whole object.
    Write,
    /// A patch or an apply configuration.
    Patch,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Strict,
    Warn,
    Ignore,
}

fn mode(req: &HttpRequest) -> Result<Mode, ApiError> {
    match req.param("fieldValidation") {
        None | Some("") | Some("Warn") => Ok(Mode::Warn),
        Some("Strict") => Ok(Mode::Strict),
        Some("Ignore") => Ok(Mode::Ignore),
        Some(other) => Err(ApiError::bad_request(format!(
            "fieldValidation: Unsupported value: {other:?}: supported values: \"Ignore\", \"Strict\", \"Warn\""
        ))),
    }
}

/// The warnings to send (Warn), or the 400 of a strict request with unknown fields.
pub fn check(
    req: &HttpRequest,
    r: &Resource,
    obj: &Value,
    kind: Request,
) -> Result<Vec<String>, ApiError> {
    let mode = mode(req)?;
    if mode == Mode::Ignore {
        return Ok(Vec::new());
    }
    let problems: Vec<String> = unknown_fields(r.kind, obj)
        .iter()
        .map(|f| format!("unknown field {f:?}"))
        .collect();
    if problems.is_empty() || mode == Mode::Warn {
        return Ok(problems);
    }
    let strict = format!("strict decoding error: {}", problems.join(", "));
    Err(ApiError::bad_request(match kind {
        Request::Write => format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {strict}",
            kind = r.kind,
            version = r.version
        ),
        Request::Patch => strict,
    }))
}

/// The response with one `Warning: 299 - "<text>"` header per warning.
pub fn with_warnings(mut resp: Response, warnings: &[String]) -> Response {
    for w in warnings {
        let quoted = format!("299 - {}", go_quote(w));
        if let Ok(v) = HeaderValue::from_str(&quoted) {
            resp.headers_mut().append("warning", v);
        }
    }
    resp
}

/// A quoted string as a Warning header carries it: backslash before `"` and `\`.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
