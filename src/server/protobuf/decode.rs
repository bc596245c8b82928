//! Protobuf message bytes to the JSON that Go's encoder writes for the same object, walked
//! by the schema tables.

use super::schema::{Field, Kind, Message, Rule, Shape};
use super::wire::{Reader, Value as Wire, WireError, WireType};
use base64::Engine;
use serde_json::{Map, Value};
use std::fmt;

/// Why a body could not be read; `path` is the JSON path of the field being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub path: String,
    pub what: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.what)
        } else {
            write!(f, "{}: {}", self.path, self.what)
        }
    }
}

fn err(path: &str, what: impl Into<String>) -> DecodeError {
    DecodeError {
        path: path.to_string(),
        what: what.into(),
    }
}

fn wire_err(path: &str, e: WireError) -> DecodeError {
    err(path, e.to_string())
}

/// Nested messages deeper than this are refused (the schema has no cycles, so only a
/// hostile body could go this deep).
const MAX_DEPTH: usize = 64;

/// What was read for one field of a message, before Go's JSON rules decide what is written.
enum Slot {
    Absent,
    One(Value),
    Many(Vec<Value>),
    Map(Map<String, Value>),
}

/// The JSON object for the message `msg` held in `bytes`.
pub fn message(bytes: &[u8], msg: &Message, path: &str) -> Result<Map<String, Value>, DecodeError> {
    message_at(bytes, msg, path, 0)
}

fn message_at(
    bytes: &[u8],
    msg: &Message,
    path: &str,
    depth: usize,
) -> Result<Map<String, Value>, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(err(path, "messages nested too deeply"));
    }
    let mut slots: Vec<Slot> = msg.fields.iter().map(|_| Slot::Absent).collect();
    let mut reader = Reader::new(bytes);
    while let Some((number, wire)) = reader.field().map_err(|e| wire_err(path, e))? {
        let Some((index, field)) = msg.field(number) else {
            return Err(err(
                path,
                format!("field number {number} is not part of {}", msg.name),
            ));
        };
        let fpath = join(path, field.json);
        read_field(&mut slots[index], field, wire, &fpath, depth)?;
    }
    let mut out = Map::new();
    for (field, slot) in msg.fields.iter().zip(slots) {
        write_field(&mut out, field, slot);
    }
    Ok(out)
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn read_field(
    slot: &mut Slot,
    field: &Field,
    wire: Wire<'_>,
    path: &str,
    depth: usize,
) -> Result<(), DecodeError> {
    match field.shape {
        Shape::One => {
            *slot = Slot::One(value(field.kind, wire, path, depth)?);
        }
        Shape::Many => {
            let mut list = match std::mem::replace(slot, Slot::Absent) {
                Slot::Many(list) => list,
                _ => Vec::new(),
            };
            match (field.kind, wire) {
                // Packed repeated numbers: one length-delimited run of varints.
                (Kind::Int | Kind::Bool, Wire::Len(run)) => {
                    let mut r = Reader::new(run);
                    while !r.at_end() {
                        let v = r.varint().map_err(|e| wire_err(path, e))?;
                        list.push(scalar_varint(field.kind, v));
                    }
                }
                (kind, wire) => list.push(value(kind, wire, path, depth)?),
            }
            *slot = Slot::Many(list);
        }
        Shape::Map => {
            let Wire::Len(entry) = wire else {
                return Err(wrong_type(path, WireType::Len, wire));
            };
            let (key, val) = map_entry(entry, field.kind, path, depth)?;
            let mut map = match std::mem::replace(slot, Slot::Absent) {
                Slot::Map(map) => map,
                _ => Map::new(),
            };
            map.insert(key, val);
            *slot = Slot::Map(map);
        }
    }
    Ok(())
}

/// One `map<string, V>` entry: field 1 the key, field 2 the value.
fn map_entry(
    bytes: &[u8],
    kind: Kind,
    path: &str,
    depth: usize,
) -> Result<(String, Value), DecodeError> {
    let mut key = String::new();
    let mut val = None;
    let mut r = Reader::new(bytes);
    while let Some((number, wire)) = r.field().map_err(|e| wire_err(path, e))? {
        match number {
            1 => match value(Kind::Str, wire, path, depth)? {
                Value::String(k) => key = k,
                _ => return Err(err(path, "map key is not a string")),
            },
            2 => val = Some(value(kind, wire, &join(path, "value"), depth)?),
            n => return Err(err(path, format!("field number {n} in a map entry"))),
        }
    }
    let val = match val {
        Some(v) => v,
        None => zero(kind, depth)?,
    };
    Ok((key, val))
}

/// The value a field takes when its map entry leaves it out.
fn zero(kind: Kind, depth: usize) -> Result<Value, DecodeError> {
    match kind {
        Kind::Str | Kind::Bytes => Ok(Value::String(String::new())),
        Kind::Int => Ok(Value::from(0)),
        Kind::Bool => Ok(Value::Bool(false)),
        Kind::Quantity => Ok(Value::String("0".into())),
        Kind::IntOrString => Ok(Value::from(0)),
        Kind::Time | Kind::MicroTime | Kind::FieldsV1 | Kind::RawExtension => Ok(Value::Null),
        Kind::Msg(m) => Ok(Value::Object(message_at(&[], m, "", depth + 1)?)),
    }
}

fn wrong_type(path: &str, expected: WireType, got: Wire<'_>) -> DecodeError {
    err(
        path,
        format!(
            "wrong wire type: expected {expected:?}, found {:?}",
            got.wire_type()
        ),
    )
}

fn scalar_varint(kind: Kind, v: u64) -> Value {
    match kind {
        Kind::Bool => Value::Bool(v != 0),
        // Go writes int32 and int64 alike, negatives sign-extended to 64 bits.
        _ => Value::from(v as i64),
    }
}

fn value(kind: Kind, wire: Wire<'_>, path: &str, depth: usize) -> Result<Value, DecodeError> {
    match kind {
        Kind::Int | Kind::Bool => match wire {
            Wire::Varint(v) => Ok(scalar_varint(kind, v)),
            other => Err(wrong_type(path, WireType::Varint, other)),
        },
        _ => {
            let Wire::Len(bytes) = wire else {
                return Err(wrong_type(path, WireType::Len, wire));
            };
            len_value(kind, bytes, path, depth)
        }
    }
}

fn len_value(kind: Kind, bytes: &[u8], path: &str, depth: usize) -> Result<Value, DecodeError> {
    match kind {
        Kind::Str => text(bytes, path).map(Value::String),
        Kind::Bytes => Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(bytes),
        )),
        Kind::Msg(m) => Ok(Value::Object(message_at(bytes, m, path, depth + 1)?)),
        Kind::Time => time(bytes, path, false),
        Kind::MicroTime => time(bytes, path, true),
        Kind::Quantity => quantity(bytes, path),
        Kind::IntOrString => int_or_string(bytes, path),
        Kind::FieldsV1 => raw_json(bytes, path, "FieldsV1"),
        Kind::RawExtension => raw_json(bytes, path, "RawExtension"),
        Kind::Int | Kind::Bool => Err(err(path, "internal: varint read as bytes")),
    }
}

fn text(bytes: &[u8], path: &str) -> Result<String, DecodeError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| err(path, "string is not valid UTF-8"))
}

/// Reads the scalar fields of a small fixed message (Time, Quantity, IntOrString, FieldsV1)
/// as (number, wire value) pairs, refusing numbers it does not know.
fn small_message<'a>(
    bytes: &'a [u8],
    path: &str,
    known: &[(u32, WireType)],
    what: &str,
) -> Result<Vec<(u32, Wire<'a>)>, DecodeError> {
    let mut out = Vec::new();
    let mut r = Reader::new(bytes);
    while let Some((number, wire)) = r.field().map_err(|e| wire_err(path, e))? {
        match known.iter().find(|(n, _)| *n == number) {
            Some((_, t)) if *t == wire.wire_type() => out.push((number, wire)),
            Some((_, t)) => return Err(wrong_type(path, *t, wire)),
            None => {
                return Err(err(
                    path,
                    format!("field number {number} is not part of {what}"),
                ));
            }
        }
    }
    Ok(out)
}

fn last_varint(fields: &[(u32, Wire<'_>)], number: u32) -> u64 {
    fields
        .iter()
        .rev()
        .find_map(|(n, w)| match (n, w) {
            (n, Wire::Varint(v)) if *n == number => Some(*v),
            _ => None,
        })
        .unwrap_or(0)
}

fn last_bytes<'a>(fields: &[(u32, Wire<'a>)], number: u32) -> &'a [u8] {
    fields
        .iter()
        .rev()
        .find_map(|(n, w)| match (n, w) {
            (n, Wire::Len(b)) if *n == number => Some(*b),
            _ => None,
        })
        .unwrap_or(&[])
}

/// `Time` and `MicroTime`: seconds and nanoseconds since the epoch; none at all is Go's
/// zero time, which JSON writes as `null`.
fn time(bytes: &[u8], path: &str, micro: bool) -> Result<Value, DecodeError> {
    let what = if micro { "MicroTime" } else { "Time" };
    let fields = small_message(
        bytes,
        path,
        &[(1, WireType::Varint), (2, WireType::Varint)],
        what,
    )?;
    let seconds = last_varint(&fields, 1) as i64;
    let nanos = last_varint(&fields, 2) as i64;
    if seconds == 0 && nanos == 0 {
        return Ok(Value::Null);
    }
    let nanos = u32::try_from(nanos)
        .ok()
        .filter(|n| *n < 1_000_000_000)
        .ok_or_else(|| err(path, format!("{what} nanos {nanos} out of range")))?;
    let t = chrono::DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| err(path, format!("{what} seconds {seconds} out of range")))?;
    let format = if micro {
        "%Y-%m-%dT%H:%M:%S%.6fZ"
    } else {
        "%Y-%m-%dT%H:%M:%SZ"
    };
    Ok(Value::String(t.format(format).to_string()))
}

/// `Quantity` travels as its canonical string (field 1).
fn quantity(bytes: &[u8], path: &str) -> Result<Value, DecodeError> {
    let fields = small_message(bytes, path, &[(1, WireType::Len)], "Quantity")?;
    let s = text(last_bytes(&fields, 1), path)?;
    Ok(Value::String(if s.is_empty() { "0".into() } else { s }))
}

/// `IntOrString`: type 0 is the number in field 2, type 1 the string in field 3.
fn int_or_string(bytes: &[u8], path: &str) -> Result<Value, DecodeError> {
    let fields = small_message(
        bytes,
        path,
        &[
            (1, WireType::Varint),
            (2, WireType::Varint),
            (3, WireType::Len),
        ],
        "IntOrString",
    )?;
    match last_varint(&fields, 1) {
        0 => Ok(Value::from(last_varint(&fields, 2) as i64 as i32)),
        1 => Ok(Value::String(text(last_bytes(&fields, 3), path)?)),
        t => Err(err(
            path,
            format!("IntOrString type {t} is neither 0 nor 1"),
        )),
    }
}

/// `FieldsV1` and `RawExtension` hold their JSON as raw bytes.
fn raw_json(bytes: &[u8], path: &str, name: &str) -> Result<Value, DecodeError> {
    let fields = small_message(bytes, path, &[(1, WireType::Len)], name)?;
    let raw = last_bytes(&fields, 1);
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(raw).map_err(|e| err(path, format!("{name} is not JSON: {e}")))
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_i64() == Some(0),
        Value::Bool(b) => !b,
        Value::Null => true,
        _ => false,
    }
}

fn is_message(kind: Kind) -> bool {
    !matches!(kind, Kind::Str | Kind::Int | Kind::Bool | Kind::Bytes)
}

/// Writes one field as Go's JSON encoder would for the struct the wire described.
fn write_field(out: &mut Map<String, Value>, field: &Field, slot: Slot) {
    let name = field.json.to_string();
    match (slot, field.rule) {
        (Slot::One(Value::Object(inner)), Rule::Inline) => out.extend(inner),
        (_, Rule::Inline) => {}
        (Slot::One(v), Rule::NonZero) if !is_message(field.kind) && is_zero(&v) => {}
        (Slot::One(v), _) => {
            out.insert(name, v);
        }
        (Slot::Many(list), _) if !list.is_empty() => {
            out.insert(name, Value::Array(list));
        }
        (Slot::Map(map), _) if !map.is_empty() => {
            out.insert(name, Value::Object(map));
        }
        (_, Rule::Always) => {
            let v = match (field.shape, field.kind) {
                (Shape::One, Kind::Str) => Value::String(String::new()),
                (Shape::One, Kind::Int) => Value::from(0),
                (Shape::One, Kind::Bool) => Value::Bool(false),
                _ => Value::Null,
            };
            out.insert(name, v);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::tables::*;
    use super::*;

    /// Builds wire bytes field by field (what Go's marshalling writes).
    #[derive(Default)]
    struct Enc(Vec<u8>);

    impl Enc {
        fn raw_varint(mut self, mut v: u64) -> Self {
            while v >= 0x80 {
                self.0.push((v as u8) | 0x80);
                v >>= 7;
            }
            self.0.push(v as u8);
            self
        }
        fn int(self, number: u32, v: i64) -> Self {
            self.raw_varint(u64::from(number) << 3).raw_varint(v as u64)
        }
        fn bytes(self, number: u32, b: &[u8]) -> Self {
            let mut e = self
                .raw_varint(u64::from(number) << 3 | 2)
                .raw_varint(b.len() as u64);
            e.0.extend_from_slice(b);
            e
        }
        fn str(self, number: u32, s: &str) -> Self {
            self.bytes(number, s.as_bytes())
        }
        fn msg(self, number: u32, m: Enc) -> Self {
            self.bytes(number, &m.0)
        }
        /// A map entry whose value is a message.
        fn entry(self, number: u32, key: &str, value: Enc) -> Self {
            self.msg(number, Enc::default().str(1, key).msg(2, value))
        }
    }

    fn json(bytes: &[u8], msg: &Message) -> Result<String, DecodeError> {
        message(bytes, msg, "").map(|m| Value::Object(m).to_string())
    }

    #[test]
    fn times_quantities_and_int_or_string() {
        let meta = Enc::default()
            .str(1, "x")
            .msg(8, Enc::default().int(1, 1_795_830_136))
            .msg(9, Enc::default());
        assert_eq!(
            json(&meta.0, &META_OBJECT_META).unwrap(),
            r#"{"name":"x","creationTimestamp":"2026-11-28T01:42:16Z","deletionTimestamp":null}"#
        );
        let lease = Enc::default()
            .str(1, "me")
            .msg(4, Enc::default().int(1, 1_795_830_136).int(2, 123_456_789));
        assert_eq!(
            json(&lease.0, &COORD_LEASE_SPEC).unwrap(),
            r#"{"holderIdentity":"me","renewTime":"2026-11-28T01:42:16.123456Z"}"#
        );
        let hard = Enc::default()
            .entry(1, "cpu", Enc::default().str(1, "1500m"))
            .entry(1, "pods", Enc::default());
        assert_eq!(
            json(&hard.0, &CORE_RESOURCE_QUOTA_SPEC).unwrap(),
            r#"{"hard":{"cpu":"1500m","pods":"0"}}"#
        );
        let port = Enc::default()
            .int(3, 80)
            .msg(4, Enc::default().int(1, 1).str(3, "http"));
        assert_eq!(
            json(&port.0, &CORE_SERVICE_PORT).unwrap(),
            r#"{"port":80,"targetPort":"http"}"#
        );
        let port = Enc::default()
            .int(3, 80)
            .msg(4, Enc::default().int(2, 8080));
        assert_eq!(
            json(&port.0, &CORE_SERVICE_PORT).unwrap(),
            r#"{"port":80,"targetPort":8080}"#
        );
    }

    #[test]
    fn go_json_rules_for_absent_zero_and_pointer_fields() {
        // A pointer set to zero stays; a plain zero goes; JSON order is Go's, not the wire's.
        let spec = Enc::default().int(5, 0).int(1, 0);
        assert_eq!(
            json(&spec.0, &APPS_DEPLOYMENT_SPEC).unwrap(),
            r#"{"replicas":0}"#
        );
        // Fields without omitempty: zero when absent, null for a nil slice.
        assert_eq!(
            json(&[], &CORE_CONTAINER_PORT).unwrap(),
            r#"{"containerPort":0}"#
        );
        assert_eq!(json(&[], &CORE_POD_SPEC).unwrap(), r#"{"containers":null}"#);
        // Empty strings Go wrote for plain fields are dropped; empty messages stay.
        let c = Enc::default()
            .str(1, "app")
            .str(2, "")
            .msg(8, Enc::default());
        assert_eq!(
            json(&c.0, &CORE_CONTAINER).unwrap(),
            r#"{"name":"app","resources":{}}"#
        );
        // A negative number, sign-extended to ten bytes as Go writes it.
        let t = Enc::default().int(5, -1);
        assert_eq!(
            json(&t.0, &CORE_TOLERATION).unwrap(),
            r#"{"tolerationSeconds":-1}"#
        );
    }

    #[test]
    fn inline_structs_maps_bytes_and_packed_numbers() {
        let volume = Enc::default().str(1, "v").msg(
            2,
            Enc::default().msg(
                19,
                Enc::default()
                    .msg(1, Enc::default().str(1, "settings"))
                    .int(3, 0o644),
            ),
        );
        assert_eq!(
            json(&volume.0, &CORE_VOLUME).unwrap(),
            r#"{"name":"v","configMap":{"name":"settings","defaultMode":420}}"#
        );
        let secret = Enc::default()
            .bytes(2, &Enc::default().str(1, "k").bytes(2, b"\xff\x00v").0)
            .bytes(4, &Enc::default().str(1, "s").str(2, "plain").0);
        assert_eq!(
            json(&secret.0, &CORE_SECRET).unwrap(),
            r#"{"data":{"k":"/wB2"},"stringData":{"s":"plain"}}"#
        );
        // supplementalGroups: unpacked (Go's gogo) and packed (other encoders) alike.
        let unpacked = Enc::default().int(4, 1).int(4, 300);
        let packed = Enc::default().bytes(4, &Enc::default().raw_varint(1).raw_varint(300).0);
        for ctx in [unpacked, packed] {
            assert_eq!(
                json(&ctx.0, &CORE_POD_SECURITY_CONTEXT).unwrap(),
                r#"{"supplementalGroups":[1,300]}"#
            );
        }
    }

    #[test]
    fn object_meta_with_owners_maps_finalizers_and_managed_fields() {
        let owner = Enc::default()
            .str(1, "ReplicaSet")
            .str(3, "web-1")
            .str(4, "u-1")
            .str(5, "apps/v1")
            .int(6, 1);
        let managed = Enc::default()
            .str(1, "kubectl-create")
            .str(2, "Update")
            .str(3, "v1")
            .msg(4, Enc::default().int(1, 1_795_830_136))
            .str(6, "FieldsV1")
            .msg(7, Enc::default().bytes(1, br#"{"f:data":{}}"#));
        let meta = Enc::default()
            .str(1, "web-1-abc")
            .str(2, "web-1-")
            .bytes(11, &Enc::default().str(1, "app").str(2, "web").0)
            .bytes(11, &Enc::default().str(1, "tier").str(2, "").0)
            .bytes(12, &Enc::default().str(1, "note").str(2, "hi").0)
            .msg(13, owner)
            .str(14, "example.com/cleanup")
            .msg(17, managed);
        assert_eq!(
            json(&meta.0, &META_OBJECT_META).unwrap(),
            concat!(
                r#"{"name":"web-1-abc","generateName":"web-1-","labels":{"app":"web","tier":""},"#,
                r#""annotations":{"note":"hi"},"ownerReferences":[{"apiVersion":"apps/v1","#,
                r#""kind":"ReplicaSet","name":"web-1","uid":"u-1","controller":true}],"#,
                r#""finalizers":["example.com/cleanup"],"managedFields":[{"manager":"kubectl-create","#,
                r#""operation":"Update","apiVersion":"v1","time":"2026-11-28T01:42:16Z","#,
                r#""fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]}"#
            )
        );
    }

    fn fails(bytes: &[u8], msg: &Message) -> String {
        match message(bytes, msg, "") {
            Ok(v) => panic!("expected an error, read {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn malformed_messages_are_errors_with_the_field_path() {
        // Truncated varint inside a nested message.
        let spec = Enc::default().msg(1, Enc(vec![0x08, 0x80]));
        assert_eq!(
            fails(&spec.0, &APPS_DEPLOYMENT),
            "metadata: truncated varint"
        );
        // A length past the end of the enclosing message.
        let spec = Enc::default().msg(2, Enc::default().msg(3, Enc(vec![0x0a, 0x09, b'x'])));
        assert_eq!(
            fails(&spec.0, &APPS_DEPLOYMENT),
            "spec.template: length 9 reaches past the end (1 bytes left)"
        );
        // Wrong wire types: a varint where a message belongs, and the reverse.
        assert_eq!(
            fails(&Enc::default().int(1, 3).0, &APPS_DEPLOYMENT),
            "metadata: wrong wire type: expected Len, found Varint"
        );
        assert_eq!(
            fails(&Enc::default().str(1, "2").0, &APPS_DEPLOYMENT_SPEC),
            "replicas: wrong wire type: expected Varint, found Len"
        );
        assert_eq!(
            fails(&Enc(vec![0x0d, 1, 2, 3, 4]).0, &CORE_CONFIG_MAP),
            "metadata: wrong wire type: expected Len, found Fixed32"
        );
        // A field number the type does not have.
        assert_eq!(
            fails(&Enc::default().str(99, "x").0, &CORE_CONFIG_MAP),
            "field number 99 is not part of ConfigMap"
        );
        // Strings must be UTF-8; times, quantities and int-or-strings must be well-formed.
        assert_eq!(
            fails(&Enc::default().bytes(1, b"\xff").0, &META_OBJECT_META),
            "name: string is not valid UTF-8"
        );
        let bad_time = Enc::default().msg(8, Enc::default().int(2, 2_000_000_000));
        assert_eq!(
            fails(&bad_time.0, &META_OBJECT_META),
            "creationTimestamp: Time nanos 2000000000 out of range"
        );
        let bad_quantity = Enc::default().entry(1, "cpu", Enc::default().int(1, 5));
        assert_eq!(
            fails(&bad_quantity.0, &CORE_RESOURCE_QUOTA_SPEC),
            "hard.value: wrong wire type: expected Len, found Varint"
        );
        let bad_port = Enc::default().msg(4, Enc::default().int(1, 7));
        assert_eq!(
            fails(&bad_port.0, &CORE_SERVICE_PORT),
            "targetPort: IntOrString type 7 is neither 0 nor 1"
        );
        let odd_entry = Enc::default().bytes(11, &Enc::default().str(3, "x").0);
        assert_eq!(
            fails(&odd_entry.0, &META_OBJECT_META),
            "labels: field number 3 in a map entry"
        );
        let bad_fields = Enc::default().msg(
            17,
            Enc::default().msg(7, Enc::default().bytes(1, b"{not json")),
        );
        assert!(
            fails(&bad_fields.0, &META_OBJECT_META)
                .starts_with("managedFields.fieldsV1: FieldsV1 is not JSON"),
        );
    }

    #[test]
    fn tables_have_unique_numbers_and_names() {
        for (_, _, root) in KINDS {
            let mut todo = vec![*root];
            let mut seen: Vec<&str> = Vec::new();
            while let Some(m) = todo.pop() {
                if seen.contains(&m.name) {
                    continue;
                }
                seen.push(m.name);
                for (i, f) in m.fields.iter().enumerate() {
                    for g in &m.fields[i + 1..] {
                        assert_ne!(f.number, g.number, "{}.{}", m.name, f.json);
                        assert_ne!(f.json, g.json, "{}.{}", m.name, f.json);
                    }
                    if let Kind::Msg(inner) = f.kind {
                        todo.push(inner);
                    }
                    if f.rule == Rule::Inline {
                        assert!(matches!(f.kind, Kind::Msg(_)), "{}.{}", m.name, f.json);
                    }
                }
            }
        }
    }
}
