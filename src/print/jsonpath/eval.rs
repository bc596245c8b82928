//! Evaluation of parsed templates against a JSON value, following kubectl's rules (range/end
//! bookkeeping, slices, filters, recursive descent, missing keys print nothing).

use serde_json::Value;

use super::compare::compare;
use super::{Node, Param, Res};

/// Evaluation result: the values, and an error that stops evaluation. Like kubectl, a failing
/// step still hands back a value (an existence filter looks at it).
type Eval<'a> = (Vec<Res<'a>>, Option<String>);

pub(super) struct Exec<'n> {
    pub(super) nodes: &'n [Node],
    pub(super) begin_range: i32,
    pub(super) in_range: i32,
    pub(super) end_range: i32,
    pub(super) last_end: Option<usize>,
}

impl<'n> Exec<'n> {
    /// kubectl's `FindResults` over the top-level nodes from `start`, with its range/end
    /// bookkeeping (a `range` re-runs the following nodes once per value, until `end`).
    pub(super) fn find_results<'a>(
        &mut self,
        data: Res<'a>,
        start: usize,
    ) -> Result<Vec<Vec<Res<'a>>>, String> {
        let nodes = self.nodes;
        let mut full = Vec::new();
        let cur = vec![data];
        let mut i = start;
        while i < nodes.len() {
            let (results, err) = self.walk(cur.clone(), &nodes[i]);
            if let Some(e) = err {
                return Err(e);
            }
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    self.find_results(Res::Invalid, i + 1)?;
                } else {
                    for value in results {
                        // A null item becomes "no value" when handed to the next level.
                        let value = if value.is_nil() { Res::Invalid } else { value };
                        full.extend(self.find_results(value, i + 1)?);
                    }
                }
                self.in_range -= 1;
                if let Some(k) = (i + 1..nodes.len()).find(|&k| Some(k) == self.last_end) {
                    i = k;
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk<'a>(&mut self, input: Vec<Res<'a>>, node: &Node) -> Eval<'a> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(s) => (vec![Res::Str(s.clone())], None),
            Node::Field(name) => eval_field(input, name),
            Node::Array(params) => eval_array(input, params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(i) => (input.iter().map(|_| Res::Int(*i)).collect(), None),
            Node::Float(f) => (input.iter().map(|_| Res::Float(*f)).collect(), None),
            Node::Bool(b) => (input.iter().map(|_| Res::Bool(*b)).collect(), None),
            Node::Wildcard => (
                input
                    .iter()
                    .filter(|v| !v.is_nil())
                    .flat_map(|v| v.children())
                    .collect(),
                None,
            ),
            Node::Recursive => (eval_recursive(&input), None),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for list in lists {
                    let (vals, err) = self.eval_list(input.clone(), list);
                    if err.is_some() {
                        return (input, err);
                    }
                    out.extend(vals);
                }
                (out, None)
            }
            Node::Identifier(name) => match name.as_str() {
                "range" => {
                    self.begin_range += 1;
                    (input, None)
                }
                "end" if self.in_range > 0 => {
                    self.end_range += 1;
                    (Vec::new(), None)
                }
                "end" => (Vec::new(), Some("not in range, nothing to end".into())),
                _ => (input, Some(format!("unrecognized identifier {name}"))),
            },
        }
    }

    fn eval_list<'a>(&mut self, input: Vec<Res<'a>>, nodes: &[Node]) -> Eval<'a> {
        let mut cur = input;
        for node in nodes {
            let (next, err) = self.walk(cur, node);
            if err.is_some() {
                return (next, err);
            }
            cur = next;
        }
        (cur, None)
    }

    fn eval_filter<'a>(
        &mut self,
        input: Vec<Res<'a>>,
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Eval<'a> {
        let mut results = Vec::new();
        for value in &input {
            let items = match value {
                Res::Json(Value::Array(items)) => items,
                other => {
                    let shown = match other {
                        Res::Invalid => "<invalid reflect.Value>".to_string(),
                        v => v.fmt_v(),
                    };
                    return (
                        input.clone(),
                        Some(format!(
                            "{shown} is not array or slice and cannot be filtered"
                        )),
                    );
                }
            };
            for item in items {
                let temp = vec![Res::Json(item)];
                let (lefts, err) = self.eval_list(temp.clone(), left);
                if op == "exists" {
                    if !lefts.is_empty() {
                        results.push(Res::Json(item));
                    }
                    continue;
                }
                let left_value = match one_operand((lefts, err)) {
                    Ok(Some(v)) => v,
                    Ok(None) => continue,
                    Err(e) => return (input.clone(), Some(e)),
                };
                let right_value = match one_operand(self.eval_list(temp, right)) {
                    Ok(Some(v)) => v,
                    Ok(None) => continue,
                    Err(e) => return (input.clone(), Some(e)),
                };
                match compare(op, &left_value, &right_value) {
                    Ok(true) => results.push(Res::Json(item)),
                    Ok(false) => {}
                    Err(e) => return (results, Some(e)),
                }
            }
        }
        (results, None)
    }
}

/// One side of a filter's comparison: its error, nothing (the item is skipped), or its
/// one value; more than one is an error, as in kubectl.
fn one_operand<'a>((values, err): Eval<'a>) -> Result<Option<Res<'a>>, String> {
    if let Some(e) = err {
        return Err(e);
    }
    if values.len() > 1 {
        return Err("can only compare one element at a time".into());
    }
    Ok(values.into_iter().next())
}

fn eval_field<'a>(input: Vec<Res<'a>>, name: &str) -> Eval<'a> {
    let mut results = Vec::new();
    for value in &input {
        if let Res::Json(Value::Object(m)) = value
            && let Some(v) = m.get(name)
        {
            results.push(Res::Json(v));
        }
    }
    (results, None)
}

fn eval_array<'a>(input: Vec<Res<'a>>, node_params: &[Param; 3]) -> Eval<'a> {
    let mut result = Vec::new();
    for value in &input {
        if value.is_nil() {
            continue;
        }
        let Res::Json(Value::Array(items)) = value else {
            return (
                input.clone(),
                Some(format!("{} is not array or slice", value.type_name())),
            );
        };
        let len = items.len() as i64;
        let mut p = *node_params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value == p[0].value {
            return (result, None);
        }
        if p[0].value >= len || p[0].value < 0 {
            let e = format!(
                "array index out of bounds: index {}, length {}",
                p[0].value, len
            );
            return (input.clone(), Some(e));
        }
        if p[1].value > len || p[1].value < 0 {
            let e = format!(
                "array index out of bounds: index {}, length {}",
                p[1].value - 1,
                len
            );
            return (input.clone(), Some(e));
        }
        if p[0].value > p[1].value {
            let e = format!(
                "starting index {} is greater than ending index {}",
                p[0].value, p[1].value
            );
            return (input.clone(), Some(e));
        }
        let mut step = 1;
        if p[2].known {
            if p[2].value <= 0 {
                return (input.clone(), Some("step must be > 0".into()));
            }
            step = p[2].value as usize;
        }
        let slice = &items[p[0].value as usize..p[1].value as usize];
        result.extend(slice.iter().step_by(step).map(Res::Json));
    }
    (result, None)
}

fn eval_recursive<'a>(input: &[Res<'a>]) -> Vec<Res<'a>> {
    let mut result = Vec::new();
    for value in input {
        if value.is_nil() {
            continue;
        }
        let children = value.children();
        if !children.is_empty() {
            result.push(value.clone());
            result.extend(eval_recursive(&children));
        }
    }
    result
}
