//! The ClusterRole aggregation controller: a ClusterRole with an `aggregationRule` gets, as
//! its rules, the rules of every other ClusterRole its selectors match (selector by
//! selector, roles by name, repeats dropped). Since admin gathers edit, which gathers view, any ClusterRole change
//! wakes every aggregated one and passes repeat until nothing changes.

use super::common as c;
use crate::api::options::{ListOptions, WriteOptions};
use crate::api::selector::LabelSelector;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use serde_json::Value;

pub type ClusterRoleAggregationController = Controller<Aggregation>;

#[derive(Default)]
pub struct Aggregation;

impl Reconciler for Aggregation {
    fn name(&self) -> &'static str {
        "clusterrole-aggregation-controller"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "clusterroles",
                kind: "ClusterRole",
                api_version: "rbac.authorization.k8s.io/v1",
            },
            others: vec![Trigger {
                plural: "clusterroles",
                mapping: Mapping::By(|_, _, wake| {
                    wake.all();
                    Ok(())
                }),
            }],
            timed: None,
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        _cache: &mut Cache,
        role: &Value,
    ) -> Result<Reconciled, ApiError> {
        let Some(selectors) = role
            .pointer("/aggregationRule/clusterRoleSelectors")
            .and_then(Value::as_array)
        else {
            return Ok(Reconciled::default());
        };
        let selectors: Vec<LabelSelector> = selectors
            .iter()
            .filter_map(|s| LabelSelector::from_object(s).ok())
            .collect();
        let r = ctx.resource("clusterroles")?;
        let list = ctx.client.list(r, None, &ListOptions::default())?;
        let mut others: Vec<&Value> = list
            .get("items")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        others.sort_by_key(|o| c::name(o).to_string());
        // Selector by selector, as kube's controller gathers them.
        let mut rules: Vec<Value> = Vec::new();
        for selector in &selectors {
            for other in &others {
                if c::name(other) == c::name(role) || !selector.matches(c::labels(other)) {
                    continue;
                }
                for rule in other
                    .get("rules")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if !rules.contains(rule) {
                        rules.push(rule.clone());
                    }
                }
            }
        }
        let current = role.get("rules").and_then(Value::as_array);
        if current.map(Vec::as_slice).unwrap_or_default() == rules.as_slice() && current.is_some() {
            return Ok(Reconciled::default());
        }
        let mut updated = c::with_kind(role.clone(), "ClusterRole", "rbac.authorization.k8s.io/v1");
        updated["rules"] = Value::Array(rules);
        match ctx
            .client
            .update(r, None, c::name(role), updated, &WriteOptions::default())
        {
            Ok(_) => Ok(Reconciled::wrote(true)),
            Err(e) if e.code == 404 => Ok(Reconciled::default()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::testutil::TestCluster;
    use serde_json::json;

    #[test]
    fn aggregated_roles_gather_labelled_rules_transitively() {
        let t = TestCluster::new("aggregation");
        let rule = |verb: &str| json!({"verbs": [verb], "apiGroups": [""], "resources": ["pods"]});
        t.create(
            "clusterroles",
            None,
            json!({"metadata": {"name": "top"},
                   "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"to-top": "true"}}]}}),
        );
        t.create(
            "clusterroles",
            None,
            json!({"metadata": {"name": "mid", "labels": {"to-top": "true"}},
                   "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"to-mid": "true"}}]}}),
        );
        t.create(
            "clusterroles",
            None,
            json!({"metadata": {"name": "b", "labels": {"to-mid": "true"}}, "rules": [rule("list"), rule("get")]}),
        );
        t.create(
            "clusterroles",
            None,
            json!({"metadata": {"name": "a", "labels": {"to-mid": "true"}}, "rules": [rule("get")]}),
        );
        t.create(
            "clusterroles",
            None,
            json!({"metadata": {"name": "other"}, "rules": [rule("delete")]}),
        );
        t.settle(vec![Box::new(ClusterRoleAggregationController::default())]);
        let want = json!([rule("get"), rule("list")]);
        let mid = t.get("clusterroles", None, "mid").expect("mid");
        assert_eq!(mid["rules"], want);
        let top = t.get("clusterroles", None, "top").expect("top");
        assert_eq!(top["rules"], want);
        let mut again = ClusterRoleAggregationController::default();
        assert!(!crate::runtime::settle_once(&mut again, t.c(), t.now, 0).expect("sync"));
    }
}
