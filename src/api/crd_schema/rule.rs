//! A compiled CEL rule of `x-kubernetes-validations`, with the `cel` crate (the cel-rust
//! project's interpreter). The crate parses and evaluates but has no type checker: the
//! common type errors kube refuses at CRD write are found by `rule_types`, the others
//! (non-bool results, undeclared functions) surface at evaluation instead. Parsing is bounded: rules are at most `MAX_RULE_LEN` bytes, `MAX_NESTING`
//! brackets deep and have at most `MAX_OPERATORS` operators, which bounds the depth of the
//! syntax tree that parsing and evaluation recurse through (on a big stack).

use cel::{Env, Program};
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

pub const MAX_RULE_LEN: usize = 16 * 1024;
pub const MAX_NESTING: usize = 32;
/// Operators, dots, brackets and commas a rule may have (each adds at most a level).
pub const MAX_OPERATORS: usize = 1000;
/// Stack for parsing and evaluating rules; reserved, and only touched as deep as used.
const BIG_STACK: usize = 256 << 20;

#[derive(Debug, Clone)]
pub struct Rule {
    pub rule: String,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub field_path: Option<String>,
    pub optional_old_self: bool,
    pub uses_old_self: bool,
    pub comprehensions: u32,
    pub program: Arc<Program>,
    pub message_program: Option<Arc<Program>>,
}

pub fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // cel-go's strings, math and encoders libraries, as kube has them; cel-go's lists
        // library is left out because its `lists.range(n)` allocates whatever n asks for.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::math);
        let _ = env.add_extension(cel::extensions::encoders);
        // kube 1.32's own libraries (its base environment, environment/base.go): regex,
        // lists, URLs, authorization, quantity (1.28), sets (1.29), IP and CIDR (1.30),
        // format (1.31). Semver comes in 1.33 and is left out.
        super::cel_library::install(&mut env);
        super::cel_lists::install(&mut env);
        super::cel_urls::install(&mut env);
        super::cel_authz::install(&mut env);
        super::cel_quantity::install(&mut env);
        super::cel_sets::install(&mut env);
        super::cel_net::install(&mut env);
        super::cel_format::install(&mut env);
        Arc::new(env)
    })
    .clone()
}

/// Parses a CEL expression within the limits above; the error is kube's detail text.
pub fn compile_expression(src: &str) -> Result<Program, String> {
    if src.len() > MAX_RULE_LEN {
        return Err(format!(
            "ERROR: <input>:1:1: expression is longer than {MAX_RULE_LEN} bytes"
        ));
    }
    let mut depth = 0usize;
    let mut operators = 0usize;
    for c in src.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(format!(
                        "ERROR: <input>:1:1: expression nests deeper than {MAX_NESTING}"
                    ));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if "+-*/%!<>=&|?:.([{,".contains(c) {
            operators += 1;
        }
    }
    // Every level of the syntax tree needs one of these, so this bounds its depth.
    if operators > MAX_OPERATORS {
        return Err(format!(
            "ERROR: <input>:1:1: expression has more than {MAX_OPERATORS} operators"
        ));
    }
    let env = env();
    match on_big_stack(|| env.compile(src)) {
        Some(Ok(p)) => Ok(p),
        // cel-go indents the source line and the caret under the message by one space.
        Some(Err(e)) => Err(e.to_string().replace("\n| ", "\n | ")),
        None => Err("ERROR: <input>:1:1: expression could not be parsed".to_string()),
    }
}

/// Runs `f` on a stack of `BIG_STACK` bytes (stacker switches the current thread onto a
/// fresh mapping, far cheaper than a thread): the crate's parser and evaluator recurse once
/// per level of the syntax tree, with large frames in debug builds (a hundred nested `+`
/// overflow a 2 MiB stack). A panic inside gives `None`.
pub fn on_big_stack<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stacker::grow(BIG_STACK, f))).ok()
}

type Job = Box<dyn FnOnce() + Send>;
use super::cel_authz::{Answer, Asker, Query, Question};

/// Hands `job` to the one long-lived CEL thread, which has a `BIG_STACK` stack: objects
/// are validated there without paying for a fresh stack each time (measured here, a fresh
/// mapping per call cost ten times the evaluation). `None` if the thread could not start.
fn submit(job: Job) -> Option<()> {
    static JOBS: OnceLock<Option<std::sync::mpsc::Sender<Job>>> = OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("cel".into())
            .stack_size(BIG_STACK)
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    job();
                }
            })
            .ok()?;
        Some(tx)
    });
    jobs.as_ref()?.send(job).ok()
}

/// Runs `f` on the CEL thread and waits for it. `None` if `f` panicked or the thread could
/// not start.
pub fn on_cel_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    submit(Box::new(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
        let _ = tx.send(r);
    }))?;
    rx.recv().ok().flatten()
}

/// `on_cel_thread` for expressions that may ask the authorizer: while `f` runs, this thread
/// answers its questions with `answer` (what answers them, the API server, is not
/// reachable from the CEL thread). The questions end when `f` is done with its `Asker`.
pub fn on_cel_thread_answering<T: Send + 'static>(
    f: impl FnOnce(Asker) -> T + Send + 'static,
    mut answer: impl FnMut(&Query) -> Answer,
) -> Option<T> {
    let (ask, questions) = std::sync::mpsc::channel::<Question>();
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let asker = Asker(ask);
    submit(Box::new(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || f(asker))).ok();
        let _ = tx.send(r);
    }))?;
    while let Ok((query, reply)) = questions.recv() {
        let _ = reply.send(answer(&query));
    }
    rx.recv().ok().flatten()
}

/// Comprehensions, and the set functions, which compare every element of one list with
/// every element of the other: each multiplies a rule's cost by the size of its input.
pub(super) fn count_comprehensions(src: &str) -> u32 {
    [
        "all(",
        "exists(",
        "exists_one(",
        "map(",
        "filter(",
        "sortBy(",
        "sets.contains(",
        "sets.equivalent(",
        "sets.intersects(",
    ]
    .iter()
    .map(|m| src.matches(m).count() as u32)
    .sum()
}

impl Rule {
    pub fn from_json(r: &Map<String, Value>) -> Result<Rule, String> {
        let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
        let rule = s("rule").unwrap_or_default();
        let program = compile_expression(&rule)?;
        let uses_old_self = program.references().has_variable("oldSelf");
        let message_program = match &s("messageExpression") {
            Some(m) if !m.trim().is_empty() => compile_expression(m).ok().map(Arc::new),
            _ => None,
        };
        Ok(Rule {
            comprehensions: count_comprehensions(&rule),
            rule,
            message: s("message"),
            reason: s("reason"),
            field_path: s("fieldPath"),
            optional_old_self: r.get("optionalOldSelf").and_then(Value::as_bool) == Some(true),
            uses_old_self,
            program: Arc::new(program),
            message_program,
        })
    }

    pub fn error_string(&self) -> String {
        match &self.message {
            Some(m) if !m.is_empty() => m.trim().to_string(),
            _ => self.rule.trim().to_string(),
        }
    }

    pub fn message_or_default(&self) -> String {
        match &self.message {
            Some(m) if !m.is_empty() => m.trim().to_string(),
            _ => format!("failed rule: {}", self.rule.trim()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_deep_expressions_are_refused_or_run_without_overflow() {
        let deepest = vec!["1"; MAX_OPERATORS].join("+");
        let p = compile_expression(&deepest).expect("at the limit it compiles");
        let sum = on_big_stack(|| p.execute(&cel::Context::with_env(env())).ok()).flatten();
        assert_eq!(sum, Some(cel::Value::Int(MAX_OPERATORS as i64)));
        for src in [
            vec!["1"; MAX_OPERATORS + 2].join(" + "),
            format!("{}true", "!".repeat(4000)),
            vec!["a"; 3000].join("."),
            "(".repeat(40) + "1" + &")".repeat(40),
            "a".repeat(MAX_RULE_LEN + 1),
        ] {
            assert!(compile_expression(&src).is_err());
        }
    }
}
