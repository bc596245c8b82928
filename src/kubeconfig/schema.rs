//! The shape kubectl gives a kubeconfig document: its `clientcmd/api/v1` types. kubectl reads
//! a file into those Go structs and writes them back, so what it prints and writes is this
//! canonical form: every field of the struct that is not `omitempty` present (`clusters:
//! null`, `user: ""`, `env: null`), empty `omitempty` fields gone, byte fields re-encoded, and
//! type mismatches rejected with Go's JSON wording.

use base64::Engine;
use serde_json::{Map, Value};

/// A field's Go type, as far as its JSON form is concerned.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    /// `[]byte`: base64 text in JSON.
    Bytes,
    StrList,
    StrMap,
    StrListMap,
    /// `runtime.RawExtension`: any JSON value.
    Any,
    Struct(&'static Def),
    /// A list of structs.
    List(&'static Def),
}

struct Field {
    key: &'static str,
    kind: Kind,
    omit_empty: bool,
}

/// One Go struct: its type name (for error messages) and fields in declaration order,
/// which is the order `-o json` prints them in.
pub struct Def {
    name: &'static str,
    fields: &'static [Field],
}

const fn f(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        omit_empty: false,
    }
}

const fn o(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        omit_empty: true,
    }
}

static EXTENSION: Def = Def {
    name: "NamedExtension",
    fields: &[f("name", Kind::Str), f("extension", Kind::Any)],
};

static PREFERENCES: Def = Def {
    name: "Preferences",
    fields: &[
        o("colors", Kind::Bool),
        o("extensions", Kind::List(&EXTENSION)),
    ],
};

pub static CLUSTER: Def = Def {
    name: "Cluster",
    fields: &[
        f("server", Kind::Str),
        o("tls-server-name", Kind::Str),
        o("insecure-skip-tls-verify", Kind::Bool),
        o("certificate-authority", Kind::Str),
        o("certificate-authority-data", Kind::Bytes),
        o("proxy-url", Kind::Str),
        o("disable-compression", Kind::Bool),
        o("extensions", Kind::List(&EXTENSION)),
    ],
};

static NAMED_CLUSTER: Def = Def {
    name: "NamedCluster",
    fields: &[f("name", Kind::Str), f("cluster", Kind::Struct(&CLUSTER))],
};

static ENV_VAR: Def = Def {
    name: "ExecEnvVar",
    fields: &[f("name", Kind::Str), f("value", Kind::Str)],
};

static EXEC: Def = Def {
    name: "ExecConfig",
    fields: &[
        f("command", Kind::Str),
        f("args", Kind::StrList),
        f("env", Kind::List(&ENV_VAR)),
        o("apiVersion", Kind::Str),
        o("installHint", Kind::Str),
        f("provideClusterInfo", Kind::Bool),
        o("interactiveMode", Kind::Str),
    ],
};

static AUTH_PROVIDER: Def = Def {
    name: "AuthProviderConfig",
    fields: &[f("name", Kind::Str), o("config", Kind::StrMap)],
};

pub static AUTH_INFO: Def = Def {
    name: "AuthInfo",
    fields: &[
        o("client-certificate", Kind::Str),
        o("client-certificate-data", Kind::Bytes),
        o("client-key", Kind::Str),
        o("client-key-data", Kind::Bytes),
        o("token", Kind::Str),
        o("tokenFile", Kind::Str),
        o("as", Kind::Str),
        o("as-uid", Kind::Str),
        o("as-groups", Kind::StrList),
        o("as-user-extra", Kind::StrListMap),
        o("username", Kind::Str),
        o("password", Kind::Str),
        o("auth-provider", Kind::Struct(&AUTH_PROVIDER)),
        o("exec", Kind::Struct(&EXEC)),
        o("extensions", Kind::List(&EXTENSION)),
    ],
};

static NAMED_AUTH_INFO: Def = Def {
    name: "NamedAuthInfo",
    fields: &[f("name", Kind::Str), f("user", Kind::Struct(&AUTH_INFO))],
};

pub static CONTEXT: Def = Def {
    name: "Context",
    fields: &[
        f("cluster", Kind::Str),
        f("user", Kind::Str),
        o("namespace", Kind::Str),
        o("extensions", Kind::List(&EXTENSION)),
    ],
};

static NAMED_CONTEXT: Def = Def {
    name: "NamedContext",
    fields: &[f("name", Kind::Str), f("context", Kind::Struct(&CONTEXT))],
};

pub static CONFIG: Def = Def {
    name: "Config",
    fields: &[
        o("kind", Kind::Str),
        o("apiVersion", Kind::Str),
        f("preferences", Kind::Struct(&PREFERENCES)),
        f("clusters", Kind::List(&NAMED_CLUSTER)),
        f("users", Kind::List(&NAMED_AUTH_INFO)),
        f("contexts", Kind::List(&NAMED_CONTEXT)),
        f("current-context", Kind::Str),
        o("extensions", Kind::List(&EXTENSION)),
    ],
};

/// What happens to fields the Go types do not have.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unknown {
    /// Dropped, as kubectl drops them (what `config view` shows).
    Drop,
    /// Kept after the known fields, so a rewrite by kubelite loses nothing.
    Keep,
}

/// Checks `value` against `def` and returns its canonical form.
pub fn canonical(def: &Def, value: &Value, unknown: Unknown) -> Result<Value, String> {
    let mut path = Vec::new();
    canonical_struct(def, value, unknown, &mut path)
}

fn canonical_struct(
    def: &Def,
    value: &Value,
    unknown: Unknown,
    path: &mut Vec<&'static str>,
) -> Result<Value, String> {
    let empty = Map::new();
    let input = match value {
        Value::Object(m) => m,
        Value::Null => &empty,
        other => {
            return Err(type_error(
                other,
                def.name,
                path,
                &format!("v1.{}", def.name),
            ));
        }
    };
    // Go meets the fields in the order of the JSON object kubectl makes from the YAML, whose
    // keys are sorted: the first error reported is the first in that order.
    let mut keys: Vec<&String> = input.keys().collect();
    keys.sort();
    let mut values = Map::new();
    for key in keys {
        let Some(field) = def.fields.iter().find(|f| f.key == key) else {
            continue;
        };
        path.push(field.key);
        let v = canonical_field(def, field, &input[key], unknown, path)?;
        path.pop();
        values.insert(key.clone(), v);
    }
    let mut out = Map::new();
    for field in def.fields {
        let v = match values.remove(field.key) {
            Some(v) => v,
            None => canonical_field(def, field, &Value::Null, unknown, path)?,
        };
        if field.omit_empty && is_empty(&v, field.kind) {
            continue;
        }
        out.insert(field.key.to_string(), v);
    }
    if def.name == EXEC.name {
        default_interactive_mode(&mut out);
    }
    if unknown == Unknown::Keep {
        for (k, v) in input {
            if !def.fields.iter().any(|f| f.key == k) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Value::Object(out))
}

fn canonical_field(
    owner: &Def,
    field: &Field,
    v: &Value,
    unknown: Unknown,
    path: &mut Vec<&'static str>,
) -> Result<Value, String> {
    let mismatch = |go_type: &str| type_error(v, owner.name, path, go_type);
    Ok(match field.kind {
        Kind::Str => match v {
            Value::Null => Value::String(String::new()),
            Value::String(_) => v.clone(),
            _ => return Err(mismatch("string")),
        },
        Kind::Bool => match v {
            Value::Null => Value::Bool(false),
            Value::Bool(_) => v.clone(),
            _ => return Err(mismatch("bool")),
        },
        Kind::Bytes => match v {
            Value::Null => Value::String(String::new()),
            Value::String(s) => Value::String(reencode_base64(s)?),
            _ => return Err(mismatch("[]uint8")),
        },
        Kind::StrList => match v {
            Value::Null => Value::Null,
            Value::Array(items) => {
                if let Some(bad) = items.iter().find(|i| !i.is_string() && !i.is_null()) {
                    return Err(type_error(bad, owner.name, path, "string"));
                }
                Value::Array(
                    items
                        .iter()
                        .map(|i| i.as_str().map(Value::from).unwrap_or(Value::from("")))
                        .collect(),
                )
            }
            _ => return Err(mismatch("[]string")),
        },
        Kind::StrMap => match v {
            Value::Null => Value::Null,
            Value::Object(m) => {
                if let Some(bad) = m.values().find(|i| !i.is_string() && !i.is_null()) {
                    return Err(type_error(bad, owner.name, path, "string"));
                }
                sorted(m)
            }
            _ => return Err(mismatch("map[string]string")),
        },
        Kind::StrListMap => match v {
            Value::Null => Value::Null,
            Value::Object(m) => {
                for list in m.values() {
                    if !list.is_array() && !list.is_null() {
                        return Err(type_error(list, owner.name, path, "[]string"));
                    }
                    if let Some(bad) = list
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|i| !i.is_string())
                    {
                        return Err(type_error(bad, owner.name, path, "string"));
                    }
                }
                sorted(m)
            }
            _ => return Err(mismatch("map[string][]string")),
        },
        // Go holds it as a map and encodes it with sorted keys.
        Kind::Any => sorted_deep(v),
        Kind::Struct(def) => {
            if v.is_null() && field.omit_empty {
                // A nil pointer (`exec`, `auth-provider`): absent.
                Value::Null
            } else {
                canonical_struct(def, v, unknown, path)?
            }
        }
        Kind::List(def) => match v {
            Value::Null => Value::Null,
            Value::Array(items) => {
                let mut list: Vec<Value> = items
                    .iter()
                    .map(|i| canonical_struct(def, i, unknown, path))
                    .collect::<Result<_, _>>()?;
                // Extensions are a map by name in kubectl: they come out ordered by name.
                if def.name == EXTENSION.name {
                    list.sort_by(|a, b| {
                        let name = |v: &Value| v["name"].as_str().unwrap_or("").to_string();
                        name(a).cmp(&name(b))
                    });
                }
                Value::Array(list)
            }
            _ => return Err(mismatch(&format!("[]v1.{}", def.name))),
        },
    })
}

/// kubectl's defaulting: the beta exec API means `IfAvailable` when the mode is not given.
fn default_interactive_mode(exec: &mut Map<String, Value>) {
    let beta = matches!(
        exec.get("apiVersion").and_then(Value::as_str),
        Some("client.authentication.k8s.io/v1beta1" | "client.authentication.k8s.io/v1alpha1")
    );
    if beta && !exec.contains_key("interactiveMode") {
        exec.insert("interactiveMode".into(), Value::from("IfAvailable"));
    }
}

/// A Go map: encoded with its keys sorted.
fn sorted(m: &Map<String, Value>) -> Value {
    let mut entries: Vec<_> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// A decoded JSON value as Go re-encodes it: every object's keys sorted.
fn sorted_deep(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted_deep(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted_deep).collect()),
        other => other.clone(),
    }
}

/// Whether Go's `omitempty` leaves the field out.
fn is_empty(v: &Value, kind: Kind) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        // A struct pointer that is set is never empty; maps are when they have no keys.
        Value::Object(m) => m.is_empty() && !matches!(kind, Kind::Struct(_)),
        Value::Number(_) => false,
    }
}

/// Go decodes `[]byte` from base64 and encodes it again: line breaks are dropped, bad
/// base64 is an error.
fn reencode_base64(text: &str) -> Result<String, String> {
    let clean: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    let engine = go_base64();
    match engine.decode(clean.as_bytes()) {
        Ok(bytes) => Ok(engine.encode(bytes)),
        Err(e) => {
            let at = match e {
                base64::DecodeError::InvalidByte(i, _) => i,
                base64::DecodeError::InvalidLastSymbol { offset, .. } => offset,
                _ => clean.len().saturating_sub(clean.len() % 4),
            };
            Err(format!("illegal base64 data at input byte {at}"))
        }
    }
}

/// Go's standard base64: padding required, stray low bits in the last symbol allowed.
pub fn go_base64() -> base64::engine::GeneralPurpose {
    crate::go::base64::STD
}

/// Go's `json: cannot unmarshal X into Go struct field S.path of type T`.
fn type_error(v: &Value, owner: &str, path: &[&str], go_type: &str) -> String {
    let json_type = match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if path.is_empty() {
        return format!("json: cannot unmarshal {json_type} into Go value of type v1.{owner}");
    }
    format!(
        "json: cannot unmarshal {json_type} into Go struct field {owner}.{} of type {go_type}",
        path.join(".")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_required_fields_and_drops_empty_ones() {
        let doc = json!({"contexts": [{"name": "x"}], "users": [{"name": "u", "user": {"token": "", "exec": {"command": "c"}}}]});
        let got = canonical(&CONFIG, &doc, Unknown::Drop).unwrap();
        assert_eq!(
            got,
            json!({"preferences": {}, "clusters": null,
                "users": [{"name": "u", "user": {"exec": {"command": "c", "args": null, "env": null, "provideClusterInfo": false}}}],
                "contexts": [{"name": "x", "context": {"cluster": "", "user": ""}}],
                "current-context": ""})
        );
    }

    #[test]
    fn type_mismatch_in_go_words() {
        let doc = json!({"clusters": [{"name": "a", "cluster": {"server": 5}}]});
        assert_eq!(
            canonical(&CONFIG, &doc, Unknown::Drop).unwrap_err(),
            "json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server of type string"
        );
    }

    #[test]
    fn unknown_fields_kept_only_when_asked() {
        let doc =
            json!({"weird": 1, "clusters": [{"name": "a", "x": 2, "cluster": {"server": "s"}}]});
        let dropped = canonical(&CONFIG, &doc, Unknown::Drop).unwrap();
        assert!(dropped.get("weird").is_none());
        let kept = canonical(&CONFIG, &doc, Unknown::Keep).unwrap();
        assert_eq!(kept["weird"], 1);
        assert_eq!(kept["clusters"][0]["x"], 2);
    }

    #[test]
    fn bytes_are_reencoded_and_checked() {
        let doc = json!({"users": [{"name": "u", "user": {"client-key-data": "a2V5\nCg=="}}]});
        let got = canonical(&CONFIG, &doc, Unknown::Drop).unwrap();
        assert_eq!(got["users"][0]["user"]["client-key-data"], "a2V5Cg==");
        let bad = json!({"users": [{"name": "u", "user": {"client-key-data": "!!x"}}]});
        assert_eq!(
            canonical(&CONFIG, &bad, Unknown::Drop).unwrap_err(),
            "illegal base64 data at input byte 0"
        );
    }
}
