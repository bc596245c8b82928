//! The CEL of one policy for one binding and param (kube's validator): matchConditions
//! first (one false: the policy does not apply; an error: the failurePolicy), then the
//! validations with their messages, then the auditAnnotations, with kube's messages.

use super::super::ApiServer;
use super::super::webhooks::{Attributes, Versioned, review};
use super::config::{Expression, Policy};
use crate::api::crd_schema::{CelOutcome, PolicyInput, evaluate_policy};
use serde_json::Value;
use std::sync::Arc;

/// kube's MaxEvaluatedMessageExpressionSizeBytes.
const MAX_MESSAGE_LEN: usize = 5 * 1024;

/// A decision that is not "admit".
#[derive(Debug, PartialEq)]
pub enum Decision {
    /// A failed validation, or an evaluation error under failurePolicy Fail: what the
    /// binding's validationActions act on.
    Deny {
        message: String,
        reason: Option<String>,
    },
    /// An auditAnnotation that could not be evaluated: a denial whatever the actions.
    AuditError(String),
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// kube's words for an expression that failed to evaluate.
fn eval_error(source: &str, e: &str) -> String {
    format!(
        "expression '{source}' resulted in error: {}",
        lower_first(e)
    )
}

/// The expressions sent to the CEL thread, each remembered by its place.
#[derive(Default)]
struct Batch {
    expressions: Vec<(String, Arc<cel::Program>)>,
}

impl Batch {
    /// Its slot, or the compile error of an expression stored before it was checked.
    fn add(&mut self, e: &Expression) -> Result<usize, String> {
        let p = e.program.clone()?;
        self.expressions.push((e.source.clone(), p));
        Ok(self.expressions.len() - 1)
    }
}

/// The outcome of one expression: its slot's result, or the compile error.
fn outcome(
    results: &[Result<CelOutcome, String>],
    slot: &Result<usize, String>,
) -> Result<CelOutcome, String> {
    match slot {
        Ok(i) => results
            .get(*i)
            .cloned()
            .unwrap_or_else(|| Err("expression was not evaluated".into())),
        Err(e) => Err(format!("compilation failed: {e}")),
    }
}

impl ApiServer {
    pub(super) fn evaluate_policy(
        &self,
        policy: &Policy,
        attrs: &Attributes,
        view: &Versioned,
        param: Option<Value>,
        namespace: &Value,
    ) -> Vec<Decision> {
        let seen =
            |o: &Option<std::borrow::Cow<'_, Value>>| o.as_deref().cloned().unwrap_or(Value::Null);
        let inputs = vec![
            ("object".to_string(), seen(&view.object)),
            ("oldObject".to_string(), seen(&view.old)),
            ("request".to_string(), review::request_fields(attrs, view)),
            ("params".to_string(), param.unwrap_or(Value::Null)),
            ("namespaceObject".to_string(), namespace.clone()),
        ];
        let variables = policy
            .variables
            .iter()
            .filter_map(|(name, e)| Some((name.clone(), e.source.clone(), e.program.clone().ok()?)))
            .collect();
        let mut batch = Batch::default();
        let conditions: Vec<_> = policy
            .conditions
            .iter()
            .map(|(_, e)| batch.add(e))
            .collect();
        let validations: Vec<_> = policy
            .validations
            .iter()
            .map(|v| {
                (
                    batch.add(&v.expression),
                    v.message_expression.as_ref().map(|m| batch.add(m)),
                )
            })
            .collect();
        let audits: Vec<_> = policy
            .audit_annotations
            .iter()
            .map(|(_, e)| batch.add(e))
            .collect();
        let results = evaluate_policy(
            PolicyInput {
                inputs,
                variables,
                expressions: batch.expressions,
                authorizer: Some(super::super::webhooks::cel_authorizer::principal(attrs)),
            },
            |q| self.answer_check(q),
        );
        let fail = !policy.ignore_failures;
        let error_decision = |message: String| {
            fail.then_some(Decision::Deny {
                message,
                reason: None,
            })
        };

        let mut errors = Vec::new();
        for ((_, e), slot) in policy.conditions.iter().zip(&conditions) {
            match outcome(&results, slot) {
                Ok(CelOutcome::Bool(false)) => return Vec::new(),
                Ok(_) => {}
                Err(err) => errors.push(eval_error(&e.source, &err)),
            }
        }
        if !errors.is_empty() {
            // kube's aggregate of several errors is bracketed.
            let message = if errors.len() == 1 {
                errors.remove(0)
            } else {
                format!("[{}]", errors.join(", "))
            };
            return error_decision(message).into_iter().collect();
        }

        let mut decisions = Vec::new();
        for (v, (slot, message_slot)) in policy.validations.iter().zip(&validations) {
            match outcome(&results, slot) {
                Ok(CelOutcome::Bool(true)) => {}
                Err(err) => {
                    decisions.extend(error_decision(eval_error(&v.expression.source, &err)));
                }
                Ok(_) => {
                    let evaluated = message_slot
                        .as_ref()
                        .and_then(|s| match outcome(&results, s) {
                            Ok(CelOutcome::Text(t)) => Some(t.trim().to_string()),
                            _ => None,
                        })
                        .filter(|m| {
                            !m.is_empty() && m.len() <= MAX_MESSAGE_LEN && !m.contains('\n')
                        });
                    let message = evaluated
                        .or_else(|| Some(v.message.trim().to_string()).filter(|m| !m.is_empty()))
                        .unwrap_or_else(|| {
                            format!("failed expression: {}", v.expression.source.trim())
                        });
                    decisions.push(Decision::Deny {
                        message,
                        reason: v.reason.clone(),
                    });
                }
            }
        }

        for ((_, e), slot) in policy.audit_annotations.iter().zip(&audits) {
            match outcome(&results, slot) {
                Ok(CelOutcome::Text(_) | CelOutcome::Null) => {}
                Ok(CelOutcome::Bool(_)) => decisions.push(unsupported(&e.source, "bool")),
                Ok(CelOutcome::Other(t)) => {
                    decisions.push(unsupported(&e.source, &t.to_lowercase()));
                }
                Err(err) if fail => {
                    decisions.push(Decision::AuditError(eval_error(&e.source, &err)));
                }
                Err(_) => {}
            }
        }
        decisions
    }
}

fn unsupported(source: &str, ty: &str) -> Decision {
    Decision::AuditError(format!(
        "valueExpression '{source}' resulted in unsupported return type: {ty}. Return type must be either string or null."
    ))
}
