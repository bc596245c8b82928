//! `--sort-by` on server-side Tables, as kubectl's table sorter does it: one key per row taken
//! from the row's object, Go's (unstable) sort.Sort, rows without the key first, numbers by
//! value, strings as quantities when both parse as one, otherwise byte-wise (`cm-10` sorts
//! before `cm-2`, as the real kubectl does for server-side tables).

use serde_json::Value;

use crate::print::go_sort::sort_unstable_like_go;

/// Sorts the Table's rows by `key`, evaluated on each row's `object` (kubectl requests
/// `includeObject=Object` when sorting). `key` is typically a JSONPath evaluation; rows where
/// it yields nothing sort first.
pub fn sort_rows_by(table: &mut Value, key: &dyn Fn(&Value) -> Option<Value>) {
    let Some(rows) = table.get_mut("rows").and_then(Value::as_array_mut) else {
        return;
    };
    let mut keyed: Vec<(Option<Value>, Value)> = rows
        .drain(..)
        .map(|row| (row.get("object").and_then(key), row))
        .collect();
    sort_unstable_like_go(&mut keyed, &|a, b| key_less(a.0.as_ref(), b.0.as_ref()));
    rows.extend(keyed.into_iter().map(|(_, row)| row));
}

/// A dotted field path (`.metadata.name`, `{.spec.replicas}`, `.status.podIPs[0].ip`)
/// evaluated on one object; the full kubectl JSONPath lives in crate::print::jsonpath.
pub fn simple_path(obj: &Value, path: &str) -> Option<Value> {
    let path = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut current = obj;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (name, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            current = current.get(name)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            current = current.get(i)?;
        }
    }
    Some(current.clone())
}

/// kubectl's "less" for two row keys: a missing left key is always less (even against
/// another missing key), a missing right key never.
fn key_less(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, _) | (Some(Value::Null), _) => true,
        (_, None) | (_, Some(Value::Null)) => false,
        (Some(a), Some(b)) => value_less(a, b),
    }
}

fn value_less(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x < y,
            _ => x.as_f64().unwrap_or(0.0) < y.as_f64().unwrap_or(0.0),
        },
        (Value::String(x), Value::String(y)) => match (quantity(x), quantity(y)) {
            (Some(qx), Some(qy)) => qx < qy,
            _ => x < y,
        },
        // Lists compare element-wise over the shorter length; equal prefixes count as less.
        (Value::Array(x), Value::Array(y)) => {
            for (ex, ey) in x.iter().zip(y) {
                if !value_less(ex, ey) {
                    return false;
                }
            }
            true
        }
        // Other combinations are unsortable for kubectl; keep them in place.
        _ => false,
    }
}

/// A Kubernetes quantity (`100m`, `1.5Gi`, `2e3`, `7`) as a number, or None.
fn quantity(text: &str) -> Option<f64> {
    let suffixes: [(&str, f64); 16] = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
        ("", 1.0),
    ];
    let (number, scale) = suffixes
        .iter()
        .find_map(|(suffix, scale)| text.strip_suffix(suffix).map(|n| (n, *scale)))?;
    let (mantissa, exponent) = match number.find(['e', 'E']) {
        Some(i) => (&number[..i], number[i + 1..].parse::<i32>().ok()?),
        None => (number, 0),
    };
    let digits = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && digits != ".";
    if !well_formed {
        return None;
    }
    Some(mantissa.parse::<f64>().ok()? * 10f64.powi(exponent) * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_compare_bytewise_unless_quantities() {
        assert!(value_less(&Value::from("cm-10"), &Value::from("cm-2")));
        assert!(value_less(&Value::from("2"), &Value::from("10")));
        assert!(!value_less(&Value::from("b"), &Value::from("a")));
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity("100m"), Some(0.1));
        assert_eq!(quantity("1Ki"), Some(1024.0));
        assert_eq!(quantity("2e3"), Some(2000.0));
        assert_eq!(quantity("10.244.1.5"), None);
        assert_eq!(quantity("web"), None);
        assert!(value_less(&Value::from("500m"), &Value::from("1")));
    }

    #[test]
    fn paths() {
        let obj = serde_json::json!({"a": {"b": [{"c": 1}]}});
        assert_eq!(simple_path(&obj, "{.a.b[0].c}"), Some(Value::from(1)));
        assert_eq!(simple_path(&obj, ".a.x"), None);
    }
}
