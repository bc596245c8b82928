//! Reading fields of JSON objects as most of kubelite reads them: a field that is absent or
//! of another type reads as empty.

use serde_json::Value;

/// The string at `pointer`, or "".
pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The strings of an array (its other items skipped).
pub fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The strings of the array at `pointer`.
pub fn strings_at(v: &Value, pointer: &str) -> Vec<String> {
    strings(v.pointer(pointer))
}
