//! A named object read as kubectl's resource builder reads it: when the object is not
//! found in a namespace other than `default`, the builder reads the namespace (with the
//! same client, so the same Accept) and reports that missing instead. Only the verbs'
//! reads of what their arguments name go through here, as only those are the builder's.

use crate::api::registry::{self, Resource};
use crate::api::status::ApiError;
use crate::client::Client;
use serde_json::Value;

/// Which of kubectl's clients read: the dynamic one (JSON), a typed one
/// (`application/json, */*`), or `get`'s table printer (a Table).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Json,
    Typed,
    Table,
}

fn read(
    client: &dyn Client,
    reader: Reader,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
) -> Result<Value, ApiError> {
    match reader {
        Reader::Json => client.get(r, ns, name),
        Reader::Typed => client.get_typed(r, ns, name),
        Reader::Table => client.get_table(r, ns, name),
    }
}

/// Reads `name`, as the builder does.
pub fn get(
    client: &dyn Client,
    reader: Reader,
    r: &Resource,
    ns: Option<&str>,
    name: &str,
) -> Result<Value, ApiError> {
    read(client, reader, r, ns, name).map_err(|e| namespace_gone(client, reader, e, ns))
}

/// `e` itself, or the namespace's NotFound when `e` is a NotFound in a namespace (not
/// `default`) that does not exist.
pub fn namespace_gone(
    client: &dyn Client,
    reader: Reader,
    e: ApiError,
    namespace: Option<&str>,
) -> ApiError {
    let Some(ns) = namespace.filter(|n| e.code == 404 && !n.is_empty() && *n != "default") else {
        return e;
    };
    let Some(namespaces) = registry::find("namespaces") else {
        return e;
    };
    match read(client, reader, namespaces, None, ns) {
        Err(gone) if gone.code == 404 => gone,
        _ => e,
    }
}
