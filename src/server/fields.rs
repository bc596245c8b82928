//! `fieldValidation=Strict|Warn|Ignore`: what happens to fields the kind does not declare.
//! Strict fails the request (400), Warn (the default) answers with a `Warning` header per
//! field, which kubectl prints as `Warning: unknown field "spec.foo"`, Ignore drops them.
//! Keys repeated in the body are reported the same way (`duplicate field "spec.replicas"`).

use super::duplicates::duplicate_fields;
use super::message::{Request as HttpRequest, Response};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::managed::unknown::{Style, strict_decoding_error, unknown_fields};
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

/// The warnings to send (Warn), or the 400 of a strict request with unknown fields. Unknown
/// fields are dropped from `obj`, as decoding into kube's types drops them.
pub fn check(
    state: &super::State,
    req: &HttpRequest,
    r: &Resource,
    obj: &mut Value,
    kind: Request,
) -> Result<Vec<String>, ApiError> {
    let mode = mode(req)?;
    let unknown = state.client.server().drop_undeclared(r, obj);
    let mut problems: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field {f:?}"))
        .collect();
    if mode != Mode::Ignore {
        problems.extend(
            duplicate_fields(&req.body)
                .iter()
                .map(|f| format!("duplicate field {f:?}")),
        );
    }
    match mode {
        Mode::Ignore => return Ok(Vec::new()),
        Mode::Warn => return Ok(problems),
        Mode::Strict if problems.is_empty() => return Ok(problems),
        Mode::Strict => {}
    }
    Err(strict_decoding_error(r, &problems, kind == Request::Write))
}

/// An apply configuration with fields its kind does not declare fails whatever the mode,
/// as kube-apiserver's typed conversion fails (400).
pub fn check_apply(
    req: &HttpRequest,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
    config: &Value,
) -> Result<(), ApiError> {
    mode(req)?;
    let errors: Vec<String> = unknown_fields(r.kind, config, Style::Apply)
        .iter()
        .map(|p| format!("{p}: field not declared in schema"))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let detail = if errors.len() == 1 {
        errors[0].clone()
    } else {
        format!("errors:\n  {}", errors.join("\n  "))
    };
    Err(ApiError::bad_request(format!(
        "failed to create typed patch object ({}/{name}; {}/{}, Kind={}): {detail}",
        ns.unwrap_or(""),
        r.group,
        r.version,
        r.kind
    )))
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
