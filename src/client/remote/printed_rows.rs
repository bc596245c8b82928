//! A Table page read for printing only: each row keeps its cells and, of its object, the
//! metadata's namespace and labels (what `kubectl get`'s printer reads), so the rest of
//! every object (uid, owners, annotations, managed fields) is skipped by the parser instead
//! of being built and held until the last page came.

use super::decode_reply;
use crate::api::status::ApiError;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Deserialize)]
struct Page {
    rows: Option<Vec<Row>>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize, Serialize)]
struct Row {
    #[serde(default)]
    cells: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<Object>,
}

#[derive(Deserialize, Serialize)]
struct Object {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata: Option<Metadata>,
}

#[derive(Deserialize, Serialize)]
struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    labels: Option<Value>,
}

/// A reply to a Table list: the compact page when it is a Table of that shape, otherwise
/// the reply as `decode_reply` reads it (a Status, a plain list, an odd Table).
pub(super) fn decode(code: StatusCode, bytes: &[u8]) -> Result<Value, ApiError> {
    if code.is_success()
        && let Ok(page) = serde_json::from_slice::<Page>(bytes)
    {
        let mut table = page.rest;
        if let Some(rows) = page.rows {
            let rows = rows
                .into_iter()
                .map(|row| serde_json::to_value(row).unwrap_or(Value::Null))
                .collect();
            table.insert("rows".into(), Value::Array(rows));
        }
        return Ok(Value::Object(table));
    }
    decode_reply(code, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_what_the_printer_reads() {
        let reply = json!({
            "kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": "7", "continue": "c"},
            "columnDefinitions": [{"name": "Name", "type": "string", "format": "name"}],
            "rows": [
                {"cells": ["a", 1], "conditions": [{"type": "Completed"}],
                 "object": {"kind": "PartialObjectMetadata", "metadata": {
                    "name": "a", "namespace": "ns", "uid": "u", "labels": {"k": "v"},
                    "annotations": {"big": "x"}}}},
                {"cells": ["b"], "object": {"metadata": {"name": "b"}}},
                {"cells": ["c"], "object": {"metadata": null}},
                {"cells": ["d"]}
            ]
        });
        let bytes = serde_json::to_vec(&reply).expect("json");
        let got = decode(StatusCode::OK, &bytes).expect("page");
        assert_eq!(
            got,
            json!({
                "kind": "Table", "apiVersion": "meta.k8s.io/v1",
                "metadata": {"resourceVersion": "7", "continue": "c"},
                "columnDefinitions": [{"name": "Name", "type": "string", "format": "name"}],
                "rows": [
                    {"cells": ["a", 1],
                     "object": {"metadata": {"namespace": "ns", "labels": {"k": "v"}}}},
                    {"cells": ["b"], "object": {"metadata": {}}},
                    {"cells": ["c"], "object": {}},
                    {"cells": ["d"]}
                ]
            })
        );
    }

    #[test]
    fn anything_else_is_read_whole() {
        let list = br#"{"kind":"PodList","items":[{"metadata":{"name":"a"}}]}"#;
        let got = decode(StatusCode::OK, list).expect("list");
        assert_eq!(got["items"][0]["metadata"]["name"], "a");
        let status = br#"{"kind":"Status","code":403,"reason":"Forbidden","message":"no"}"#;
        let err = decode(StatusCode::FORBIDDEN, status).expect_err("status");
        assert_eq!(err.code, 403);
    }
}
