//! Lists written straight into the response bytes: each object (or Table row) is encoded as
//! the store hands it over and then dropped, so a list of 10,000 pods never exists as a
//! JSON tree in memory, only as its encoding.

use super::list_item;
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::{codec, project};
use crate::client::Embedded;
use crate::print::columns::{self, IncludeObject};
use crate::store::KeyValue;
use serde_json::{Value, json};

/// `{"kind":"<Kind>List","apiVersion":..,"metadata":{..},"items":[..]}`.
pub fn list_json(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    opts: &ListOptions,
) -> Result<Vec<u8>, ApiError> {
    // Stored values are spliced into the body as they are (on every core); a paged list, or
    // a value the splice cannot vouch for, is decoded and re-encoded.
    let server = client.server();
    let (encoded, metadata) = match server.list_stored(r, namespace, opts, &item_bytes)? {
        Some(listed) => listed,
        None => server.list_map(r, namespace, opts, None, &|obj| {
            serde_json::to_vec(&obj).map_err(|e| e.to_string())
        })?,
    };
    let items = join(encoded)?;
    let head = json!({
        "kind": format!("{}List", r.kind),
        "apiVersion": r.api_version(),
        "metadata": metadata,
    });
    Ok(assemble(&head, "items", &items))
}

/// One stored object as a list item's JSON.
fn item_bytes(kv: &KeyValue) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(kv.value.len() + 32);
    if list_item::splice(&kv.value, kv.mod_revision, &mut out).is_some() {
        return Ok(out);
    }
    let obj = codec::strip_type(codec::decode(kv).map_err(|e| e.message)?);
    serde_json::to_vec(&obj).map_err(|e| e.to_string())
}

/// Encoded values joined with commas, for a JSON array's body.
fn join(encoded: Vec<Result<Vec<u8>, String>>) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(
        encoded
            .iter()
            .map(|e| e.as_ref().map_or(0, Vec::len) + 1)
            .sum(),
    );
    for value in encoded {
        let value =
            value.map_err(|e| ApiError::internal(format!("cannot encode the list: {e}")))?;
        if !out.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(&value);
    }
    Ok(out)
}

/// A `meta.k8s.io/v1` Table of the collection: each object is decoded (pods only in the
/// parts their row reads), turned into its row and encoded on every core.
pub fn list_table(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    opts: &ListOptions,
) -> Result<Vec<u8>, ApiError> {
    let now = client.server().clock().now();
    let include = if opts.include_object {
        IncludeObject::Object
    } else {
        IncludeObject::Metadata
    };
    let keep = (r.kind == "Pod" && !opts.include_object).then_some(&project::POD_ROW);
    let plural = r.plural;
    let (encoded, metadata) = client.server().list_map(r, namespace, opts, keep, &|obj| {
        serde_json::to_vec(&columns::row(plural, obj, now, include))
    })?;
    let mut rows = Vec::with_capacity(
        encoded
            .iter()
            .map(|e| e.as_ref().map_or(0, Vec::len) + 1)
            .sum(),
    );
    for row in encoded {
        let row = row.map_err(|e| ApiError::internal(format!("cannot encode the list: {e}")))?;
        if !rows.is_empty() {
            rows.push(b',');
        }
        rows.extend_from_slice(&row);
    }
    let mut head = columns::table_of_rows(r.plural, Vec::new());
    head["metadata"] = metadata;
    if let Value::Object(m) = &mut head {
        m.shift_remove("rows");
    }
    Ok(assemble(&head, "rows", &rows))
}

/// `head` (an object) with `"<field>":[<encoded>]` added as its last member.
fn assemble(head: &Value, field: &str, encoded: &[u8]) -> Vec<u8> {
    let head = head.to_string();
    let open = head.strip_suffix('}').unwrap_or(&head);
    let mut out = Vec::with_capacity(open.len() + field.len() + encoded.len() + 8);
    out.extend_from_slice(open.as_bytes());
    if open.len() > 1 {
        out.push(b',');
    }
    out.extend_from_slice(format!("\"{field}\":[").as_bytes());
    out.extend_from_slice(encoded);
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembles_valid_json() {
        let items = join(vec![
            Ok(serde_json::to_vec(&json!({"a": 1})).expect("a")),
            Ok(serde_json::to_vec(&json!({"b": 2})).expect("b")),
        ])
        .expect("join");
        let out = assemble(&json!({"kind": "PodList", "metadata": {}}), "items", &items);
        let v: Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(
            v,
            json!({"kind": "PodList", "metadata": {}, "items": [{"a": 1}, {"b": 2}]})
        );
        let empty = assemble(&json!({}), "rows", &[]);
        assert_eq!(empty, b"{\"rows\":[]}");
    }
}
