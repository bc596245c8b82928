//! `/kubelite/clock`: virtual time for tests (kubelite's own path; kube-apiserver has none).
//! GET answers the cluster's now; POST `?advance=5m` moves serve's clock forward and answers
//! once the control plane has run at the new time, so what the step causes (nodes going
//! NotReady, Jobs timing out, CronJobs firing, events expiring) is there to read.

use super::State;
use super::message::Request;
use crate::api::status::ApiError;
use hyper::Method;
use serde_json::{Value, json};
use std::time::Duration;

/// How long a step waits for the control plane to run at the new time.
const SETTLE_WAIT: Duration = Duration::from_secs(60);

pub fn answer(state: &State, req: &Request) -> Result<Value, ApiError> {
    let clock = state.client.server().clock();
    let now = match req.method {
        Method::GET => clock.now(),
        Method::POST => {
            let step = req.param("advance").ok_or_else(|| {
                ApiError::bad_request("a clock step needs ?advance=DURATION (like 90s, 5m, 2d)")
            })?;
            let step = crate::clock::parse_step(step).map_err(ApiError::bad_request)?;
            let now = clock.advance(step).map_err(ApiError::bad_request)?;
            if !state.control.settle_now(SETTLE_WAIT) {
                return Err(ApiError::new(
                    504,
                    "Timeout",
                    "the clock moved, but the control plane did not finish a round at the new time in 60s",
                ));
            }
            now
        }
        _ => return Err(ApiError::method_not_allowed()),
    };
    Ok(json!({
        "kind": "Clock",
        "apiVersion": "kubelite.dev/v1",
        "now": now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    }))
}
