//! Field ownership: `metadata.managedFields` as kube-apiserver 1.32 keeps it. Every write
//! names a manager; an update gives it the fields it changed (taking them from others), an
//! apply gives it exactly the fields of its configuration (see `apply`).

pub mod apply;
pub mod fieldset;
pub mod schema;
pub mod types;
pub mod unknown;

use crate::api::registry::Resource;
use fieldset::{FieldSet, Pe};
use serde_json::{Map, Value, json};

/// Who wrote: the manager name, the operation, and the subresource written through.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    pub api_version: String,
    pub time: Option<String>,
    pub set: FieldSet,
    pub subresource: String,
}

impl Entry {
    /// Whether `other` is the same manager: the same name, operation and subresource, and
    /// for updates the same apiVersion (appliers keep one entry across versions).
    fn same_manager(&self, other: &Entry) -> bool {
        self.manager == other.manager
            && self.operation == other.operation
            && self.subresource == other.subresource
            && (self.operation == "Apply" || self.api_version == other.api_version)
    }

    /// How a conflict names the manager: `"kubectl-client-side-apply" using apps/v1`.
    pub fn describe(&self) -> String {
        let mut s = format!("{:?}", self.manager);
        if !self.subresource.is_empty() {
            s.push_str(&format!(" with subresource {:?}", self.subresource));
        }
        if self.operation == "Update" {
            s.push_str(&format!(" using {}", self.api_version));
        }
        s
    }

    /// The identity kube sorts conflicting managers by (its JSON encoding of the entry).
    pub fn identity(&self) -> String {
        let mut m = Map::new();
        m.insert("manager".into(), json!(self.manager));
        m.insert("operation".into(), json!(self.operation));
        if self.operation != "Apply" {
            m.insert("apiVersion".into(), json!(self.api_version));
        }
        if !self.subresource.is_empty() {
            m.insert("subresource".into(), json!(self.subresource));
        }
        Value::Object(m).to_string()
    }

    fn encode(&self) -> Value {
        let mut m = Map::new();
        m.insert("manager".into(), json!(self.manager));
        m.insert("operation".into(), json!(self.operation));
        m.insert("apiVersion".into(), json!(self.api_version));
        if let Some(t) = &self.time {
            m.insert("time".into(), json!(t));
        }
        m.insert("fieldsType".into(), json!("FieldsV1"));
        m.insert("fieldsV1".into(), self.set.to_fields_v1());
        if !self.subresource.is_empty() {
            m.insert("subresource".into(), json!(self.subresource));
        }
        Value::Object(m)
    }

    fn decode(v: &Value) -> Option<Entry> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        Some(Entry {
            manager: s("manager").unwrap_or_default(),
            operation: s("operation")?,
            api_version: s("apiVersion").unwrap_or_default(),
            time: s("time"),
            set: match v.get("fieldsV1") {
                Some(f) => FieldSet::from_fields_v1(f)?,
                None => FieldSet::default(),
            },
            subresource: s("subresource").unwrap_or_default(),
        })
    }
}

/// The entries recorded on an object (malformed ones are dropped).
pub fn entries_of(obj: &Value) -> Vec<Entry> {
    obj.pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Entry::decode).collect())
        .unwrap_or_default()
}

/// Writes `entries` to the object in kube's order: Apply before Update, then by time,
/// manager, apiVersion, subresource. No entries: no field.
pub fn set_entries(obj: &mut Value, mut entries: Vec<Entry>) {
    entries.retain(|e| !e.set.is_empty());
    entries.sort_by(|a, b| {
        (
            &a.operation,
            seconds(&a.time),
            &a.manager,
            &a.api_version,
            &a.subresource,
        )
            .cmp(&(
                &b.operation,
                seconds(&b.time),
                &b.manager,
                &b.api_version,
                &b.subresource,
            ))
    });
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if entries.is_empty() {
        meta.shift_remove("managedFields");
    } else {
        let list = Value::Array(entries.iter().map(Entry::encode).collect());
        crate::api::order::set_ordered(meta, crate::api::order::OBJECT_META, "managedFields", list);
    }
}

fn seconds(t: &Option<String>) -> i64 {
    t.as_deref()
        .and_then(crate::clock::parse_timestamp)
        .map_or(0, |t| t.timestamp())
}

/// The object as field ownership sees it: without managedFields, and for the main resource
/// without status; for the status subresource only the status.
pub fn owned_view(obj: &Value, subresource: &str) -> Value {
    let mut v = obj.clone();
    if let Some(m) = v.as_object_mut() {
        if subresource == "status" {
            m.retain(|k, _| k == "status");
        } else {
            m.shift_remove("status");
        }
        if let Some(meta) = m.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.shift_remove("managedFields");
        }
    }
    v
}

/// What changed, with both sides completed by the fields Go structs always have.
pub fn compare_filled(
    ty: &schema::Ty,
    mut before: Value,
    mut after: Value,
) -> fieldset::Comparison {
    ty.fill_zero(&mut before);
    ty.fill_zero(&mut after);
    fieldset::compare(ty, &before, &after)
}

/// Drops what nobody owns: type and identity fields the server sets.
pub fn strip(set: &mut FieldSet) {
    let meta = Pe::Field("metadata".into());
    for f in ["apiVersion", "kind", "metadata"] {
        set.remove_member(&[Pe::Field(f.into())]);
    }
    for f in [
        "name",
        "namespace",
        "creationTimestamp",
        "selfLink",
        "uid",
        "generation",
        "resourceVersion",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ] {
        set.remove_member(&[meta.clone(), Pe::Field(f.into())]);
    }
    set.remove_subtree(&[meta, Pe::Field("managedFields".into())]);
}

/// Records an update (create, PUT or patch) by `manager`: it owns what it changed, which
/// other managers lose; what it removed nobody owns any more. `old` is `None` for a create.
pub fn record_update(
    r: &Resource,
    old: Option<&Value>,
    new: &mut Value,
    manager: &str,
    subresource: &str,
    now: &str,
) {
    let (ty, _) = schema::of_kind(r.kind);
    let mut entries = match old {
        Some(old) => {
            let sent = new.pointer("/metadata/managedFields");
            match sent {
                Some(s) if Some(s) != old.pointer("/metadata/managedFields") => entries_of(new),
                _ => entries_of(old),
            }
        }
        None => Vec::new(),
    };
    let before = match old {
        Some(o) => owned_view(o, subresource),
        None => owned_view(&ty.zero_value(), subresource),
    };
    let after = owned_view(new, subresource);
    let mut c = compare_filled(ty, before, after);
    for s in [&mut c.added, &mut c.modified, &mut c.removed] {
        strip(s);
    }
    let changed = c.added.union(&c.modified);
    for e in entries.iter_mut() {
        e.set = e.set.difference(&changed).difference(&c.removed);
    }
    if !changed.is_empty() {
        let me = Entry {
            manager: manager.to_string(),
            operation: "Update".into(),
            api_version: r.api_version(),
            time: Some(now.to_string()),
            set: changed,
            subresource: subresource.to_string(),
        };
        match entries.iter_mut().find(|e| e.same_manager(&me)) {
            Some(e) => {
                e.set = e.set.union(&me.set);
                e.time = me.time;
            }
            None => entries.push(me),
        }
    }
    set_entries(new, entries);
}

impl FieldSet {
    /// Removes `path` as a member, keeping what is below it.
    pub fn remove_member(&mut self, path: &[Pe]) {
        if self.contains(path) {
            let mut only = FieldSet::default();
            only.insert(path);
            *self = self.difference(&only);
        }
    }
}

/// The objects of the real cluster in testdata/reference, a list's items one by one, each
/// with the file it came from and its kind (list items carry none: their list's names it).
#[cfg(test)]
fn reference_objects() -> Vec<(std::path::PathBuf, String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/reference/objects");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("reference objects") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let v: Value = serde_json::from_str(&text).expect("json");
        let list_kind = v["kind"].as_str().unwrap_or("");
        let item_kind = list_kind
            .strip_suffix("List")
            .unwrap_or(list_kind)
            .to_string();
        let objects = match v.get("items").and_then(Value::as_array) {
            Some(items) => items.clone(),
            None => vec![v],
        };
        for obj in objects {
            let kind = obj["kind"].as_str().unwrap_or(&item_kind).to_string();
            found.push((path.clone(), kind, obj));
        }
    }
    found
}

#[cfg(test)]
mod tests;
