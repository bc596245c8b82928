//! `create priorityclass`: a PriorityClass from its value, default flag, description and
//! preemption policy, each taken as given (the server judges them).

use super::Common;
use super::objects::metadata;
use clap::Args;
use serde_json::{Map, Value, json};

#[derive(Args, Debug)]
pub struct PriorityClassArgs {
    /// NAME
    pub names: Vec<String>,
    /// the value of this priority class.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub value: i32,
    /// global-default specifies whether this PriorityClass should be considered as the default priority.
    #[arg(long, default_value = "false", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub global_default: bool,
    /// description is an arbitrary string that usually provides guidelines on when this priority class should be used.
    #[arg(long, default_value = "")]
    pub description: String,
    /// preemption-policy is the policy for preempting pods with lower priority.
    #[arg(long, default_value = "PreemptLowerPriority")]
    pub preemption_policy: String,
    #[command(flatten)]
    pub common: Common,
}

/// Go's `strconv.ParseBool`.
fn go_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "strconv.ParseBool: parsing \"{s}\": invalid syntax"
        )),
    }
}

/// The PriorityClass, in the field order of kubectl's typed object (a cluster-wide kind:
/// no namespace).
pub fn build(a: &PriorityClassArgs, name: &str) -> Value {
    let mut obj = Map::new();
    obj.insert("kind".into(), json!("PriorityClass"));
    obj.insert("apiVersion".into(), json!("scheduling.k8s.io/v1"));
    obj.insert("metadata".into(), metadata(name, None, None));
    obj.insert("value".into(), json!(a.value));
    if a.global_default {
        obj.insert("globalDefault".into(), json!(true));
    }
    if !a.description.is_empty() {
        obj.insert("description".into(), json!(a.description));
    }
    obj.insert("preemptionPolicy".into(), json!(a.preemption_policy));
    Value::Object(obj)
}
