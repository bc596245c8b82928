//! `create poddisruptionbudget`: a PodDisruptionBudget from a minimum available or maximum
//! unavailable count (or percentage) and a label selector.

use super::Common;
use super::objects::metadata;
use crate::api::selector::{LabelSelector, Operator};
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct PdbArgs {
    /// NAME
    pub names: Vec<String>,
    /// The minimum number or percentage of available pods this budget requires.
    #[arg(long, default_value = "")]
    pub min_available: String,
    /// The maximum number or percentage of unavailable pods this budget requires.
    #[arg(long, default_value = "")]
    pub max_unavailable: String,
    /// A label selector to use for this budget. Only equality-based selector requirements are supported.
    #[arg(long, default_value = "")]
    pub selector: String,
    #[command(flatten)]
    pub common: Common,
}

/// A count or a percentage: digits, optionally followed by `%`.
fn count_or_percent(s: &str) -> bool {
    let digits = s.strip_suffix('%').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

impl PdbArgs {
    /// kubectl's checks, in its order.
    pub fn check(&self) -> Result<(), String> {
        if self.selector.is_empty() {
            return Err("a selector must be specified".into());
        }
        match (
            self.min_available.is_empty(),
            self.max_unavailable.is_empty(),
        ) {
            (true, true) => {
                return Err("one of min-available or max-unavailable must be specified".into());
            }
            (false, false) => {
                return Err("min-available and max-unavailable cannot be both specified".into());
            }
            _ => {}
        }
        if !self.min_available.is_empty() && !count_or_percent(&self.min_available) {
            return Err("invalid format specified for min-available".into());
        }
        if !self.max_unavailable.is_empty() && !count_or_percent(&self.max_unavailable) {
            return Err("invalid format specified for max-unavailable".into());
        }
        Ok(())
    }
}

/// An int-or-string: a number when it fits Go's int32, else the text.
fn int_or_string(s: &str) -> Value {
    s.parse::<i32>().map_or_else(|_| json!(s), |n| json!(n))
}

/// The selector as a LabelSelector object: equality pairs as labels, the rest as
/// expressions in key order; kubectl's words for what it cannot hold.
fn selector(text: &str) -> Result<Value, String> {
    let parsed = LabelSelector::parse(text)
        .map_err(|e| format!("couldn't parse the selector string \"{text}\": {e}"))?;
    let mut labels = std::collections::BTreeMap::new();
    let mut expressions = Vec::new();
    for r in parsed.requirements {
        let op = match r.op {
            Operator::Equals | Operator::DoubleEquals => {
                labels.insert(r.key, r.values.into_iter().next().unwrap_or_default());
                continue;
            }
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
            Operator::GreaterThan => return Err("\"gt\" isn't supported in label selectors".into()),
            Operator::LessThan => return Err("\"lt\" isn't supported in label selectors".into()),
            Operator::NotEquals => {
                return Err("\"!=\" is not a valid label selector operator".into());
            }
        };
        let mut e = Map::new();
        e.insert("key".into(), json!(r.key));
        e.insert("operator".into(), json!(op));
        if !r.values.is_empty() {
            e.insert("values".into(), json!(r.values));
        }
        expressions.push(Value::Object(e));
    }
    let mut sel = Map::new();
    if !labels.is_empty() {
        sel.insert("matchLabels".into(), json!(labels));
    }
    if !expressions.is_empty() {
        sel.insert("matchExpressions".into(), json!(expressions));
    }
    Ok(Value::Object(sel))
}

pub fn build(a: &PdbArgs, name: &str, namespace: Option<&str>) -> Result<Value, String> {
    let mut spec = Map::new();
    if !a.min_available.is_empty() {
        spec.insert("minAvailable".into(), int_or_string(&a.min_available));
    }
    spec.insert("selector".into(), selector(&a.selector)?);
    if !a.max_unavailable.is_empty() {
        spec.insert("maxUnavailable".into(), int_or_string(&a.max_unavailable));
    }
    Ok(json!({
        "kind": "PodDisruptionBudget",
        "apiVersion": "policy/v1",
        "metadata": metadata(name, namespace, None),
        "spec": Value::Object(spec),
        "status": {
            "disruptionsAllowed": 0,
            "currentHealthy": 0,
            "desiredHealthy": 0,
            "expectedPods": 0
        }
    }))
}
