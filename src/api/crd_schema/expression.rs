//! CEL expressions outside schemas: admission's matchConditions (and policies), evaluated
//! with the same engine, libraries and limits as `x-kubernetes-validations`, on the CEL
//! thread. Variables are JSON values (`object`, `oldObject`, `request`, ...), typed as kube
//! types untyped JSON: integers as ints, strings as strings.

use super::cel::json_to_cel;
use super::rule::{compile_expression, env, on_cel_thread};
use cel::{Context, Program, Value as Cel};
use serde_json::Value;
use std::sync::Arc;

/// A parsed expression; the error is the compile error text kube reports.
pub fn compile_condition(src: &str) -> Result<Arc<Program>, String> {
    compile_expression(src).map(Arc::new)
}

/// What an expression evaluated to, as far as admission needs to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Bool(bool),
    Text(String),
    /// Any other type, named as CEL names it.
    Other(String),
}

/// Evaluates `program` with `vars` bound; `Err` is the evaluation error text.
pub fn evaluate(program: Arc<Program>, vars: Vec<(String, Value)>) -> Result<Outcome, String> {
    on_cel_thread(move || {
        let mut ctx = Context::with_env(env());
        for (name, v) in &vars {
            ctx.add_variable_from_value(name.as_str(), json_to_cel(v));
        }
        match program.execute(&ctx) {
            Ok(Cel::Bool(b)) => Ok(Outcome::Bool(b)),
            Ok(Cel::String(s)) => Ok(Outcome::Text(s.to_string())),
            Ok(other) => Ok(Outcome::Other(format!("{:?}", other.type_of()))),
            Err(e) => Err(e.to_string()),
        }
    })
    .unwrap_or_else(|| Err("expression evaluation panicked".to_string()))
}
