//! Executing a parsed template over a value, with Go's rules for fields, variables,
//! control structures and errors.

use super::funcs;
use super::parse::{Arg, Branch, Cmd, Node, Num, Pipe, Tree};
use super::value::Val;

/// Why a walk stopped early.
pub enum Stop {
    Error(ExecError),
    Break,
    Continue,
}

#[derive(Debug)]
pub struct ExecError {
    pub pos: usize,
    pub context: String,
    pub template: String,
    pub msg: String,
}

impl From<ExecError> for Stop {
    fn from(e: ExecError) -> Stop {
        Stop::Error(e)
    }
}

pub struct State<'a> {
    pub tree: &'a Tree,
    pub out: String,
    pub vars: Vec<(String, Val)>,
    pub allow_missing: bool,
    /// The node errors are reported at: its position and its text.
    pub at: (usize, String),
    pub name: String,
    pub depth: usize,
}

pub type R<T> = Result<T, ExecError>;

/// Go's limit on nested `{{template}}` calls.
pub const MAX_DEPTH: usize = 100_000;

impl State<'_> {
    pub fn error(&self, msg: impl Into<String>) -> ExecError {
        ExecError {
            pos: self.at.0,
            context: self.at.1.clone(),
            template: self.name.clone(),
            msg: msg.into(),
        }
    }

    pub fn at_arg(&mut self, a: &Arg) {
        self.at = (a.pos(), a.to_string());
    }

    pub fn walk(&mut self, dot: &Val, nodes: &[Node]) -> Result<(), Stop> {
        for n in nodes {
            self.node(dot, n)?;
        }
        Ok(())
    }

    fn node(&mut self, dot: &Val, n: &Node) -> Result<(), Stop> {
        match n {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(p) => {
                let v = self.pipeline(dot, p)?;
                if p.decl.is_empty() {
                    self.out.push_str(&v.printed());
                }
            }
            Node::If(b) | Node::With(b) => {
                let mark = self.vars.len();
                let v = self.pipeline(dot, &b.pipe)?;
                let with = matches!(n, Node::With(_));
                if v.truth() {
                    let inner = if with { v } else { dot.clone() };
                    self.walk(&inner, &b.list)?;
                } else {
                    self.walk(dot, &b.else_list)?;
                }
                self.vars.truncate(mark);
            }
            Node::Range(b) => self.range(dot, b)?,
            Node::Break => return Err(Stop::Break),
            Node::Continue => return Err(Stop::Continue),
            Node::Template { pos, name, pipe } => {
                let args = pipe.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
                self.at = (*pos, format!("{{{{template {name:?}{args}}}}}"));
                let Some(list) = self.tree.defs.get(name) else {
                    return Err(self.error(format!("template {name:?} not defined")).into());
                };
                if self.depth >= MAX_DEPTH {
                    return Err(self
                        .error("exceeded maximum template depth (100000)")
                        .into());
                }
                let v = match pipe {
                    Some(p) => self.pipeline(dot, p)?,
                    None => Val::Missing,
                };
                let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), v.clone())]);
                let saved_name = std::mem::replace(&mut self.name, name.clone());
                self.depth += 1;
                let r = self.walk(&v, list);
                self.depth -= 1;
                self.vars = saved_vars;
                self.name = saved_name;
                r?;
            }
        }
        Ok(())
    }

    fn range(&mut self, dot: &Val, b: &Branch) -> Result<(), Stop> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &b.pipe)?;
        let items: Vec<(Val, Val)> = match &v {
            Val::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, e)| (Val::LitInt(i as i64), Val::from_json(e)))
                .collect(),
            Val::Map(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                keys.into_iter()
                    .map(|k| (Val::Str(k.clone()), Val::from_json(&m[k.as_str()])))
                    .collect()
            }
            Val::Missing | Val::Null => Vec::new(),
            other => {
                self.at = (b.pipe.pos, b.pipe.to_string());
                return Err(self
                    .error(format!("range can't iterate over {}", other.fmt_v()))
                    .into());
            }
        };
        if items.is_empty() {
            self.vars.truncate(mark);
            self.walk(dot, &b.else_list)?;
            return Ok(());
        }
        for (k, e) in items {
            match b.pipe.decl.len() {
                1 => self.set_var(&b.pipe.decl[0], e.clone(), b.pipe.assign, mark),
                2 => {
                    self.set_var(&b.pipe.decl[0], k, b.pipe.assign, mark);
                    self.set_var(&b.pipe.decl[1], e.clone(), b.pipe.assign, mark + 1);
                }
                _ => {}
            }
            let inner_mark = self.vars.len();
            let r = self.walk(&e, &b.list);
            self.vars.truncate(inner_mark);
            match r {
                Ok(()) | Err(Stop::Continue) => {}
                Err(Stop::Break) => break,
                Err(e) => return Err(e),
            }
        }
        self.vars.truncate(mark);
        Ok(())
    }

    fn set_var(&mut self, name: &str, v: Val, assign: bool, slot: usize) {
        if assign {
            if let Some(var) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                var.1 = v;
            }
        } else if let Some(var) = self.vars.get_mut(slot) {
            var.1 = v;
        }
    }

    pub fn pipeline(&mut self, dot: &Val, p: &Pipe) -> R<Val> {
        let mut value: Option<Val> = None;
        for c in &p.cmds {
            value = Some(self.command(dot, c, value)?.settle());
        }
        let v = value.unwrap_or(Val::Missing);
        for name in &p.decl {
            if p.assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(var) => var.1 = v.clone(),
                    None => return Err(self.error(format!("undefined variable: {name}"))),
                }
            } else {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(&mut self, dot: &Val, c: &Cmd, fin: Option<Val>) -> R<Val> {
        let first = &c.args[0];
        match first {
            Arg::Field { path, .. } => {
                self.at_arg(first);
                let has_args = c.args.len() > 1 || fin.is_some();
                return self.chain(dot.clone(), path, has_args);
            }
            Arg::Var { name, path, .. } => {
                self.at_arg(first);
                let v = self.var(name);
                if path.is_empty() {
                    self.not_a_function(c, &fin)?;
                    return Ok(v);
                }
                return self.chain(v, path, c.args.len() > 1 || fin.is_some());
            }
            Arg::Chain { node, path, .. } => {
                let v = self.arg(dot, node)?;
                self.at_arg(first);
                return self.chain(v, path, c.args.len() > 1 || fin.is_some());
            }
            Arg::Ident { name, .. } => {
                self.at_arg(first);
                return self.call(dot, name, c, &c.args[1..], fin);
            }
            Arg::Pipe { pipe, .. } => {
                self.not_a_function(c, &fin)?;
                let mark = self.vars.len();
                let v = self.pipeline(dot, pipe);
                self.vars.truncate(mark);
                return v;
            }
            _ => {}
        }
        self.at_arg(first);
        self.not_a_function(c, &fin)?;
        match first {
            Arg::Bool { value, .. } => Ok(Val::Bool(*value)),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Err(self.error("nil is not a command")),
            Arg::Number { value, .. } => Ok(num(*value)),
            Arg::Str { value, .. } => Ok(Val::Str(value.clone())),
            _ => Ok(Val::Missing),
        }
    }

    fn not_a_function(&self, c: &Cmd, fin: &Option<Val>) -> R<()> {
        if c.args.len() > 1 || fin.is_some() {
            return Err(self.error(format!("can't give argument to non-function {}", c.args[0])));
        }
        Ok(())
    }

    pub fn var(&self, name: &str) -> Val {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or(Val::Missing)
    }

    /// `.a.b.c` from `recv`.
    fn chain(&self, mut recv: Val, path: &[String], has_args: bool) -> R<Val> {
        for (i, name) in path.iter().enumerate() {
            recv = self.field(recv, name, has_args && i + 1 == path.len())?;
        }
        Ok(recv)
    }

    fn field(&self, recv: Val, name: &str, has_args: bool) -> R<Val> {
        match recv {
            Val::Missing => {
                if !self.allow_missing {
                    return Err(self.error(format!("nil data; no entry for key {name:?}")));
                }
                Ok(Val::Missing)
            }
            Val::Null => Err(self.error(format!("nil pointer evaluating interface {{}}.{name}"))),
            Val::Map(m) => {
                if has_args {
                    return Err(self.error(format!("{name} is not a method but has arguments")));
                }
                match m.get(name) {
                    Some(v) => Ok(Val::from_json(v)),
                    None if self.allow_missing => Ok(Val::Missing),
                    None => Err(self.error(format!("map has no entry for key {name:?}"))),
                }
            }
            other => {
                let ty = match other {
                    Val::LitInt(_) => "int",
                    _ => "interface {}",
                };
                Err(self.error(format!("can't evaluate field {name} in type {ty}")))
            }
        }
    }

    /// A function call: Go's arity check, lazy `and`/`or`, then the builtin.
    pub fn call(
        &mut self,
        dot: &Val,
        name: &str,
        cmd: &Cmd,
        args: &[Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let st = self;
        let got = args.len() + usize::from(fin.is_some());
        let (want, variadic) = funcs::arity(name);
        // eq takes at least one more argument; the rest exactly two.
        let (want, variadic) = if name == "eq" {
            (1, true)
        } else {
            (want, variadic)
        };
        if (variadic && got < want) || (!variadic && got != want) {
            return Err(st.error(if variadic {
                format!("wrong number of args for {name}: want at least {want} got {got}")
            } else {
                format!("wrong number of args for {name}: want {want} got {got}")
            }));
        }
        // and/or evaluate lazily.
        if name == "and" || name == "or" {
            let mut last = Val::Missing;
            for a in args {
                last = st.arg(dot, a)?;
                if last.truth() != (name == "and") {
                    return Ok(last);
                }
            }
            if let Some(f) = fin {
                last = f;
            }
            return Ok(last);
        }
        let mut vals = Vec::with_capacity(got);
        for a in args {
            vals.push(st.arg(dot, a)?);
        }
        if let Some(f) = fin {
            vals.push(f);
        }
        // A string parameter given something else is the argument's error.
        if matches!(name, "printf" | "base64decode") && !matches!(vals[0], Val::Str(_)) {
            if let Some(a) = args.first() {
                st.at_arg(a);
            }
            return Err(st.error(match funcs::string_arg(&vals[0]) {
                Err(funcs::FnError::Arg(m) | funcs::FnError::Call(m)) => m,
                Ok(_) => String::new(),
            }));
        }
        st.at = (cmd.pos, cmd.to_string());
        let r = funcs::builtin(name, &vals);
        r.map_err(|e| match e {
            funcs::FnError::Call(m) => st.error(format!("error calling {name}: {m}")),
            funcs::FnError::Arg(m) => st.error(m),
        })
    }

    /// One argument of a function.
    pub fn arg(&mut self, dot: &Val, a: &Arg) -> R<Val> {
        self.at_arg(a);
        match a {
            Arg::Field { path, .. } => self.chain(dot.clone(), path, false),
            Arg::Var { name, path, .. } => {
                let v = self.var(name);
                self.chain(v, path, false)
            }
            Arg::Chain { node, path, .. } => {
                let v = self.arg(dot, node)?;
                self.at_arg(a);
                self.chain(v, path, false)
            }
            Arg::Ident { name, .. } => {
                let cmd = Cmd {
                    pos: a.pos(),
                    args: vec![a.clone()],
                };
                self.call(dot, name, &cmd, &[], None)
            }
            Arg::Pipe { pipe, .. } => {
                let mark = self.vars.len();
                let v = self.pipeline(dot, pipe);
                self.vars.truncate(mark);
                v
            }
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Ok(Val::Missing),
            Arg::Bool { value, .. } => Ok(Val::Bool(*value)),
            Arg::Number { value, .. } => Ok(num(*value)),
            Arg::Str { value, .. } => Ok(Val::Str(value.clone())),
        }
    }
}

fn num(n: Num) -> Val {
    match n {
        Num::Int(i) => Val::LitInt(i),
        Num::Float(f) => Val::Float(f),
    }
}
