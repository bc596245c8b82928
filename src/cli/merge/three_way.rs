//! kubectl's three-way strategic merge patch for client-side apply. `original` is the last
//! applied configuration, `modified` the file's object, `current` the live object. The
//! patch sets what the file changed or added relative to the live object (fields others
//! set are left alone) and deletes what the file dropped since the last apply. Lists with
//! a merge key (containers by name, ...) are diffed element by element, with the
//! `$setElementOrder` and `$patch: delete` directives the API server's applier knows.

use crate::apiserver::smp::merge_key;
use serde_json::{Map, Value};

/// Which half of the three-way diff is computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    /// current → modified, ignoring deletions: what the file sets.
    Sets,
    /// original → modified, ignoring changes and additions: what the file dropped.
    Drops,
}

/// The patch taking `current` to what `modified` asks for, given the last applied
/// `original` (none: nothing is deleted). An empty object means nothing to change.
pub fn patch(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    let empty = Map::new();
    let as_map = |v: Option<&Value>| match v {
        Some(Value::Object(m)) => m.clone(),
        _ => empty.clone(),
    };
    let modified = as_map(Some(modified));
    let sets = diff_maps(&as_map(Some(current)), &modified, Half::Sets);
    let drops = diff_maps(&as_map(original), &modified, Half::Drops);
    Value::Object(merge(drops, sets))
}

fn diff_maps(from: &Map<String, Value>, to: &Map<String, Value>, half: Half) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, tv) in to {
        match (from.get(k), tv) {
            (None, _) => {
                if half == Half::Sets {
                    out.insert(k.clone(), tv.clone());
                }
            }
            (Some(Value::Object(fm)), Value::Object(tm)) => {
                let sub = diff_maps(fm, tm, half);
                if !sub.is_empty() {
                    out.insert(k.clone(), Value::Object(sub));
                }
            }
            (Some(Value::Array(fa)), Value::Array(ta)) => diff_lists(k, fa, ta, half, &mut out),
            (Some(fv), _) => {
                if half == Half::Sets && fv != tv {
                    out.insert(k.clone(), tv.clone());
                }
            }
        }
    }
    if half == Half::Drops {
        for k in from.keys() {
            if !to.contains_key(k) {
                out.insert(k.clone(), Value::Null);
            }
        }
    }
    out
}

/// The merge key of a list whose elements are all objects, as the applier reads it.
fn key_of(field: &str, from: &[Value], to: &[Value]) -> Option<&'static str> {
    let all: Vec<Value> = from.iter().chain(to).cloned().collect();
    if all.is_empty() || !all.iter().all(Value::is_object) {
        return None;
    }
    merge_key(field, &all)
}

fn diff_lists(field: &str, from: &[Value], to: &[Value], half: Half, out: &mut Map<String, Value>) {
    let Some(key) = key_of(field, from, to) else {
        // A list without a merge key is replaced whole when it differs.
        if half == Half::Sets && from != to {
            out.insert(field.to_string(), Value::Array(to.to_vec()));
        }
        return;
    };
    let find = |list: &[Value], id: Option<&Value>| {
        list.iter()
            .find(|x| id.is_some() && x.get(key) == id)
            .cloned()
    };
    let mut elements = Vec::new();
    for t in to {
        let id = t.get(key);
        match (find(from, id), t) {
            (None, _) if half == Half::Sets => elements.push(t.clone()),
            (Some(Value::Object(fm)), Value::Object(tm)) => {
                let mut sub = diff_maps(&fm, tm, half);
                if !sub.is_empty() {
                    if let Some(id) = id {
                        sub.insert(key.to_string(), id.clone());
                    }
                    elements.push(Value::Object(sub));
                }
            }
            _ => {}
        }
    }
    if half == Half::Drops {
        for f in from {
            let id = f.get(key);
            if find(to, id).is_none()
                && let Some(id) = id
            {
                let mut gone = Map::new();
                gone.insert(key.to_string(), id.clone());
                gone.insert("$patch".to_string(), Value::String("delete".into()));
                elements.push(Value::Object(gone));
            }
        }
    }
    let same_order =
        from.len() == to.len() && from.iter().zip(to).all(|(f, t)| f.get(key) == t.get(key));
    let with_order = !elements.is_empty() || (half == Half::Sets && !same_order);
    if with_order {
        let order = to
            .iter()
            .map(|t| {
                let mut m = Map::new();
                if let Some(id) = t.get(key) {
                    m.insert(key.to_string(), id.clone());
                }
                Value::Object(m)
            })
            .collect();
        out.insert(format!("$setElementOrder/{field}"), Value::Array(order));
    }
    if !elements.is_empty() {
        out.insert(field.to_string(), Value::Array(elements));
    }
}

/// Both halves in one patch: maps merge, merge-keyed element patches merge by key.
fn merge(mut base: Map<String, Value>, over: Map<String, Value>) -> Map<String, Value> {
    for (k, ov) in over {
        let merged = match (base.shift_remove(&k), ov) {
            (Some(Value::Object(bm)), Value::Object(om)) => Value::Object(merge(bm, om)),
            (Some(Value::Array(ba)), Value::Array(oa)) if !k.starts_with('$') => {
                Value::Array(merge_elements(&k, ba, oa))
            }
            (_, ov) => ov,
        };
        base.insert(k, merged);
    }
    base
}

fn merge_elements(field: &str, mut base: Vec<Value>, over: Vec<Value>) -> Vec<Value> {
    let Some(key) = key_of(field, &base, &over) else {
        return over;
    };
    for o in over {
        let id = o.get(key).cloned();
        let at = base
            .iter()
            .position(|b| id.is_some() && b.get(key) == id.as_ref());
        match (at, o) {
            (Some(i), Value::Object(om)) => {
                if let Value::Object(bm) = std::mem::take(&mut base[i]) {
                    base[i] = Value::Object(merge(bm, om));
                }
            }
            (_, o) => base.push(o),
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_changes_deletes_drops_and_keeps_others_fields() {
        let original = json!({"spec": {"replicas": 2, "paused": false, "template": {"spec": {"containers": [{"name": "a", "image": "x", "args": ["1"]}, {"name": "b", "image": "y"}]}}}});
        let modified = json!({"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}});
        let current = json!({"spec": {"replicas": 2, "paused": false, "minReadySeconds": 5, "template": {"spec": {"containers": [{"name": "a", "image": "x", "args": ["1"], "imagePullPolicy": "Always"}, {"name": "b", "image": "y"}]}}}});
        let p = patch(Some(&original), &modified, &current);
        assert_eq!(
            p,
            json!({"spec": {"paused": null, "replicas": 3, "template": {"spec": {
                "$setElementOrder/containers": [{"name": "a"}],
                "containers": [{"args": null, "name": "a"}, {"name": "b", "$patch": "delete"}]}}}})
        );
        let mut live = current;
        crate::apiserver::smp::apply(&mut live, &p).expect("applies");
        assert_eq!(
            live,
            json!({"spec": {"replicas": 3, "minReadySeconds": 5, "template": {"spec": {"containers": [{"name": "a", "image": "x", "imagePullPolicy": "Always"}]}}}})
        );
    }

    #[test]
    fn nothing_to_do_is_an_empty_patch() {
        let obj = json!({"metadata": {"name": "a"}, "data": {"k": "v"}});
        let current = json!({"metadata": {"name": "a", "uid": "u"}, "data": {"k": "v"}});
        assert_eq!(patch(Some(&obj), &obj, &current), json!({}));
        assert_eq!(patch(None, &obj, &current), json!({}));
    }
}
