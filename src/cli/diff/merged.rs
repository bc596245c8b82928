//! What an object would become if the manifest were applied, asked of the API server with
//! `dryRun=All` exactly as kubectl 1.32's diff asks: a server-side apply with
//! `--server-side`; else a dry-run create when the object is absent, or the client-side
//! apply patch (three-way, against the last-applied annotation, without updating it) with
//! the live object's resourceVersion as precondition.

use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::cli::merge::{last_applied, three_way};
use crate::client::Client;
use serde_json::Value;

pub struct How<'a> {
    pub server_side: bool,
    pub force_conflicts: bool,
    pub field_manager: &'a str,
}

/// The merged object. `locked` sends the live resourceVersion as a precondition (kubectl
/// drops it on its last try, when the object kept changing).
pub fn merged(
    client: &dyn Client,
    r: &'static Resource,
    ns: Option<&str>,
    local: &Value,
    live: Option<&Value>,
    locked: bool,
    how: &How,
) -> Result<Value, ApiError> {
    let name = local
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let opts = WriteOptions {
        dry_run: true,
        field_manager: Some(how.field_manager.to_string()),
        ..Default::default()
    };
    if how.server_side {
        return client.apply(r, ns, name, local, &opts, how.force_conflicts);
    }
    let Some(live) = live else {
        return client.create(r, ns, local.clone(), &opts);
    };
    // The configuration as apply would record it, less the annotation itself (kubectl
    // leaves the emptied annotations map in).
    let mut modified = last_applied::annotated(local);
    if let Some(a) = modified
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        a.shift_remove(last_applied::ANNOTATION);
    }
    // kubectl's patcher reads the schemas first: OpenAPI v3, then v2.
    crate::cli::openapi_probe::fetch_for_patch(client, &r.api_version());
    let original = last_applied::of(live);
    let mut patch = three_way::patch(original.as_ref(), &modified, live);
    if patch.as_object().is_some_and(|m| m.is_empty()) {
        // Nothing to change: kubectl sends nothing and shows the live object.
        return Ok(live.clone());
    }
    if locked && let Some(rv) = live.pointer("/metadata/resourceVersion") {
        patch["metadata"]["resourceVersion"] = rv.clone();
    }
    let body = crate::print::json::to_json_compact(&patch);
    client.patch_raw(r, ns, name, PatchType::Strategic, body.as_bytes(), &opts)
}
