//! `pods/attach` and `pods/portforward`: kubelite's containers are simulated. They run no
//! process whose streams could be joined and listen on no ports, so serve answers both
//! with a Status that says so (kubectl prints it as `Error from server (BadRequest): ...`),
//! rather than a bare 404 or a pretend session.

use super::message::{Response, error};
use super::route::Target;
use crate::api::status::ApiError;

/// Whether `target` is one of the subresources a simulated container cannot serve.
pub fn applies(target: &Target) -> bool {
    target.resource.plural == "pods"
        && target.name.is_some()
        && matches!(
            target.subresource.as_deref(),
            Some("attach" | "portforward")
        )
}

pub fn refuse(target: &Target) -> Response {
    let name = target.name.as_deref().unwrap_or_default();
    let message = if target.subresource.as_deref() == Some("attach") {
        format!(
            "pod {name:?}: kubelite's containers are simulated and run no process to attach to; what they print is in the pod's log (kubectl logs {name})"
        )
    } else {
        format!(
            "pod {name:?}: kubelite's containers are simulated and listen on no ports: there is nothing to forward to"
        )
    };
    error(&ApiError::bad_request(message))
}
