//! NodeAffinity: `spec.nodeSelector` (every label must be there with that value) and the
//! required node affinity (`nodeSelectorTerms`: any one term, all of its requirements).
//! A term with no requirement matches nothing, as in Kubernetes.

use super::Unfit;
use crate::scheduler::model::{NodeInfo, NodeRequirement, NodeSelectorTerm, PodInfo, SelectorOp};

pub const REASON: &str = "node(s) didn't match Pod's node affinity/selector";

pub fn filter(pod: &PodInfo, node: &NodeInfo) -> Option<Unfit> {
    let selector_ok = pod
        .node_selector
        .iter()
        .all(|(k, v)| node.labels.get(k) == Some(v));
    let affinity_ok = pod
        .required_terms
        .as_ref()
        .is_none_or(|terms| terms.iter().any(|t| term_matches(t, node)));
    if selector_ok && affinity_ok {
        None
    } else {
        Some(Unfit::unresolvable(REASON))
    }
}

fn term_matches(term: &NodeSelectorTerm, node: &NodeInfo) -> bool {
    if term.expressions.is_empty() && term.fields.is_empty() {
        return false;
    }
    term.expressions
        .iter()
        .all(|r| requirement_matches(r, node.labels.get(&r.key).map(String::as_str)))
        && term.fields.iter().all(|r| field_matches(r, node))
}

/// One requirement against a label's value (None when the node lacks the label).
fn requirement_matches(r: &NodeRequirement, value: Option<&str>) -> bool {
    let Some(op) = r.op else {
        return false;
    };
    let has = |v: &str| r.values.iter().any(|x| x == v);
    match (op, value) {
        (SelectorOp::In, Some(v)) => has(v),
        (SelectorOp::In, None) => false,
        (SelectorOp::NotIn, Some(v)) => !has(v),
        (SelectorOp::NotIn, None) => true,
        (SelectorOp::Exists, v) => v.is_some(),
        (SelectorOp::DoesNotExist, v) => v.is_none(),
        (SelectorOp::Gt | SelectorOp::Lt, None) => false,
        (SelectorOp::Gt | SelectorOp::Lt, Some(v)) => {
            let (Ok(label), [bound]) = (v.parse::<i64>(), r.values.as_slice()) else {
                return false;
            };
            let Ok(bound) = bound.parse::<i64>() else {
                return false;
            };
            if op == SelectorOp::Gt {
                label > bound
            } else {
                label < bound
            }
        }
    }
}

/// `matchFields` knows one field, `metadata.name`, with In and NotIn.
fn field_matches(r: &NodeRequirement, node: &NodeInfo) -> bool {
    r.key == "metadata.name"
        && matches!(r.op, Some(SelectorOp::In | SelectorOp::NotIn))
        && requirement_matches(r, Some(&node.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::parse::labels;
    use crate::scheduler::testing::{node, pod};

    fn req(key: &str, op: SelectorOp, values: &[&str]) -> NodeRequirement {
        NodeRequirement {
            key: key.into(),
            op: Some(op),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn labelled(pairs: &[(&str, &str)]) -> NodeInfo {
        let mut n = node("node01");
        n.labels = labels(pairs);
        n
    }

    fn fits(terms: Vec<NodeSelectorTerm>, n: &NodeInfo) -> bool {
        let mut p = pod("p", 0, 0);
        p.required_terms = Some(terms);
        filter(&p, n).is_none()
    }

    fn expr(r: NodeRequirement) -> Vec<NodeSelectorTerm> {
        vec![NodeSelectorTerm {
            expressions: vec![r],
            fields: vec![],
        }]
    }

    #[test]
    fn node_selector_needs_every_label() {
        let n = labelled(&[("disk", "ssd"), ("zone", "a")]);
        let mut p = pod("p", 0, 0);
        p.node_selector = vec![("disk".into(), "ssd".into())];
        assert_eq!(filter(&p, &n), None);
        p.node_selector.push(("zone".into(), "b".into()));
        assert_eq!(
            filter(&p, &n).map(|u| u.reasons),
            Some(vec![REASON.to_string()])
        );
    }

    #[test]
    fn operators() {
        let n = labelled(&[("zone", "a"), ("cores", "8")]);
        assert!(fits(expr(req("zone", SelectorOp::In, &["a", "b"])), &n));
        assert!(!fits(expr(req("zone", SelectorOp::In, &["b"])), &n));
        assert!(fits(expr(req("zone", SelectorOp::NotIn, &["b"])), &n));
        assert!(fits(expr(req("missing", SelectorOp::NotIn, &["b"])), &n));
        assert!(fits(expr(req("zone", SelectorOp::Exists, &[])), &n));
        assert!(!fits(expr(req("zone", SelectorOp::DoesNotExist, &[])), &n));
        assert!(fits(
            expr(req("missing", SelectorOp::DoesNotExist, &[])),
            &n
        ));
        assert!(fits(expr(req("cores", SelectorOp::Gt, &["4"])), &n));
        assert!(!fits(expr(req("cores", SelectorOp::Gt, &["8"])), &n));
        assert!(fits(expr(req("cores", SelectorOp::Lt, &["9"])), &n));
        assert!(!fits(expr(req("zone", SelectorOp::Lt, &["9"])), &n));
        assert!(!fits(expr(req("cores", SelectorOp::Gt, &["x"])), &n));
    }

    #[test]
    fn terms_are_ored_requirements_anded() {
        let n = labelled(&[("zone", "a"), ("disk", "ssd")]);
        let both = NodeSelectorTerm {
            expressions: vec![
                req("zone", SelectorOp::In, &["a"]),
                req("disk", SelectorOp::In, &["hdd"]),
            ],
            fields: vec![],
        };
        assert!(!fits(vec![both.clone()], &n));
        let other = NodeSelectorTerm {
            expressions: vec![req("disk", SelectorOp::Exists, &[])],
            fields: vec![],
        };
        assert!(fits(vec![both, other], &n));
        assert!(!fits(vec![NodeSelectorTerm::default()], &n));
        assert!(!fits(vec![], &n));
    }

    #[test]
    fn match_fields_on_the_node_name() {
        let n = labelled(&[]);
        let by_name = |op, v: &str| {
            vec![NodeSelectorTerm {
                expressions: vec![],
                fields: vec![req("metadata.name", op, &[v])],
            }]
        };
        assert!(fits(by_name(SelectorOp::In, "node01"), &n));
        assert!(!fits(by_name(SelectorOp::In, "node02"), &n));
        assert!(fits(by_name(SelectorOp::NotIn, "node02"), &n));
        assert!(!fits(by_name(SelectorOp::Exists, "node01"), &n));
        let other_field = vec![NodeSelectorTerm {
            expressions: vec![],
            fields: vec![req("metadata.uid", SelectorOp::In, &["node01"])],
        }];
        assert!(!fits(other_field, &n));
    }
}
