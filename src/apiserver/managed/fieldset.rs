//! Sets of field paths, as managedFields records them (`fieldsV1`): `f:<name>` for a field,
//! `k:{...}` for an element of an associative list, `v:<json>` for an element of a set, and
//! `.` for "this node itself" when a node both is in the set and has children in it.

use super::schema::Ty;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A scalar inside a path element (list keys and set values), ordered as kube orders them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    /// Any other number, by its JSON text.
    Number(String),
    Str(String),
}

impl Scalar {
    pub fn of(v: &Value) -> Option<Scalar> {
        Some(match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Number(n.to_string()),
            },
            Value::String(s) => Scalar::Str(s.clone()),
            _ => return None,
        })
    }

    pub fn to_json(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::from(*i),
            Scalar::Number(s) => serde_json::from_str(s).unwrap_or(Value::Null),
            Scalar::Str(s) => Value::String(s.clone()),
        }
    }
}

/// One step of a path. The order (fields, then keys, then values) is kube's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pe {
    Field(String),
    /// An associative list element by its key fields, sorted by name.
    Key(Vec<(String, Scalar)>),
    /// A set element.
    Value(Scalar),
}

impl Pe {
    /// The `fieldsV1` spelling.
    pub fn encode(&self) -> String {
        match self {
            Pe::Field(name) => format!("f:{name}"),
            Pe::Key(fields) => {
                let m: Map<String, Value> = fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect();
                format!("k:{}", Value::Object(m))
            }
            Pe::Value(v) => format!("v:{}", v.to_json()),
        }
    }

    pub fn decode(s: &str) -> Option<Pe> {
        if let Some(name) = s.strip_prefix("f:") {
            return Some(Pe::Field(name.to_string()));
        }
        if let Some(json) = s.strip_prefix("k:") {
            let Value::Object(m) = serde_json::from_str(json).ok()? else {
                return None;
            };
            let mut fields = m
                .iter()
                .map(|(k, v)| Some((k.clone(), Scalar::of(v)?)))
                .collect::<Option<Vec<_>>>()?;
            fields.sort();
            return Some(Pe::Key(fields));
        }
        if let Some(json) = s.strip_prefix("v:") {
            return Some(Pe::Value(Scalar::of(&serde_json::from_str(json).ok()?)?));
        }
        None
    }

    /// The spelling in a path as conflicts print it: `.name`, `[name="x"]`, `[="x"]`.
    fn display(&self, out: &mut String) {
        match self {
            Pe::Field(name) => {
                let _ = write!(out, ".{name}");
            }
            Pe::Key(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.to_json()))
                    .collect();
                let _ = write!(out, "[{}]", parts.join(","));
            }
            Pe::Value(v) => {
                let _ = write!(out, "[={}]", v.to_json());
            }
        }
    }
}

/// A path from the object's root.
pub type Path = Vec<Pe>;

pub fn display_path(path: &[Pe]) -> String {
    let mut s = String::new();
    for pe in path {
        pe.display(&mut s);
    }
    s
}

/// A set of paths, as a tree: the members at this level and the sets below each element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSet {
    members: BTreeSet<Pe>,
    children: BTreeMap<Pe, FieldSet>,
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.is_empty()
    }

    pub fn insert(&mut self, path: &[Pe]) {
        match path {
            [] => {}
            [last] => {
                self.members.insert(last.clone());
            }
            [first, rest @ ..] => self.children.entry(first.clone()).or_default().insert(rest),
        }
    }

    pub fn contains(&self, path: &[Pe]) -> bool {
        match path {
            [] => false,
            [last] => self.members.contains(last),
            [first, rest @ ..] => self.children.get(first).is_some_and(|c| c.contains(rest)),
        }
    }

    /// Whether the set holds `path` or anything below it.
    pub fn covers(&self, path: &[Pe]) -> bool {
        match path {
            [] => !self.is_empty(),
            [last] => self.members.contains(last) || self.children.contains_key(last),
            [first, rest @ ..] => self.children.get(first).is_some_and(|c| c.covers(rest)),
        }
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        out.members.extend(other.members.iter().cloned());
        for (pe, child) in &other.children {
            let merged = match out.children.get(pe) {
                Some(mine) => mine.union(child),
                None => child.clone(),
            };
            out.children.insert(pe.clone(), merged);
        }
        out
    }

    /// The paths of `self` that are not in `other` (path by path, not subtrees).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            members: self.members.difference(&other.members).cloned().collect(),
            children: BTreeMap::new(),
        };
        for (pe, child) in &self.children {
            let rest = match other.children.get(pe) {
                Some(o) => child.difference(o),
                None => child.clone(),
            };
            if !rest.is_empty() {
                out.children.insert(pe.clone(), rest);
            }
        }
        out
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet {
            members: self.members.intersection(&other.members).cloned().collect(),
            children: BTreeMap::new(),
        };
        for (pe, child) in &self.children {
            if let Some(o) = other.children.get(pe) {
                let both = child.intersection(o);
                if !both.is_empty() {
                    out.children.insert(pe.clone(), both);
                }
            }
        }
        out
    }

    /// Removes `path` and everything below it.
    pub fn remove_subtree(&mut self, path: &[Pe]) {
        match path {
            [] => *self = FieldSet::default(),
            [last] => {
                self.members.remove(last);
                self.children.remove(last);
            }
            [first, rest @ ..] => {
                if let Some(c) = self.children.get_mut(first) {
                    c.remove_subtree(rest);
                    if c.is_empty() {
                        self.children.remove(first);
                    }
                }
            }
        }
    }

    /// The set below `pe` (empty when there is none).
    pub fn child(&self, pe: &Pe) -> Option<&FieldSet> {
        self.children.get(pe)
    }

    /// Every path, members of a level before the levels below it, each in kube's order.
    pub fn paths(&self) -> Vec<Path> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Path, out: &mut Vec<Path>) {
        for m in &self.members {
            let mut p = prefix.clone();
            p.push(m.clone());
            out.push(p);
        }
        for (pe, child) in &self.children {
            prefix.push(pe.clone());
            child.collect(prefix, out);
            prefix.pop();
        }
    }

    /// The `fieldsV1` object.
    pub fn to_fields_v1(&self) -> Value {
        let mut m = Map::new();
        self.emit(&mut m);
        Value::Object(m)
    }

    fn emit(&self, out: &mut Map<String, Value>) {
        let mut all: BTreeSet<&Pe> = self.members.iter().collect();
        all.extend(self.children.keys());
        for pe in all {
            let value = match self.children.get(pe) {
                Some(child) => {
                    let mut m = Map::new();
                    if self.members.contains(pe) {
                        m.insert(".".into(), Value::Object(Map::new()));
                    }
                    child.emit(&mut m);
                    Value::Object(m)
                }
                None => Value::Object(Map::new()),
            };
            out.insert(pe.encode(), value);
        }
    }

    /// Reads a `fieldsV1` object; `None` when it is malformed.
    pub fn from_fields_v1(v: &Value) -> Option<FieldSet> {
        let Value::Object(m) = v else { return None };
        let mut set = FieldSet::default();
        for (k, child) in m {
            if k == "." {
                continue;
            }
            let pe = Pe::decode(k)?;
            let Value::Object(cm) = child else {
                return None;
            };
            if cm.is_empty() || cm.contains_key(".") {
                set.members.insert(pe.clone());
            }
            let below = FieldSet::from_fields_v1(child)?;
            if !below.is_empty() {
                set.children.insert(pe, below);
            }
        }
        Some(set)
    }
}

/// The path element of a list element: its key fields for an associative list (key fields
/// missing from the element take their defaults: `protocol` is `TCP`), its value in a set.
pub fn element_pe(ty: &Ty, item: &Value) -> Option<Pe> {
    match ty {
        Ty::Keyed(keys, _) => {
            let mut fields = Vec::new();
            for k in keys.iter() {
                match item.get(*k) {
                    Some(v) => fields.push((k.to_string(), Scalar::of(v)?)),
                    None if *k == "protocol" => {
                        fields.push((k.to_string(), Scalar::Str("TCP".into())));
                    }
                    None => {}
                }
            }
            if fields.is_empty() {
                return None;
            }
            fields.sort();
            Some(Pe::Key(fields))
        }
        Ty::Set => Scalar::of(item).map(Pe::Value),
        _ => None,
    }
}

/// The element type of a granular list.
pub fn element_ty(ty: &Ty) -> &'static Ty {
    match ty {
        Ty::Keyed(_, t) => t,
        _ => &Ty::Scalar("string"),
    }
}

/// Whether values of this type are granular (owned part by part) for this value.
pub fn granular(ty: &Ty, v: &Value) -> bool {
    match ty {
        Ty::Struct(..) | Ty::Map(_) | Ty::Any => v.is_object(),
        Ty::Keyed(..) | Ty::Set => v
            .as_array()
            .is_some_and(|items| items.iter().all(|i| element_pe(ty, i).is_some())),
        _ => false,
    }
}

/// The elements of a granular value, each with its path element.
pub fn elements<'a>(ty: &Ty, v: &'a Value) -> Vec<(Pe, &'static Ty, &'a Value)> {
    match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, x)| (Pe::Field(k.clone()), ty.child(k), x))
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|i| Some((element_pe(ty, i)?, element_ty(ty), i)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The fields an applied configuration sets: every leaf and list element, and a map entry
/// itself when it is empty or null or not a declared field.
pub fn of_config(ty: &Ty, v: &Value) -> FieldSet {
    let mut set = FieldSet::default();
    walk_config(ty, v, &mut Vec::new(), &mut set);
    set
}

fn walk_config(ty: &Ty, v: &Value, path: &mut Path, set: &mut FieldSet) {
    if !granular(ty, v) {
        set.insert(path);
        return;
    }
    let is_list = v.is_array();
    for (pe, cty, child) in elements(ty, v) {
        path.push(pe.clone());
        walk_config(cty, child, path, set);
        let declared = matches!(&pe, Pe::Field(name) if ty.field(name).is_some());
        let empty = child.is_null() || child.as_object().is_some_and(Map::is_empty);
        if is_list || empty || !declared {
            set.insert(path);
        }
        path.pop();
    }
}

/// What changed from `old` to `new`: paths added, removed, and leaves whose value changed.
#[derive(Debug, Default)]
pub struct Comparison {
    pub added: FieldSet,
    pub removed: FieldSet,
    pub modified: FieldSet,
}

pub fn compare(ty: &Ty, old: &Value, new: &Value) -> Comparison {
    let mut c = Comparison::default();
    walk_compare(ty, Some(old), Some(new), &mut Vec::new(), &mut c);
    c
}

fn is_empty_map(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        _ => false,
    }
}

fn walk_compare(
    ty: &Ty,
    old: Option<&Value>,
    new: Option<&Value>,
    path: &mut Path,
    c: &mut Comparison,
) {
    let mapish = matches!(ty, Ty::Struct(..) | Ty::Map(_) | Ty::Any);
    let leaf = if mapish {
        (is_empty_map(old) && is_empty_map(new))
            || old.is_some_and(|o| !o.is_null() && !o.is_object())
            || new.is_some_and(|n| !n.is_null() && !n.is_object())
    } else {
        !(old.is_none_or(|o| o.is_null() || granular(ty, o))
            && new.is_none_or(|n| n.is_null() || granular(ty, n)))
    };
    if leaf {
        match (old, new) {
            (None, Some(_)) => c.added.insert(path),
            (Some(_), None) => c.removed.insert(path),
            (Some(o), Some(n)) if o != n => c.modified.insert(path),
            _ => {}
        }
        return;
    }
    let before = old.map(|o| elements(ty, o)).unwrap_or_default();
    let after = new.map(|n| elements(ty, n)).unwrap_or_default();
    for (pe, cty, o) in &before {
        let n = after.iter().find(|(p, _, _)| p == pe).map(|(_, _, n)| *n);
        path.push(pe.clone());
        walk_compare(cty, Some(o), n, path, c);
        path.pop();
    }
    for (pe, cty, n) in &after {
        if before.iter().any(|(p, _, _)| p == pe) {
            continue;
        }
        path.push(pe.clone());
        walk_compare(cty, None, Some(n), path, c);
        path.pop();
    }
    if !path.is_empty() {
        match (old, new) {
            (None, Some(_)) => c.added.insert(path),
            (Some(_), None) => c.removed.insert(path),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::managed::schema;
    use serde_json::json;

    #[test]
    fn fields_v1_round_trips_with_dot_for_members_with_children() {
        let mut s = FieldSet::default();
        let labels = [Pe::Field("metadata".into()), Pe::Field("labels".into())];
        s.insert(&labels);
        s.insert(&[
            labels[0].clone(),
            labels[1].clone(),
            Pe::Field("app".into()),
        ]);
        let port = Pe::Key(vec![
            ("containerPort".into(), Scalar::Int(80)),
            ("protocol".into(), Scalar::Str("TCP".into())),
        ]);
        s.insert(&[Pe::Field("ports".into()), port.clone()]);
        let v = s.to_fields_v1();
        assert_eq!(
            v,
            json!({"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                   "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {}}})
        );
        assert_eq!(FieldSet::from_fields_v1(&v), Some(s.clone()));
        assert_eq!(
            display_path(&[Pe::Field("ports".into()), port]),
            ".ports[containerPort=80,protocol=\"TCP\"]"
        );
    }

    #[test]
    fn a_new_deployment_is_owned_as_kube_records_it() {
        let (ty, _) = schema::of_kind("Deployment");
        let new = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                {"name": "nginx", "image": "nginx", "resources": {},
                 "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}}});
        let c = compare(ty, &ty.zero_value(), &new);
        let owned = c.added.union(&c.modified);
        assert_eq!(
            owned.to_fields_v1(),
            json!({"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                "f:spec": {"f:replicas": {}, "f:selector": {},
                  "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}}, "f:type": {}},
                  "f:template": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                    "f:spec": {"f:containers": {"k:{\"name\":\"nginx\"}": {".": {},
                      "f:image": {}, "f:name": {},
                      "f:ports": {".": {}, "k:{\"containerPort\":80,\"protocol\":\"TCP\"}":
                        {".": {}, "f:containerPort": {}, "f:protocol": {}}},
                      "f:resources": {}}}}}}})
        );
    }

    #[test]
    fn an_applied_configuration_owns_its_leaves_and_elements() {
        let (ty, _) = schema::of_kind("Deployment");
        let config = json!({"metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [
                {"name": "nginx", "image": "nginx", "env": [{"name": "A", "value": "1"}]}]}}}});
        assert_eq!(
            of_config(ty, &config).to_fields_v1(),
            json!({"f:metadata": {"f:labels": {"f:app": {}}, "f:name": {}},
                "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
                  "k:{\"name\":\"nginx\"}": {".": {}, "f:env": {"k:{\"name\":\"A\"}":
                    {".": {}, "f:name": {}, "f:value": {}}}, "f:image": {}, "f:name": {}}}}}}})
        );
    }

    #[test]
    fn changes_are_leaves_and_whole_new_subtrees() {
        let ty = &schema::POD_SPEC;
        let c = compare(
            ty,
            &json!({"containers": [{"name": "a", "image": "x", "args": ["1"]}], "finalizers": 1}),
            &json!({"containers": [{"name": "a", "image": "y", "args": ["2"]}, {"name": "b"}]}),
        );
        let paths: Vec<String> = c.modified.paths().iter().map(|p| display_path(p)).collect();
        assert_eq!(
            paths,
            [
                ".containers[name=\"a\"].args",
                ".containers[name=\"a\"].image"
            ]
        );
        assert!(c.added.contains(&[
            Pe::Field("containers".into()),
            Pe::Key(vec![("name".into(), Scalar::Str("b".into()))])
        ]));
        assert!(c.removed.contains(&[Pe::Field("finalizers".into())]));
    }
}
