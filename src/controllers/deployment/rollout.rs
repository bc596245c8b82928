//! The two rollout strategies, as kube's deployment controller steps them: each sync takes
//! one step (scale the new ReplicaSet up, or the old ones down) and the next change wakes
//! it for the next.

use super::{Family, Progress, create_new, record_created, scale};
use crate::api::options::ListOptions;
use crate::api::status::ApiError;
use crate::controllers::common as c;
use crate::runtime::Context;
use serde_json::Value;

/// maxSurge and maxUnavailable resolved against the replicas: surge rounds up,
/// unavailability down, and both zero means one may be unavailable.
pub fn surge_and_unavailable(d: &Value) -> (i64, i64) {
    if c::str_at(d, "/spec/strategy/type") == "Recreate" {
        return (0, 0);
    }
    let replicas = c::int_at(d, "/spec/replicas", 1);
    let ru = d.pointer("/spec/strategy/rollingUpdate");
    let surge = c::scaled_value(ru.and_then(|r| r.get("maxSurge")), replicas, "25%", true);
    let unavailable = c::scaled_value(
        ru.and_then(|r| r.get("maxUnavailable")),
        replicas,
        "25%",
        false,
    );
    if surge == 0 && unavailable == 0 {
        return (0, 1);
    }
    (surge, unavailable)
}

fn replicas(rs: &Value) -> i64 {
    c::int_at(rs, "/spec/replicas", 1)
}

fn available(rs: &Value) -> i64 {
    c::int_at(rs, "/status/availableReplicas", 0)
}

/// The replicas a new ReplicaSet may have now: up to the desired count, within the surge.
fn new_rs_replicas(d: &Value, family: &Family, surge: i64) -> i64 {
    let desired = c::int_at(d, "/spec/replicas", 1);
    let current_new = family.new.as_ref().map(replicas).unwrap_or(0);
    let total: i64 = family.all().map(replicas).sum();
    let max_total = desired + surge;
    if total >= max_total {
        return current_new;
    }
    current_new + (max_total - total).min(desired - current_new).max(0)
}

pub fn rolling(
    ctx: &Context,
    d: &Value,
    family: &mut Family,
    progress: &mut Progress,
) -> Result<(), ApiError> {
    let (surge, unavailable) = surge_and_unavailable(d);
    let desired = c::int_at(d, "/spec/replicas", 1);
    // The new ReplicaSet: create it, or scale it toward the desired count.
    match family.new.as_mut() {
        None => {
            let n = new_rs_replicas(d, family, surge);
            if let Some(rs) = create_new(ctx, d, family, n, surge)? {
                record_created(ctx, d, &rs)?;
                family.new = Some(rs);
                progress.created_new = true;
                return Ok(());
            }
            progress.scaled = true;
            return Ok(());
        }
        Some(_) => {
            let want = {
                let new = family.new.as_ref().map(replicas).unwrap_or(0);
                if new > desired {
                    desired
                } else {
                    new_rs_replicas(d, family, surge)
                }
            };
            if let Some(rs) = family.new.as_mut()
                && scale(ctx, d, rs, want, surge)?
            {
                progress.scaled = true;
                return Ok(());
            }
        }
    }
    // Old ReplicaSets: scale down as far as availability allows.
    let old_total: i64 = family.old.iter().map(replicas).sum();
    if old_total == 0 {
        return Ok(());
    }
    let all_total: i64 = family.all().map(replicas).sum();
    let min_available = desired - unavailable;
    let new_unavailable = family
        .new
        .as_ref()
        .map(|rs| replicas(rs) - available(rs))
        .unwrap_or(0);
    let max_scaled_down = all_total - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return Ok(());
    }
    // First the old replicas that are not available anyway.
    let mut cleaned = 0;
    for rs in family.old.iter_mut() {
        if cleaned >= max_scaled_down {
            break;
        }
        let unhealthy = replicas(rs) - available(rs);
        if replicas(rs) == 0 || unhealthy <= 0 {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(unhealthy);
        let target = replicas(rs) - down;
        if scale(ctx, d, rs, target, surge)? {
            progress.scaled = true;
        }
        cleaned += down;
    }
    // Then available ones, keeping the minimum available.
    let available_total: i64 = family.all().map(available).sum();
    if available_total > min_available {
        let mut budget = available_total - min_available;
        for rs in family.old.iter_mut() {
            if budget <= 0 {
                break;
            }
            if replicas(rs) == 0 {
                continue;
            }
            let down = replicas(rs).min(budget);
            let target = replicas(rs) - down;
            if scale(ctx, d, rs, target, surge)? {
                progress.scaled = true;
            }
            budget -= down;
        }
    }
    Ok(())
}

pub fn recreate(
    ctx: &Context,
    d: &Value,
    family: &mut Family,
    progress: &mut Progress,
) -> Result<(), ApiError> {
    let desired = c::int_at(d, "/spec/replicas", 1);
    // Every old ReplicaSet to zero first.
    for rs in family.old.iter_mut() {
        if replicas(rs) > 0 && scale(ctx, d, rs, 0, 0)? {
            progress.scaled = true;
        }
    }
    if progress.scaled {
        return Ok(());
    }
    // Then wait until no old pod is left running.
    if old_pods_running(ctx, d, family)? {
        return Ok(());
    }
    match family.new.as_mut() {
        None => {
            if let Some(rs) = create_new(ctx, d, family, desired, 0)? {
                record_created(ctx, d, &rs)?;
                family.new = Some(rs);
                progress.created_new = true;
            } else {
                progress.scaled = true;
            }
        }
        Some(rs) => {
            if scale(ctx, d, rs, desired, 0)? {
                progress.scaled = true;
            }
        }
    }
    Ok(())
}

fn old_pods_running(ctx: &Context, d: &Value, family: &Family) -> Result<bool, ApiError> {
    if family.old.is_empty() {
        return Ok(false);
    }
    let old_uids: Vec<&str> = family.old.iter().map(c::uid).collect();
    let pods = ctx.list("pods", Some(c::namespace(d)), &ListOptions::default())?;
    Ok(pods.iter().any(|p| {
        c::controller_uid(p, "ReplicaSet").is_some_and(|u| old_uids.contains(&u))
            && !matches!(c::str_at(p, "/status/phase"), "Succeeded" | "Failed")
    }))
}

/// A scaling event: an active ReplicaSet was sized for another replica count than the
/// Deployment's (its desired-replicas annotation says so).
pub fn is_scaling_event(d: &Value, family: &Family) -> bool {
    let desired = c::int_at(d, "/spec/replicas", 1).to_string();
    family.all().filter(|rs| replicas(rs) > 0).any(|rs| {
        let a = c::str_at(rs, &super::annotation_ptr(super::DESIRED));
        !a.is_empty() && a != desired
    })
}

/// kube's `scale`: one active ReplicaSet takes the whole count; a saturated new one leaves
/// the old ones nothing; otherwise a rolling Deployment's replicas are shared out in
/// proportion to each ReplicaSet's size, leftovers to the largest.
pub fn scale_proportionally(
    ctx: &Context,
    d: &Value,
    family: &mut Family,
    progress: &mut Progress,
) -> Result<(), ApiError> {
    let desired = c::int_at(d, "/spec/replicas", 1);
    let (surge, _) = surge_and_unavailable(d);
    let active: Vec<usize> = (0..family.old.len())
        .filter(|i| replicas(&family.old[*i]) > 0)
        .collect();
    let new_active = family.new.as_ref().is_some_and(|rs| replicas(rs) > 0);
    // One active ReplicaSet (or none: the newest) takes it all.
    let sole = match (new_active, active.len()) {
        (true, 0) => family.new.as_mut(),
        (false, 1) => active.first().and_then(|i| family.old.get_mut(*i)),
        (false, 0) => match family.new.as_mut() {
            Some(rs) => Some(rs),
            None => family.old.last_mut(),
        },
        _ => None,
    };
    if let Some(rs) = sole {
        if scale(ctx, d, rs, desired, surge)? {
            progress.scaled = true;
        }
        return Ok(());
    }
    // A saturated new ReplicaSet: the old ones go to zero.
    let saturated = family.new.as_ref().is_some_and(|rs| {
        replicas(rs) == desired
            && c::str_at(rs, &super::annotation_ptr(super::DESIRED)) == desired.to_string()
            && available(rs) == desired
    });
    if saturated {
        for rs in family.old.iter_mut().filter(|rs| replicas(rs) > 0) {
            if scale(ctx, d, rs, 0, surge)? {
                progress.scaled = true;
            }
        }
        return Ok(());
    }
    if c::str_at(d, "/spec/strategy/type") == "Recreate" {
        return Ok(());
    }
    let allowed = if desired > 0 { desired + surge } else { 0 };
    let mut all: Vec<&mut Value> = family
        .new
        .iter_mut()
        .chain(family.old.iter_mut())
        .filter(|rs| replicas(rs) > 0)
        .collect();
    let total: i64 = all.iter().map(|rs| replicas(rs)).sum();
    let to_add = allowed - total;
    let created = |rs: &Value| c::time_at(rs, "/metadata/creationTimestamp");
    all.sort_by(|a, b| {
        replicas(b).cmp(&replicas(a)).then(if to_add > 0 {
            created(b).cmp(&created(a))
        } else {
            created(a).cmp(&created(b))
        })
    });
    let mut added = 0;
    let mut sizes: Vec<i64> = Vec::with_capacity(all.len());
    for rs in &all {
        let share = if to_add == 0 || to_add == added {
            0
        } else {
            let fraction = fraction_of(d, rs, surge);
            let left = to_add - added;
            if to_add > 0 {
                fraction.min(left)
            } else {
                fraction.max(left)
            }
        };
        sizes.push(replicas(rs) + share);
        added += share;
    }
    if let Some(first) = sizes.first_mut() {
        *first = (*first + to_add - added).max(0);
    }
    for (rs, size) in all.into_iter().zip(sizes) {
        if scale(ctx, d, rs, size, surge)? {
            progress.scaled = true;
        }
    }
    Ok(())
}

/// How many replicas a ReplicaSet gains (or loses) when the Deployment's allowed size
/// changes: its size scaled by new allowed / old allowed (its max-replicas annotation),
/// rounded half away from zero.
fn fraction_of(d: &Value, rs: &Value, surge: i64) -> i64 {
    let desired = c::int_at(d, "/spec/replicas", 1);
    if desired == 0 {
        return -replicas(rs);
    }
    let allowed = desired + surge;
    let annotated = c::str_at(rs, &super::annotation_ptr(super::MAX))
        .parse::<i64>()
        .unwrap_or_else(|_| c::int_at(d, "/status/replicas", 0));
    if annotated <= 0 {
        return 0;
    }
    let size = replicas(rs).saturating_mul(allowed) as f64 / annotated as f64;
    size.round() as i64 - replicas(rs)
}
