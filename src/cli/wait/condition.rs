//! What `wait --for` waits for, parsed as kubectl parses it, and whether an object meets it.

use crate::cli::errors::CliError;
use crate::print::jsonpath::{self, JsonPath, Res};
use serde_json::Value;

/// The parsed `--for`.
pub enum For {
    Create,
    Delete,
    /// `condition=NAME[=VALUE]`; the value defaults to `true`; both compare case-folded.
    Condition {
        name: String,
        value: String,
    },
    /// `jsonpath='{...}'[=VALUE]`; without a value, any non-empty result meets it.
    JsonPath {
        path: Box<JsonPath>,
        value: Option<String>,
    },
}

const JSONPATH_FORMAT: &str = "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'";

impl For {
    pub fn parse(text: &str) -> Result<For, CliError> {
        let lower = text.to_lowercase();
        if lower == "delete" {
            return Ok(For::Delete);
        }
        if lower == "create" {
            return Ok(For::Create);
        }
        if let Some(rest) = text.strip_prefix("condition=") {
            let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
            return Ok(For::Condition {
                name: name.to_string(),
                value: value.to_string(),
            });
        }
        if let Some(rest) = text.strip_prefix("jsonpath=") {
            let parts: Vec<&str> = rest.split('=').collect();
            let (expr, value) = match parts.as_slice() {
                [expr] => (*expr, None),
                [_, ""] => {
                    return Err(CliError::message(
                        "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
                    ));
                }
                [expr, value] => (*expr, Some(value.to_string())),
                _ => return Err(CliError::message(JSONPATH_FORMAT)),
            };
            let template = relaxed(expr)?;
            let path = jsonpath::parse_template(&template).map_err(CliError::message)?;
            return Ok(For::JsonPath {
                path: Box::new(path),
                value,
            });
        }
        Err(CliError::message(format!(
            "unrecognized condition: {text:?}"
        )))
    }

    /// Whether `obj` (present) meets a condition or jsonpath wait. Create is met by any
    /// object, delete by none.
    pub fn met(&self, obj: &Value) -> Result<bool, CliError> {
        match self {
            For::Create => Ok(true),
            For::Delete => Ok(false),
            For::Condition { name, value } => Ok(condition_met(obj, name, value)),
            For::JsonPath { path, value } => jsonpath_met(path, value.as_deref(), obj),
        }
    }
}

/// kubectl's relaxed jsonpath: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`.
fn relaxed(expr: &str) -> Result<String, CliError> {
    let body = if let Some(inner) = expr.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
        inner
    } else {
        expr
    };
    let body = body.strip_prefix('.').unwrap_or(body);
    if body.is_empty() || body.contains(['{', '}']) {
        return Err(CliError::message(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        ));
    }
    Ok(format!("{{.{body}}}"))
}

fn condition_met(obj: &Value, name: &str, value: &str) -> bool {
    let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            let named = c["type"]
                .as_str()
                .is_some_and(|t| t.to_lowercase() == name.to_lowercase());
            // A condition about an older generation says nothing about this one.
            let current = match (c["observedGeneration"].as_i64(), generation) {
                (Some(seen), Some(g)) => seen >= g,
                _ => true,
            };
            named
                && current
                && c["status"]
                    .as_str()
                    .is_some_and(|s| s.to_lowercase() == value.to_lowercase())
        })
}

fn jsonpath_met(path: &JsonPath, want: Option<&str>, obj: &Value) -> Result<bool, CliError> {
    let Ok(results) = path.find_results(obj) else {
        return Ok(false);
    };
    let Some(first) = results.first().filter(|r| !r.is_empty()) else {
        return Ok(false);
    };
    if results.len() > 1 {
        return Err(CliError::message(
            "given jsonpath expression matches more than one list",
        ));
    }
    if first.len() > 1 {
        return Err(CliError::message(
            "given jsonpath expression matches more than one value",
        ));
    }
    let found = &first[0];
    if matches!(found, Res::Json(Value::Object(_) | Value::Array(_))) {
        return Err(CliError::message(
            "jsonpath leads to a nested object or list which is not supported",
        ));
    }
    Ok(match want {
        Some(w) => found.fmt_v() == w,
        None => !matches!(found, Res::Json(Value::Null) | Res::Invalid),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]},
               "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}})
    }

    #[test]
    fn conditions_fold_case_and_default_to_true() {
        assert!(For::parse("condition=ready").unwrap().met(&pod()).unwrap());
        assert!(
            !For::parse("condition=Ready=false")
                .unwrap()
                .met(&pod())
                .unwrap()
        );
        assert!(!For::parse("condition=Gone").unwrap().met(&pod()).unwrap());
    }

    #[test]
    fn jsonpath_values_and_errors() {
        let met = |f: &str| For::parse(f).unwrap().met(&pod());
        assert!(met("jsonpath={.status.phase}=Running").unwrap());
        assert!(met("jsonpath=.status.phase=Running").unwrap());
        assert!(!met("jsonpath={.status.phase}=Pending").unwrap());
        assert!(met("jsonpath={.spec.containers[*].name}=c").unwrap());
        assert!(met("jsonpath={.spec}=x").is_err());
        assert!(For::parse("jsonpath={.a}=b=c").is_err());
        assert!(For::parse("jsonpath={.a}=").is_err());
        assert!(For::parse("jsonpath={.a").is_err());
        assert!(For::parse("foo").is_err());
    }
}
