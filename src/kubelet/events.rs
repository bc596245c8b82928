//! The kubelet's events, recorded as kubelet's recorder does: source `kubelet` on its host,
//! the container's field path, repeats folded into the earlier identical event.

use super::pod::Planned;
use crate::api::status::ApiError;
use crate::runtime::Context;
use crate::runtime::events::{NewEvent, Reporter, record};
use serde_json::Value;

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
