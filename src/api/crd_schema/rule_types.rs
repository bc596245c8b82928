//! The type errors kube's CEL checker finds in a CRD rule when the CRD is written, for the
//! common cases only: a field its object schema does not declare (`undefined field 'x'`),
//! and an operator applied to schema-typed scalars it has no overload for (`self.replicas >
//! 'a'`). Anything whose type is not certain here (`x-kubernetes-int-or-string`, preserved
//! unknown fields, embedded resources, comprehension variables, most functions' results)
//! is dynamic and never refused, so a rule kube accepts is never refused.

use super::node::Node;
use cel::common::ast::{CallExpr, Expr, IdedExpr, LiteralValue, SourceInfo};

/// A rule's type, as far as it is known.
#[derive(Debug, Clone, Copy)]
enum Ty<'n> {
    Int,
    Uint,
    Double,
    String,
    Bool,
    Bytes,
    Timestamp,
    Duration,
    List(Option<&'n Node>),
    Map(Option<&'n Node>),
    /// An object schema with declared properties; `true` at the root, where kube also
    /// declares `apiVersion`, `kind` and `metadata`.
    Object(&'n Node, bool),
    Dyn,
}

/// Schema-typed lists, maps and objects are the same type when they come from the same
/// schema node.
impl PartialEq for Ty<'_> {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &Option<&Node>, b: &Option<&Node>| match (a, b) {
            (Some(x), Some(y)) => std::ptr::eq(*x, *y),
            (None, None) => true,
            _ => false,
        };
        match (self, other) {
            (Ty::List(a), Ty::List(b)) | (Ty::Map(a), Ty::Map(b)) => same(a, b),
            (Ty::Object(a, ra), Ty::Object(b, rb)) => std::ptr::eq(*a, *b) && ra == rb,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

impl Ty<'_> {
    /// cel-go's name of a scalar type; None for the others, which are never reported.
    fn scalar_name(&self) -> Option<&'static str> {
        Some(match self {
            Ty::Int => "int",
            Ty::Uint => "uint",
            Ty::Double => "double",
            Ty::String => "string",
            Ty::Bool => "bool",
            Ty::Bytes => "bytes",
            Ty::Timestamp => "google.protobuf.Timestamp",
            Ty::Duration => "google.protobuf.Duration",
            _ => return None,
        })
    }

    fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Uint | Ty::Double)
    }
}

/// The type kube gives values of a schema node.
fn of_node(node: Option<&Node>, root: bool) -> Ty<'_> {
    let Some(n) = node else {
        return Ty::Dyn;
    };
    if n.int_or_string || n.embedded || n.preserve_unknown {
        return Ty::Dyn;
    }
    match n.type_.as_str() {
        "integer" => Ty::Int,
        "number" => Ty::Double,
        "boolean" => Ty::Bool,
        "string" => match n.format.as_str() {
            "byte" => Ty::Bytes,
            "date-time" => Ty::Timestamp,
            "duration" => Ty::Dyn,
            _ => Ty::String,
        },
        "array" => Ty::List(n.items.as_deref()),
        "object" if !n.properties.is_empty() => Ty::Object(n, root),
        "object" if n.additional.is_some() => Ty::Map(n.additional.as_deref()),
        _ => Ty::Dyn,
    }
}

struct Checker<'n, 's> {
    source: &'s SourceInfo,
    /// Variables of comprehensions in scope, which shadow `self` and `oldSelf`.
    locals: Vec<String>,
    self_ty: Ty<'n>,
    old_self_ty: Ty<'n>,
    errors: Vec<(usize, String)>,
}

impl<'n> Checker<'n, '_> {
    fn error(&mut self, id: u64, message: String) {
        let at = self
            .source
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize);
        self.errors.push((at, message));
    }

    fn infer(&mut self, e: &IdedExpr) -> Ty<'n> {
        match &e.expr {
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => Ty::Bool,
                LiteralValue::Bytes(_) => Ty::Bytes,
                LiteralValue::Double(_) => Ty::Double,
                LiteralValue::Int(_) => Ty::Int,
                LiteralValue::String(_) => Ty::String,
                LiteralValue::UInt(_) => Ty::Uint,
                LiteralValue::Null => Ty::Dyn,
            },
            Expr::Ident(name) if self.locals.iter().any(|l| l == name) => Ty::Dyn,
            Expr::Ident(name) if name == "self" => self.self_ty,
            Expr::Ident(name) if name == "oldSelf" => self.old_self_ty,
            Expr::Select(s) => {
                let operand = self.infer(&s.operand);
                let field = match operand {
                    Ty::Object(node, root) => match node.properties.get(&s.field) {
                        Some(p) => of_node(Some(p), false),
                        None if root && matches!(s.field.as_str(), "apiVersion" | "kind") => {
                            Ty::String
                        }
                        None if root && s.field == "metadata" => Ty::Dyn,
                        None => {
                            self.error(e.id, format!("undefined field '{}'", s.field));
                            Ty::Dyn
                        }
                    },
                    Ty::Map(value) => of_node(value, false),
                    _ => Ty::Dyn,
                };
                if s.test { Ty::Bool } else { field }
            }
            Expr::Call(call) => self.call(e.id, call),
            Expr::Comprehension(c) => {
                self.infer(&c.iter_range);
                self.infer(&c.accu_init);
                let mut bound = vec![c.iter_var.clone(), c.accu_var.clone()];
                bound.extend(c.iter_var2.clone());
                let before = self.locals.len();
                self.locals.extend(bound);
                self.infer(&c.loop_cond);
                self.infer(&c.loop_step);
                self.infer(&c.result);
                self.locals.truncate(before);
                Ty::Dyn
            }
            Expr::List(l) => {
                for x in &l.elements {
                    self.infer(x);
                }
                Ty::List(None)
            }
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let cel::common::ast::EntryExpr::MapEntry(me) = &entry.expr {
                        self.infer(&me.key);
                        self.infer(&me.value);
                    }
                }
                Ty::Dyn
            }
            _ => Ty::Dyn,
        }
    }

    fn call(&mut self, id: u64, call: &CallExpr) -> Ty<'n> {
        if let Some(t) = &call.target {
            self.infer(t);
        }
        let args: Vec<Ty<'n>> = call.args.iter().map(|a| self.infer(a)).collect();
        let name = call.func_name.as_str();
        let (a, b) = match args.as_slice() {
            [a, b] => (*a, *b),
            _ => {
                return match name {
                    "!_" => Ty::Bool,
                    "size" => Ty::Int,
                    _ => Ty::Dyn,
                };
            }
        };
        let result = match name {
            "_<_" | "_<=_" | "_>_" | "_>=_" => {
                let fine = a == b && !matches!(a, Ty::List(_) | Ty::Map(_) | Ty::Object(..))
                    || a.is_number() && b.is_number();
                fine.then_some(Ty::Bool)
            }
            "_==_" | "_!=_" => {
                let family = |t: Ty<'n>| if t.is_number() { Ty::Int } else { t };
                (family(a) == family(b)).then_some(Ty::Bool)
            }
            "_+_" => match (a, b) {
                (Ty::Timestamp, Ty::Duration) | (Ty::Duration, Ty::Timestamp) => {
                    Some(Ty::Timestamp)
                }
                _ if a == b
                    && matches!(
                        a,
                        Ty::Int | Ty::Uint | Ty::Double | Ty::String | Ty::Bytes | Ty::Duration
                    ) =>
                {
                    Some(a)
                }
                _ => None,
            },
            "_-_" => match (a, b) {
                (Ty::Timestamp, Ty::Timestamp) => Some(Ty::Duration),
                (Ty::Timestamp, Ty::Duration) => Some(Ty::Timestamp),
                _ if a == b && matches!(a, Ty::Int | Ty::Uint | Ty::Double | Ty::Duration) => {
                    Some(a)
                }
                _ => None,
            },
            "_*_" | "_/_" => (a == b && a.is_number()).then_some(a),
            "_%_" => (a == b && matches!(a, Ty::Int | Ty::Uint)).then_some(a),
            "_[_]" => {
                return match (a, b) {
                    (Ty::List(items), Ty::Int) => of_node(items, false),
                    (Ty::Map(value), Ty::String) => of_node(value, false),
                    _ => Ty::Dyn,
                };
            }
            "_&&_" | "_||_" => return Ty::Bool,
            _ => return Ty::Dyn,
        };
        match (result, a.scalar_name(), b.scalar_name()) {
            (Some(t), _, _) => t,
            // Only operands both known and scalar are reported: anything else may match.
            (None, Some(x), Some(y)) => {
                self.error(
                    id,
                    format!("found no matching overload for '{name}' applied to '({x}, {y})'"),
                );
                Ty::Dyn
            }
            (None, _, _) => Ty::Dyn,
        }
    }
}

/// cel-go's report of the type errors of `src` (compiled as `program`) for a rule at
/// `node` (`root` at the top of the schema), or None when none are found.
pub fn type_errors(
    src: &str,
    program: &cel::Program,
    node: &Node,
    root: bool,
    optional_old_self: bool,
) -> Option<String> {
    let self_ty = of_node(Some(node), root);
    let mut checker = Checker {
        source: program.source_info(),
        locals: Vec::new(),
        self_ty,
        old_self_ty: if optional_old_self { Ty::Dyn } else { self_ty },
        errors: Vec::new(),
    };
    checker.infer(program.expression());
    let mut errors = checker.errors;
    if errors.is_empty() {
        return None;
    }
    errors.sort_by_key(|(at, _)| *at);
    let report: Vec<String> = errors
        .iter()
        .map(|(at, message)| {
            let at = (*at).min(src.len());
            let at = (0..=at)
                .rev()
                .find(|i| src.is_char_boundary(*i))
                .unwrap_or(0);
            let before = &src[..at];
            let line_no = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = src[line_start..at].chars().count();
            let line = src[line_start..].lines().next().unwrap_or("");
            format!(
                "ERROR: <input>:{line_no}:{}: {message}\n | {line}\n | {}^",
                col + 1,
                ".".repeat(col)
            )
        })
        .collect();
    Some(report.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(rule: &str) -> Option<String> {
        let node = Node::parse(&json!({"type":"object","properties":{
            "replicas":{"type":"integer"},"ratio":{"type":"number"},"name":{"type":"string"},
            "at":{"type":"string","format":"date-time"},
            "labels":{"type":"object","additionalProperties":{"type":"string"}},
            "items":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer"}}}},
            "any":{"x-kubernetes-int-or-string":true},
            "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}));
        let program = super::super::rule::compile_expression(rule).unwrap();
        type_errors(rule, &program, &node, true, false)
    }

    /// A presence test is located at its macro call's parenthesis, as cel-go locates it.
    #[test]
    fn unknown_fields_and_mismatched_operators_are_kubes_errors() {
        assert_eq!(
            check("self.foo == 1").as_deref(),
            Some("ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^")
        );
        assert_eq!(
            check("self.replicas > 'a'").as_deref(),
            Some(
                "ERROR: <input>:1:15: found no matching overload for '_>_' applied to '(int, string)'\n | self.replicas > 'a'\n | ..............^"
            )
        );
        assert_eq!(
            check("self.name + 1 == 'x' && has(self.nope)").as_deref(),
            Some(
                "ERROR: <input>:1:11: found no matching overload for '_+_' applied to '(string, int)'\n | self.name + 1 == 'x' && has(self.nope)\n | ..........^\nERROR: <input>:1:28: undefined field 'nope'\n | self.name + 1 == 'x' && has(self.nope)\n | ...........................^"
            )
        );
        assert!(
            check("self.items[0].m > 1")
                .unwrap()
                .contains("undefined field 'm'")
        );
        for fine in [
            "self.replicas > 1 && self.ratio < 2 && self.replicas <= self.ratio",
            "self.labels.anything == 'x' && self.labels['y'] == 'z'",
            "self.any == 1 || self.any == 'x'",
            "self.free.whatever > 3",
            "self.items.all(x, x.n > 0) && self.items.exists(n, n.whatever)",
            "self.apiVersion == 'v1' && self.metadata.name == 'x' && self.kind != ''",
            "self.at > timestamp('2020-01-01T00:00:00Z')",
            "self.name.size() > 1 && size(self.name) < 10 && self.name.startsWith('a')",
            "self.replicas + 1 > 2 && self.ratio * 2.0 < 1.0 && [1, 2].size() == 2",
            "oldSelf.replicas <= self.replicas",
        ] {
            assert_eq!(check(fine), None, "{fine}");
        }
    }
}
