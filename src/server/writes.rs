//! What the handlers that write share: a write's options from the query (dry run, field
//! manager), the body as JSON, retrying a read-modify-write on conflicts, applying a patch.

use super::message::Request;
use crate::api::options::{PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::apiserver::smp;
use serde_json::Value;

/// How many times a read-modify-write retries when another writer got there first.
const PATCH_ATTEMPTS: usize = 5;

/// A write's options from its query: `dryRun=All`, and the field manager.
pub fn write_options(req: &Request) -> WriteOptions {
    WriteOptions {
        dry_run: req.param("dryRun") == Some("All"),
        field_manager: Some(manager_of(req)).filter(|m| !m.is_empty()),
        requester: req.requester.clone(),
        ..Default::default()
    }
}

/// The field manager: `fieldManager`, else what kube-apiserver takes from the User-Agent
/// (the printable characters before its first `/`, at most 128 bytes).
fn manager_of(req: &Request) -> String {
    if let Some(m) = req.param("fieldManager") {
        return m.to_string();
    }
    let agent = req.header("user-agent");
    let program = agent.split('/').next().unwrap_or("");
    let mut out = String::new();
    for c in program.chars() {
        if c.is_control() || (c.is_whitespace() && c != ' ') {
            continue;
        }
        if out.len() + c.len_utf8() > 128 {
            break;
        }
        out.push(c);
    }
    out
}

/// The request body as a JSON object (`400` with a Status when it is not one).
pub fn body_value(req: &Request, what: &str) -> Result<Value, ApiError> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(format!(
            "the request body is empty; expected {what}"
        )));
    }
    serde_json::from_slice(&req.body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body of the request is not valid JSON ({what}): {e}"
        ))
    })
}

pub fn unsupported_media_type(given: &str, accepted: &str) -> ApiError {
    ApiError::new(
        415,
        "UnsupportedMediaType",
        format!(
            "the body of the request was in an unknown format ({given:?}) - accepted media types include: {accepted}"
        ),
    )
}

/// Runs `f` again while it fails with a 409 Conflict (a concurrent write), a few times.
pub fn read_modify_write(
    mut f: impl FnMut() -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    let mut attempt = 0;
    loop {
        match f() {
            Err(e) if e.code == 409 && e.reason == "Conflict" && attempt + 1 < PATCH_ATTEMPTS => {
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Applies a patch of any type to a JSON value.
pub fn apply_patch(target: &mut Value, kind: PatchType, patch: &Value) -> Result<(), ApiError> {
    match kind {
        // Without merge keys in play, a strategic merge patch of a plain object is a merge patch.
        PatchType::Merge | PatchType::Strategic => smp::apply(target, patch),
        PatchType::Json => crate::apiserver::patch::json_patch(target, patch),
    }
}
