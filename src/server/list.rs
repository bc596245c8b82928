//! Lists written straight into the response bytes: each object (or Table row) is encoded
//! (stored JSON spliced as it is, where it can be) as the store hands it over, so a list of
//! 10,000 pods never exists as a JSON tree in memory, only as its encoding.

use super::list_item;
use crate::api::options::ListOptions;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::apiserver::{KeyValue, codec, project};
use crate::client::Embedded;
use crate::print::columns::{self, IncludeObject};
use serde_json::{Value, json};

/// `{"kind":"<Kind>List","apiVersion":..,"metadata":{..},"items":[..]}`.
pub fn list_json(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    opts: &ListOptions,
) -> Result<Vec<u8>, ApiError> {
    let server = client.server();
    let head = |metadata: Value| {
        json!({
            "kind": format!("{}List", r.kind),
            "apiVersion": r.api_version(),
            "metadata": metadata,
        })
    };
    // Stored values are spliced as they are into a body allocated once at its final size
    // (a big list's cost is mostly bytes and fresh memory); another version than the stored
    // one is decoded, converted and re-encoded.
    let Some((kvs, filter, metadata)) = server.list_stored(r, namespace, opts)? else {
        let (encoded, metadata) = server.list_map(r, namespace, opts, None, &|obj| {
            serde_json::to_vec(&obj).map_err(|e| e.to_string())
        })?;
        return assemble(&head(metadata), "items", encoded);
    };
    let head = head(metadata).to_string();
    let open = head.strip_suffix('}').unwrap_or(&head);
    let size: usize = kvs.iter().map(|kv| kv.value.len() + 32).sum();
    let mut out = Vec::with_capacity(open.len() + size + 16);
    out.extend_from_slice(open.as_bytes());
    out.extend_from_slice(b",\"items\":[");
    let mut first = true;
    for kv in kvs {
        if !filter.matches_stored(r, &kv)? {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        if list_item::splice(&kv.value, kv.mod_revision, &mut out).is_none() {
            let item = item_bytes(&kv)
                .map_err(|e| ApiError::internal(format!("cannot encode the list: {e}")))?;
            out.extend_from_slice(&item);
        }
    }
    out.extend_from_slice(b"]}");
    Ok(out)
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

/// A `meta.k8s.io/v1` Table of the collection: each object is decoded (pods only in the
/// parts their row reads), turned into its row and encoded on every core.
pub fn list_table(
    client: &Embedded,
    r: &Resource,
    namespace: Option<&str>,
    opts: &ListOptions,
) -> Result<Vec<u8>, ApiError> {
    if crate::api::custom::is_custom(r) {
        // Each version of a custom resource prints its own columns.
        let table = crate::client::Client::list_table(client, r, namespace, opts)?;
        return serde_json::to_vec(&table).map_err(|e| ApiError::internal(e.to_string()));
    }
    // Rows are printed alike at every version, from the stored one.
    let r = crate::api::registry::stored_version_of(r).unwrap_or(r);
    let now = client.server().clock().now();
    let include = IncludeObject::whole_if(opts.include_object);
    let keep = (r.kind == "Pod" && !opts.include_object).then_some(&project::POD_ROW);
    let plural = r.plural;
    if plural == "flowschemas" {
        // Printed in matching order, so the rows are sorted before they are encoded.
        let table = crate::client::Client::list_table(client, r, namespace, opts)?;
        return serde_json::to_vec(&table).map_err(|e| ApiError::internal(e.to_string()));
    }
    let (encoded, metadata) = client.server().list_map(r, namespace, opts, keep, &|obj| {
        serde_json::to_vec(&columns::row(plural, obj, now, include))
    })?;
    let mut head = columns::table_of_rows(r.plural, Vec::new());
    head["metadata"] = metadata;
    if let Value::Object(m) = &mut head {
        m.shift_remove("rows");
    }
    assemble(&head, "rows", encoded)
}

/// `head` (an object) with `"<field>":[<encoded>,...]` added as its last member, written
/// into one buffer of the final size.
fn assemble<E: std::fmt::Display>(
    head: &Value,
    field: &str,
    encoded: Vec<Result<Vec<u8>, E>>,
) -> Result<Vec<u8>, ApiError> {
    let head = head.to_string();
    let open = head.strip_suffix('}').unwrap_or(&head);
    let items: usize = encoded
        .iter()
        .map(|e| e.as_ref().map_or(0, Vec::len) + 1)
        .sum();
    let mut out = Vec::with_capacity(open.len() + field.len() + items + 8);
    out.extend_from_slice(open.as_bytes());
    if open.len() > 1 {
        out.push(b',');
    }
    out.extend_from_slice(format!("\"{field}\":[").as_bytes());
    for (i, value) in encoded.into_iter().enumerate() {
        let value =
            value.map_err(|e| ApiError::internal(format!("cannot encode the list: {e}")))?;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&value);
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembles_valid_json() {
        let items: Vec<Result<Vec<u8>, String>> = vec![
            Ok(serde_json::to_vec(&json!({"a": 1})).expect("a")),
            Ok(serde_json::to_vec(&json!({"b": 2})).expect("b")),
        ];
        let out = assemble(&json!({"kind": "PodList", "metadata": {}}), "items", items)
            .expect("assemble");
        let v: Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(
            v,
            json!({"kind": "PodList", "metadata": {}, "items": [{"a": 1}, {"b": 2}]})
        );
        let empty = assemble::<String>(&json!({}), "rows", Vec::new()).expect("empty");
        assert_eq!(empty, b"{\"rows\":[]}");
        let failed = assemble(&json!({}), "items", vec![Err("bad".to_string())]);
        assert_eq!(failed.map_err(|e| e.code), Err(500));
    }
}
