//! Decoding only the parts of stored objects a reader needs. Big lists are mostly JSON
//! decoding; a table of pods needs a pod's metadata and status but only a few fields of its
//! spec, so the rest is skipped by the parser instead of being built and thrown away.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Which parts of a JSON value to keep.
#[derive(Debug)]
pub enum Keep {
    All,
    /// For an object, these fields (each with what to keep of it); for an array, this
    /// applies to every element.
    Fields(&'static [(&'static str, Keep)]),
    /// For an object, every field but these (each kept whole).
    AllBut(&'static [&'static str]),
}

/// What a pod's table row and its field selectors read.
pub static POD_ROW: Keep = Keep::Fields(&[
    ("apiVersion", Keep::All),
    ("kind", Keep::All),
    ("metadata", Keep::All),
    (
        "spec",
        Keep::Fields(&[
            ("containers", Keep::Fields(&[("name", Keep::All)])),
            (
                "initContainers",
                Keep::Fields(&[("name", Keep::All), ("restartPolicy", Keep::All)]),
            ),
            ("readinessGates", Keep::All),
            ("nodeName", Keep::All),
            ("restartPolicy", Keep::All),
            ("schedulerName", Keep::All),
            ("serviceAccountName", Keep::All),
            ("hostNetwork", Keep::All),
        ]),
    ),
    (
        "status",
        Keep::Fields(&[
            ("phase", Keep::All),
            ("reason", Keep::All),
            (
                "conditions",
                Keep::Fields(&[
                    ("type", Keep::All),
                    ("status", Keep::All),
                    ("reason", Keep::All),
                ]),
            ),
            ("podIP", Keep::All),
            ("podIPs", Keep::All),
            ("nominatedNodeName", Keep::All),
            ("initContainerStatuses", CONTAINER_STATUS),
            ("containerStatuses", CONTAINER_STATUS),
        ]),
    ),
]);

/// What a pod's row reads of a container's status (READY, STATUS, RESTARTS).
const CONTAINER_STATUS: Keep = Keep::Fields(&[
    ("name", Keep::All),
    ("ready", Keep::All),
    ("started", Keep::All),
    ("restartCount", Keep::All),
    ("state", Keep::All),
    ("lastState", Keep::All),
]);

/// Decodes `bytes`, keeping what `keep` asks for.
pub fn decode(bytes: &[u8], keep: &'static Keep) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Projected(keep).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Projected(&'static Keep);

impl<'de> DeserializeSeed<'de> for Projected {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0 {
            Keep::All => serde::Deserialize::deserialize(d),
            Keep::Fields(_) | Keep::AllBut(_) => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Projected {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let keep = match self.0 {
                Keep::All => Some(&Keep::All),
                Keep::Fields(fields) => fields.iter().find(|(f, _)| *f == key).map(|(_, k)| k),
                Keep::AllBut(left) => (!left.contains(&key.as_str())).then_some(&Keep::All),
            };
            match keep {
                Some(keep) => {
                    let v = map.next_value_seed(Projected(keep))?;
                    out.insert(key, v);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Projected(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_only_what_is_asked() {
        let pod = json!({
            "kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": "a", "labels": {"x": "y"}},
            "spec": {"containers": [{"name": "c", "image": "nginx", "env": [{"name": "A"}]}], "nodeName": "n1", "volumes": [{"name": "v"}]},
            "status": {"phase": "Running"}
        });
        let bytes = serde_json::to_vec(&pod).unwrap();
        let got = decode(&bytes, &POD_ROW).unwrap();
        assert_eq!(
            got,
            json!({
                "kind": "Pod", "apiVersion": "v1",
                "metadata": {"name": "a", "labels": {"x": "y"}},
                "spec": {"containers": [{"name": "c"}], "nodeName": "n1"},
                "status": {"phase": "Running"}
            })
        );
        assert!(decode(b"{\"spec\": ", &POD_ROW).is_err());
    }

    #[test]
    fn all_but_leaves_out_only_what_it_names() {
        static NO_MANAGED: Keep = Keep::Fields(&[("metadata", Keep::AllBut(&["managedFields"]))]);
        let obj = json!({"metadata": {"name": "a", "managedFields": [{"manager": "m"}],
                         "labels": {"x": "y"}}, "spec": {}});
        let got = decode(&serde_json::to_vec(&obj).unwrap(), &NO_MANAGED).unwrap();
        assert_eq!(
            got,
            json!({"metadata": {"name": "a", "labels": {"x": "y"}}})
        );
    }
}
