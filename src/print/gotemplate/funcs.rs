//! The template functions: Go's builtins and kubectl's `base64decode` and `exists`.

use super::printf::{sprint, sprintf, sprintln};
use super::value::Val;
use base64::Engine;

/// Arity: exact count, or at least (variadic).
pub fn arity(name: &str) -> (usize, bool) {
    match name {
        "not" | "len" | "base64decode" => (1, false),
        "and" | "or" | "index" | "slice" | "exists" => (1, true),
        "eq" | "ne" | "lt" | "le" | "gt" | "ge" => (2, false),
        "printf" => (1, true),
        "call" => (1, true),
        _ => (0, true),
    }
}

pub enum FnError {
    Call(String),
    Arg(String),
}

fn call_err<T>(m: impl Into<String>) -> Result<T, FnError> {
    Err(FnError::Call(m.into()))
}

pub fn string_arg(v: &Val) -> Result<String, FnError> {
    match v {
        Val::Str(s) => Ok(s.clone()),
        Val::Missing | Val::Null => Err(FnError::Arg("invalid value; expected string".into())),
        other => Err(FnError::Arg(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        ))),
    }
}

pub fn builtin(name: &str, v: &[Val]) -> Result<Val, FnError> {
    Ok(match name {
        "not" => Val::Bool(!v[0].truth()),
        "len" => Val::LitInt(match &v[0] {
            Val::Str(s) => s.len(),
            Val::List(l) => l.len(),
            Val::Map(m) => m.len(),
            Val::Null => return call_err("len of nil pointer"),
            Val::Missing => return call_err("reflect: call of reflect.Value.Type on zero Value"),
            other => return call_err(format!("len of type {}", other.type_name())),
        } as i64),
        "index" => index(&v[0], &v[1..])?,
        "slice" => slice(&v[0], &v[1..])?,
        "print" => Val::Str(sprint(v)),
        "println" => Val::Str(sprintln(v)),
        "printf" => Val::Str(sprintf(&string_arg(&v[0])?, &v[1..])),
        "eq" if v.len() < 2 => return call_err("missing argument for comparison"),
        "eq" => {
            let mut any = false;
            for b in &v[1..] {
                if eq(&v[0], b)? {
                    any = true;
                    break;
                }
            }
            Val::Bool(any)
        }
        "ne" => Val::Bool(!eq(&v[0], &v[1])?),
        "lt" => Val::Bool(lt(&v[0], &v[1])?),
        "le" => Val::Bool(lt(&v[0], &v[1])? || eq(&v[0], &v[1])?),
        "gt" => Val::Bool(!(lt(&v[0], &v[1])? || eq(&v[0], &v[1])?)),
        "ge" => Val::Bool(!lt(&v[0], &v[1])?),
        "html" => Val::Str(html(&joined(v))),
        "js" => Val::Str(js(&joined(v))),
        "urlquery" => Val::Str(urlquery(&joined(v))),
        "base64decode" => {
            let s = string_arg(&v[0])?;
            match crate::go::base64::STD.decode(s.as_bytes()) {
                Ok(b) => Val::Str(String::from_utf8_lossy(&b).into_owned()),
                Err(e) => return call_err(format!("base64 decode failed: {}", b64_error(&e))),
            }
        }
        "exists" => Val::Bool(exists(&v[0], &v[1..])),
        "call" => return call_err("call is not supported by kubelite"),
        _ => Val::Missing,
    })
}

fn b64_error(e: &base64::DecodeError) -> String {
    let at = match e {
        base64::DecodeError::InvalidByte(i, _) => *i,
        base64::DecodeError::InvalidLength(n) => *n,
        base64::DecodeError::InvalidLastSymbol { offset, .. } => *offset,
        base64::DecodeError::InvalidPadding => 0,
    };
    format!("illegal base64 data at input byte {at}")
}

/// The text `html`, `js` and `urlquery` escape: one string as is, else `fmt.Sprint` of the
/// arguments with no value printed as `<no value>`.
fn joined(v: &[Val]) -> String {
    match v {
        [Val::Str(s)] => s.clone(),
        _ => {
            let shown: Vec<Val> = v
                .iter()
                .map(|a| match a {
                    Val::Missing | Val::Null => Val::Str("<no value>".into()),
                    a => a.clone(),
                })
                .collect();
            sprint(&shown)
        }
    }
}

fn exists(item: &Val, path: &[Val]) -> bool {
    let mut cur = item.clone();
    for i in path {
        cur = match (&cur, i) {
            (Val::Null, _) => return false,
            (Val::List(l), Val::Int(x) | Val::LitInt(x)) => {
                match usize::try_from(*x).ok().and_then(|x| l.get(x)) {
                    Some(e) => Val::from_json(e),
                    None => return false,
                }
            }
            (Val::Str(s), Val::Int(x) | Val::LitInt(x)) => {
                match usize::try_from(*x).ok().and_then(|x| s.as_bytes().get(x)) {
                    Some(b) => Val::Byte(*b),
                    None => return false,
                }
            }
            (Val::Map(m), Val::Str(k)) => m.get(k).map(Val::from_json).unwrap_or(Val::Null),
            _ => return false,
        };
    }
    !matches!(cur, Val::Null)
}

fn int_index(i: &Val) -> Result<i64, FnError> {
    match i {
        Val::Int(x) | Val::LitInt(x) => Ok(*x),
        Val::Byte(b) => Ok(i64::from(*b)),
        Val::Missing | Val::Null => call_err("cannot index slice/array with nil"),
        other => call_err(format!(
            "cannot index slice/array with type {}",
            other.type_name()
        )),
    }
}

fn index(item: &Val, idx: &[Val]) -> Result<Val, FnError> {
    let mut cur = item.clone();
    for i in idx {
        cur = match &cur {
            Val::Missing => return call_err("index of untyped nil"),
            Val::Null => return call_err("index of nil pointer"),
            Val::List(l) => {
                let x = int_index(i)?;
                match usize::try_from(x).ok().and_then(|x| l.get(x)) {
                    Some(e) => Val::from_json(e),
                    None => return call_err(format!("index out of range: {x}")),
                }
            }
            Val::Str(s) => {
                let x = int_index(i)?;
                match usize::try_from(x).ok().and_then(|x| s.as_bytes().get(x)) {
                    Some(b) => Val::Byte(*b),
                    None => return call_err(format!("index out of range: {x}")),
                }
            }
            Val::Map(m) => match i {
                Val::Str(k) => m.get(k).map(Val::from_json).unwrap_or(Val::Null),
                Val::Missing | Val::Null => Val::Null,
                other => {
                    return call_err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return call_err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(cur)
}

fn slice(item: &Val, idx: &[Val]) -> Result<Val, FnError> {
    if idx.len() > 3 {
        return call_err(format!("too many slice indexes: {}", idx.len()));
    }
    let len = match item {
        Val::Str(s) => s.len(),
        Val::List(l) => l.len(),
        Val::Missing => return call_err("slice of untyped nil"),
        Val::Null => return call_err("slice of nil pointer"),
        other => return call_err(format!("can't slice item of type {}", other.type_name())),
    };
    if idx.len() == 3 && matches!(item, Val::Str(_)) {
        return call_err("cannot 3-index slice a string");
    }
    let mut bounds = [0usize, len, len];
    for (k, i) in idx.iter().enumerate() {
        let x = int_index(i)?;
        if x < 0 || x as usize > len {
            return call_err(format!("index out of range: {x}"));
        }
        bounds[k] = x as usize;
    }
    if idx.len() < 2 {
        bounds[1] = len;
    }
    if bounds[0] > bounds[1] {
        return call_err(format!(
            "invalid slice index: {} > {}",
            bounds[0], bounds[1]
        ));
    }
    if idx.len() == 3 && bounds[1] > bounds[2] {
        return call_err(format!(
            "invalid slice index: {} > {}",
            bounds[1], bounds[2]
        ));
    }
    Ok(match item {
        Val::Str(s) => {
            Val::Str(String::from_utf8_lossy(&s.as_bytes()[bounds[0]..bounds[1]]).into_owned())
        }
        Val::List(l) => Val::List(l[bounds[0]..bounds[1]].to_vec()),
        _ => Val::Missing,
    })
}

#[derive(PartialEq)]
enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    Str,
    Other,
}

fn kind(v: &Val) -> Kind {
    match v {
        Val::Bool(_) => Kind::Bool,
        Val::Int(_) | Val::LitInt(_) => Kind::Int,
        Val::Byte(_) => Kind::Uint,
        Val::Float(_) => Kind::Float,
        Val::Str(_) => Kind::Str,
        _ => Kind::Other,
    }
}

fn as_i128(v: &Val) -> i128 {
    match v {
        Val::Int(i) | Val::LitInt(i) => i128::from(*i),
        Val::Byte(b) => i128::from(*b),
        _ => 0,
    }
}

fn valid(v: &Val) -> bool {
    !matches!(v, Val::Missing | Val::Null)
}

fn eq(a: &Val, b: &Val) -> Result<bool, FnError> {
    let (ka, kb) = (kind(a), kind(b));
    let ints = |k: &Kind| matches!(k, Kind::Int | Kind::Uint);
    if ka != kb {
        if ints(&ka) && ints(&kb) {
            return Ok(as_i128(a) == as_i128(b));
        }
        if valid(a) && valid(b) {
            return call_err("incompatible types for comparison");
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Float(x), Val::Float(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        _ if ka == Kind::Int || ka == Kind::Uint => as_i128(a) == as_i128(b),
        _ => {
            if !valid(a) || !valid(b) {
                !valid(a) && !valid(b)
            } else {
                return call_err(format!(
                    "non-comparable type {}: {}",
                    b.fmt_v(),
                    b.type_name()
                ));
            }
        }
    })
}

fn lt(a: &Val, b: &Val) -> Result<bool, FnError> {
    let (ka, kb) = (kind(a), kind(b));
    if matches!(ka, Kind::Other | Kind::Bool) || matches!(kb, Kind::Other | Kind::Bool) {
        return call_err("invalid type for comparison");
    }
    let ints = |k: &Kind| matches!(k, Kind::Int | Kind::Uint);
    if ka != kb && !(ints(&ka) && ints(&kb)) {
        return call_err("incompatible types for comparison");
    }
    Ok(match (a, b) {
        (Val::Float(x), Val::Float(y)) => x < y,
        (Val::Str(x), Val::Str(y)) => x < y,
        _ => as_i128(a) < as_i128(b),
    })
}

/// Go's `template.HTMLEscapeString`.
fn html(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
fn js(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if crate::go::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
fn urlquery(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
