//! The CRD-time check of `default`s (kube's structural defaulting `ValidateDefaults`): each
//! default must survive pruning unchanged and validate against its own schema, rules too.

use super::node::{Node, child, key};
use crate::api::validation::FieldError;
use serde_json::Value;

pub fn check(schema: &Value, node: &Node, path: &str) -> Vec<FieldError> {
    let mut out = Vec::new();
    walk(schema, node, path, &mut out, 0);
    out
}

fn walk(raw: &Value, node: &Node, path: &str, out: &mut Vec<FieldError>, depth: usize) {
    if depth > super::node::MAX_DEPTH {
        return;
    }
    if let Some(d) = &node.default {
        let dpath = child(path, "default");
        let mut pruned = d.clone();
        let mut removed = Vec::new();
        super::prune::prune(Some(node), &mut pruned, "", node.embedded, &mut removed, 0);
        if !removed.is_empty() {
            out.push(super::validate::with_go_value(FieldError::invalid(
                &dpath,
                d.clone(),
                "must not have unknown fields",
            )));
        }
        let mut errs = Vec::new();
        super::validate::validate(node, d, "", &mut errs);
        if errs.is_empty() && !node.rules.is_empty() {
            errs = super::rule::on_big_stack(|| {
                let mut runner = super::cel::Runner::new();
                runner.run(node, d, Some(d), "", 0);
                runner.out
            })
            .unwrap_or_default();
        }
        for mut e in errs {
            e.field = if e.field == "<nil>" {
                dpath.clone()
            } else {
                child(&dpath, &e.field)
            };
            out.push(e);
        }
    }
    // Defaults are not followed into additionalProperties, where kube forbids them anyway.
    if let (Some(items), Some(raw_items)) = (&node.items, raw.get("items")) {
        walk(raw_items, items, &child(path, "items"), out, depth + 1);
    }
    if let Some(props) = raw.get("properties").and_then(Value::as_object) {
        for (k, p) in props {
            if let Some(n) = node.properties.get(k) {
                walk(p, n, &key(&child(path, "properties"), k), out, depth + 1);
            }
        }
    }
}
