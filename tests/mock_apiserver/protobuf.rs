//! Just enough of Kubernetes' protobuf encoding to read what kubectl's typed clients
//! POST (its `create` generators send `application/vnd.kubernetes.protobuf`): the
//! `k8s\0` envelope's type and the object's metadata (name, namespace, labels,
//! annotations). The rest of the object needs its schema, which the mock does not have.

use serde_json::{Map, Value, json};

pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// One field of a message: its number and, for length-delimited ones, the bytes.
struct Field<'a> {
    number: u64,
    bytes: Option<&'a [u8]>,
    varint: Option<u64>,
}

fn varint(buf: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn fields(buf: &[u8]) -> Option<Vec<Field<'_>>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let tag = varint(buf, &mut at)?;
        let mut value = None;
        let bytes = match tag & 7 {
            0 => {
                value = Some(varint(buf, &mut at)?);
                None
            }
            1 => {
                at += 8;
                None
            }
            5 => {
                at += 4;
                None
            }
            2 => {
                let len = usize::try_from(varint(buf, &mut at)?).ok()?;
                let b = buf.get(at..at + len)?;
                at += len;
                Some(b)
            }
            _ => return None,
        };
        out.push(Field {
            number: tag >> 3,
            bytes,
            varint: value,
        });
    }
    Some(out)
}

fn text(f: &Field) -> String {
    String::from_utf8_lossy(f.bytes.unwrap_or_default()).into_owned()
}

/// A protobuf map<string,string> field's entries.
fn map_entry(f: &Field) -> Option<(String, String)> {
    let entry = fields(f.bytes?)?;
    let get = |n| entry.iter().find(|e| e.number == n).map(text);
    Some((get(1).unwrap_or_default(), get(2).unwrap_or_default()))
}

/// The envelope's apiVersion and kind, and the object's metadata, as JSON.
pub fn decode(body: &[u8]) -> Option<Value> {
    let unknown = fields(body.strip_prefix(b"k8s\0")?)?;
    let part = |n| unknown.iter().find(|f| f.number == n).and_then(|f| f.bytes);
    let type_meta = fields(part(1)?)?;
    let tm = |n| type_meta.iter().find(|f| f.number == n).map(text);
    let object = fields(part(2)?)?;
    if tm(2).as_deref() == Some("DeleteOptions") {
        return delete_options(&object);
    }
    let meta_bytes = object.iter().find(|f| f.number == 1)?.bytes?;
    let mut meta = Map::new();
    let (mut labels, mut annotations) = (Map::new(), Map::new());
    for f in fields(meta_bytes)? {
        match f.number {
            1 => drop(meta.insert("name".into(), json!(text(&f)))),
            // gogo-protobuf writes empty strings too: an empty namespace is none.
            3 if !text(&f).is_empty() => drop(meta.insert("namespace".into(), json!(text(&f)))),
            11 | 12 => {
                let (k, v) = map_entry(&f)?;
                let to = if f.number == 11 {
                    &mut labels
                } else {
                    &mut annotations
                };
                to.insert(k, json!(v));
            }
            _ => {}
        }
    }
    if !labels.is_empty() {
        meta.insert("labels".into(), Value::Object(labels));
    }
    if !annotations.is_empty() {
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    Some(
        json!({"apiVersion": tm(1).unwrap_or_default(), "kind": tm(2).unwrap_or_default(),
                "metadata": meta}),
    )
}

/// DeleteOptions' grace period (1), propagation policy (4) and dry run (5), as JSON.
fn delete_options(fields: &[Field]) -> Option<Value> {
    let mut out = Map::new();
    let mut dry_run = Vec::new();
    for f in fields {
        match f.number {
            1 => {
                out.insert("gracePeriodSeconds".into(), json!(f.varint?));
            }
            4 => drop(out.insert("propagationPolicy".into(), json!(text(f)))),
            5 => dry_run.push(json!(text(f))),
            _ => {}
        }
    }
    if !dry_run.is_empty() {
        out.insert("dryRun".into(), Value::Array(dry_run));
    }
    Some(Value::Object(out))
}

/// What a JSON or protobuf body is compared by when kubectl sent protobuf: its type and
/// the metadata the mock can read from protobuf.
pub fn summary(obj: &Value) -> Value {
    // DeleteOptions are compared whole (bar their type, which JSON bodies leave out).
    if obj.get("metadata").is_none() {
        let mut o = obj.as_object().cloned().unwrap_or_default();
        o.remove("apiVersion");
        o.remove("kind");
        return Value::Object(o);
    }
    let mut meta = Map::new();
    for k in ["name", "namespace", "labels", "annotations"] {
        // Protobuf always carries a string; JSON leaves an empty one out.
        if let Some(v) = obj["metadata"].get(k).filter(|v| !v.is_null() && *v != "") {
            meta.insert(k.into(), v.clone());
        }
    }
    json!({"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": meta})
}
