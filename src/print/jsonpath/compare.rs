//! Filter comparisons with Go template semantics: an int never compares with a float, null,
//! maps and lists cannot be compared, bools only for equality.

use serde_json::Value;

use super::Res;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

enum Scalar<'s> {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'s str),
}

fn scalar<'s>(v: &'s Res<'_>) -> Result<Scalar<'s>, String> {
    let bad = || Err("invalid type for comparison".to_string());
    match v {
        Res::Json(Value::Bool(b)) | Res::Bool(b) => Ok(Scalar::Bool(*b)),
        Res::Json(Value::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Scalar::Int(i)),
            None => Ok(Scalar::Float(n.as_f64().unwrap_or(0.0))),
        },
        Res::Json(Value::String(s)) => Ok(Scalar::Str(s)),
        Res::Str(s) => Ok(Scalar::Str(s)),
        Res::Int(i) => Ok(Scalar::Int(*i)),
        Res::Float(f) => Ok(Scalar::Float(*f)),
        Res::Byte(b) => Ok(Scalar::Uint(u64::from(*b))),
        _ => bad(),
    }
}

fn kind(s: &Scalar<'_>) -> Kind {
    match s {
        Scalar::Bool(_) => Kind::Bool,
        Scalar::Int(_) => Kind::Int,
        Scalar::Uint(_) => Kind::Uint,
        Scalar::Float(_) => Kind::Float,
        Scalar::Str(_) => Kind::Str,
    }
}

const INCOMPATIBLE: &str = "incompatible types for comparison";

fn equal(a: &Res<'_>, b: &Res<'_>) -> Result<bool, String> {
    let (x, y) = (scalar(a)?, scalar(b)?);
    Ok(match (x, y) {
        (Scalar::Int(i), Scalar::Uint(u)) | (Scalar::Uint(u), Scalar::Int(i)) => {
            i >= 0 && i as u64 == u
        }
        (Scalar::Bool(p), Scalar::Bool(q)) => p == q,
        (Scalar::Int(p), Scalar::Int(q)) => p == q,
        (Scalar::Uint(p), Scalar::Uint(q)) => p == q,
        (Scalar::Float(p), Scalar::Float(q)) => p == q,
        (Scalar::Str(p), Scalar::Str(q)) => p == q,
        _ => return Err(INCOMPATIBLE.into()),
    })
}

fn less(a: &Res<'_>, b: &Res<'_>) -> Result<bool, String> {
    let (x, y) = (scalar(a)?, scalar(b)?);
    if kind(&x) == kind(&y) && kind(&x) == Kind::Bool {
        return Err("invalid type for comparison".into());
    }
    Ok(match (x, y) {
        (Scalar::Int(i), Scalar::Uint(u)) => i < 0 || (i as u64) < u,
        (Scalar::Uint(u), Scalar::Int(i)) => i >= 0 && u < i as u64,
        (Scalar::Int(p), Scalar::Int(q)) => p < q,
        (Scalar::Uint(p), Scalar::Uint(q)) => p < q,
        (Scalar::Float(p), Scalar::Float(q)) => p < q,
        (Scalar::Str(p), Scalar::Str(q)) => p < q,
        _ => return Err(INCOMPATIBLE.into()),
    })
}

pub(super) fn compare(op: &str, a: &Res<'_>, b: &Res<'_>) -> Result<bool, String> {
    match op {
        "==" => equal(a, b),
        "!=" => equal(a, b).map(|e| !e),
        "<" => less(a, b),
        "<=" => {
            if less(a, b)? {
                return Ok(true);
            }
            equal(a, b)
        }
        ">" => {
            let le = if less(a, b)? { true } else { equal(a, b)? };
            Ok(!le)
        }
        ">=" => less(a, b).map(|l| !l),
        _ => Err(format!("unrecognized filter operator {op}")),
    }
}
