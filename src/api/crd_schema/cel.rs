//! Evaluation of CEL `x-kubernetes-validations` against custom objects: `self` (and
//! `oldSelf` on updates, where the old value correlates) bound to the value at the rule's
//! schema, with kube's messages. The `cel` crate has no cost accounting, so work is bounded
//! here: before each evaluation the rule's cost is estimated as
//! `size(self)^(1 + comprehensions in the rule)` and charged to kube's per-object budget
//! (`RUNTIME_BUDGET`), with kube's out-of-budget error when it would run over. Callers run
//! the walk through `rule::on_big_stack`, as the crate's evaluator recurses deeply.

use super::node::{Node, child, index, key};
use super::rule::{Rule, env};
use crate::api::validation::ErrorType;
use crate::api::validation::FieldError;
use cel::{Context, Value as Cel};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// kube's `RuntimeCELCostBudget`: the cost all rules of one object may spend.
pub const RUNTIME_BUDGET: u64 = 10_000_000;
/// kube's `MaxEvaluatedMessageExpressionSizeBytes`.
const MAX_MESSAGE_LEN: usize = 5 * 1024;
const OUT_OF_BUDGET: &str =
    "validation failed due to running out of cost budget, no further validation rules will be run";

/// `optional.of(v)` or `optional.none()` (the crate does not export its optional type, so
/// the value comes from evaluating CEL).
fn optional(v: Option<Cel>) -> Cel {
    static PROGRAMS: std::sync::OnceLock<Option<(cel::Program, cel::Program)>> =
        std::sync::OnceLock::new();
    let programs = PROGRAMS.get_or_init(|| {
        Some((
            env().compile("optional.of(v)").ok()?,
            env().compile("optional.none()").ok()?,
        ))
    });
    let Some((of, none)) = programs else {
        return Cel::Null;
    };
    let mut ctx = Context::with_env(env());
    let result = match v {
        Some(v) => {
            ctx.add_variable_from_value("v", v);
            of.execute(&ctx)
        }
        None => none.execute(&ctx),
    };
    result.unwrap_or(Cel::Null)
}

/// Converts a JSON value to CEL as kube types it: integers of `number` fields are doubles.
fn to_cel(node: Option<&Node>, v: &Value) -> Cel {
    match v {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => {
            let number_field = node.is_some_and(|n| n.type_ == "number");
            match (n.as_i64(), number_field) {
                (Some(i), false) => Cel::Int(i),
                _ => n
                    .as_u64()
                    .filter(|_| !number_field && n.as_i64().is_none())
                    .map_or(Cel::Float(n.as_f64().unwrap_or(0.0)), Cel::UInt),
            }
        }
        Value::String(s) => string_to_cel(node, s),
        Value::Array(a) => {
            let item = node.and_then(|n| n.items.as_deref());
            Cel::List(Arc::new(a.iter().map(|x| to_cel(item, x)).collect()))
        }
        Value::Object(m) => {
            let map: HashMap<String, Cel> = m
                .iter()
                .map(|(k, x)| {
                    let sub = node.and_then(|n| n.properties.get(k).or(n.additional.as_deref()));
                    (k.clone(), to_cel(sub, x))
                })
                .collect();
            Cel::from(map)
        }
    }
}

/// A JSON value in CEL without a schema: how admission expressions see objects.
pub(super) fn json_to_cel(v: &Value) -> Cel {
    to_cel(None, v)
}

/// Strings of `date-time` fields are timestamps in kube's CEL and `byte` fields are bytes.
fn string_to_cel(node: Option<&Node>, s: &str) -> Cel {
    let format = node.map_or("", |n| n.format.as_str());
    match format {
        "date-time" => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Cel::Timestamp(t),
            Err(_) => Cel::String(Arc::new(s.to_string())),
        },
        "byte" => {
            use base64::Engine;
            match base64::engine::general_purpose::STANDARD.decode(s) {
                Ok(b) => Cel::Bytes(Arc::new(b)),
                Err(_) => Cel::String(Arc::new(s.to_string())),
            }
        }
        _ => Cel::String(Arc::new(s.to_string())),
    }
}

/// Counts JSON nodes, stopping once past `cap`.
pub(super) fn size(v: &Value, cap: u64) -> u64 {
    let mut n = 1u64;
    match v {
        Value::Array(a) => {
            for x in a {
                if n > cap {
                    break;
                }
                n += size(x, cap - n.min(cap));
            }
        }
        Value::Object(m) => {
            for x in m.values() {
                if n > cap {
                    break;
                }
                n += size(x, cap - n.min(cap)) + 1;
            }
        }
        Value::String(s) => n += (s.len() / 16) as u64,
        _ => {}
    }
    n
}

fn estimate(rule: &Rule, v: &Value) -> u64 {
    let n = size(v, RUNTIME_BUDGET).max(1);
    let mut cost = n;
    for _ in 0..rule.comprehensions {
        cost = cost.saturating_mul(n);
    }
    cost
}

/// Walks the object with its schema and the old object (where it correlates), running rules.
pub struct Runner {
    pub budget: u64,
    pub out: Vec<FieldError>,
    pub exhausted: bool,
}

fn field_of(path: &str) -> String {
    if path.is_empty() {
        "<nil>".to_string()
    } else {
        path.to_string()
    }
}

impl Runner {
    pub fn new() -> Self {
        Runner {
            budget: RUNTIME_BUDGET,
            out: Vec::new(),
            exhausted: false,
        }
    }

    pub fn run(&mut self, node: &Node, v: &Value, old: Option<&Value>, path: &str, depth: usize) {
        if self.exhausted || depth > super::node::MAX_DEPTH * 4 || v.is_null() {
            return;
        }
        if !node.rules.is_empty() {
            self.rules_at(node, v, old, path);
        }
        match v {
            Value::Object(m) => {
                let old_m = old.and_then(Value::as_object);
                for (k, x) in m {
                    let o = old_m.and_then(|o| o.get(k));
                    if let Some(p) = node.properties.get(k) {
                        self.run(p, x, o, &child(path, k), depth + 1);
                    } else if let Some(a) = &node.additional {
                        self.run(a, x, o, &key(path, k), depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                let Some(item) = node.items.as_deref() else {
                    return;
                };
                let olds = old.and_then(Value::as_array);
                for (i, x) in items.iter().enumerate() {
                    // Only map lists correlate items with the old list, by their keys.
                    let o = match (node.list_type.as_deref(), olds) {
                        (Some("map"), Some(olds)) => olds
                            .iter()
                            .find(|o| node.list_map_keys.iter().all(|k| o.get(k) == x.get(k))),
                        _ => None,
                    };
                    self.run(item, x, o, &index(path, i), depth + 1);
                }
            }
            _ => {}
        }
    }

    fn rules_at(&mut self, node: &Node, v: &Value, old: Option<&Value>, path: &str) {
        let env = env();
        for rule in &node.rules {
            if rule.uses_old_self && old.is_none() && !rule.optional_old_self {
                continue;
            }
            let cost = estimate(rule, v).saturating_add(old.map_or(0, |o| estimate(rule, o)));
            if cost > self.budget {
                self.out.push(FieldError::invalid(
                    &field_of(path),
                    Value::from(node.type_.clone()),
                    OUT_OF_BUDGET,
                ));
                self.exhausted = true;
                return;
            }
            self.budget -= cost;
            let mut ctx = Context::with_env(env.clone());
            ctx.add_variable_from_value("self", to_cel(Some(node), v));
            if rule.uses_old_self {
                let old_val = old.map(|o| to_cel(Some(node), o));
                let bound = if rule.optional_old_self {
                    optional(old_val)
                } else {
                    old_val.unwrap_or(Cel::Null)
                };
                ctx.add_variable_from_value("oldSelf", bound);
            }
            let result = rule.program.execute(&ctx);
            let ty = Value::from(node.type_.clone());
            match result {
                Ok(Cel::Bool(true)) => {}
                Ok(Cel::Bool(false)) => {
                    let at = match &rule.field_path {
                        Some(fp) => node
                            .field_path(fp)
                            .map(|(_, n)| {
                                if path.is_empty() {
                                    n
                                } else if n.starts_with('[') {
                                    format!("{path}{n}")
                                } else {
                                    child(path, &n)
                                }
                            })
                            .unwrap_or_else(|| path.to_string()),
                        None => path.to_string(),
                    };
                    let msg = self
                        .message(rule, &ctx)
                        .unwrap_or_else(|| rule.message_or_default());
                    self.out
                        .push(for_reason(&field_of(&at), ty, &msg, rule.reason.as_deref()));
                }
                Ok(_) => self.out.push(FieldError::invalid(
                    &field_of(path),
                    ty,
                    &format!(
                        "rule did not evaluate to a bool evaluating rule: {}",
                        rule.error_string()
                    ),
                )),
                Err(e) => {
                    let text = super::cel_library::kube_text(&e)
                        .unwrap_or_else(|| lower_first(&e.to_string()));
                    let detail = if text.starts_with("no such overload") {
                        format!(
                            "'{text}': call arguments did not match a supported operator, function or macro signature for rule: {}",
                            rule.error_string()
                        )
                    } else {
                        format!("{text} evaluating rule: {}", rule.error_string())
                    };
                    self.out
                        .push(FieldError::invalid(&field_of(path), ty, &detail));
                }
            }
        }
    }

    /// The evaluated messageExpression, or None to fall back to the message.
    fn message(&self, rule: &Rule, ctx: &Context) -> Option<String> {
        let p = rule.message_program.as_ref()?;
        match p.execute(ctx) {
            Ok(Cel::String(s)) => {
                let t = s.trim();
                (!t.is_empty() && t.len() <= MAX_MESSAGE_LEN && !t.contains('\n'))
                    .then(|| t.to_string())
            }
            _ => None,
        }
    }
}

impl Default for Runner {
    fn default() -> Self {
        Self::new()
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn for_reason(field: &str, value: Value, detail: &str, reason: Option<&str>) -> FieldError {
    match reason {
        Some("FieldValueForbidden") => FieldError::forbidden(field, detail),
        Some("FieldValueRequired") => FieldError::required(field, detail),
        Some("FieldValueDuplicate") => {
            let mut e = FieldError::duplicate(field, value);
            e.error_type = ErrorType::Duplicate;
            e
        }
        _ => FieldError::invalid(field, value, detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(schema: Value) -> Node {
        Node::parse(&schema)
    }

    fn run(n: &Node, v: Value, old: Option<Value>) -> Vec<String> {
        let mut r = Runner::new();
        r.run(n, &v, old.as_ref(), "", 0);
        r.out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn rules_messages_and_transitions() {
        let n = node(
            json!({"type":"object","properties":{"spec":{"type":"object",
            "x-kubernetes-validations":[
                {"rule":"self.min <= self.max","message":"min must not exceed max"},
                {"rule":"self.max < 100"},
                {"rule":"self.max >= oldSelf.max","messageExpression":"'max may not shrink from ' + string(oldSelf.max)"},
                {"rule":"self.min != 7","fieldPath":".min","reason":"FieldValueForbidden"}],
            "properties":{"min":{"type":"integer"},"max":{"type":"integer"}}}}}),
        );
        assert!(run(&n, json!({"spec":{"min":1,"max":2}}), None).is_empty());
        assert_eq!(
            run(&n, json!({"spec":{"min":7,"max":100}}), None),
            [
                r#"spec: Invalid value: "object": failed rule: self.max < 100"#,
                "spec.min: Forbidden: failed rule: self.min != 7",
            ]
        );
        assert_eq!(
            run(
                &n,
                json!({"spec":{"min":3,"max":2}}),
                Some(json!({"spec":{"min":1,"max":5}}))
            ),
            [
                r#"spec: Invalid value: "object": min must not exceed max"#,
                r#"spec: Invalid value: "object": max may not shrink from 5"#,
            ]
        );
    }

    #[test]
    fn compile_errors_are_kubes() {
        let site = crate::api::crd_schema::crd_checks::RuleSite {
            path: "s".into(),
            index: 0,
            rule: json!({"rule":"self.a >"}).as_object().unwrap().clone(),
            uncorrelatable: None,
            schema: serde_json::Map::new(),
            root: false,
        };
        let e = crate::api::crd_schema::crd_checks::compile_errors(&site)[0].to_string();
        assert!(e.starts_with("s.x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self.a >\", Message:\"\""), "{e}");
        assert!(e.contains(": compilation failed: ERROR: <input>:1:"), "{e}");
        // Rules and messages see `self` and `oldSelf` only, as kube declares them.
        let errors = |rule: Value| {
            let site = crate::api::crd_schema::crd_checks::RuleSite {
                path: "s".into(),
                index: 0,
                rule: rule.as_object().unwrap().clone(),
                uncorrelatable: None,
                schema: serde_json::Map::new(),
                root: false,
            };
            crate::api::crd_schema::crd_checks::compile_errors(&site)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        let e = errors(json!({"rule": "size > 1"}));
        assert!(
            e[0].ends_with("}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'size' (in container '')\n | size > 1\n | ^"),
            "{e:?}"
        );
        let e = errors(
            json!({"rule": "self.a > 1", "messageExpression": "'a is ' + string(self.a) + suffix"}),
        );
        assert!(
            e[0].ends_with("}: messageExpression compilation failed: ERROR: <input>:1:28: undeclared reference to 'suffix' (in container '')\n | 'a is ' + string(self.a) + suffix\n | ...........................^"),
            "{e:?}"
        );
        for fine in [
            "self.items.all(x, x > 0) && (!has(oldSelf.a) || self.a >= oldSelf.a)",
            "format.dns1123Label().validate(self.name).hasValue() || ip.isCanonical(self.ip)",
        ] {
            assert!(errors(json!({ "rule": fine })).is_empty(), "{fine}");
        }
        assert!(super::super::rule::compile_expression(&"(".repeat(100)).is_err());
        assert!(
            super::super::rule::compile_expression(
                &"a".repeat(super::super::rule::MAX_RULE_LEN + 1)
            )
            .is_err()
        );
    }

    #[test]
    fn optional_old_self_and_typed_strings() {
        let n = node(json!({"type":"object","properties":{"s":{"type":"object",
            "x-kubernetes-validations":[
                {"rule":"!oldSelf.hasValue() || self.v >= oldSelf.value().v","optionalOldSelf":true,
                 "message":"may not shrink"},
                {"rule":"self.at > timestamp('2020-01-01T00:00:00Z')","message":"too early"}],
            "properties":{"v":{"type":"integer"},"at":{"type":"string","format":"date-time"}}}}}));
        let fine = json!({"s":{"v":1,"at":"2024-01-01T00:00:00Z"}});
        assert!(run(&n, fine, None).is_empty());
        assert_eq!(
            run(
                &n,
                json!({"s":{"v":1,"at":"2019-01-01T00:00:00Z"}}),
                Some(json!({"s":{"v":2}}))
            ),
            [
                r#"s: Invalid value: "object": may not shrink"#,
                r#"s: Invalid value: "object": too early"#,
            ]
        );
    }

    #[test]
    fn kubes_libraries_fail_rules_in_kubes_words() {
        let n = node(json!({"type":"object","properties":{"s":{"type":"object",
            "x-kubernetes-validations":[
                {"rule":"url(self.endpoint).getScheme() == 'https'"},
                {"rule":"cidr(self.net).containsIP(self.ip)"},
                {"rule":"quantity(self.size).isLessThan(quantity('1Gi'))","message":"too big"}],
            "properties":{"endpoint":{"type":"string"},"net":{"type":"string"},
                "ip":{"type":"string"},"size":{"type":"string"}}}}}));
        let fine = json!({"s":{"endpoint":"https://x/","net":"10.0.0.0/8","ip":"10.1.2.3","size":"512Mi"}});
        assert!(run(&n, fine, None).is_empty());
        assert_eq!(
            run(
                &n,
                json!({"s":{"endpoint":"../x","net":"10.0.0.0/8","ip":"10.1.2.300","size":"2Gi"}}),
                None
            ),
            [
                r#"s: Invalid value: "object": URL parse error during conversion from string: parse "../x": invalid URI for request evaluating rule: url(self.endpoint).getScheme() == 'https'"#,
                r#"s: Invalid value: "object": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: cidr(self.net).containsIP(self.ip)"#,
                r#"s: Invalid value: "object": too big"#,
            ]
        );
    }

    #[test]
    fn quadratic_rules_on_big_lists_run_out_of_budget() {
        let n = node(
            json!({"type":"object","properties":{"l":{"type":"array","items":{"type":"integer"},
            "x-kubernetes-validations":[{"rule":"self.all(x, self.all(y, self.exists(z, x + y != z)))"}]}}}),
        );
        let big: Vec<i64> = (0..5000).collect();
        assert_eq!(
            run(&n, json!({"l": big}), None),
            [format!("l: Invalid value: \"array\": {OUT_OF_BUDGET}")]
        );
        assert!(run(&n, json!({"l":[1,2]}), None).is_empty());
        // The set functions compare every pair: charged as a comprehension.
        let n = node(
            json!({"type":"object","properties":{"l":{"type":"array","items":{"type":"integer"},
            "x-kubernetes-validations":[{"rule":"sets.contains(self, self)"}]}}}),
        );
        assert_eq!(
            run(&n, json!({"l": big}), None),
            [format!("l: Invalid value: \"array\": {OUT_OF_BUDGET}")]
        );
        assert!(run(&n, json!({"l":[1,2]}), None).is_empty());
    }
}
