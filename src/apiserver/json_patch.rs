//! JSON patch (RFC 6902), apart from the PATCH verb: webhooks' patches use it too.

use crate::api::status::ApiError;
use serde_json::Value;

/// kube-apiserver's default bound on what a JSON patch's copies may add (3 MiB).
const MAX_COPY_BYTES: usize = 3 * 1024 * 1024;

/// RFC 6902 operations: add, remove, replace, move, copy, test.
pub fn json_patch(target: &mut Value, patch: &Value) -> Result<(), ApiError> {
    let ops = patch
        .as_array()
        .ok_or_else(|| ApiError::bad_request("json patch must be a list of operations"))?;
    // What `copy` ops have added so far, in bytes of JSON: kube-apiserver's limit
    // (JSONPatchMaxCopyBytes) keeps a short patch that copies the object into itself again
    // and again from growing it exponentially until the server runs out of memory.
    let mut copied = 0usize;
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().ok_or_else(|| {
            ApiError::bad_request(format!("missing path in json patch operation {op}"))
        })?;
        match kind {
            "add" => add(
                target,
                path,
                op.get("value").cloned().unwrap_or(Value::Null),
            )?,
            "remove" => {
                remove(target, path)?;
            }
            "replace" => {
                remove(target, path)?;
                add(
                    target,
                    path,
                    op.get("value").cloned().unwrap_or(Value::Null),
                )?;
            }
            "move" | "copy" => {
                let from = op["from"]
                    .as_str()
                    .ok_or_else(|| ApiError::bad_request("missing from in json patch"))?;
                let value = if kind == "move" {
                    remove(target, from)?
                } else {
                    let found = target.pointer(from).ok_or_else(|| missing(from))?;
                    copied += serde_json::to_vec(found).map_or(0, |j| j.len());
                    if copied > MAX_COPY_BYTES {
                        return Err(ApiError::new(
                            422,
                            "Invalid",
                            format!(
                                "Unable to complete the copy, the accumulated size increase of copy is {copied}, exceeding the limit {MAX_COPY_BYTES}"
                            ),
                        ));
                    }
                    found.clone()
                };
                add(target, path, value)?;
            }
            "test" => test(target, path, op.get("value"))?,
            other => return Err(ApiError::bad_request(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

/// `test` as kube-apiserver's json-patch library reads it: an absent member whose parent
/// exists equals null, so `{"op":"test","path":"/metadata/finalizers","value":null}` holds
/// on an object without finalizers (kube-rs's finalizer helper sends exactly that before
/// adding the first one). An absent parent is an error of its own.
fn test(target: &Value, path: &str, want: Option<&Value>) -> Result<(), ApiError> {
    let want = want.unwrap_or(&Value::Null);
    let holds = match target.pointer(path) {
        Some(found) => found == want,
        None if path.is_empty() => false,
        None => {
            let (parent, _) = split(path)?;
            if !matches!(
                target.pointer(parent),
                Some(Value::Object(_) | Value::Array(_))
            ) {
                return Err(ApiError::new(
                    422,
                    "Invalid",
                    format!("test operation does not apply: is missing path: {path}"),
                ));
            }
            want.is_null()
        }
    };
    if holds {
        Ok(())
    } else {
        Err(ApiError::new(
            422,
            "Invalid",
            format!("testing value {path} failed"),
        ))
    }
}

fn missing(path: &str) -> ApiError {
    ApiError::new(
        422,
        "Invalid",
        format!("doc is missing path: \"{path}\": missing value"),
    )
}

fn split(path: &str) -> Result<(&str, String), ApiError> {
    let (parent, last) = path.rsplit_once('/').ok_or_else(|| missing(path))?;
    Ok((parent, last.replace("~1", "/").replace("~0", "~")))
}

/// How deep a patched object may nest (objects and arrays). serde_json reads back at most
/// 127 levels, and a store entry or a watch event wraps the object once more: ops that
/// nest past this would leave an object no one can read (and, repeated, one whose drop
/// overflows the stack).
const MAX_DEPTH: usize = 100;

/// Nesting of `v` (a scalar is 0), without recursion.
fn depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 0usize)];
    while let Some((v, d)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(m) => Box::new(m.values()),
            _ => continue,
        };
        deepest = deepest.max(d + 1);
        stack.extend(children.map(|c| (c, d + 1)));
    }
    deepest
}

fn add(target: &mut Value, path: &str, value: Value) -> Result<(), ApiError> {
    if path.matches('/').count() + depth(&value) > MAX_DEPTH {
        return Err(ApiError::new(
            422,
            "Invalid",
            format!("json patch: the value at {path} would nest more than {MAX_DEPTH} levels deep"),
        ));
    }
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (parent, last) = split(path)?;
    match target.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            let index = if last == "-" {
                a.len()
            } else {
                last.parse().map_err(|_| missing(path))?
            };
            if index > a.len() {
                return Err(missing(path));
            }
            a.insert(index, value);
            Ok(())
        }
        _ => Err(missing(path)),
    }
}

fn remove(target: &mut Value, path: &str) -> Result<Value, ApiError> {
    let (parent, last) = split(path)?;
    match target.pointer_mut(parent) {
        Some(Value::Object(m)) => m.shift_remove(&last).ok_or_else(|| missing(path)),
        Some(Value::Array(a)) => {
            let index: usize = last.parse().map_err(|_| missing(path))?;
            if index < a.len() {
                Ok(a.remove(index))
            } else {
                Err(missing(path))
            }
        }
        _ => Err(missing(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::json_patch;
    use serde_json::json;

    fn apply(doc: serde_json::Value, ops: serde_json::Value) -> Result<serde_json::Value, String> {
        let mut doc = doc;
        json_patch(&mut doc, &ops)
            .map(|()| doc)
            .map_err(|e| e.message)
    }

    #[test]
    fn test_reads_an_absent_member_as_null() {
        let finalize = json!([
            {"op": "test", "path": "/metadata/finalizers", "value": null},
            {"op": "add", "path": "/metadata/finalizers", "value": ["x"]}
        ]);
        let done = apply(json!({"metadata": {"name": "a"}}), finalize.clone()).expect("applies");
        assert_eq!(done["metadata"]["finalizers"], json!(["x"]));
        // Present, it must equal the value; so the same patch cannot apply twice.
        assert_eq!(
            apply(done, finalize).unwrap_err(),
            "testing value /metadata/finalizers failed"
        );
        let absent = json!([{"op": "test", "path": "/metadata/labels", "value": {"a": "b"}}]);
        assert_eq!(
            apply(json!({"metadata": {}}), absent).unwrap_err(),
            "testing value /metadata/labels failed"
        );
        let no_parent = json!([{"op": "test", "path": "/spec/size", "value": null}]);
        assert_eq!(
            apply(json!({"metadata": {}}), no_parent).unwrap_err(),
            "test operation does not apply: is missing path: /spec/size"
        );
        let equal = json!([{"op": "test", "path": "/spec/size", "value": 3}]);
        apply(json!({"spec": {"size": 3}}), equal).expect("equal value holds");
    }
}
