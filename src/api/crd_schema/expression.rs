//! CEL expressions outside schemas: admission's matchConditions (and policies), evaluated
//! with the same engine, libraries and limits as `x-kubernetes-validations`, on the CEL
//! thread. Variables are JSON values (`object`, `oldObject`, `request`, ...), typed as kube
//! types untyped JSON: integers as ints, strings as strings.

use super::cel::{RUNTIME_BUDGET, json_to_cel, size};
use super::cel_authz::{Answer, Asker, Authorizer, Principal, Query};
use super::rule::{compile_expression, count_comprehensions, env, on_cel_thread_answering};
use cel::common::types::{CelMap, CelMapKey};
use cel::common::value::Val;
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
    Null,
    /// Any other type, named as CEL names it.
    Other(String),
}

/// Evaluates `program` with `vars` bound, and `authorizer` when a principal is given (its
/// checks decided by `answer` on this thread); `Err` is the evaluation error text.
pub fn evaluate(
    program: Arc<Program>,
    vars: Vec<(String, Value)>,
    authorizer: Option<Principal>,
    answer: impl FnMut(&Query) -> Answer,
) -> Result<Outcome, String> {
    on_cel_thread_answering(
        move |asker| {
            let mut ctx = Context::with_env(env());
            for (name, v) in &vars {
                ctx.add_variable_from_value(name.as_str(), json_to_cel(v));
            }
            if let Some(p) = authorizer {
                ctx.add_variable_as_val("authorizer", Box::new(Authorizer::new(p, asker)));
            }
            match program.execute(&ctx) {
                Ok(Cel::Bool(b)) => Ok(Outcome::Bool(b)),
                Ok(Cel::String(s)) => Ok(Outcome::Text(s.to_string())),
                Ok(other) => Ok(Outcome::Other(format!("{:?}", other.type_of()))),
                Err(e) => Err(error_text(&e)),
            }
        },
        answer,
    )
    .unwrap_or_else(|| Err("expression evaluation panicked".to_string()))
}

/// An evaluation error as kube words it: its libraries' errors bare.
fn error_text(e: &cel::ExecutionError) -> String {
    super::cel_library::kube_text(e).unwrap_or_else(|| e.to_string())
}

/// What one admission policy evaluation needs: the inputs bound by name (`object`,
/// `request`, ...), the policy's variables in order (name, source, program), its
/// expressions with their source, and whom `authorizer` checks for (none: no
/// `authorizer`).
pub struct PolicyInput {
    pub inputs: Vec<(String, Value)>,
    pub variables: Vec<(String, String, Arc<Program>)>,
    pub expressions: Vec<(String, Arc<Program>)>,
    pub authorizer: Option<Principal>,
}

/// cel-go's error when an evaluation would exceed its cost limit.
const OUT_OF_BUDGET: &str = "operation cancelled: actual cost limit exceeded";

/// The `cel` crate counts no cost, so each expression is charged before it runs: nothing
/// for one without comprehensions, `size(inputs)^comprehensions` otherwise, from kube's
/// runtime budget for one evaluation.
struct Budget {
    input_size: u64,
    left: u64,
}

impl Budget {
    fn charge(&mut self, src: &str) -> Result<(), String> {
        let mut cost = 1u64;
        for _ in 0..count_comprehensions(src) {
            cost = cost.saturating_mul(self.input_size);
        }
        if cost > self.left {
            self.left = 0;
            return Err(OUT_OF_BUDGET.to_string());
        }
        self.left -= cost;
        Ok(())
    }
}

/// Evaluates a policy's expressions, each variable computed once (in order, each seeing the
/// ones before it as `variables.NAME`). An expression that reads a variable whose
/// evaluation failed fails with that variable's error, as kube's lazy composition does.
pub fn evaluate_policy(
    input: PolicyInput,
    answer: impl FnMut(&Query) -> Answer,
) -> Vec<Result<Outcome, String>> {
    let n = input.expressions.len();
    let input_size = input
        .inputs
        .iter()
        .map(|(_, v)| size(v, RUNTIME_BUDGET))
        .fold(1u64, u64::saturating_add);
    let mut budget = Budget {
        input_size,
        left: RUNTIME_BUDGET,
    };
    let run = move |asker: Asker| {
        let mut ctx = Context::with_env(env());
        for (name, v) in &input.inputs {
            ctx.add_variable_from_value(name.as_str(), json_to_cel(v));
        }
        if let Some(p) = input.authorizer {
            ctx.add_variable_as_val("authorizer", Box::new(Authorizer::new(p, asker)));
        }
        // Kept as CEL values, not converted: a variable may hold one of the authorization
        // library's types (`authorizer.group('').resource('pods')`).
        let mut values: Vec<(String, Box<dyn Val>)> = Vec::new();
        let mut failed: Vec<(String, String)> = Vec::new();
        ctx.add_variable_as_val("variables", Box::new(variables_map(&values)));
        for (name, src, program) in &input.variables {
            if let Err(e) = budget.charge(src) {
                failed.push((name.clone(), e));
                continue;
            }
            let value = Cel::resolve_val(program.expression(), &ctx).map(|v| v.clone_as_boxed());
            match value {
                Ok(v) => {
                    values.push((name.clone(), v));
                    ctx.add_variable_as_val("variables", Box::new(variables_map(&values)));
                }
                Err(e) => failed.push((name.clone(), error_text(&e))),
            }
        }
        input
            .expressions
            .iter()
            .map(|(src, program)| {
                if let Some((_, e)) = failed.iter().find(|(name, _)| reads_variable(src, name)) {
                    return Err(e.clone());
                }
                budget.charge(src)?;
                match program.execute(&ctx) {
                    Ok(Cel::Bool(b)) => Ok(Outcome::Bool(b)),
                    Ok(Cel::String(s)) => Ok(Outcome::Text(s.to_string())),
                    Ok(Cel::Null) => Ok(Outcome::Null),
                    Ok(other) => Ok(Outcome::Other(format!("{:?}", other.type_of()))),
                    Err(e) => Err(error_text(&e)),
                }
            })
            .collect::<Vec<_>>()
    };
    on_cel_thread_answering(run, answer)
        .unwrap_or_else(|| vec![Err("expression evaluation panicked".to_string()); n])
}

/// The `variables` map of the values computed so far.
fn variables_map(values: &[(String, Box<dyn Val>)]) -> CelMap<'static> {
    let map: std::collections::HashMap<CelMapKey<'static>, Box<dyn Val>> = values
        .iter()
        .map(|(k, v)| (CelMapKey::from(k.clone()), v.clone_as_boxed()))
        .collect();
    CelMap::from(map)
}

/// Whether `src` selects `variables.NAME` (a whole word).
fn reads_variable(src: &str, name: &str) -> bool {
    let needle = format!("variables.{name}");
    src.match_indices(&needle).any(|(at, _)| {
        let before = src[..at].chars().next_back();
        let after = src[at + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn program(src: &str) -> (String, Arc<Program>) {
        (src.to_string(), compile_condition(src).unwrap())
    }

    fn variable(name: &str, src: &str) -> (String, String, Arc<Program>) {
        let (src, p) = program(src);
        (name.to_string(), src, p)
    }

    #[test]
    fn nested_comprehensions_over_big_inputs_run_out_of_budget() {
        let big: Vec<i64> = (0..5000).collect();
        let out = evaluate_policy(
            PolicyInput {
                inputs: vec![("object".into(), json!({ "l": big }))],
                variables: vec![],
                expressions: vec![
                    program("object.l.all(x, object.l.all(y, object.l.exists(z, x + y != z)))"),
                    program("object.l.all(x, x >= 0)"),
                ],
                authorizer: None,
            },
            |_| Answer::default(),
        );
        assert_eq!(out[0], Err(OUT_OF_BUDGET.to_string()));
        // Once the budget is spent, what follows is refused too.
        assert_eq!(out[1], Err(OUT_OF_BUDGET.to_string()));
    }

    #[test]
    fn variables_compose_and_carry_their_errors() {
        let out = evaluate_policy(
            PolicyInput {
                inputs: vec![("object".into(), json!({"spec": {"replicas": 3}}))],
                variables: vec![
                    variable("double", "object.spec.replicas * 2"),
                    variable("broken", "object.spec.missing"),
                    variable("quad", "variables.double * 2"),
                ],
                expressions: vec![
                    program("variables.quad == 12"),
                    program("variables.broken > 1"),
                    program("object.spec.replicas"),
                ],
                authorizer: None,
            },
            |_| Answer::default(),
        );
        assert_eq!(out[0], Ok(Outcome::Bool(true)));
        assert_eq!(out[1], Err("No such key: missing".to_string()));
        assert_eq!(out[2], Ok(Outcome::Other("Int".to_string())));
        assert!(reads_variable("variables.a + 1", "a"));
        assert!(!reads_variable("variables.ab + 1", "a"));
    }
}
