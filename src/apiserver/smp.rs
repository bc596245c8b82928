//! Strategic merge patch, for the built-in kinds kubelite serves: a JSON merge patch in
//! which lists of named things (containers, ports, env, volumes, ...) merge element by
//! element on their merge key instead of being replaced, with the directives kubectl
//! writes (`$patch: delete|replace`, `$setElementOrder/<list>`, `$retainKeys`,
//! `$deleteFromPrimitiveList/<list>`).

use crate::api::status::ApiError;
use serde_json::{Map, Value};

/// The merge key of a list field, by its name (and, for `ports`, its elements' shape).
pub fn merge_key(field: &str, sample: &[Value]) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates"
        | "webhooks"
        | "matchConditions" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" | "podIPs" | "hostIPs" => "ip",
        "addresses" => "type",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        "ports" => {
            if sample.iter().any(|p| p.get("containerPort").is_some()) {
                "containerPort"
            } else {
                "port"
            }
        }
        _ => return None,
    })
}

/// Lists of scalars that merge as sets.
pub fn is_set_list(field: &str) -> bool {
    matches!(field, "finalizers")
}

/// Applies `patch` to `target`.
pub fn apply(target: &mut Value, patch: &Value) -> Result<(), ApiError> {
    let Value::Object(p) = patch else {
        return Err(ApiError::bad_request(
            "the strategic merge patch is not a JSON object",
        ));
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(t) = target {
        merge_map(t, p)?;
    }
    Ok(())
}

fn merge_map(target: &mut Map<String, Value>, patch: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(directive) = patch.get("$patch")
        && !matches!(directive.as_str(), Some("replace" | "delete" | "merge"))
    {
        return Err(ApiError::bad_request(format!(
            "the strategic merge patch has an unknown $patch directive: {directive}"
        )));
    }
    if patch.get("$patch").and_then(Value::as_str) == Some("replace") {
        *target = patch.clone();
        target.shift_remove("$patch");
        return Ok(());
    }
    let mut orders = Vec::new();
    for (k, v) in patch {
        if let Some(field) = k.strip_prefix("$setElementOrder/") {
            orders.push((field, v));
            continue;
        }
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(list)), Value::Array(gone)) = (target.get_mut(field), v) {
                list.retain(|x| !gone.contains(x));
                // An empty list is no list, as kube's types encode it.
                if list.is_empty() {
                    target.shift_remove(field);
                }
            }
            continue;
        }
        if k == "$retainKeys" || k == "$patch" {
            continue;
        }
        match v {
            Value::Null => {
                target.shift_remove(k);
            }
            Value::Object(pm) => {
                if pm.get("$patch").and_then(Value::as_str) == Some("delete") {
                    target.shift_remove(k);
                    continue;
                }
                let slot = target
                    .entry(k.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(tm) = slot {
                    merge_map(tm, pm)?;
                }
            }
            Value::Array(items) => merge_list(target, k, items)?,
            other => {
                target.insert(k.clone(), other.clone());
            }
        }
    }
    for (field, order) in orders {
        if let (Some(Value::Array(list)), Value::Array(order)) = (target.get_mut(field), order) {
            reorder(field, list, order);
        }
    }
    if let Some(Value::Array(keep)) = patch.get("$retainKeys") {
        target.retain(|k, _| keep.iter().any(|x| x.as_str() == Some(k)));
    }
    Ok(())
}

fn merge_list(
    target: &mut Map<String, Value>,
    field: &str,
    items: &[Value],
) -> Result<(), ApiError> {
    if is_set_list(field) {
        let slot = target
            .entry(field.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = slot {
            for x in items {
                if !list.contains(x) {
                    list.push(x.clone());
                }
            }
        } else {
            *slot = Value::Array(items.to_vec());
        }
        return Ok(());
    }
    let replace_all = items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace"));
    let key = merge_key(field, items).filter(|_| !replace_all);
    let Some(key) = key else {
        let kept: Vec<Value> = items
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .cloned()
            .collect();
        target.insert(field.to_string(), Value::Array(kept));
        return Ok(());
    };
    let slot = target
        .entry(field.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    let Value::Array(list) = slot else {
        return Ok(());
    };
    for item in items {
        let Value::Object(im) = item else {
            return Err(ApiError::bad_request(format!(
                "the strategic merge patch has a non-object element in {field}"
            )));
        };
        let Some(id) = im.get(key) else {
            return Err(ApiError::bad_request(format!(
                "the strategic merge patch has an element of {field} without its merge key {key:?}"
            )));
        };
        let id = Some(id);
        let found = list.iter().position(|x| id.is_some() && x.get(key) == id);
        if im.get("$patch").and_then(Value::as_str) == Some("delete") {
            list.retain(|x| id.is_none() || x.get(key) != id);
            continue;
        }
        match found {
            Some(i) => {
                if let Value::Object(tm) = &mut list[i] {
                    merge_map(tm, im)?;
                }
            }
            None => {
                let mut fresh = Map::new();
                merge_map(&mut fresh, im)?;
                list.push(Value::Object(fresh));
            }
        }
    }
    Ok(())
}

/// `$setElementOrder/<field>`: the listed elements in that order; an element the order does
/// not list (the server's own) keeps its place relative to the others, as kube merges the
/// two sorted runs by their positions in the server's list.
fn reorder(field: &str, list: &mut Vec<Value>, order: &[Value]) {
    let key = merge_key(field, order);
    let position = |x: &Value| {
        order.iter().position(|o| match key {
            Some(k) => o.get(k).is_some() && o.get(k) == x.get(k),
            None => o == x,
        })
    };
    // (index in the current list, which has the server's order, then new elements)
    let mut listed: Vec<(usize, usize, Value)> = Vec::new();
    let mut others: Vec<(usize, Value)> = Vec::new();
    for (i, x) in list.drain(..).enumerate() {
        match position(&x) {
            Some(p) => listed.push((p, i, x)),
            None => others.push((i, x)),
        }
    }
    listed.sort_by_key(|(p, _, _)| *p);
    let mut listed = listed.into_iter().map(|(_, i, x)| (i, x)).peekable();
    let mut others = others.into_iter().peekable();
    loop {
        let take_other = match (others.peek(), listed.peek()) {
            (Some((o, _)), Some((l, _))) => o < l,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_other {
            others.next()
        } else {
            listed.next()
        };
        if let Some((_, x)) = next {
            list.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(target: Value, patch: Value) -> Value {
        let mut t = target;
        apply(&mut t, &patch).expect("patch applies");
        t
    }

    #[test]
    fn containers_merge_by_name() {
        let t = json!({"spec": {"containers": [
            {"name": "a", "image": "a:1", "ports": [{"containerPort": 80}]},
            {"name": "b", "image": "b:1"}]}});
        let p = json!({"spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
            "containers": [{"name": "a", "image": "a:2", "ports": [{"containerPort": 443}]}]}});
        let out = patched(t, p);
        assert_eq!(out["spec"]["containers"][0]["image"], "a:2");
        assert_eq!(
            out["spec"]["containers"][0]["ports"],
            json!([{"containerPort": 80}, {"containerPort": 443}])
        );
        assert_eq!(out["spec"]["containers"][1]["image"], "b:1");
    }

    #[test]
    fn directives() {
        let t = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "labels": {"x": "1", "y": "2"}, "finalizers": ["f1"], "args": ["a", "b"]});
        let p = json!({"env": [{"name": "A", "$patch": "delete"}, {"name": "C", "value": "3"}],
            "labels": {"x": null}, "finalizers": ["f2"], "args": ["c"]});
        let out = patched(t, p);
        assert_eq!(
            out["env"],
            json!([{"name": "B", "value": "2"}, {"name": "C", "value": "3"}])
        );
        assert_eq!(out["labels"], json!({"y": "2"}));
        assert_eq!(out["finalizers"], json!(["f1", "f2"]));
        assert_eq!(out["args"], json!(["c"]));
        let out = patched(
            json!({"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}),
            json!({"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}),
        );
        assert_eq!(out["strategy"], json!({"type": "Recreate"}));
        let out = patched(
            json!({"a": {"b": 1}}),
            json!({"a": {"$patch": "replace", "c": 2}}),
        );
        assert_eq!(out["a"], json!({"c": 2}));
    }

    #[test]
    fn element_order_is_applied() {
        let out = patched(
            json!({"containers": [{"name": "a"}, {"name": "b"}]}),
            json!({"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}),
        );
        assert_eq!(out["containers"], json!([{"name": "b"}, {"name": "a"}]));
        let mut t = json!([]);
        assert!(apply(&mut t, &json!([1])).is_err());
        let mut t = json!({"containers": [{"name": "a"}]});
        assert!(apply(&mut t, &json!({"containers": [{"image": "x"}]})).is_err());
        assert!(apply(&mut t, &json!({"x": {"$patch": "bogus"}})).is_err());
    }
    #[test]
    fn element_order_keeps_server_only_elements_in_place() {
        // "s" is the server's own: it stays between the elements it was between.
        let out = patched(
            json!({"env": [{"name": "a"}, {"name": "s"}, {"name": "b"}]}),
            json!({"$setElementOrder/env": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
                "env": [{"name": "c"}]}),
        );
        assert_eq!(
            out["env"],
            json!([{"name": "a"}, {"name": "s"}, {"name": "b"}, {"name": "c"}])
        );
        let out = patched(
            json!({"finalizers": ["x", "y"]}),
            json!({"$setElementOrder/finalizers": ["y", "x"]}),
        );
        assert_eq!(out["finalizers"], json!(["y", "x"]));
    }

    #[test]
    fn list_elements_take_directives_of_their_own() {
        // A volume switching its source: kubectl retains only the new one.
        let out = patched(
            json!({"volumes": [{"name": "v", "emptyDir": {}}, {"name": "w", "emptyDir": {}}]}),
            json!({"volumes": [{"name": "v", "$retainKeys": ["hostPath", "name"],
                "hostPath": {"path": "/tmp"}, "emptyDir": null}]}),
        );
        assert_eq!(
            out["volumes"],
            json!([{"name": "v", "hostPath": {"path": "/tmp"}}, {"name": "w", "emptyDir": {}}])
        );
        // Service ports merge on port; null removes a field of an element.
        let out = patched(
            json!({"ports": [{"port": 80, "targetPort": 8080, "name": "http"}]}),
            json!({"ports": [{"port": 80, "name": null}, {"port": 443}], "$patch": "merge"}),
        );
        assert_eq!(
            out["ports"],
            json!([{"port": 80, "targetPort": 8080}, {"port": 443}])
        );
        // Removing the last finalizer leaves none.
        let out = patched(
            json!({"finalizers": ["f"]}),
            json!({"$deleteFromPrimitiveList/finalizers": ["f"]}),
        );
        assert_eq!(out, json!({}));
    }
}
