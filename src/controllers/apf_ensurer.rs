//! kube-apiserver's API Priority and Fairness configuration ensurer: every minute after the
//! API server starts (the start itself is the cluster's opening, which creates what is
//! missing), the mandatory and suggested FlowSchemas and PriorityLevelConfigurations are
//! put back as kube-apiserver 1.32 keeps them:
//!
//! - a missing one is created again;
//! - a mandatory one always gets its bootstrap spec back; a suggested one only while it
//!   asks for it (`apf.kubernetes.io/autoupdate-spec: "true"`, or no such annotation and
//!   generation 1, so nobody changed it);
//! - an object annotated for auto-update that is no longer part of the bootstrap
//!   configuration is deleted.

use super::common as c;
use crate::api::flowcontrol::{
    AUTO_UPDATE_ANNOTATION, GROUP_VERSION, MANDATORY_FLOW_SCHEMAS, MANDATORY_PRIORITY_LEVELS,
    bootstrap_objects,
};
use crate::api::options::{DeleteOptions, ListOptions, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::{Component, Context};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// How often kube-apiserver runs the ensurer after its start.
const PERIOD_SECONDS: i64 = 60;

#[derive(Default)]
pub struct ApfEnsurer {
    last: Option<DateTime<Utc>>,
}

/// Go's `strconv.ParseBool`.
fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn annotation(o: &Value) -> Option<&str> {
    o.pointer("/metadata/annotations")
        .and_then(|a| a.get(AUTO_UPDATE_ANNOTATION))
        .and_then(Value::as_str)
}

/// Whether a suggested object's spec is still the server's to keep.
fn should_update_spec(o: &Value) -> bool {
    match annotation(o).and_then(parse_bool) {
        Some(auto) => auto,
        None => o.pointer("/metadata/generation").and_then(Value::as_i64) == Some(1),
    }
}

fn mandatory(plural: &str, name: &str) -> bool {
    if plural == "flowschemas" {
        MANDATORY_FLOW_SCHEMAS.contains(&name)
    } else {
        MANDATORY_PRIORITY_LEVELS.contains(&name)
    }
}

impl ApfEnsurer {
    fn ensure(&self, ctx: &Context) -> Result<bool, ApiError> {
        let mut wrote = false;
        let wanted = bootstrap_objects();
        let opts = WriteOptions {
            field_manager: Some(crate::api::flowcontrol::PRODUCER.to_string()),
            ..WriteOptions::default()
        };
        for plural in ["prioritylevelconfigurations", "flowschemas"] {
            let r = ctx.resource(plural)?;
            let list = ctx.client.list(r, None, &ListOptions::default())?;
            let have: Vec<Value> = crate::runtime::items(list);
            for (_, want) in wanted.iter().filter(|(p, _)| *p == plural) {
                let name = c::name(want);
                let Some(current) = have.iter().find(|o| c::name(o) == name) else {
                    match ctx.client.create(r, None, want.clone(), &opts) {
                        Ok(_) => wrote = true,
                        Err(e) if e.code == 409 => {}
                        Err(e) => return Err(e),
                    }
                    continue;
                };
                let keep = mandatory(plural, name) || should_update_spec(current);
                let annotated = annotation(current) == Some("true");
                if !keep || (current.get("spec") == want.get("spec") && annotated) {
                    continue;
                }
                let kind = want["kind"].as_str().unwrap_or("");
                let mut updated = c::with_kind(current.clone(), kind, GROUP_VERSION);
                updated["spec"] = want["spec"].clone();
                let meta = updated["metadata"].as_object_mut();
                if let Some(meta) = meta {
                    let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
                    annotations[AUTO_UPDATE_ANNOTATION] = json!("true");
                    meta.shift_remove("resourceVersion");
                }
                match ctx.client.update(r, None, name, updated, &opts) {
                    Ok(_) => wrote = true,
                    Err(e) if e.code == 404 || e.code == 409 => {}
                    Err(e) => return Err(e),
                }
            }
            // Objects the server made once and no longer ships.
            for o in &have {
                let name = c::name(o);
                let known = wanted
                    .iter()
                    .any(|(p, w)| *p == plural && c::name(w) == name);
                if known || annotation(o).and_then(parse_bool) != Some(true) {
                    continue;
                }
                match ctx.client.delete(r, None, name, &DeleteOptions::default()) {
                    Ok(_) => wrote = true,
                    Err(e) if e.code == 404 => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(wrote)
    }
}

impl Component for ApfEnsurer {
    fn name(&self) -> &'static str {
        "priority-and-fairness-ensurer"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        // The ensure at start is the cluster's opening (`cluster::bootstrap`); from the
        // first pass on, one a minute.
        let Some(last) = self.last else {
            self.last = Some(ctx.now);
            return Ok(false);
        };
        if ctx.now - last < Duration::seconds(PERIOD_SECONDS) {
            return Ok(false);
        }
        let wrote = self.ensure(ctx)?;
        self.last = Some(ctx.now);
        Ok(wrote)
    }

    fn next_due(&self) -> Option<DateTime<Utc>> {
        self.last.map(|l| l + Duration::seconds(PERIOD_SECONDS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::controllers::testutil::TestCluster;

    #[test]
    fn missing_and_changed_objects_are_put_back() {
        let mut t = TestCluster::new("apf-ensurer");
        t.settle(vec![Box::new(ApfEnsurer::default())]);
        assert_eq!(t.list("flowschemas", None).len(), 13);
        assert_eq!(t.list("prioritylevelconfigurations", None).len(), 8);
        let r = crate::api::registry::find("prioritylevelconfigurations").expect("plc");
        t.c()
            .delete(r, None, "exempt", &DeleteOptions::default())
            .expect("delete");
        let mut low = t
            .get("prioritylevelconfigurations", None, "workload-low")
            .expect("get");
        low["spec"]["limited"]["nominalConcurrencyShares"] = json!(7);
        t.c()
            .update(r, None, "workload-low", low, &WriteOptions::default())
            .expect("update");
        let mut high = t
            .get("prioritylevelconfigurations", None, "workload-high")
            .expect("get");
        high["metadata"]["annotations"][AUTO_UPDATE_ANNOTATION] = json!("false");
        high["spec"]["limited"]["nominalConcurrencyShares"] = json!(9);
        t.c()
            .update(r, None, "workload-high", high, &WriteOptions::default())
            .expect("update");
        let mut stale = t
            .get("prioritylevelconfigurations", None, "global-default")
            .expect("get");
        stale["metadata"] =
            json!({"name": "retired", "annotations": {AUTO_UPDATE_ANNOTATION: "true"}});
        t.c()
            .create(r, None, stale, &WriteOptions::default())
            .expect("create");
        // Within the minute nothing moves; a minute later everything is put back.
        let started = t.now;
        let ensurer = ApfEnsurer {
            last: Some(started),
        };
        t.settle(vec![Box::new(ensurer)]);
        assert!(
            t.get("prioritylevelconfigurations", None, "exempt")
                .is_none()
        );
        t.now = started + Duration::seconds(PERIOD_SECONDS);
        let ensurer = ApfEnsurer {
            last: Some(started),
        };
        t.settle(vec![Box::new(ensurer)]);
        assert!(
            t.get("prioritylevelconfigurations", None, "exempt")
                .is_some()
        );
        let shares = |name: &str| {
            t.get("prioritylevelconfigurations", None, name)
                .expect("get")["spec"]["limited"]["nominalConcurrencyShares"]
                .clone()
        };
        assert_eq!(shares("workload-low"), 100);
        assert_eq!(shares("workload-high"), 9);
        assert!(
            t.get("prioritylevelconfigurations", None, "retired")
                .is_none()
        );
    }
}
