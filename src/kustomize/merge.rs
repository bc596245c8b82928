//! kustomize's strategic merge (kyaml's merge of a patch into an object): maps merge key by
//! key, `null` removes, `$patch: delete|replace` as in Kubernetes; lists of named things
//! (the API server's merge keys) merge element by element, the patch's elements first in the
//! patch's order and then the object's others in theirs; other lists are replaced.

use super::Error;
use crate::apiserver::smp::merge_key;
use serde_json::{Map, Value};

/// Merges `patch` into `target`.
pub fn merge(target: &mut Value, patch: &Value) -> Result<(), Error> {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => merge_map(t, p),
        (t, p) => {
            *t = p.clone();
            Ok(())
        }
    }
}

fn directive(m: &Map<String, Value>) -> Option<&str> {
    m.get("$patch").and_then(Value::as_str)
}

fn merge_map(target: &mut Map<String, Value>, patch: &Map<String, Value>) -> Result<(), Error> {
    if directive(patch) == Some("replace") {
        *target = patch.clone();
        target.shift_remove("$patch");
        return Ok(());
    }
    for (k, v) in patch {
        if k.starts_with('$') {
            continue;
        }
        match v {
            Value::Null => {
                target.shift_remove(k);
            }
            Value::Object(pm) if directive(pm) == Some("delete") => {
                target.shift_remove(k);
            }
            Value::Object(pm) => match target.get_mut(k) {
                Some(Value::Object(tm)) => merge_map(tm, pm)?,
                _ => {
                    let mut fresh = Map::new();
                    merge_map(&mut fresh, pm)?;
                    target.insert(k.clone(), Value::Object(fresh));
                }
            },
            Value::Array(items) => {
                let merged = match (target.get(k), merge_key(k, items)) {
                    (Some(Value::Array(old)), Some(key)) if items.iter().all(Value::is_object) => {
                        merge_list(old, items, key)?
                    }
                    _ => items
                        .iter()
                        .filter(|i| !i.get("$patch").is_some_and(|d| d == "delete"))
                        .cloned()
                        .collect(),
                };
                target.insert(k.clone(), Value::Array(merged));
            }
            other => {
                target.insert(k.clone(), other.clone());
            }
        }
    }
    Ok(())
}

fn merge_list(old: &[Value], patch: &[Value], key: &str) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    let mut used = vec![false; old.len()];
    for item in patch {
        let id = item.get(key);
        let found = id.and_then(|id| {
            old.iter()
                .enumerate()
                .position(|(i, o)| !used[i] && o.get(key) == Some(id))
        });
        if let Some(i) = found {
            used[i] = true;
        }
        if item.get("$patch").is_some_and(|d| d == "delete") {
            continue;
        }
        let mut merged = found.map_or_else(|| Value::Object(Map::new()), |i| old[i].clone());
        merge(&mut merged, item)?;
        out.push(merged);
    }
    for (i, o) in old.iter().enumerate() {
        if !used[i] {
            out.push(o.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_patchs_elements_come_first() {
        let mut target = json!({"spec": {"ports": [{"port": 80, "name": "a"}, {"port": 443}]}});
        let patch = json!({"spec": {"ports": [{"port": 8080}, {"port": 443, "name": "b"}]}});
        merge(&mut target, &patch).unwrap();
        assert_eq!(
            target,
            json!({"spec": {"ports": [{"port": 8080}, {"port": 443, "name": "b"}, {"port": 80, "name": "a"}]}})
        );
    }

    #[test]
    fn directives_delete_and_replace() {
        let mut target = json!({"a": {"b": 1, "c": 2}, "containers": [{"name": "x"}, {"name": "y"}], "args": ["1"]});
        let patch = json!({
            "a": {"$patch": "replace", "d": 3},
            "containers": [{"name": "x", "$patch": "delete"}],
            "args": ["2"],
        });
        merge(&mut target, &patch).unwrap();
        assert_eq!(
            target,
            json!({"a": {"d": 3}, "containers": [{"name": "y"}], "args": ["2"]})
        );
    }
}
