//! The compile check of webhooks' matchConditions when a configuration is written (the
//! rest of its validation is `api::validation`, which has no CEL engine).

use crate::api::crd_schema::compile_condition;
use crate::api::validation::FieldError;
use serde_json::{Value, json};

pub fn compile_errors(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let hooks = obj.get("webhooks").and_then(Value::as_array);
    for (i, hook) in hooks.into_iter().flatten().enumerate() {
        let conditions = hook.get("matchConditions").and_then(Value::as_array);
        for (j, c) in conditions.into_iter().flatten().enumerate() {
            let Some(expr) = c
                .get("expression")
                .and_then(Value::as_str)
                .filter(|e| !e.trim().is_empty())
            else {
                continue;
            };
            if let Err(e) = compile_condition(expr) {
                errs.push(FieldError::invalid(
                    &format!("webhooks[{i}].matchConditions[{j}].expression"),
                    json!(expr),
                    &format!("compilation failed: {e}"),
                ));
            }
        }
    }
    errs
}
