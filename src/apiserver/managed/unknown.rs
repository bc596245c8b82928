//! `fieldValidation`: the fields of an object that its kind does not declare, named as
//! kube-apiserver names them (`spec.containers[0].foo`).

use super::schema::{self, Ty};
use serde_json::Value;

/// The unknown fields of `obj`, in document order. Kinds not fully described have only
/// their metadata checked; status is not checked.
pub fn unknown_fields(kind: &str, obj: &Value) -> Vec<String> {
    let (ty, described) = schema::of_kind(kind);
    let mut out = Vec::new();
    let Value::Object(m) = obj else { return out };
    for (k, v) in m {
        if k == "status" {
            continue;
        }
        match ty.field(k) {
            Some(f) => walk(f.ty, v, k, &mut out),
            None if described => out.push(k.clone()),
            None => {}
        }
    }
    out
}

fn walk(ty: &Ty, v: &Value, path: &str, out: &mut Vec<String>) {
    match (ty, v) {
        (Ty::Struct(_), Value::Object(m)) => {
            for (k, child) in m {
                let p = format!("{path}.{k}");
                match ty.field(k) {
                    Some(f) => walk(f.ty, child, &p, out),
                    None => out.push(p),
                }
            }
        }
        (Ty::Map(t), Value::Object(m)) => {
            for (k, child) in m {
                walk(t, child, &format!("{path}.{k}"), out);
            }
        }
        (Ty::Atomic(t), _) => walk(t, v, path, out),
        (Ty::List(t) | Ty::Keyed(_, t), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                walk(t, item, &format!("{path}[{i}]"), out);
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
            unknown_fields("Pod", &pod),
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
        assert_eq!(unknown_fields("Lease", &lease), ["metadata.nam"]);
    }
}
