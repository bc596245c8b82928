//! Keeping JSON keys where kube-apiserver's Go structs put them, and map keys sorted as Go
//! encodes maps.

use serde_json::{Map, Value};

/// Inserts `key` (if absent) after the last present key that precedes it in `order`.
/// Keys not in `order` are treated as belonging to the end.
pub fn insert_ordered(map: &mut Map<String, Value>, order: &[&str], key: &str, value: Value) {
    if map.contains_key(key) {
        return;
    }
    let rank = order.iter().position(|k| *k == key).unwrap_or(order.len());
    let mut at = 0;
    for (i, k) in map.keys().enumerate() {
        let r = order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        if r < rank {
            at = i + 1;
        }
    }
    map.shift_insert(at, key.to_string(), value);
}

/// Like `insert_ordered` but replaces an existing value in place.
pub fn set_ordered(map: &mut Map<String, Value>, order: &[&str], key: &str, value: Value) {
    if let Some(slot) = map.get_mut(key) {
        *slot = value;
    } else {
        insert_ordered(map, order, key, value);
    }
}

/// Reorders known keys into `order`; an unknown key stays right after the key before it.
pub fn reorder(map: &mut Map<String, Value>, order: &[&str]) {
    let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    let mut ranked: Vec<(usize, usize, String, Value)> = Vec::with_capacity(entries.len());
    let mut last_rank = 0;
    for (i, (k, v)) in entries.into_iter().enumerate() {
        let rank = match order.iter().position(|o| *o == k) {
            Some(r) => {
                last_rank = r;
                r
            }
            None => last_rank,
        };
        ranked.push((rank, i, k, v));
    }
    ranked.sort_by_key(|(r, i, _, _)| (*r, *i));
    for (_, _, k, v) in ranked {
        map.insert(k, v);
    }
}

/// Sorts the keys of the map at `key` in `map`, if there is one.
pub fn sort_map_at(map: &mut Map<String, Value>, key: &str) {
    if let Some(Value::Object(m)) = map.get_mut(key) {
        m.sort_keys();
    }
}

/// The object at `key`, created (at its struct position) when missing.
pub fn object_at<'a>(
    map: &'a mut Map<String, Value>,
    order: &[&str],
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    if !map.get(key).is_some_and(Value::is_object) {
        map.remove(key);
        insert_ordered(map, order, key, Value::Object(Map::new()));
    }
    map.get_mut(key).and_then(Value::as_object_mut)
}

pub const OBJECT_META: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

pub const TOP_LEVEL: &[&str] = &["kind", "apiVersion", "metadata", "spec", "status"];

/// Sorts labels and annotations and puts metadata fields in struct order.
pub fn normalize_meta(meta: &mut Map<String, Value>) {
    reorder(meta, OBJECT_META);
    sort_map_at(meta, "labels");
    sort_map_at(meta, "annotations");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(v: &Value) -> Vec<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn inserts_between_known_keys() {
        let order = ["a", "b", "c", "d"];
        let mut v = json!({"a": 1, "d": 4});
        let m = v.as_object_mut().unwrap();
        insert_ordered(m, &order, "c", json!(3));
        insert_ordered(m, &order, "b", json!(2));
        insert_ordered(m, &order, "z", json!(0));
        assert_eq!(keys(&v), ["a", "b", "c", "d", "z"]);
    }

    #[test]
    fn inserts_first_when_nothing_precedes() {
        let order = ["a", "b"];
        let mut v = json!({"b": 1});
        insert_ordered(v.as_object_mut().unwrap(), &order, "a", json!(0));
        assert_eq!(keys(&v), ["a", "b"]);
    }

    #[test]
    fn reorder_keeps_unknown_after_neighbour() {
        let order = ["a", "b", "c"];
        let mut v = json!({"c": 1, "x": 2, "a": 3, "b": 4});
        reorder(v.as_object_mut().unwrap(), &order);
        assert_eq!(keys(&v), ["a", "b", "c", "x"]);
    }
}
