//! kube-apiserver's API Priority and Fairness configuration controller, in the part that
//! shows: every FlowSchema carries a `Dangling` condition saying whether the priority level
//! it names exists (`False`/`Found`, or `True`/`NotFound`). Any priority level's change
//! wakes every schema, since a schema's condition follows a level it only names.

use super::common as c;
use crate::api::flowcontrol::{CONSUMER, DANGLING, dangling_condition};
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::clock::timestamp;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Trigger, Triggers};
use serde_json::{Value, json};

pub type FlowSchemaStatusController = Controller<FlowSchemaStatus>;

#[derive(Default)]
pub struct FlowSchemaStatus;

impl Reconciler for FlowSchemaStatus {
    fn name(&self) -> &'static str {
        "priority-and-fairness-config"
    }

    fn triggers(&self) -> Triggers {
        Triggers {
            kind: Kind {
                plural: "flowschemas",
                kind: "FlowSchema",
                api_version: crate::api::flowcontrol::GROUP_VERSION,
            },
            others: vec![Trigger {
                plural: "prioritylevelconfigurations",
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
        fs: &Value,
    ) -> Result<Reconciled, ApiError> {
        if c::is_terminating(fs) {
            return Ok(Reconciled::default());
        }
        let level = fs
            .pointer("/spec/priorityLevelConfiguration/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let levels = ctx.resource("prioritylevelconfigurations")?;
        let exists = match ctx.client.get(levels, None, level) {
            Ok(_) => true,
            Err(e) if e.code == 404 => false,
            Err(e) => return Err(e),
        };
        let (status, reason, message) = dangling_condition(level, exists);
        let current = fs
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| c["type"] == DANGLING));
        if let Some(c) = current
            && c["status"] == status
            && c["reason"] == reason
            && c["message"] == message.as_str()
        {
            return Ok(Reconciled::default());
        }
        // kube-apiserver applies the one condition to the status (server-side apply, forced),
        // so its entry in managedFields is an Apply of the status subresource.
        let config = json!({
            "apiVersion": crate::api::flowcontrol::GROUP_VERSION,
            "kind": "FlowSchema",
            "metadata": {"name": c::name(fs)},
            "status": {"conditions": [{
                "type": DANGLING,
                "status": status,
                "reason": reason,
                "message": message,
                "lastTransitionTime": timestamp(ctx.now),
            }]},
        });
        let r = ctx.resource("flowschemas")?;
        let opts = WriteOptions {
            field_manager: Some(CONSUMER.to_string()),
            subresource: Some("status"),
            ..WriteOptions::default()
        };
        match ctx.client.apply(r, None, c::name(fs), &config, &opts, true) {
            Ok(_) => Ok(Reconciled::wrote(true)),
            Err(e) if e.code == 404 || e.code == 409 => Ok(Reconciled::wrote(true)),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::testutil::TestCluster;

    #[test]
    fn schemas_say_whether_their_level_exists() {
        let t = TestCluster::new("apf-dangling");
        t.create(
            "flowschemas",
            None,
            json!({"metadata": {"name": "mine"}, "spec": {
                "priorityLevelConfiguration": {"name": "nowhere"}, "matchingPrecedence": 500,
                "rules": [{"subjects": [{"kind": "User", "user": {"name": "jane"}}],
                           "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]}]}}),
        );
        t.settle(vec![Box::new(FlowSchemaStatusController::default())]);
        let fs = t.get("flowschemas", None, "mine").expect("fs");
        let cond = &fs["status"]["conditions"][0];
        assert_eq!(cond["type"], "Dangling");
        assert_eq!(cond["status"], "True");
        assert_eq!(cond["reason"], "NotFound");
        // Applied through the status subresource, as kube-apiserver's consumer does.
        let entry = fs["metadata"]["managedFields"]
            .as_array()
            .and_then(|es| es.iter().find(|e| e["manager"] == CONSUMER))
            .expect("the consumer's entry");
        assert_eq!(
            (&entry["operation"], &entry["subresource"]),
            (&json!("Apply"), &json!("status"))
        );
        assert!(
            entry["fieldsV1"]["f:status"]["f:conditions"]
                .get("k:{\"type\":\"Dangling\"}")
                .is_some(),
            "{entry}"
        );
        t.create(
            "prioritylevelconfigurations",
            None,
            json!({"metadata": {"name": "nowhere"}, "spec": {"type": "Limited", "limited": {
                "limitResponse": {"type": "Reject"}}}}),
        );
        t.settle(vec![Box::new(FlowSchemaStatusController::default())]);
        let fs = t.get("flowschemas", None, "mine").expect("fs");
        let cond = &fs["status"]["conditions"][0];
        assert_eq!(cond["status"], "False");
        assert_eq!(cond["reason"], "Found");
        assert_eq!(
            cond["message"],
            "This FlowSchema references the PriorityLevelConfiguration object named \"nowhere\" and it exists"
        );
    }
}
