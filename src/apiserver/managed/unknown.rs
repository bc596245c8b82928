//! `fieldValidation`: the fields of an object that its kind does not declare, named as
//! kube-apiserver names them (`spec.containers[0].foo`).

use super::fieldset::{display_path, element_pe};
use super::schema::{self, Ty};
use serde_json::Value;

/// How a path is spelled: kube's decoder names list elements by index
/// (`spec.containers[0].foo`), server-side apply by key (`.spec.containers[name="a"].foo`).
#[derive(Clone, Copy, PartialEq)]
pub enum Style {
    Decoder,
    Apply,
}

/// The unknown fields of `obj`, in document order. Kinds not fully described have only
/// their metadata checked; status is not checked.
pub fn unknown_fields(kind: &str, obj: &Value, style: Style) -> Vec<String> {
    let mut found = Vec::new();
    visit(kind, &mut obj.clone(), style, false, &mut found);
    found
}

/// Removes the unknown fields of `obj` (as the decoder of a Go struct would drop them) and
/// returns their paths.
pub fn drop_unknown(kind: &str, obj: &mut Value) -> Vec<String> {
    let mut found = Vec::new();
    visit(kind, obj, Style::Decoder, true, &mut found);
    found
}

/// The 400 of `fieldValidation=Strict` with `problems` (`unknown field "spec.foo"`): a whole
/// object's (`whole`: POST, PUT) names the kind it could not decode, a patch's does not.
pub fn strict_decoding_error(
    r: &crate::api::registry::Resource,
    problems: &[String],
    whole: bool,
) -> crate::api::status::ApiError {
    let strict = format!("strict decoding error: {}", problems.join(", "));
    crate::api::status::ApiError::bad_request(if whole {
        format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {strict}",
            kind = r.kind,
            version = r.version
        )
    } else {
        strict
    })
}

fn visit(kind: &str, obj: &mut Value, style: Style, drop: bool, out: &mut Vec<String>) {
    let (ty, described) = schema::of_kind(kind);
    let Value::Object(m) = obj else { return };
    let lead = if style == Style::Apply { "." } else { "" };
    let mut unknown = Vec::new();
    for (k, v) in m.iter_mut() {
        if k == "status" {
            continue;
        }
        match ty.field(k) {
            // Kinds described for type checks only: their fields may not all be listed.
            Some(_) if !described && k != "metadata" => {}
            Some(f) => walk(f.ty, v, &format!("{lead}{k}"), style, drop, out),
            None if described => {
                out.push(format!("{lead}{k}"));
                unknown.push(k.clone());
            }
            None => {}
        }
    }
    if drop {
        m.retain(|k, _| !unknown.contains(k));
    }
}

fn walk(ty: &Ty, v: &mut Value, path: &str, style: Style, drop: bool, out: &mut Vec<String>) {
    match (ty, v) {
        (Ty::Struct(..), Value::Object(m)) => {
            let mut unknown = Vec::new();
            for (k, child) in m.iter_mut() {
                let p = format!("{path}.{k}");
                match ty.field(k) {
                    Some(f) => walk(f.ty, child, &p, style, drop, out),
                    None => {
                        out.push(p);
                        unknown.push(k.clone());
                    }
                }
            }
            if drop {
                m.retain(|k, _| !unknown.contains(k));
            }
        }
        (Ty::Map(t), Value::Object(m)) => {
            for (k, child) in m.iter_mut() {
                walk(t, child, &format!("{path}.{k}"), style, drop, out);
            }
        }
        (Ty::Atomic(t), v) => walk(t, v, path, style, drop, out),
        (Ty::List(t) | Ty::Keyed(_, t), Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                let at = match (style, element_pe(ty, item)) {
                    (Style::Apply, Some(pe)) => format!("{path}{}", display_path(&[pe])),
                    _ => format!("{path}[{i}]"),
                };
                walk(t, item, &at, style, drop, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_unknown_fields_by_path() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "foo": 1,
            "metadata": {"name": "x", "bogus": true, "labels": {"any": "thing"}},
            "spec": {"containers": [{"name": "a", "image": "i"}, {"name": "b", "imagee": "i",
                "env": [{"name": "E", "valu": "1"}]}], "foo": {}},
            "status": {"whatever": 1}});
        assert_eq!(
            unknown_fields("Pod", &pod, Style::Decoder),
            [
                "foo",
                "metadata.bogus",
                "spec.containers[1].imagee",
                "spec.containers[1].env[0].valu",
                "spec.foo"
            ]
        );
        // Kinds not described: only their metadata is checked.
        let lease = json!({"spec": {"anything": 1}, "metadata": {"nam": "x"}});
        assert_eq!(
            unknown_fields("Lease", &lease, Style::Decoder),
            ["metadata.nam"]
        );
        assert_eq!(
            unknown_fields("Pod", &pod, Style::Apply)[2],
            ".spec.containers[name=\"b\"].imagee"
        );
        let mut dropped = pod.clone();
        assert_eq!(drop_unknown("Pod", &mut dropped).len(), 5);
        assert!(unknown_fields("Pod", &dropped, Style::Decoder).is_empty());
        assert_eq!(dropped["status"], pod["status"]);
    }
}

/// Every object of the real cluster in testdata/reference is made of declared fields only:
/// the schema misses nothing those objects use (a miss would fail valid requests).
#[cfg(test)]
mod reference {
    use super::*;

    #[test]
    fn real_objects_have_no_unknown_fields() {
        let mut checked = 0;
        for (path, kind, obj) in super::super::reference_objects() {
            let found = unknown_fields(&kind, &obj, Style::Decoder);
            assert!(found.is_empty(), "{}: {found:?}", path.display());
            checked += 1;
        }
        assert!(checked > 40, "{checked}");
    }
}
