//! The parser of Go's text/template: a tree of text, actions and control structures.

use super::lex::{Item, Tok, lex, line_of};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    With(Branch),
    Range(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Vec<Node>,
}

#[derive(Debug, Clone)]
pub struct Pipe {
    pub pos: usize,
    pub decl: Vec<String>,
    pub assign: bool,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug, Clone)]
pub struct Cmd {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub enum Arg {
    Field {
        pos: usize,
        path: Vec<String>,
    },
    Var {
        pos: usize,
        name: String,
        path: Vec<String>,
    },
    Chain {
        pos: usize,
        node: Box<Arg>,
        path: Vec<String>,
    },
    Ident {
        pos: usize,
        name: String,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        value: bool,
    },
    Number {
        pos: usize,
        text: String,
        value: Num,
    },
    Str {
        pos: usize,
        raw: String,
        value: String,
    },
    Pipe {
        pos: usize,
        pipe: Pipe,
    },
}

#[derive(Debug, Clone, Copy)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Var { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Ident { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Pipe { pos, .. } => *pos,
        }
    }
}

/// Go's `String()` of nodes, as error messages quote them.
impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Field { path, .. } => path.iter().try_for_each(|p| write!(f, ".{p}")),
            Arg::Var { name, path, .. } => {
                write!(f, "{name}")?;
                path.iter().try_for_each(|p| write!(f, ".{p}"))
            }
            Arg::Chain { node, path, .. } => {
                write!(f, "{node}")?;
                path.iter().try_for_each(|p| write!(f, ".{p}"))
            }
            Arg::Ident { name, .. } => write!(f, "{name}"),
            Arg::Dot { .. } => write!(f, "."),
            Arg::Nil { .. } => write!(f, "nil"),
            Arg::Bool { value, .. } => write!(f, "{value}"),
            Arg::Number { text, .. } => write!(f, "{text}"),
            Arg::Str { raw, .. } => write!(f, "{raw}"),
            Arg::Pipe { pipe, .. } => write!(f, "({pipe})"),
        }
    }
}

impl std::fmt::Display for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{}", self.decl.join(", "))?;
            f.write_str(if self.assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// A parsed template set: the main tree and its `define`d templates.
#[derive(Debug, Clone)]
pub struct Tree {
    pub main: Vec<Node>,
    pub defs: HashMap<String, Vec<Node>>,
}

/// The context word of a parenthesised pipeline in Go's messages.
const PAREN: &str = "parenthesized pipeline";

pub const BUILTINS: &[&str] = &[
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "js",
    "html",
    "urlquery",
    "call",
    "base64decode",
    "exists",
];

/// How a list of nodes ended.
enum Stop {
    End,
    Else(usize),
    Eof,
}

struct Parser<'a> {
    src: &'a str,
    items: Vec<Item>,
    at: usize,
    vars: Vec<String>,
    defs: HashMap<String, Vec<Node>>,
    range_depth: usize,
}

/// Parse a template; the error is Go's (`template: output:1: unclosed action`).
pub fn parse(src: &str) -> Result<Tree, String> {
    let items = lex(src).map_err(|(line, msg)| format!("template: output:{line}: {msg}"))?;
    let mut p = Parser {
        src,
        items,
        at: 0,
        vars: vec!["$".into()],
        defs: HashMap::new(),
        range_depth: 0,
    };
    let (main, end) = p
        .list(true)
        .map_err(|(pos, msg)| format!("template: output:{}: {msg}", line_of(src, pos)))?;
    match end {
        Stop::Eof => Ok(Tree { main, defs: p.defs }),
        Stop::End | Stop::Else(_) => unreachable!(),
    }
}

type PResult<T> = Result<T, (usize, String)>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Item> {
        self.items.get(self.at)
    }

    fn next(&mut self) -> Option<Item> {
        let it = self.items.get(self.at).cloned();
        self.at += 1;
        it
    }

    fn next_non_space(&mut self) -> Option<Item> {
        loop {
            let it = self.next()?;
            if it.0 != Tok::Space {
                return Some(it);
            }
        }
    }

    fn peek_non_space(&mut self) -> Option<Item> {
        let save = self.at;
        let it = self.next_non_space();
        self.at = save;
        it
    }

    fn eof_pos(&self) -> usize {
        self.src.len()
    }

    /// Nodes until `{{end}}`, `{{else}}` or the end of input (`top`).
    fn list(&mut self, top: bool) -> PResult<(Vec<Node>, Stop)> {
        let mut nodes = Vec::new();
        loop {
            let Some((tok, pos)) = self.next() else {
                if top {
                    return Ok((nodes, Stop::Eof));
                }
                return Err((self.eof_pos(), "unexpected EOF".into()));
            };
            match tok {
                Tok::Text(t) => nodes.push(Node::Text(t)),
                Tok::Left => {
                    let Some((kw, kpos)) = self.peek_non_space() else {
                        return Err((pos, "unclosed action".into()));
                    };
                    if let Tok::Ident(word) = &kw {
                        match word.as_str() {
                            "end" => {
                                self.next_non_space();
                                self.expect_right("end")?;
                                if top {
                                    return Err((kpos, "unexpected {{end}}".into()));
                                }
                                return Ok((nodes, Stop::End));
                            }
                            "else" => {
                                self.next_non_space();
                                if top {
                                    return Err((kpos, "unexpected {{else}}".into()));
                                }
                                return Ok((nodes, Stop::Else(kpos)));
                            }
                            "if" | "with" | "range" => {
                                self.next_non_space();
                                let word = word.clone();
                                nodes.push(self.control(&word, kpos)?);
                                continue;
                            }
                            "define" => {
                                self.next_non_space();
                                self.define(kpos, false)?;
                                continue;
                            }
                            "block" => {
                                self.next_non_space();
                                nodes.push(self.define(kpos, true)?);
                                continue;
                            }
                            "template" => {
                                self.next_non_space();
                                nodes.push(self.template(kpos)?);
                                continue;
                            }
                            "break" | "continue" => {
                                self.next_non_space();
                                if self.range_depth == 0 {
                                    return Err((
                                        kpos,
                                        format!("{{{{{word}}}}} outside {{{{range}}}}"),
                                    ));
                                }
                                let node = if word == "break" {
                                    Node::Break
                                } else {
                                    Node::Continue
                                };
                                self.expect_right(if word == "break" {
                                    "{{break}}"
                                } else {
                                    "{{continue}}"
                                })?;
                                nodes.push(node);
                                continue;
                            }
                            _ => {}
                        }
                    }
                    let pipe = self.pipeline("command", true)?;
                    nodes.push(Node::Action(pipe));
                }
                other => return Err((pos, format!("unexpected {other:?}"))),
            }
        }
    }

    fn expect_right(&mut self, ctx: &str) -> PResult<()> {
        match self.next_non_space() {
            Some((Tok::Right, _)) => Ok(()),
            Some((t, pos)) => Err((pos, format!("unexpected {} in {ctx}", tok_text(&t)))),
            None => Err((self.eof_pos(), format!("unclosed action in {ctx}"))),
        }
    }

    fn control(&mut self, word: &str, pos: usize) -> PResult<Node> {
        let vars_len = self.vars.len();
        let pipe = self.pipeline(word, true)?;
        if word == "range" {
            self.range_depth += 1;
        }
        let (list, end) = self.list(false)?;
        if word == "range" {
            self.range_depth -= 1;
        }
        let else_list = match end {
            Stop::End => Vec::new(),
            Stop::Else(epos) => {
                // `else if` / `else with` chain into a nested control.
                match self.peek_non_space() {
                    Some((Tok::Ident(w), wpos))
                        if (w == "if" && word == "if") || (w == "with" && word == "with") =>
                    {
                        self.next_non_space();
                        let nested = self.control(&w, wpos)?;
                        vec![nested]
                    }
                    _ => {
                        self.expect_right("else")?;
                        let (l, end) = self.list(false)?;
                        match end {
                            Stop::End => l,
                            Stop::Else(p) => {
                                return Err((p, "expected end; found {{else}}".into()));
                            }
                            Stop::Eof => return Err((epos, "unexpected EOF".into())),
                        }
                    }
                }
            }
            Stop::Eof => return Err((pos, "unexpected EOF".into())),
        };
        self.vars.truncate(vars_len);
        let b = Branch {
            pipe,
            list,
            else_list,
        };
        Ok(match word {
            "if" => Node::If(b),
            "with" => Node::With(b),
            _ => Node::Range(b),
        })
    }

    /// The name of a template and its position (where Go places the node).
    fn template_name(&mut self, ctx: &str) -> PResult<(String, usize)> {
        match self.next_non_space() {
            Some((Tok::Str(_, v), pos)) => Ok((v, pos)),
            Some((t, pos)) => Err((pos, format!("unexpected {} in {ctx} clause", tok_text(&t)))),
            None => Err((self.eof_pos(), "unexpected EOF".into())),
        }
    }

    fn template(&mut self, _pos: usize) -> PResult<Node> {
        let (name, pos) = self.template_name("template")?;
        let pipe = match self.peek_non_space() {
            Some((Tok::Right, _)) => {
                self.next_non_space();
                None
            }
            _ => Some(self.pipeline("template", false)?),
        };
        Ok(Node::Template { pos, name, pipe })
    }

    fn define(&mut self, pos: usize, block: bool) -> PResult<Node> {
        let (name, _) = self.template_name(if block { "block" } else { "define" })?;
        let pipe = if block {
            Some(self.pipeline("block clause", false)?)
        } else {
            self.expect_right("define clause")?;
            None
        };
        let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (list, end) = self.list(false)?;
        self.vars = saved;
        if let Stop::Else(p) = end {
            return Err((p, "unexpected {{else}}".into()));
        }
        if let Some(old) = self.defs.get(&name)
            && !old
                .iter()
                .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()))
            && !list
                .iter()
                .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()))
        {
            return Err((
                pos,
                format!("template: multiple definition of template {name:?}"),
            ));
        }
        self.defs.insert(name.clone(), list);
        Ok(Node::Template { pos, name, pipe })
    }

    /// A pipeline up to the closing `}}` (or `)` inside parentheses when `!action`).
    fn pipeline(&mut self, ctx: &str, allow_decl: bool) -> PResult<Pipe> {
        let start = self
            .peek_non_space()
            .map(|(_, p)| p)
            .unwrap_or(self.eof_pos());
        let mut decl = Vec::new();
        let mut assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
        let save = self.at;
        if allow_decl && let Some((Tok::Var(v), _)) = self.next_non_space() {
            match self.next_non_space() {
                Some((Tok::Declare, _)) => decl.push(v),
                Some((Tok::Assign, _)) => {
                    decl.push(v);
                    assign = true;
                }
                Some((Tok::Comma, cpos)) if ctx == "range" => {
                    if let Some((Tok::Var(v2), _)) = self.next_non_space() {
                        match self.next_non_space() {
                            Some((Tok::Declare, _)) => decl = vec![v, v2],
                            Some((Tok::Assign, _)) => {
                                decl = vec![v, v2];
                                assign = true;
                            }
                            Some((Tok::Comma, p)) => {
                                return Err((p, "too many declarations in range".into()));
                            }
                            _ => return Err((cpos, "missing := or = in range".into())),
                        }
                    } else {
                        return Err((cpos, "range can only initialize variables".into()));
                    }
                }
                _ => self.at = save,
            }
        } else {
            self.at = save;
        }
        // An assignment to an unknown variable fails when it runs, as in Go.
        if !assign {
            self.vars.extend(decl.iter().cloned());
        }
        let mut cmds = Vec::new();
        loop {
            match self.peek_non_space() {
                Some((Tok::Right, _)) if ctx != PAREN => {
                    self.next_non_space();
                    break;
                }
                Some((Tok::Close, _)) if ctx == PAREN => {
                    self.next_non_space();
                    break;
                }
                None => return Err((self.eof_pos(), "unclosed action".into())),
                Some((
                    Tok::Bool(_)
                    | Tok::Char(_)
                    | Tok::Dot
                    | Tok::Field(_)
                    | Tok::Ident(_)
                    | Tok::Number(_)
                    | Tok::Nil
                    | Tok::Str(..)
                    | Tok::Var(_)
                    | Tok::Open,
                    _,
                )) => {}
                Some((t, p)) => {
                    return Err((p, format!("unexpected {} in {ctx}", tok_text(&t))));
                }
            }
            cmds.push(self.command(ctx)?);
        }
        if cmds.is_empty() {
            return Err((start, format!("missing value for {ctx}")));
        }
        for (i, c) in cmds.iter().enumerate().skip(1) {
            if let Some(
                a @ (Arg::Bool { .. }
                | Arg::Dot { .. }
                | Arg::Nil { .. }
                | Arg::Number { .. }
                | Arg::Str { .. }),
            ) = c.args.first()
            {
                let _ = i;
                return Err((
                    a.pos(),
                    format!("non executable command in pipeline stage {}", i + 1),
                ));
            }
        }
        Ok(Pipe {
            pos: start,
            decl,
            assign,
            cmds,
        })
    }

    fn command(&mut self, ctx: &str) -> PResult<Cmd> {
        let pos = self.peek_non_space().map(|(_, p)| p).unwrap_or(0);
        let mut args = Vec::new();
        loop {
            // Skip spaces between operands.
            while matches!(self.peek(), Some((Tok::Space, _))) {
                self.next();
            }
            match self.peek().cloned() {
                Some((Tok::Right, _)) if ctx != PAREN => break,
                Some((Tok::Close, _)) if ctx == PAREN => break,
                Some((Tok::Pipe, ppos)) => {
                    self.next();
                    if args.is_empty() {
                        return Err((ppos, "unexpected \"|\" in command".into()));
                    }
                    break;
                }
                None => return Err((self.eof_pos(), "unclosed action".into())),
                _ => {}
            }
            let op = self.operand()?;
            args.push(op);
            // Operands must be separated by spaces.
            match self.peek() {
                Some((Tok::Space | Tok::Right | Tok::Close | Tok::Pipe, _)) | None => {}
                Some((t, p)) => {
                    return Err((*p, format!("unexpected {} in operand", tok_text(t))));
                }
            }
        }
        if args.is_empty() {
            return Err((pos, "empty command".into()));
        }
        Ok(Cmd { pos, args })
    }

    fn operand(&mut self) -> PResult<Arg> {
        let term = self.term()?;
        let mut path = Vec::new();
        let mut chain_pos = None;
        while let Some((Tok::Field(f), p)) = self.peek().cloned() {
            chain_pos.get_or_insert(p);
            path.push(f);
            self.next();
        }
        if path.is_empty() {
            return Ok(term);
        }
        let pos = chain_pos.unwrap_or(0);
        Ok(match term {
            Arg::Field {
                path: mut first, ..
            } => {
                first.extend(path);
                Arg::Field { pos, path: first }
            }
            Arg::Var {
                name,
                path: mut first,
                ..
            } => {
                first.extend(path);
                Arg::Var {
                    pos,
                    name,
                    path: first,
                }
            }
            Arg::Bool { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Nil { pos }
            | Arg::Dot { pos } => {
                return Err((
                    pos,
                    format!("unexpected . after term {:?}", term.to_string()),
                ));
            }
            other => Arg::Chain {
                pos,
                node: Box::new(other),
                path,
            },
        })
    }

    fn term(&mut self) -> PResult<Arg> {
        let Some((tok, pos)) = self.next() else {
            return Err((self.eof_pos(), "unclosed action".into()));
        };
        Ok(match tok {
            Tok::Field(f) => Arg::Field { pos, path: vec![f] },
            Tok::Var(name) => {
                if !self.vars.contains(&name) {
                    return Err((pos, format!("undefined variable \"{name}\"")));
                }
                Arg::Var {
                    pos,
                    name,
                    path: vec![],
                }
            }
            Tok::Ident(name) => {
                if !BUILTINS.contains(&name.as_str()) {
                    return Err((pos, format!("function \"{name}\" not defined")));
                }
                Arg::Ident { pos, name }
            }
            Tok::Dot => Arg::Dot { pos },
            Tok::Nil => Arg::Nil { pos },
            Tok::Bool(value) => Arg::Bool { pos, value },
            Tok::Str(raw, value) => Arg::Str { pos, raw, value },
            Tok::Number(text) => {
                let value = parse_number(&text).map_err(|e| (pos, e))?;
                Arg::Number { pos, text, value }
            }
            Tok::Char(text) => {
                let inner = format!("\"{}\"", &text[1..text.len() - 1].replace('"', "\\\""));
                let s = super::lex::unquote(&inner).unwrap_or_default();
                let mut cs = s.chars();
                let (Some(c), None) = (cs.next(), cs.next()) else {
                    return Err((pos, format!("malformed character constant: {text}")));
                };
                Arg::Number {
                    pos,
                    text,
                    value: Num::Int(c as i64),
                }
            }
            Tok::Open => {
                let pipe = self.pipeline(PAREN, false)?;
                Arg::Pipe { pos, pipe }
            }
            t => return Err((pos, format!("unexpected {} in operand", tok_text(&t)))),
        })
    }
}

/// Go's `item.String()`: keywords in angle brackets, other tokens quoted (long ones cut).
fn tok_text(t: &Tok) -> String {
    let val = match t {
        Tok::Right => "}}".to_string(),
        Tok::Left => "{{".to_string(),
        Tok::Close => ")".into(),
        Tok::Open => "(".into(),
        Tok::Pipe => "|".into(),
        Tok::Comma => ",".into(),
        Tok::Declare => ":=".into(),
        Tok::Assign => "=".into(),
        Tok::Space => " ".into(),
        Tok::Dot => return "<.>".into(),
        Tok::Nil => return "<nil>".into(),
        Tok::Ident(s) if KEYWORDS.contains(&s.as_str()) => return format!("<{s}>"),
        Tok::Ident(s) | Tok::Number(s) | Tok::Var(s) | Tok::Char(s) | Tok::Text(s) => s.clone(),
        Tok::Field(s) => format!(".{s}"),
        Tok::Str(raw, _) => raw.clone(),
        Tok::Bool(b) => b.to_string(),
        Tok::Other(c) => c.to_string(),
    };
    if val.chars().count() > 10 {
        let cut: String = val.chars().take(10).collect();
        return format!("{}...", crate::go::quote(&cut));
    }
    crate::go::quote(&val)
}

const KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

/// Go's number literals (`newNumber`): integers in any base, else floats; an integer too
/// big for int64 is an error.
fn parse_number(text: &str) -> Result<Num, String> {
    let clean = text.replace('_', "");
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, clean.trim_start_matches('+').to_string()),
    };
    let lower = body.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if lower.len() > 1 && lower.starts_with('0') {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Ok(Num::Int(if neg { -i } else { i }));
    }
    let looks_float = lower.contains(['.', 'e', 'p']) && !lower.starts_with("0x");
    match lower.parse::<f64>() {
        Ok(f) if f.is_finite() && looks_float => Ok(Num::Float(if neg { -f } else { f })),
        Ok(_) if !looks_float => Err(format!("integer overflow: {}", crate::go::quote(text))),
        _ => Err(format!("illegal number syntax: {}", crate::go::quote(text))),
    }
}
