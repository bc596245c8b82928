//! kubectl's `-o go-template=...` (and `template`, `go-template-file`, `templatefile`): Go's
//! text/template language run over the object as kubectl decodes it.
//!
//! Supported: text and `{{ }}` actions with `{{-`/`-}}` trimming, comments, pipelines,
//! fields, variables (`:=`, `=`), `if`/`else if`/`else`, `range` (lists, maps in key order,
//! `else`, `break`, `continue`), `with`, `define`/`template`/`block`, parentheses, literals,
//! Go's builtins and kubectl's `base64decode` and `exists`. Missing keys print `<no value>`
//! unless `--allow-missing-template-keys=false`. Errors carry Go's and kubectl's wording.

mod exec;
mod funcs;
mod lex;
mod parse;
mod printf;
mod value;

use super::gofmt;
use super::json::to_json_compact;
use exec::{State, Stop};
use serde_json::Value;
use value::Val;

/// Stack for executing a template: Go's 100000 nested `{{template}}` calls fit (reserved,
/// not committed, memory).
const WALK_STACK: usize = 1 << 30;

/// A parsed template.
#[derive(Debug, Clone)]
pub struct GoTemplate {
    source: String,
    tree: parse::Tree,
    allow_missing: bool,
}

/// A failed execution: what kubectl had written to stdout by then (the partial output and
/// its debugging dump) and its error message (without `error: `).
#[derive(Debug)]
pub struct RenderError {
    pub printed: String,
    pub message: String,
}

/// Parse a template; the error is kubectl's message without `error: `.
pub fn parse(source: &str) -> Result<GoTemplate, String> {
    let tree = parse::parse(source).map_err(|e| format!("error parsing template {source}, {e}"))?;
    Ok(GoTemplate {
        source: source.to_string(),
        tree,
        allow_missing: true,
    })
}

impl GoTemplate {
    /// `--allow-missing-template-keys`.
    pub fn allow_missing_keys(mut self, allow: bool) -> GoTemplate {
        self.allow_missing = allow;
        self
    }

    /// Run the template over `v` (one object, or kubectl's `List`).
    pub fn render(&self, v: &Value) -> Result<String, RenderError> {
        let decoded = as_kubectl_decodes(v);
        let v = &decoded;
        let root = Val::from_json(v);
        let mut st = State {
            tree: &self.tree,
            out: String::new(),
            vars: vec![("$".into(), root.clone())],
            allow_missing: self.allow_missing,
            at: (0, String::new()),
            name: "output".into(),
            depth: 0,
        };
        // Templates may recurse as deep as Go allows: walk on a thread with room for that.
        let walked = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .stack_size(WALK_STACK)
                .spawn_scoped(scope, || {
                    let r = st.walk(&root, &self.tree.main);
                    (r, st)
                })
                .ok()
                .and_then(|h| h.join().ok())
        });
        let Some((result, st)) = walked else {
            return Err(RenderError {
                printed: String::new(),
                message: "error executing template: kubelite could not start the template thread"
                    .into(),
            });
        };
        let err = match result {
            Ok(()) | Err(Stop::Break | Stop::Continue) => return Ok(st.out),
            Err(Stop::Error(e)) => e,
        };
        let upto = &self.source[..err.pos.min(self.source.len())];
        let line = 1 + upto.matches('\n').count();
        let col = match upto.rfind('\n') {
            Some(nl) => err.pos - nl - 1,
            None => err.pos,
        };
        let context = &err.context;
        let text = format!(
            "template: output:{line}:{col}: executing {:?} at <{context}>: {}",
            err.template, err.msg
        );
        let mut printed = st.out;
        printed.push_str(&format!(
            "Error executing template: {text}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
            self.source,
            to_json_compact(v),
            gofmt::fmt_v(v)
        ));
        Err(RenderError {
            printed,
            message: format!(
                "error executing template {}: {text}",
                gofmt::quote(&self.source)
            ),
        })
    }
}

/// The object as kubectl's JSON decoding hands it to the template: a number with an integral
/// value that fits an int64 (`3.0`, `1e6`) is an int64.
fn as_kubectl_decodes(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.as_i64().is_none() => match n.as_f64() {
            Some(f)
                if f.fract() == 0.0
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) =>
            {
                Value::from(f as i64)
            }
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(as_kubectl_decodes).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), as_kubectl_decodes(x)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests;
