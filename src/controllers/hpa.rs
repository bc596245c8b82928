//! The horizontal pod autoscaler controller (autoscaling/v2): every 15 s of the cluster's
//! clock it reads the target's scale, the pods' simulated usage from metrics.k8s.io (what
//! `top` shows) and their requests, proposes a replica count per metric as kube's replica
//! calculator does (utilization of requests, tolerance 0.1, missing and unready pods), takes
//! the largest, stabilizes it (scale-down waits for the highest recommendation of the last
//! 300 s unless `behavior` says otherwise), applies the rate policies and min/max, writes
//! the target's replicas through the scale subresource, and reports status, conditions and
//! events with kube's reasons and messages.
//!
//! Recommendations live in the controller's memory, as in kube-controller-manager; a new
//! process (each one-shot command) starts its history from the last scale (`lastScaleTime`,
//! `desiredReplicas`), so a scale-down still waits out the window after a scale-up.

use super::common as c;
use crate::api::metrics;
use crate::api::options::{ListOptions, PatchType, WriteOptions};
use crate::api::quantity::Quantity;
use crate::api::registry;
use crate::api::status::ApiError;
use crate::runtime::{Cache, Context, Controller, Kind, Mapping, Reconciled, Reconciler};
use crate::runtime::{Key, Trigger, Triggers, Wake};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

const NAME: &str = "horizontal-pod-autoscaler";
/// kube-controller-manager's --horizontal-pod-autoscaler-sync-period.
const SYNC_SECONDS: i64 = 15;
/// --horizontal-pod-autoscaler-tolerance.
const TOLERANCE: f64 = 0.1;
/// --horizontal-pod-autoscaler-downscale-stabilization.
const DOWNSCALE_WINDOW: i64 = 300;

pub type HpaController = Controller<Autoscalers>;

#[derive(Default)]
pub struct Autoscalers {
    /// Recent recommendations per HPA: (when, replicas).
    recommendations: HashMap<Key, Vec<(DateTime<Utc>, i64)>>,
    /// When each HPA was last synced, and at which generation: it syncs every 15 s (or
    /// at once when its spec changed), not on every change of a workload.
    synced: HashMap<Key, (DateTime<Utc>, i64)>,
}

fn wake_namespace(
    _ctx: &Context,
    ev: &crate::api::options::WatchEvent,
    wake: &mut Wake,
) -> Result<(), ApiError> {
    let ns = ev
        .object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    wake.namespace(ns);
    Ok(())
}

impl Reconciler for Autoscalers {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Its HPAs; a change of a scalable workload wakes the HPAs of its namespace. Every HPA
    /// has timed work (the next sync), so a new process looks at all of them.
    fn triggers(&self) -> Triggers {
        let by = |plural| Trigger {
            plural,
            mapping: Mapping::By(wake_namespace),
        };
        Triggers {
            kind: Kind {
                plural: "horizontalpodautoscalers",
                kind: "HorizontalPodAutoscaler",
                api_version: "autoscaling/v2",
            },
            others: vec![by("deployments"), by("replicasets"), by("statefulsets")],
            timed: Some(|_| true),
        }
    }

    fn reconcile(
        &mut self,
        ctx: &Context,
        cache: &mut Cache,
        hpa: &Value,
    ) -> Result<Reconciled, ApiError> {
        let key = crate::runtime::key_of(hpa);
        let generation = c::generation(hpa);
        if let Some((last, seen)) = self.synced.get(&key)
            && *seen == generation
            && ctx.now < *last + Duration::seconds(SYNC_SECONDS)
        {
            let next = *last + Duration::seconds(SYNC_SECONDS);
            return Ok(Reconciled::wrote(false).requeue_at(ctx, Some(next)));
        }
        self.synced.insert(key, (ctx.now, generation));
        let _ = cache;
        let wrote = self.sync(ctx, hpa)?;
        let next = ctx.now + Duration::seconds(SYNC_SECONDS);
        Ok(Reconciled::wrote(wrote).requeue_at(ctx, Some(next)))
    }

    fn gone(&mut self, _ctx: &Context, _cache: &mut Cache, key: &Key) -> Result<bool, ApiError> {
        self.recommendations.remove(key);
        self.synced.remove(key);
        Ok(false)
    }
}

/// One condition as the status will hold it.
struct Cond {
    ty: &'static str,
    status: &'static str,
    reason: String,
    message: String,
}

fn cond(ty: &'static str, ok: bool, reason: &str, message: impl Into<String>) -> Cond {
    Cond {
        ty,
        status: if ok { "True" } else { "False" },
        reason: reason.to_string(),
        message: message.into(),
    }
}

/// A metric's proposal: replicas, its status entry and the name rescale reasons use.
struct Proposal {
    replicas: i64,
    status: Value,
    name: String,
}

fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Autoscalers {
    fn sync(&mut self, ctx: &Context, hpa: &Value) -> Result<bool, ApiError> {
        let key = crate::runtime::key_of(hpa);
        let ns = c::namespace(hpa).to_string();
        let involved = c::with_kind(hpa.clone(), "HorizontalPodAutoscaler", "autoscaling/v2");
        let reference = &hpa["spec"]["scaleTargetRef"];
        let target_kind = reference["kind"].as_str().unwrap_or("");
        let target_name = reference["name"].as_str().unwrap_or("");
        let api_version = reference["apiVersion"].as_str().unwrap_or("");
        let min = hpa["spec"]["minReplicas"].as_i64().unwrap_or(1);
        let max = hpa["spec"]["maxReplicas"].as_i64().unwrap_or(1);
        let mut status = hpa.get("status").cloned().unwrap_or_else(|| json!({}));
        let resource = registry::find_by_kind(api_version, target_kind)
            .filter(|r| matches!(r.plural, "deployments" | "replicasets" | "statefulsets"));
        let target = match resource {
            Some(r) => ctx.client.get(r, Some(&ns), target_name),
            None => Err(ApiError::new(
                404,
                "NotFound",
                format!(
                    "no matches for kind \"{target_kind}\" in group \"{}\"",
                    api_version.rsplit_once('/').map_or("", |(g, _)| g)
                ),
            )),
        };
        let target = match target {
            Ok(t) => t,
            Err(e) => {
                let message = format!(
                    "the HPA controller was unable to get the target's current scale: {}",
                    e.message
                );
                c::record(
                    ctx,
                    NAME,
                    &involved,
                    "Warning",
                    "FailedGetScale",
                    &e.message,
                )?;
                let conds = [cond("AbleToScale", false, "FailedGetScale", message)];
                set_conditions(&mut status, hpa, &conds, ctx.now);
                return c::write_status(ctx, "horizontalpodautoscalers", hpa, status);
            }
        };
        let resource = resource.expect("found");
        let current = target["spec"]["replicas"].as_i64().unwrap_or(1);
        // The target is still creating or removing its pods (a settle pass of the same
        // command): measure once it has them; its status change wakes this HPA again.
        if target["status"]["replicas"].as_i64().unwrap_or(0) != current
            || target["status"]["readyReplicas"].as_i64().unwrap_or(0) != current
        {
            self.synced.remove(&key);
            return Ok(false);
        }
        let selector = c::spec_selector(&target);
        let mut conds = vec![cond(
            "AbleToScale",
            true,
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
        )];
        let mut metric_statuses = Vec::new();
        let mut reason = String::new();
        let desired;
        let mut computed = false;
        if current == 0 && min != 0 {
            desired = 0;
            conds.push(cond(
                "ScalingActive",
                false,
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero",
            ));
        } else if current > max {
            reason = "Current number of replicas above Spec.MaxReplicas".into();
            desired = max;
        } else if current < min {
            reason = "Current number of replicas below Spec.MinReplicas".into();
            desired = min;
        } else {
            // Whole pods (the runtime's cache keeps slimmed ones, without requests).
            let listed =
                ctx.client
                    .list(ctx.resource("pods")?, Some(&ns), &ListOptions::default())?;
            let pods: Vec<Value> = listed["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| selector.matches(c::labels(p)))
                .cloned()
                .collect();
            let usage = pod_usage(ctx, &ns)?;
            let mut best: Option<Proposal> = None;
            let mut failure: Option<(String, String)> = None;
            for m in hpa["spec"]["metrics"].as_array().into_iter().flatten() {
                match propose(m, current, &pods, &usage) {
                    Ok(p) => {
                        metric_statuses.push(p.status.clone());
                        if best.as_ref().is_none_or(|b| p.replicas > b.replicas) {
                            best = Some(p);
                        }
                    }
                    Err(f) => {
                        metric_statuses.push(json!({"type": ""}));
                        failure.get_or_insert(f);
                    }
                }
            }
            if let Some((why, message)) = &failure {
                c::record(ctx, NAME, &involved, "Warning", why, message)?;
            }
            match best {
                None => {
                    let (why, message) = failure.unwrap_or_default();
                    c::record(
                        ctx,
                        NAME,
                        &involved,
                        "Warning",
                        "FailedComputeMetricsReplicas",
                        &format!(
                            "invalid metrics ({} invalid out of {}), first error is: {message}",
                            metric_statuses.len(),
                            metric_statuses.len()
                        ),
                    )?;
                    conds.push(cond(
                        "ScalingActive",
                        false,
                        &why,
                        format!("the HPA was unable to compute the replica count: {message}"),
                    ));
                    status["currentMetrics"] = Value::Null;
                    set_conditions(&mut status, hpa, &conds, ctx.now);
                    return c::write_status(ctx, "horizontalpodautoscalers", hpa, status);
                }
                Some(p) => {
                    metric_statuses.retain(|s| s["type"] != "");
                    conds.push(cond(
                        "ScalingActive",
                        true,
                        "ValidMetricFound",
                        format!(
                            "the HPA was able to successfully calculate a replica count from {}",
                            p.name
                        ),
                    ));
                    if p.replicas > current {
                        reason = format!("{} above target", p.name);
                    } else if p.replicas < current {
                        reason = "All metrics below target".into();
                    }
                    computed = true;
                    desired = self.normalize(
                        &key, hpa, current, p.replicas, min, max, ctx.now, &mut conds,
                    );
                }
            }
        }
        if !computed && desired != 0 {
            conds.push(cond(
                "ScalingLimited",
                true,
                if desired == max {
                    "TooManyReplicas"
                } else {
                    "TooFewReplicas"
                },
                if desired == max {
                    "the desired replica count is more than the maximum replica count"
                } else {
                    "the desired replica count is less than the minimum replica count"
                },
            ));
        }
        let rescale = desired != current && desired != 0;
        if rescale {
            let opts = WriteOptions {
                subresource: Some("scale"),
                ..WriteOptions::default()
            };
            let body = json!({"spec": {"replicas": desired}});
            if let Err(e) = ctx.client.patch(
                resource,
                Some(&ns),
                target_name,
                PatchType::Merge,
                &body,
                &opts,
            ) {
                let message = format!(
                    "the HPA controller was unable to update the target scale: {}",
                    e.message
                );
                c::record(
                    ctx,
                    NAME,
                    &involved,
                    "Warning",
                    "FailedRescale",
                    &format!(
                        "New size: {desired}; reason: {reason}; error: {}",
                        e.message
                    ),
                )?;
                conds[0] = cond("AbleToScale", false, "FailedUpdateScale", message);
                set_conditions(&mut status, hpa, &conds, ctx.now);
                return c::write_status(ctx, "horizontalpodautoscalers", hpa, status);
            }
            conds[0] = cond(
                "AbleToScale",
                true,
                "SucceededRescale",
                format!("the HPA controller was able to update the target scale to {desired}"),
            );
            c::record(
                ctx,
                NAME,
                &involved,
                "Normal",
                "SuccessfulRescale",
                &format!("New size: {desired}; reason: {reason}"),
            )?;
        }
        let mut out = Map::new();
        if let Some(generation) = hpa["metadata"]["generation"].as_i64() {
            out.insert("observedGeneration".into(), json!(generation));
        }
        let last_scale = if rescale {
            Some(json!(time_text(ctx.now)))
        } else {
            status
                .get("lastScaleTime")
                .cloned()
                .filter(|v| !v.is_null())
        };
        if let Some(t) = last_scale {
            out.insert("lastScaleTime".into(), t);
        }
        if current != 0 {
            out.insert("currentReplicas".into(), json!(current));
        }
        out.insert("desiredReplicas".into(), json!(desired));
        out.insert(
            "currentMetrics".into(),
            if metric_statuses.is_empty() {
                Value::Null
            } else {
                Value::Array(metric_statuses)
            },
        );
        if let Some(conditions) = status.get("conditions") {
            out.insert("conditions".into(), conditions.clone());
        }
        let mut status = Value::Object(out);
        set_conditions(&mut status, hpa, &conds, ctx.now);
        c::write_status(ctx, "horizontalpodautoscalers", hpa, status)
    }

    /// Stabilization and rate limits, then min/max, as kube's normalizeDesiredReplicas (no
    /// behavior) or normalizeDesiredReplicasWithBehaviors.
    #[allow(clippy::too_many_arguments)]
    fn normalize(
        &mut self,
        key: &Key,
        hpa: &Value,
        current: i64,
        proposed: i64,
        min: i64,
        max: i64,
        now: DateTime<Utc>,
        conds: &mut Vec<Cond>,
    ) -> i64 {
        let behavior = hpa["spec"].get("behavior").filter(|b| !b.is_null());
        let up_window = behavior
            .and_then(|b| b["scaleUp"]["stabilizationWindowSeconds"].as_i64())
            .unwrap_or(0);
        let down_window = behavior
            .and_then(|b| b["scaleDown"]["stabilizationWindowSeconds"].as_i64())
            .unwrap_or(DOWNSCALE_WINDOW);
        let history = self.recommendations.entry(key.clone()).or_insert_with(|| {
            // A fresh process: the last scale stands for the recommendations before it.
            let last = hpa["status"]["lastScaleTime"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc));
            let desired = hpa["status"]["desiredReplicas"].as_i64().unwrap_or(0);
            last.filter(|_| desired > 0)
                .map(|t| vec![(t, desired)])
                .unwrap_or_default()
        });
        let longest = up_window.max(down_window);
        history.retain(|(t, _)| (now - *t).num_seconds() < longest.max(1));
        history.push((now, proposed));
        let within = |w: i64| {
            history
                .iter()
                .filter(move |(t, _)| (now - *t).num_seconds() < w.max(1) || *t == now)
                .map(|(_, r)| *r)
        };
        let up = within(up_window).min().unwrap_or(proposed);
        let down = within(down_window).max().unwrap_or(proposed);
        let stabilized = if current < up {
            up
        } else if current > down {
            down
        } else {
            current
        };
        if stabilized != proposed {
            conds[0] = cond(
                "AbleToScale",
                true,
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest recent recommendation",
            );
        } else {
            conds[0] = cond(
                "AbleToScale",
                true,
                "ReadyForNewScale",
                "recommended size matches current size",
            );
        }
        let (limit_up, limit_down) = match behavior {
            Some(b) => (
                rate_limit(&b["scaleUp"], current, true),
                rate_limit(&b["scaleDown"], current, false),
            ),
            None => ((current * 2).max(4), i64::MIN),
        };
        let (desired, limited) = if stabilized > current && stabilized > limit_up.min(max) {
            if limit_up < max {
                (
                    limit_up,
                    Some((
                        "ScaleUpLimit",
                        "the desired replica count is increasing faster than the maximum scale rate",
                    )),
                )
            } else {
                (
                    max,
                    Some((
                        "TooManyReplicas",
                        "the desired replica count is more than the maximum replica count",
                    )),
                )
            }
        } else if stabilized < current && stabilized < limit_down.max(min) {
            if limit_down > min {
                (
                    limit_down,
                    Some((
                        "ScaleDownLimit",
                        "the desired replica count is decreasing faster than the maximum scale rate",
                    )),
                )
            } else {
                (
                    min,
                    Some((
                        "TooFewReplicas",
                        "the desired replica count is less than the minimum replica count",
                    )),
                )
            }
        } else if stabilized > max {
            (
                max,
                Some((
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                )),
            )
        } else if stabilized < min {
            (
                min,
                Some((
                    "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count",
                )),
            )
        } else {
            (stabilized, None)
        };
        conds.push(match limited {
            Some((why, message)) => cond("ScalingLimited", true, why, message),
            None => cond(
                "ScalingLimited",
                false,
                "DesiredWithinRange",
                "the desired count is within the acceptable range",
            ),
        });
        desired
    }
}

/// The furthest a direction's policies let replicas move from `current` in one period
/// (earlier scale events of the period are not remembered: a bound per sync).
fn rate_limit(rules: &Value, current: i64, up: bool) -> i64 {
    let select = rules["selectPolicy"].as_str().unwrap_or("Max");
    if select == "Disabled" {
        return current;
    }
    let limits: Vec<i64> = rules["policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let value = p["value"].as_i64().unwrap_or(0);
            match (p["type"].as_str().unwrap_or(""), up) {
                ("Pods", true) => current + value,
                ("Pods", false) => current - value,
                (_, true) => (current as f64 * (1.0 + value as f64 / 100.0)).ceil() as i64,
                (_, false) => (current as f64 * (1.0 - value as f64 / 100.0)) as i64,
            }
        })
        .collect();
    // Max lets the largest change through: the highest bound up, the lowest down.
    let pick_high = (select == "Max") == up;
    let bound = if pick_high {
        limits.iter().max()
    } else {
        limits.iter().min()
    };
    bound.copied().unwrap_or(current)
}

/// Each pod's measured usage by resource name, in milli units (cpu: millicores; memory:
/// millibytes), read from metrics.k8s.io through the client as `top` reads it.
fn pod_usage(ctx: &Context, ns: &str) -> Result<HashMap<String, HashMap<String, i128>>, ApiError> {
    let list = match ctx
        .client
        .metrics(metrics::pods(), Some(ns), None, &ListOptions::default())
    {
        Ok(l) => l,
        Err(e) if e.code == 404 => return Ok(HashMap::new()),
        Err(e) => return Err(e),
    };
    let mut out = HashMap::new();
    for item in list["items"].as_array().into_iter().flatten() {
        let mut sums: HashMap<String, i128> = HashMap::new();
        for container in item["containers"].as_array().into_iter().flatten() {
            for (name, q) in container["usage"].as_object().into_iter().flatten() {
                let milli = Quantity::from_json(q).map_or(0, |q| q.milli_value());
                *sums.entry(name.clone()).or_default() += milli;
            }
        }
        out.insert(c::name(item).to_string(), sums);
    }
    Ok(out)
}

fn milli_text(milli: i128) -> String {
    Quantity::parse(&format!("{milli}m")).map_or_else(|_| format!("{milli}m"), |q| q.to_string())
}

/// One metric's proposal, or the reason and message why it has none.
fn propose(
    metric: &Value,
    current: i64,
    pods: &[Value],
    usage: &HashMap<String, HashMap<String, i128>>,
) -> Result<Proposal, (String, String)> {
    let ty = metric["type"].as_str().unwrap_or("");
    if ty != "Resource" {
        let (reason, what) = match ty {
            "Pods" => (
                "FailedGetPodsMetric",
                metric["pods"]["metric"]["name"].as_str(),
            ),
            "Object" => (
                "FailedGetObjectMetric",
                metric["object"]["metric"]["name"].as_str(),
            ),
            "External" => (
                "FailedGetExternalMetric",
                metric["external"]["metric"]["name"].as_str(),
            ),
            _ => (
                "FailedGetContainerResourceMetric",
                metric["containerResource"]["name"].as_str(),
            ),
        };
        return Err((
            reason.to_string(),
            format!(
                "unable to get metric {}: no custom metrics API (custom.metrics.k8s.io) is served",
                what.unwrap_or("")
            ),
        ));
    }
    let src = &metric["resource"];
    let resource = src["name"].as_str().unwrap_or("");
    let target = &src["target"];
    let fail = |message: String| {
        Err((
            "FailedGetResourceMetric".to_string(),
            format!("failed to get {resource} utilization: {message}"),
        ))
    };
    // Pods that count: not being deleted, not finished. Running and Ready pods with
    // metrics are measured; the others are unready or missing.
    let live: Vec<&Value> = pods
        .iter()
        .filter(|p| !c::is_terminating(p))
        .filter(|p| !matches!(c::str_at(p, "/status/phase"), "Failed" | "Succeeded"))
        .collect();
    if live.is_empty() {
        return fail("no pods returned by selector while calculating replica count".into());
    }
    let mut measured: Vec<(i128, i128)> = Vec::new(); // (usage, request) in milli
    let mut missing: Vec<i128> = Vec::new(); // requests of pods without metrics
    let mut unready: Vec<i128> = Vec::new(); // requests of unready pods
    for p in &live {
        let mut request: i128 = 0;
        for container in p["spec"]["containers"].as_array().into_iter().flatten() {
            match container["resources"]["requests"].get(resource) {
                Some(q) => request += Quantity::from_json(q).map_or(0, |q| q.milli_value()),
                None if target["type"] == "Utilization" => {
                    return fail(format!(
                        "missing request for {resource} in container {} of Pod {}",
                        container["name"].as_str().unwrap_or(""),
                        c::name(p)
                    ));
                }
                None => {}
            }
        }
        let ready = c::str_at(p, "/status/phase") == "Running" && c::pod_is_ready(p);
        match usage.get(c::name(p)).and_then(|u| u.get(resource)) {
            Some(u) if ready => measured.push((*u, request)),
            _ if !ready => unready.push(request),
            _ => missing.push(request),
        }
    }
    if measured.is_empty() {
        return fail("did not receive metrics for targeted pods (pods might be unready)".into());
    }
    let total_usage: i128 = measured.iter().map(|(u, _)| u).sum();
    let average = total_usage / measured.len() as i128;
    let (ratio, current_value) = if let Some(util) = target["averageUtilization"].as_i64() {
        let total_request: i128 = measured.iter().map(|(_, r)| r).sum();
        if total_request == 0 {
            return fail("no metrics returned matched known pods".into());
        }
        let utilization = (total_usage * 100 / total_request) as i64;
        (
            utilization as f64 / util as f64,
            json!({"averageUtilization": utilization, "averageValue": milli_text(average)}),
        )
    } else {
        let target_milli =
            Quantity::from_json(&target["averageValue"]).map_or(1, |q| q.milli_value().max(1));
        (
            average as f64 / target_milli as f64,
            json!({"averageValue": milli_text(average)}),
        )
    };
    let name = if target["averageUtilization"].is_i64() {
        format!("{resource} resource utilization (percentage of request)")
    } else {
        format!("{resource} resource")
    };
    let status =
        json!({"type": "Resource", "resource": {"name": resource, "current": current_value}});
    let ready_count = measured.len() as i64;
    let mut replicas = if missing.is_empty() && unready.is_empty() {
        if (1.0 - ratio).abs() <= TOLERANCE {
            current
        } else {
            (ratio * ready_count as f64).ceil() as i64
        }
    } else {
        // kube's rebalancing: missing pods count as at their request when scaling down and
        // as idle when scaling up; unready pods as idle when scaling up.
        let mut usage_sum = total_usage;
        let mut count = measured.len() as i128;
        let util_based = target["averageUtilization"].as_i64();
        if ratio < 1.0 {
            for r in &missing {
                usage_sum += if util_based.is_some() {
                    *r
                } else {
                    average.max(0)
                };
                count += 1;
            }
        } else if ratio > 1.0 {
            count += missing.len() as i128 + unready.len() as i128;
        }
        let new_ratio = match util_based {
            Some(util) => {
                let request_sum: i128 = measured.iter().map(|(_, r)| r).sum::<i128>()
                    + if ratio < 1.0 {
                        missing.iter().sum::<i128>()
                    } else {
                        missing.iter().chain(&unready).sum::<i128>()
                    };
                let u = if request_sum == 0 {
                    0
                } else {
                    usage_sum * 100 / request_sum
                };
                u as f64 / util as f64
            }
            None => {
                let t = Quantity::from_json(&target["averageValue"])
                    .map_or(1, |q| q.milli_value().max(1));
                (usage_sum as f64 / count as f64) / t as f64
            }
        };
        if (1.0 - new_ratio).abs() <= TOLERANCE || (ratio > 1.0) != (new_ratio > 1.0) {
            current
        } else {
            let n = (new_ratio * count as f64).ceil() as i64;
            if (new_ratio < 1.0 && n > current) || (new_ratio > 1.0 && n < current) {
                current
            } else {
                n
            }
        }
    };
    if replicas < 0 {
        replicas = 0;
    }
    Ok(Proposal {
        replicas,
        status,
        name,
    })
}

/// Sets the conditions, keeping a condition's lastTransitionTime while its status holds.
fn set_conditions(status: &mut Value, hpa: &Value, conds: &[Cond], now: DateTime<Utc>) {
    let old = hpa["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let list: Vec<Value> = conds
        .iter()
        .map(|c| {
            let since = old
                .iter()
                .find(|o| o["type"] == c.ty && o["status"] == c.status)
                .and_then(|o| o.get("lastTransitionTime").cloned())
                .unwrap_or_else(|| json!(time_text(now)));
            json!({"type": c.ty, "status": c.status, "lastTransitionTime": since,
                   "reason": c.reason, "message": c.message})
        })
        .collect();
    if let Some(o) = status.as_object_mut() {
        o.insert("conditions".into(), Value::Array(list));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, request: &str, ready: bool) -> Value {
        json!({"metadata": {"name": name},
               "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": request}}}]},
               "status": {"phase": "Running", "conditions": [
                   {"type": "Ready", "status": if ready { "True" } else { "False" }}]}})
    }

    fn usage(pairs: &[(&str, i128)]) -> HashMap<String, HashMap<String, i128>> {
        pairs
            .iter()
            .map(|(n, m)| (n.to_string(), HashMap::from([("cpu".to_string(), *m)])))
            .collect()
    }

    fn cpu(target: i64) -> Value {
        json!({"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": target}}})
    }

    #[test]
    fn utilization_proposes_ceil_of_ratio_times_pods_outside_tolerance() {
        let pods = [pod("a", "100m", true), pod("b", "100m", true)];
        // 150% against 50%: three times the pods.
        let p = propose(&cpu(50), 2, &pods, &usage(&[("a", 150), ("b", 150)])).unwrap();
        assert_eq!(p.replicas, 6);
        assert_eq!(p.status["resource"]["current"]["averageUtilization"], 150);
        assert_eq!(p.status["resource"]["current"]["averageValue"], "150m");
        // 54% against 50% is within the 0.1 tolerance: no change.
        let p = propose(&cpu(50), 2, &pods, &usage(&[("a", 54), ("b", 54)])).unwrap();
        assert_eq!(p.replicas, 2);
    }

    #[test]
    fn a_container_without_request_fails_with_kubes_message() {
        let mut p = pod("a", "100m", true);
        p["spec"]["containers"][0]["resources"] = json!({});
        let err = propose(&cpu(50), 1, &[p], &usage(&[("a", 10)]))
            .err()
            .unwrap();
        assert_eq!(err.0, "FailedGetResourceMetric");
        assert_eq!(
            err.1,
            "failed to get cpu utilization: missing request for cpu in container c of Pod a"
        );
    }

    #[test]
    fn unready_pods_count_as_idle_when_scaling_up() {
        let pods = [pod("a", "100m", true), pod("b", "100m", false)];
        // One ready pod at 200% of a 100% target: 2 alone, but with the unready pod idle
        // the ratio is 1.0 and nothing changes.
        let p = propose(&cpu(100), 2, &pods, &usage(&[("a", 200)])).unwrap();
        assert_eq!(p.replicas, 2);
    }

    #[test]
    fn rate_policies_bound_a_sync() {
        let up = json!({"selectPolicy": "Max", "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15}]});
        assert_eq!(rate_limit(&up, 2, true), 6);
        assert_eq!(rate_limit(&up, 10, true), 20);
        let down = json!({"selectPolicy": "Min", "policies": [
            {"type": "Pods", "value": 1, "periodSeconds": 60},
            {"type": "Percent", "value": 50, "periodSeconds": 60}]});
        // Min picks the smaller change: one pod rather than half.
        assert_eq!(rate_limit(&down, 10, false), 9);
        let off = json!({"selectPolicy": "Disabled", "policies": []});
        assert_eq!(rate_limit(&off, 3, false), 3);
    }
}
