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
            let list = match slot {
                Slot::Many(list) => list,
                _ => {
                    *slot = Slot::Many(Vec::new());
                    match slot {
                        Slot::Many(list) => list,
                        _ => return Err(err(path, "internal: list slot")),
                    }
                }
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
        }
        Shape::Map => {
            let Wire::Len(entry) = wire else {
                return Err(wrong_type(path, WireType::Len, wire));
            };
            let (key, val) = map_entry(entry, field.kind, path, depth)?;
            match slot {
                Slot::Map(map) => {
                    map.insert(key, val);
                }
                _ => {
                    let mut map = Map::new();
                    map.insert(key, val);
                    *slot = Slot::Map(map);
                }
            }
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
        Kind::Time | Kind::MicroTime | Kind::FieldsV1 => Ok(Value::Null),
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
        Kind::FieldsV1 => fields_v1(bytes, path),
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

/// `FieldsV1` holds its JSON as raw bytes.
fn fields_v1(bytes: &[u8], path: &str) -> Result<Value, DecodeError> {
    let fields = small_message(bytes, path, &[(1, WireType::Len)], "FieldsV1")?;
    let raw = last_bytes(&fields, 1);
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(raw).map_err(|e| err(path, format!("FieldsV1 is not JSON: {e}")))
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
