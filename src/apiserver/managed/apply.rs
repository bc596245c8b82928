//! Server-side apply: the applied configuration merged into the live object, the applier
//! owning exactly the fields of its configuration, fields it applied before and now omits
//! removed unless someone else owns them, and a conflict when the merge would change a field
//! another manager owns (unless forced, which takes it over).

use super::fieldset::{self, FieldSet, Pe, display_path, element_pe, granular};
use super::schema::{self, Ty};
use super::{Entry, compare_filled, entries_of, owned_view, set_entries, strip};
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::{Value, json};

/// Who applies and how.
pub struct Applier<'a> {
    pub manager: &'a str,
    pub force: bool,
    pub now: &'a str,
    /// The subresource applied through (`status`), or empty.
    pub subresource: &'a str,
}

/// The object after applying `config` to `live` (`None`: the object is new), with its
/// managedFields; a 409 Conflict when another manager owns a field the apply changes.
pub fn apply(
    r: &Resource,
    live: Option<&Value>,
    config: &Value,
    who: &Applier,
) -> Result<Value, ApiError> {
    let (ty, _) = schema::of_kind(r.kind);
    // The status subresource owns only the status; the main resource everything else.
    let config = owned_view(config, who.subresource);
    let mut config_set = fieldset::of_config(ty, &config);
    strip(&mut config_set);
    let me = Entry {
        manager: who.manager.to_string(),
        operation: "Apply".into(),
        api_version: r.api_version(),
        time: Some(who.now.to_string()),
        set: config_set,
        subresource: who.subresource.to_string(),
    };
    let Some(live) = live else {
        let mut obj = config;
        set_entries(&mut obj, vec![me]);
        return Ok(obj);
    };
    let mut entries = entries_of(live);
    let previous = entries.iter().position(|e| e.same_manager(&me));
    let last_set = previous.map(|i| entries.remove(i));
    let mut live_clean = live.clone();
    if let Some(meta) = live_clean
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
    {
        meta.shift_remove("managedFields");
    }
    let mut merged = merge(ty, &live_clean, &config);

    // Fields applied last time and now omitted go, unless some manager still owns them.
    if let Some(last) = &last_set {
        let owned = entries
            .iter()
            .fold(me.set.clone(), |acc, e| acc.union(&e.set));
        for path in last.set.difference(&owned).paths() {
            if !owned.covers(&path) && !is_key_field(&path) {
                remove_path(ty, &mut merged, &path);
            }
        }
    }

    let mut c = compare_filled(
        ty,
        owned_view(&live_clean, who.subresource),
        owned_view(&merged, who.subresource),
    );
    for s in [&mut c.added, &mut c.modified, &mut c.removed] {
        strip(s);
    }
    let changed = c.added.union(&c.modified);
    let conflicts: Vec<(&Entry, FieldSet)> = entries
        .iter()
        .map(|e| (e, e.set.intersection(&changed)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    if !conflicts.is_empty() && !who.force {
        return Err(conflict_error(&conflicts));
    }
    for e in entries.iter_mut() {
        e.set = e.set.difference(&changed).difference(&c.removed);
    }
    let unchanged = merged == live_clean;
    let mut me = me;
    if unchanged && let Some(last) = &last_set {
        me.time = last.time.clone();
    }
    entries.push(me);
    set_entries(&mut merged, entries);
    Ok(merged)
}

/// Whether `path` ends in a key field of a list element (which stays while the element does).
fn is_key_field(path: &[Pe]) -> bool {
    match path {
        [.., Pe::Key(keys), Pe::Field(name)] => keys.iter().any(|(k, _)| k == name),
        _ => false,
    }
}

/// 409 Conflict as kube-apiserver words it, one cause per conflicting field.
fn conflict_error(conflicts: &[(&Entry, FieldSet)]) -> ApiError {
    let mut by_manager: Vec<(&Entry, Vec<String>)> = conflicts
        .iter()
        .map(|(e, s)| (*e, s.paths().iter().map(|p| display_path(p)).collect()))
        .collect();
    by_manager.sort_by_key(|(e, _)| e.identity());
    let count: usize = by_manager.iter().map(|(_, p)| p.len()).sum();
    let mut causes = Vec::new();
    for (e, paths) in &by_manager {
        for p in paths {
            causes.push(json!({
                "reason": "FieldManagerConflict",
                "message": format!("conflict with {}", e.describe()),
                "field": p,
            }));
        }
    }
    let message = if count == 1 {
        let (e, paths) = &by_manager[0];
        format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            e.describe(),
            paths[0]
        )
    } else {
        let mut lines = Vec::new();
        for (e, paths) in &by_manager {
            lines.push(format!("conflicts with {}:", e.describe()));
            lines.extend(paths.iter().map(|p| format!("- {p}")));
        }
        format!("Apply failed with {count} conflicts: {}", lines.join("\n"))
    };
    let mut err = ApiError::new(409, "Conflict", message);
    err.details = Some(Box::new(json!({"causes": causes})));
    err
}

/// The live object with the configuration merged in: maps key by key, associative lists and
/// sets element by element, anything else replaced. A null in the configuration removes.
pub fn merge(ty: &Ty, live: &Value, config: &Value) -> Value {
    match (live, config) {
        (Value::Object(l), Value::Object(c)) if granular(ty, live) => {
            let mut out = l.clone();
            for (k, v) in c {
                if v.is_null() {
                    out.shift_remove(k);
                    continue;
                }
                let merged = match l.get(k) {
                    Some(lv) => merge(ty.child(k), lv, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(c)) if granular(ty, live) && granular(ty, config) => {
            let ety = fieldset::element_ty(ty);
            let mut out = l.clone();
            for item in c {
                let pe = element_pe(ty, item);
                match out.iter().position(|x| element_pe(ty, x) == pe) {
                    Some(i) => out[i] = merge(ety, &out[i], item),
                    None => out.push(item.clone()),
                }
            }
            let order: Vec<Option<Pe>> = c.iter().map(|i| element_pe(ty, i)).collect();
            Value::Array(in_config_order(ty, out, &order))
        }
        _ => config.clone(),
    }
}

/// The configuration's elements in its order; the live object's other elements keep their
/// places among them (each run is emitted by its position in the live list).
fn in_config_order(ty: &Ty, items: Vec<Value>, order: &[Option<Pe>]) -> Vec<Value> {
    let mut listed = Vec::new();
    let mut others = Vec::new();
    for (i, x) in items.into_iter().enumerate() {
        let pe = element_pe(ty, &x);
        match order.iter().position(|o| o.is_some() && *o == pe) {
            Some(p) => listed.push((p, i, x)),
            None => others.push((i, x)),
        }
    }
    listed.sort_by_key(|(p, _, _)| *p);
    let mut listed = listed.into_iter().map(|(_, i, x)| (i, x)).peekable();
    let mut others = others.into_iter().peekable();
    let mut out = Vec::new();
    loop {
        let next = match (others.peek(), listed.peek()) {
            (Some((o, _)), Some((l, _))) if o < l => others.next(),
            (Some(_), None) => others.next(),
            (_, Some(_)) => listed.next(),
            (None, None) => break,
        };
        if let Some((_, x)) = next {
            out.push(x);
        }
    }
    out
}

/// Removes the value at `path`; a map, list or set left empty goes too.
fn remove_path(ty: &Ty, v: &mut Value, path: &[Pe]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match (v, first) {
        (Value::Object(m), Pe::Field(name)) => {
            let cty = ty.child(name);
            if rest.is_empty() {
                m.shift_remove(name);
                return;
            }
            let Some(child) = m.get_mut(name) else { return };
            remove_path(cty, child, rest);
            if empty_collection(cty, child) {
                m.shift_remove(name);
            }
        }
        (Value::Array(items), pe) => {
            let Some(i) = items
                .iter()
                .position(|x| element_pe(ty, x).as_ref() == Some(pe))
            else {
                return;
            };
            if rest.is_empty() {
                items.remove(i);
            } else {
                remove_path(fieldset::element_ty(ty), &mut items[i], rest);
            }
        }
        _ => {}
    }
}

fn empty_collection(ty: &Ty, v: &Value) -> bool {
    let collection = matches!(ty, Ty::Map(_) | Ty::Keyed(..) | Ty::Set);
    collection
        && match v {
            Value::Object(m) => m.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        }
}
