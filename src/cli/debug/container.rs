//! The debug container as kubectl builds it: name, image, command (or args), env, the
//! empty resources its Go struct always carries, `terminationMessagePolicy: File`, pull
//! policy, stdin and tty.

use super::Plan;
use serde_json::{Map, Value, json};

/// A new debug container named `name` (`target`: the ephemeral container's target).
pub fn new_container(plan: &Plan, name: &str, target: Option<&str>) -> Value {
    let mut c = Map::new();
    c.insert("name".into(), json!(name));
    c.insert("image".into(), json!(plan.image()));
    set_command(&mut c, plan);
    if !plan.env.is_empty() {
        c.insert("env".into(), env(plan));
    }
    c.insert("resources".into(), json!({}));
    c.insert("terminationMessagePolicy".into(), json!("File"));
    if !plan.pull_policy().is_empty() {
        c.insert("imagePullPolicy".into(), json!(plan.pull_policy()));
    }
    if plan.args.stdin {
        c.insert("stdin".into(), json!(true));
    }
    if plan.args.tty {
        c.insert("tty".into(), json!(true));
    }
    if let Some(t) = target.filter(|t| !t.is_empty()) {
        c.insert("targetContainerName".into(), json!(t));
    }
    Value::Object(c)
}

/// The words after `--`: the command, or the args with `--arguments-only`.
pub fn set_command(c: &mut Map<String, Value>, plan: &Plan) {
    if plan.args.args.is_empty() {
        return;
    }
    let key = if plan.args.arguments_only {
        "args"
    } else {
        "command"
    };
    c.insert(key.into(), json!(plan.args.args));
}

pub fn env(plan: &Plan) -> Value {
    Value::Array(
        plan.env
            .iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect(),
    )
}

/// Every container name in a pod (regular, init and ephemeral).
pub fn names_in(pod: &Value) -> Vec<String> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|list| {
            pod.pointer(&format!("/spec/{list}"))
                .and_then(Value::as_array)
        })
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect()
}

/// `-c NAME`, else `debugger-xxxxx` not yet taken in `pod` (and says so unless quiet).
pub fn debug_container_name(plan: &Plan, pod: &Value, out: &mut dyn std::io::Write) -> String {
    if let Some(c) = plan.args.container.as_deref().filter(|c| !c.is_empty()) {
        return c.to_string();
    }
    let taken = names_in(pod);
    let seed = super::suffix::seed_of(pod);
    let name = (0..)
        .map(|attempt| format!("debugger-{}", super::suffix::suffix(&seed, attempt)))
        .find(|n| !taken.contains(n))
        .unwrap_or_default();
    if !plan.args.quiet {
        let _ = writeln!(out, "Defaulting debug container name to {name}.");
    }
    name
}
