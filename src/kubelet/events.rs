//! The kubelet's events. A pod's first sync records its whole burst (Pulling, Pulled,
//! Created, Started...) with those of the other new pods of the pass in one request, named in the order they happened (kube names events
//! `<object>.<nanoseconds, hex>`, so names sort by time) with repeats already folded; later
//! events go through the shared recorder, which folds them into earlier identical ones.

use super::container::str_at;
use super::pod::Planned;
use crate::api::ids;
use crate::api::options::WriteOptions;
use crate::api::status::ApiError;
use crate::client::NewObject;
use crate::cluster::clock::timestamp;
use crate::runtime::Context;
use crate::runtime::events::{NewEvent, Reporter, record};
use serde_json::{Value, json};

/// Records one event through the shared recorder (folded into an identical earlier one).
pub fn record_one(ctx: &Context, pod: &Value, node: &str, e: &Planned) -> Result<(), ApiError> {
    record(
        ctx,
        &NewEvent {
            involved: pod,
            kind: e.kind,
            reason: e.reason,
            message: &e.message,
            field_path: Some(&e.field_path),
            reporter: Reporter::Source {
                component: "kubelet",
                host: Some(node),
            },
        },
    )
}

/// The events of a pod's first sync, identical ones folded (`count`), in order.
pub fn fold(events: &[Planned]) -> Vec<(&Planned, i64)> {
    let mut out: Vec<(&Planned, i64)> = Vec::new();
    for e in events {
        match out.iter_mut().find(|(seen, _)| *seen == e) {
            Some((_, n)) => *n += 1,
            None => out.push((e, 1)),
        }
    }
    out
}

/// The events of a pod's first sync, to create with others in one request.
pub fn burst(
    ctx: &Context,
    pod: &Value,
    node: &str,
    events: &[Planned],
) -> Result<Vec<NewObject>, ApiError> {
    let resource = ctx.resource("events")?;
    let namespace = str_at(pod, "/metadata/namespace");
    let name = str_at(pod, "/metadata/name");
    let uid = str_at(pod, "/metadata/uid");
    let nanos = ctx.now.timestamp_nanos_opt().unwrap_or(0) as u64;
    // One offset per pod keeps two pods of the same name apart; the index keeps the order.
    let spread = ids::hash64(&format!("kubelet/{uid}")) % 1_000_000_000;
    let ts = timestamp(ctx.now);
    let objects: Vec<NewObject> = fold(events)
        .into_iter()
        .enumerate()
        .map(|(i, (e, count))| {
            let at = nanos.wrapping_add(spread).wrapping_add(i as u64);
            NewObject {
                resource,
                namespace: Some(namespace.to_string()),
                object: json!({
                    "apiVersion": "v1", "kind": "Event",
                    "metadata": {"name": format!("{name}.{at:x}"), "namespace": namespace},
                    "involvedObject": {
                        "kind": "Pod", "namespace": namespace, "name": name, "uid": uid,
                        "apiVersion": "v1",
                        "resourceVersion": str_at(pod, "/metadata/resourceVersion"),
                        "fieldPath": e.field_path,
                    },
                    "reason": e.reason, "message": e.message,
                    "source": {"component": "kubelet", "host": node},
                    "firstTimestamp": ts, "lastTimestamp": ts, "count": count, "type": e.kind,
                    "eventTime": null, "reportingComponent": "kubelet", "reportingInstance": node,
                }),
            }
        })
        .collect();
    Ok(objects)
}

/// Creates events gathered from several pods' first syncs in one request.
pub fn create_all(ctx: &Context, objects: Vec<NewObject>) -> Result<(), ApiError> {
    if objects.is_empty() {
        return Ok(());
    }
    for r in ctx.client.create_many(objects, &WriteOptions::default()) {
        match r {
            // Already recorded (a sync that was interrupted): nothing to add.
            Err(e) if e.code == 409 => {}
            Err(e) => return Err(e),
            Ok(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(reason: &'static str, message: &str) -> Planned {
        Planned {
            kind: "Normal",
            reason,
            message: message.into(),
            field_path: "spec.containers{app}".into(),
        }
    }

    #[test]
    fn repeats_fold_in_first_seen_order() {
        let events = [
            ev("Pulling", "p"),
            ev("Created", "c"),
            ev("Started", "s"),
            ev("Created", "c"),
            ev("Started", "s"),
            ev("BackOff", "b"),
        ];
        let folded: Vec<(&str, i64)> = fold(&events)
            .into_iter()
            .map(|(e, n)| (e.reason, n))
            .collect();
        assert_eq!(
            folded,
            [
                ("Pulling", 1),
                ("Created", 2),
                ("Started", 2),
                ("BackOff", 1)
            ]
        );
    }
}
