//! The hash that names a Deployment's ReplicaSets (`pod-template-hash`) and a DaemonSet's
//! revisions (`controller-revision-hash`). Same shape as kube's: a 32-bit FNV-1a of the
//! template (plus the collision count), its decimal digits mapped onto the safe alphabet,
//! so 9 or 10 lowercase characters. The template is serialized with sorted keys so that
//! field order never changes the hash.

use serde_json::Value;

const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The hash of a pod template.
pub fn template_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut h = Fnv32a::new();
    write_canonical(template, &mut h);
    if let Some(n) = collision_count {
        h.write(n.to_string().as_bytes());
    }
    safe_encode(&h.0.to_string())
}

fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| SAFE_ALPHABET[usize::from(b) % SAFE_ALPHABET.len()] as char)
        .collect()
}

struct Fnv32a(u32);

impl Fnv32a {
    fn new() -> Self {
        Fnv32a(0x811c_9dc5)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u32::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }
}

/// Feeds a JSON value with object keys in sorted order.
fn write_canonical(v: &Value, h: &mut Fnv32a) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            h.write(b"{");
            for k in keys {
                h.write(k.as_bytes());
                h.write(b":");
                if let Some(x) = m.get(k) {
                    write_canonical(x, h);
                }
                h.write(b",");
            }
            h.write(b"}");
        }
        Value::Array(a) => {
            h.write(b"[");
            for x in a {
                write_canonical(x, h);
                h.write(b",");
            }
            h.write(b"]");
        }
        other => h.write(other.to_string().as_bytes()),
    }
}

/// Whether two pod templates are equal, ignoring the `pod-template-hash` label (kube's
/// EqualIgnoreHash) and key order.
pub fn templates_equal(a: &Value, b: &Value) -> bool {
    without_hash(a) == without_hash(b)
}

fn without_hash(t: &Value) -> Value {
    let mut t = t.clone();
    if let Some(labels) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.shift_remove("pod-template-hash");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hash_has_kubes_shape_and_ignores_key_order() {
        let a = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "n", "image": "nginx"}]}});
        let b = json!({"spec": {"containers": [{"image": "nginx", "name": "n"}]}, "metadata": {"labels": {"app": "web"}}});
        let h = template_hash(&a, None);
        assert!((9..=10).contains(&h.len()), "{h}");
        assert!(h.bytes().all(|c| SAFE_ALPHABET.contains(&c)), "{h}");
        assert_eq!(h, template_hash(&b, None));
        let c = json!({"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "n", "image": "nginx:2"}]}});
        assert_ne!(h, template_hash(&c, None));
        assert_ne!(h, template_hash(&a, Some(1)));
    }

    #[test]
    fn equality_ignores_the_hash_label() {
        let a = json!({"metadata": {"labels": {"app": "web"}}});
        let b = json!({"metadata": {"labels": {"app": "web", "pod-template-hash": "x"}}});
        assert!(templates_equal(&a, &b));
        assert!(!templates_equal(
            &a,
            &json!({"metadata": {"labels": {"app": "db"}}})
        ));
    }
}
