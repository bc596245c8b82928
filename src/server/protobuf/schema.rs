//! The shape of the schema tables: for each message, its fields by number with the JSON
//! name, what the field holds and how Go's JSON writes it.

/// What one field holds on the wire (and so what its JSON value is).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A length-delimited UTF-8 string.
    Str,
    /// A varint (int32, int64): a JSON number.
    Int,
    /// A varint 0 or 1: a JSON boolean.
    Bool,
    /// Length-delimited bytes: a base64 JSON string.
    Bytes,
    /// A nested message: a JSON object.
    Msg(&'static Message),
    /// `metav1.Time` (seconds, nanos): RFC 3339 to the second, `null` when zero.
    Time,
    /// `metav1.MicroTime`: RFC 3339 with microseconds, `null` when zero.
    MicroTime,
    /// `resource.Quantity` (a message holding its canonical string): a JSON string.
    Quantity,
    /// `intstr.IntOrString` (type, intVal, strVal): a JSON number or string.
    IntOrString,
    /// `metav1.FieldsV1` (raw JSON bytes): that JSON.
    FieldsV1,
    /// `runtime.RawExtension` (raw JSON bytes, a ControllerRevision's `data`): that JSON.
    RawExtension,
}

/// How many values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    One,
    /// A repeated field: a JSON array.
    Many,
    /// A `map<string, Kind>` (repeated key/value entries): a JSON object.
    Map,
}

/// When Go's JSON encoder writes the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `omitempty` on a plain value: absent when zero or empty. A nested message is written
    /// whenever it is on the wire (Go never omits a struct, and omits a nil pointer).
    NonZero,
    /// A pointer: written whenever it is on the wire, zero or not.
    Set,
    /// No `omitempty`: always written (the zero value, or `null` for a nil slice or time).
    Always,
    /// An embedded struct whose fields JSON writes into the parent object.
    Inline,
}

#[derive(Debug)]
pub struct Field {
    pub number: u32,
    pub json: &'static str,
    pub shape: Shape,
    pub kind: Kind,
    pub rule: Rule,
}

/// A table row; `const` so that the tables are plain statics.
pub const fn f(number: u32, json: &'static str, shape: Shape, kind: Kind, rule: Rule) -> Field {
    Field {
        number,
        json,
        shape,
        kind,
        rule,
    }
}

#[derive(Debug)]
pub struct Message {
    pub name: &'static str,
    /// In Go struct order, which is the order of the keys in Go's JSON.
    pub fields: &'static [Field],
}

impl Message {
    pub fn field(&self, number: u32) -> Option<(usize, &'static Field)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.number == number)
    }
}
