//! Label selectors: the apiserver's grammar, error messages, matching and printing.

use crate::api::names;
use crate::go::quote as go_quote;
use serde_json::{Map, Value};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Operator,
    /// Sorted and free of repeats, as the apiserver keeps them.
    pub values: Vec<String>,
}

/// A conjunction of requirements sorted by key. `nothing` is the selector of a missing
/// LabelSelector object, which matches no labels at all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
    pub nothing: bool,
}

impl Requirement {
    /// Checks key, operator arity and values, as the apiserver's NewRequirement does.
    pub fn new(key: &str, op: Operator, mut values: Vec<String>) -> Result<Requirement, String> {
        let mut errs: Vec<String> = Vec::new();
        if let Some(msg) = key_error(key) {
            errs.push(msg);
        }
        let shown = go_string_list(&values);
        match op {
            Operator::In | Operator::NotIn if values.is_empty() => errs.push(format!(
                "values: Invalid value: {shown}: for 'in', 'notin' operators, values set can't be empty"
            )),
            Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if values.len() != 1 => {
                errs.push(format!(
                    "values: Invalid value: {shown}: exact-match compatibility requires one single value"
                ));
            }
            Operator::Exists | Operator::DoesNotExist if !values.is_empty() => errs.push(format!(
                "values: Invalid value: {shown}: values set must be empty for exists and does not exist"
            )),
            Operator::GreaterThan | Operator::LessThan => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {shown}: for 'Gt', 'Lt' operators, exactly one value is required"
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    if v.parse::<i64>().is_err() {
                        errs.push(format!(
                            "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                            go_quote(v)
                        ));
                    }
                }
            }
            _ => {}
        }
        for (i, v) in values.iter().enumerate() {
            let msgs = names::is_valid_label_value(v);
            if !msgs.is_empty() {
                errs.push(format!(
                    "values[{i}][{key}]: Invalid value: {}: {}",
                    go_quote(v),
                    msgs.join("; ")
                ));
            }
        }
        if !errs.is_empty() {
            return Err(aggregate(errs));
        }
        values.sort();
        values.dedup();
        Ok(Requirement {
            key: key.to_string(),
            op,
            values,
        })
    }

    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        let got = labels
            .and_then(|l| l.get(&self.key))
            .map(|v| v.as_str().unwrap_or(""));
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match self.op {
            Operator::In | Operator::Equals | Operator::DoubleEquals => got.is_some_and(has),
            Operator::NotIn | Operator::NotEquals => !got.is_some_and(has),
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(Ok(have)), Some(Ok(want))) = (
                    got.map(str::parse::<i64>),
                    self.values.first().map(|v| v.parse::<i64>()),
                ) else {
                    return false;
                };
                if self.op == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.op {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.op, Operator::In | Operator::NotIn);
        if set {
            f.write_str("(")?;
        }
        f.write_str(&self.values.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// The key check reports with a `<nil>` path, as the apiserver's plain parse does.
fn key_error(key: &str) -> Option<String> {
    let msgs = names::is_qualified_name(key);
    if msgs.is_empty() {
        None
    } else {
        Some(format!(
            "<nil>: Invalid value: {}: {}",
            go_quote(key),
            msgs.join("; ")
        ))
    }
}

fn go_string_list(v: &[String]) -> String {
    let q: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    format!("[]string{{{}}}", q.join(", "))
}

fn aggregate(errs: Vec<String>) -> String {
    if errs.len() == 1 {
        errs.into_iter().next().unwrap_or_default()
    } else {
        format!("[{}]", errs.join(", "))
    }
}

// ---- lexer ----

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    End,
    ClosePar,
    Comma,
    Not,
    DoubleEq,
    Eq,
    Gt,
    Ident,
    In,
    Lt,
    NotEq,
    NotIn,
    OpenPar,
    Error,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn symbol(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosePar,
        "," => Tok::Comma,
        "!" => Tok::Not,
        "==" => Tok::DoubleEq,
        "=" => Tok::Eq,
        ">" => Tok::Gt,
        "in" => Tok::In,
        "<" => Tok::Lt,
        "!=" => Tok::NotEq,
        "notin" => Tok::NotIn,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn lex(input: &str) -> Vec<(Tok, String)> {
    let b = input.as_bytes();
    let mut pos = 0;
    let mut out = Vec::new();
    loop {
        while pos < b.len() && is_space(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() {
            out.push((Tok::End, String::new()));
            return out;
        }
        if is_special(b[pos]) {
            // Longest run of symbol characters that still forms a known operator.
            let start = pos;
            let mut last: Option<(Tok, usize)> = None;
            while pos < b.len() && is_special(b[pos]) {
                let cand = &input[start..=pos];
                if let Some(t) = symbol(cand) {
                    last = Some((t, pos + 1));
                } else if last.is_some() {
                    break;
                }
                pos += 1;
            }
            match last {
                Some((t, end)) => {
                    out.push((t, input[start..end].to_string()));
                    pos = end;
                }
                None => {
                    out.push((
                        Tok::Error,
                        format!("error expected: keyword found '{}'", &input[start..pos]),
                    ));
                }
            }
        } else {
            let start = pos;
            while pos < b.len() && !is_special(b[pos]) && !is_space(b[pos]) {
                pos += 1;
            }
            let word = &input[start..pos];
            let tok = match word {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Ident,
            };
            out.push((tok, word.to_string()));
        }
    }
}

// ---- parser ----

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

impl Parser {
    /// In value position `in` and `notin` are plain identifiers.
    fn at(&self, values: bool) -> (Tok, String) {
        let (t, l) = self
            .items
            .get(self.pos)
            .cloned()
            .unwrap_or((Tok::End, String::new()));
        let t = match t {
            Tok::In | Tok::NotIn if values => Tok::Ident,
            t => t,
        };
        (t, l)
    }

    fn next(&mut self, values: bool) -> (Tok, String) {
        let r = self.at(values);
        if self.pos < self.items.len() {
            self.pos += 1;
        }
        r
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (t, lit) = self.at(true);
            match t {
                Tok::Ident | Tok::Not => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    let (t, l) = self.next(true);
                    match t {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let (t2, l2) = self.at(true);
                            if t2 != Tok::Ident && t2 != Tok::Not {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Tok::End => return Ok(reqs),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (mut t, mut key) = self.next(true);
        let negated = t == Tok::Not;
        if negated {
            (t, key) = self.next(true);
        }
        if t != Tok::Ident {
            return Err(format!("found '{key}', expected: identifier"));
        }
        if let Some(e) = key_error(&key) {
            return Err(e);
        }
        // `!key` never takes an operator: whatever follows is left for the caller to reject.
        if negated {
            return Requirement::new(&key, Operator::DoesNotExist, Vec::new());
        }
        let (la, _) = self.at(true);
        if la == Tok::End || la == Tok::Comma {
            return Requirement::new(&key, Operator::Exists, Vec::new());
        }
        let (t, lit) = self.next(false);
        let op = match t {
            Tok::In => Operator::In,
            Tok::Eq => Operator::Equals,
            Tok::DoubleEq => Operator::DoubleEquals,
            Tok::Gt => Operator::GreaterThan,
            Tok::Lt => Operator::LessThan,
            Tok::NotIn => Operator::NotIn,
            Tok::NotEq => Operator::NotEquals,
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ));
            }
        };
        let values = match op {
            Operator::In | Operator::NotIn => self.set_values()?,
            _ => self.exact_value()?,
        };
        Requirement::new(&key, op, values)
    }

    fn set_values(&mut self) -> Result<Vec<String>, String> {
        let (t, lit) = self.next(true);
        if t != Tok::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (t, lit) = self.at(true);
        match t {
            Tok::Ident | Tok::Comma => {
                let list = self.identifier_list()?;
                let (t, _) = self.next(true);
                if t != Tok::ClosePar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(list)
            }
            Tok::ClosePar => {
                self.next(true);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn identifier_list(&mut self) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::new();
        loop {
            let (t, lit) = self.next(true);
            match t {
                Tok::Ident => {
                    out.push(lit);
                    let (t2, l2) = self.at(true);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosePar => return Ok(out),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    // Empty members: `(,a)`, `(a,)`, `(a,,b)` all contain "".
                    if out.is_empty() {
                        out.push(String::new());
                    }
                    let (t2, _) = self.at(true);
                    if t2 == Tok::ClosePar {
                        out.push(String::new());
                        return Ok(out);
                    }
                    if t2 == Tok::Comma {
                        self.next(true);
                        out.push(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        let (t, _) = self.at(true);
        if t == Tok::End || t == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (t, lit) = self.next(true);
        if t == Tok::Ident {
            Ok(vec![lit])
        } else {
            Err(format!("found '{lit}', expected: identifier"))
        }
    }
}

impl LabelSelector {
    /// Parses the `-l` / `labelSelector=` syntax; errors are worded as the apiserver's.
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut p = Parser {
            items: lex(s),
            pos: 0,
        };
        let mut reqs = p.parse()?;
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector {
            requirements: reqs,
            nothing: false,
        })
    }

    /// Converts a LabelSelector object (`matchLabels` + `matchExpressions`). JSON null gives
    /// the selector that matches nothing; `{}` the one that matches everything.
    pub fn from_object(sel: &Value) -> Result<LabelSelector, String> {
        let obj = match sel {
            Value::Null => {
                return Ok(LabelSelector {
                    requirements: Vec::new(),
                    nothing: true,
                });
            }
            Value::Object(o) => o,
            _ => return Err("label selector must be an object".to_string()),
        };
        let mut reqs = Vec::new();
        if let Some(ml) = obj.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in ml {
                let v = v.as_str().unwrap_or("").to_string();
                reqs.push(Requirement::new(k, Operator::Equals, vec![v])?);
            }
        }
        if let Some(exprs) = obj.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let op_name = e.get("operator").and_then(Value::as_str).unwrap_or("");
                let op = match op_name {
                    "In" => Operator::In,
                    "NotIn" => Operator::NotIn,
                    "Exists" => Operator::Exists,
                    "DoesNotExist" => Operator::DoesNotExist,
                    other => {
                        return Err(format!(
                            "{} is not a valid label selector operator",
                            go_quote(other)
                        ));
                    }
                };
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                let values: Vec<String> = e
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(|v| v.as_str().unwrap_or("").to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                reqs.push(Requirement::new(key, op, values)?);
            }
        }
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector {
            requirements: reqs,
            nothing: false,
        })
    }

    /// A selector from a plain label map (a Service's `spec.selector`).
    pub fn from_map(m: &Map<String, Value>) -> LabelSelector {
        let mut reqs: Vec<Requirement> = m
            .iter()
            .map(|(k, v)| Requirement {
                key: k.clone(),
                op: Operator::Equals,
                values: vec![v.as_str().unwrap_or("").to_string()],
            })
            .collect();
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        LabelSelector {
            requirements: reqs,
            nothing: false,
        }
    }

    pub fn matches(&self, labels: Option<&Map<String, Value>>) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// True when it selects everything (no requirements).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }
}

impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// kubectl describe's rendering of a LabelSelector object: `app=web`, `<none>` when empty,
/// `<error>` when invalid.
pub fn format_label_selector(sel: &Value) -> String {
    match LabelSelector::from_object(sel) {
        Err(_) => "<error>".to_string(),
        Ok(s) => {
            let t = s.to_string();
            if t.is_empty() {
                "<none>".to_string()
            } else {
                t
            }
        }
    }
}
