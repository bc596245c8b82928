//! `pods/exec` over WebSocket, subprotocol `v5.channel.k8s.io`, as kubectl 1.30+ speaks it:
//! a GET upgrade, then binary frames `[channel] + data` both ways (0 stdin, 1 stdout,
//! 2 stderr, 3 the final Status, 4 resize, 255 close-channel), then a close frame 1000.
//! The pod and container are checked before the upgrade; the command then runs in
//! kubelite's simulated container (`kubelet::exec`) while the session (`session`) streams.

mod session;

use super::State;
use super::http::{Response, error, parse_query};
use super::route::Target;
use super::ws;
use crate::api::status::ApiError;
use crate::kubelet::exec::{ExecError, run_in_container};
use hyper::StatusCode;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use session::{CommandIo, Out, Streams};
use std::sync::Arc;

/// The only subprotocol kubectl 1.30–1.33 offers.
const PROTOCOL: &str = "v5.channel.k8s.io";

/// Answers `GET|POST .../pods/<name>/exec`.
pub async fn serve(state: Arc<State>, target: Target, req: hyper::Request<Incoming>) -> Response {
    let query = parse_query(req.uri().query().unwrap_or(""));
    let command: Vec<String> = query
        .iter()
        .filter(|(k, _)| k == "command")
        .map(|(_, v)| v.clone())
        .collect();
    let param = |name: &str| {
        query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let flag = |name: &str| param(name).is_some_and(|v| v == "true" || v == "1");
    let container = param("container");
    let streams = Streams {
        stdin: flag("stdin"),
        stdout: param("stdout").is_none() || flag("stdout"),
        stderr: param("stderr").is_none() || flag("stderr"),
        tty: flag("tty"),
    };
    // The pod and container are checked first, as kube-apiserver does: a non-101 answer
    // makes kubectl retry with SPDY, and it prints the error of that retry.
    let upgrade_key = websocket_key(req.headers());
    let ns = target.namespace.unwrap_or_else(|| "default".to_string());
    let name = target.name.unwrap_or_default();
    let located = {
        let state = state.clone();
        let command = command.clone();
        tokio::task::spawn_blocking(move || {
            let found = locate(&state, &ns, &name, container.as_deref(), &command)?;
            Ok((found, ws::accept_key(&upgrade_key?)))
        })
        .await
    };
    let ((pod, container), accept) = match located {
        Ok(Ok(f)) => f,
        Ok(Err(e)) => return error(&e),
        Err(_) => return error(&ApiError::internal("the exec handler failed")),
    };
    let mut req = req;
    let upgrade = hyper::upgrade::on(&mut req);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else {
            return;
        };
        let (wiring, command_io) = session::wire(streams);
        let done = wiring.done_sender();
        let on_interrupt = exit_status(&command, session::INTERRUPTED);
        tokio::task::spawn_blocking(move || {
            let status = execute(&state, &pod, &container, &command, command_io);
            state.control.written();
            let _ = done.send(Out::Done(status));
        });
        wiring
            .run(TokioIo::new(upgraded), streams, on_interrupt)
            .await;
    });
    switching_protocols(&accept)
}

/// The `Sec-WebSocket-Key` of a v5 WebSocket upgrade, or why this is not one.
fn websocket_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_ascii_lowercase())
            .collect()
    };
    let upgrades = values("upgrade");
    if upgrades.iter().any(|v| v.starts_with("spdy/")) {
        return Err(ApiError::bad_request(format!(
            "Upgrade request required: kubelite serve does not speak SPDY/3.1, which kubectl 1.29 and older use for exec and kubectl 1.30+ falls back to; it serves exec over WebSocket ({PROTOCOL}): use kubectl 1.30 or newer, with KUBECTL_REMOTE_COMMAND_WEBSOCKETS unset"
        )));
    }
    if !upgrades.iter().any(|v| v == "websocket") {
        return Err(ApiError::bad_request(format!(
            "Upgrade request required: kubelite serves exec over WebSocket with the {PROTOCOL} subprotocol only (kubectl 1.30 or newer; unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS)"
        )));
    }
    if !values("sec-websocket-protocol")
        .iter()
        .any(|v| v == PROTOCOL)
    {
        return Err(ApiError::bad_request(format!(
            "the WebSocket upgrade must offer the {PROTOCOL} subprotocol"
        )));
    }
    headers
        .get("sec-websocket-key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .map(str::to_string)
        .ok_or_else(|| ApiError::bad_request("the WebSocket upgrade has no Sec-WebSocket-Key"))
}

/// The pod and the name of its container the command runs in; errors here are HTTP
/// errors, as kube-apiserver's.
fn locate(
    state: &State,
    ns: &str,
    name: &str,
    container: Option<&str>,
    command: &[String],
) -> Result<(Value, String), ApiError> {
    let pods =
        crate::api::registry::find("pods").ok_or_else(|| ApiError::internal("no pods resource"))?;
    let pod = crate::client::Client::get(state.client.as_ref(), pods, Some(ns), name)?;
    let containers: Vec<&str> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    let container = match container {
        Some(c) if containers.contains(&c) => c,
        Some(c) => {
            return Err(ApiError::bad_request(format!(
                "container {c} is not valid for pod {name}"
            )));
        }
        None => containers.first().copied().unwrap_or_default(),
    }
    .to_string();
    if command.is_empty() {
        return Err(ApiError::bad_request(
            "you must specify at least one command for the container",
        ));
    }
    Ok((pod, container))
}

/// Runs the command on the session's streams; returns the channel-3 Status.
fn execute(
    state: &State,
    pod: &Value,
    container: &str,
    command: &[String],
    streams: CommandIo,
) -> Value {
    let CommandIo {
        mut stdin,
        mut stdout,
        mut stderr,
    } = streams;
    let mut io = crate::cli::Io {
        out: &mut stdout,
        err: &mut stderr,
    };
    let result = run_in_container(
        state.client.as_ref(),
        pod,
        container,
        command,
        &mut stdin,
        &mut io,
    );
    match result {
        Ok(0) => json!({"metadata": {}, "status": "Success"}),
        Ok(code) => exit_status(command, code),
        Err(ExecError::Api(e)) => failure(&e.message),
        Err(ExecError::Unsupported(message)) => failure(&message),
    }
}

/// The Status of a command that ran and exited non-zero; kubectl exits with `code`.
fn exit_status(command: &[String], code: i32) -> Value {
    json!({
        "metadata": {},
        "status": "Failure",
        "message": format!(
            "command terminated with non-zero exit code: error executing command [{}], exit code {code}",
            command.join(" ")
        ),
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
    })
}

/// The Status of a command that could not run; kubectl prints `error: <message>`, exit 1.
fn failure(message: &str) -> Value {
    json!({
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "InternalError",
        "code": 500,
    })
}

fn switching_protocols(accept: &str) -> Response {
    let mut r = hyper::Response::new(super::body::ResponseBody::Full(None));
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert("upgrade", HeaderValue::from_static("websocket"));
    h.insert("connection", HeaderValue::from_static("Upgrade"));
    h.insert("sec-websocket-protocol", HeaderValue::from_static(PROTOCOL));
    if let Ok(v) = HeaderValue::from_str(accept) {
        h.insert("sec-websocket-accept", v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_become_the_status_kubectl_reads() {
        let s = exit_status(&["sh".into(), "-c".into(), "exit 3".into()], 3);
        assert_eq!(s["reason"], "NonZeroExitCode");
        assert_eq!(s["details"]["causes"][0]["message"], "3");
        assert_eq!(
            s["message"],
            "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"
        );
        assert_eq!(failure("no")["code"], 500);
    }

    #[test]
    fn only_v5_websocket_upgrades_are_accepted() {
        let mut h = HeaderMap::new();
        assert!(websocket_key(&h).is_err());
        h.insert("upgrade", HeaderValue::from_static("websocket"));
        h.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("v4.channel.k8s.io"),
        );
        h.insert("sec-websocket-key", HeaderValue::from_static("abc=="));
        assert!(websocket_key(&h).is_err());
        h.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("v4.channel.k8s.io, v5.channel.k8s.io"),
        );
        assert_eq!(websocket_key(&h).ok().as_deref(), Some("abc=="));
    }
}
