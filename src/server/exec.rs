//! `pods/exec` over WebSocket, subprotocol `v5.channel.k8s.io`, as kubectl 1.30+ speaks it:
//! a GET upgrade, then binary frames `[channel] + data` both ways (0 stdin, 1 stdout,
//! 2 stderr, 3 the final Status, 4 resize, 255 close-channel), then a close frame 1000;
//! or over SPDY/3.1 with `v4.channel.k8s.io`, as kubectl 1.27–1.29 speak it (`spdy`).
//! The pod and container are checked before the upgrade; the command then runs in
//! kubelite's simulated container (`kubelet::exec`) while the session (`session`) streams.

mod session;
mod spdy;

use super::State;
use super::message::{Response, error, parse_query};
use super::route::Target;
use super::ws;
use crate::api::status::ApiError;
use crate::kubelet::exec::{ExecError, run_in_container};
use hyper::StatusCode;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use session::{CommandIo, Out, Protocol, Streams};
use std::sync::Arc;

/// The only subprotocol kubectl 1.30–1.33 offers.
const PROTOCOL: &str = "v5.channel.k8s.io";
/// The WebSocket subprotocols served, newest first: other clients (the Python client,
/// kr8s) offer the older ones. The base64 variants are not served.
const WEBSOCKET_PROTOCOLS: [(&str, Protocol); 5] = [
    (PROTOCOL, Protocol::V5),
    ("v4.channel.k8s.io", Protocol::V4),
    ("v3.channel.k8s.io", Protocol::Pre4),
    ("v2.channel.k8s.io", Protocol::Pre4),
    ("channel.k8s.io", Protocol::Pre4),
];
/// kubectl ≤ 1.29's upgrade, and the stream protocol kubelite speaks over it.
const SPDY: &str = "SPDY/3.1";
const SPDY_PROTOCOL: &str = "v4.channel.k8s.io";

/// Answers `GET|POST .../pods/<name>/exec`.
/// `connection` is the connection's place among serve's open connections, held until the
/// session ends.
pub async fn serve(
    state: Arc<State>,
    target: Target,
    req: hyper::Request<Incoming>,
    connection: Arc<tokio::sync::OwnedSemaphorePermit>,
) -> Response {
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
    let upgrade = upgrade_kind(req.headers());
    let ns = target.namespace.unwrap_or_else(|| "default".to_string());
    let name = target.name.unwrap_or_default();
    let located = {
        let state = state.clone();
        let command = command.clone();
        tokio::task::spawn_blocking(move || {
            let found = locate(&state, &ns, &name, container.as_deref(), &command)?;
            Ok((found, upgrade?))
        })
        .await
    };
    let ((pod, container), kind) = match located {
        Ok(Ok(f)) => f,
        Ok(Err(e)) => return error(&e),
        Err(_) => return error(&ApiError::internal("the exec handler failed")),
    };
    let accepted = kind.clone();
    let mut req = req;
    let upgrade = hyper::upgrade::on(&mut req);
    // kubectl's SPDY upgrade is a POST with an empty body: hyper hands the connection over
    // only once the body has been read to its end.
    let mut body = req.into_body();
    while let Some(Ok(_)) = http_body_util::BodyExt::frame(&mut body).await {}
    let stop = state.stopped();
    let grace = state.limits.shutdown_grace;
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
        let io = TokioIo::new(upgraded);
        let session = async move {
            match kind {
                Upgrade::WebSocket { version, .. } => {
                    wiring.run(io, streams, on_interrupt, version).await;
                }
                Upgrade::Spdy => {
                    let (feed, out) = wiring.split(streams, on_interrupt);
                    spdy::run(io, feed, out, streams).await;
                }
            }
        };
        tokio::pin!(session);
        // When serve stops, a session gets the grace to finish; then its connection closes
        // (and the command reads the end of its stdin).
        tokio::select! {
            _ = &mut session => {}
            _ = stop => {
                let _ = tokio::time::timeout(grace, session).await;
            }
        }
        drop(connection);
    });
    switching_protocols(&accepted)
}

/// How the client asked to upgrade.
#[derive(Clone)]
enum Upgrade {
    /// WebSocket: the `Sec-WebSocket-Accept` to answer, the channel protocol chosen and
    /// its name (none when the client offered none).
    WebSocket {
        accept: String,
        version: Protocol,
        name: Option<&'static str>,
    },
    /// SPDY/3.1 with v4.channel.k8s.io.
    Spdy,
}

/// The upgrade a request asks for, or why it cannot have one.
fn upgrade_kind(headers: &HeaderMap) -> Result<Upgrade, ApiError> {
    let spdy = headers
        .get_all("upgrade")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.trim().eq_ignore_ascii_case(SPDY));
    if !spdy {
        return websocket(headers).map(|(key, version, name)| Upgrade::WebSocket {
            accept: ws::accept_key(&key),
            version,
            name,
        });
    }
    let offered = headers
        .get_all("x-stream-protocol-version")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim() == SPDY_PROTOCOL);
    if offered {
        Ok(Upgrade::Spdy)
    } else {
        Err(ApiError::bad_request(format!(
            "the SPDY upgrade must offer the {SPDY_PROTOCOL} stream protocol (X-Stream-Protocol-Version)"
        )))
    }
}

/// The `Sec-WebSocket-Key` of a WebSocket upgrade and the channel protocol it gets: the
/// first of the client's offers that is served, in the client's order (no offer: the
/// unnamed binary protocol, as `channel.k8s.io`), or why this is not an upgrade served.
fn websocket(headers: &HeaderMap) -> Result<(String, Protocol, Option<&'static str>), ApiError> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let upgrades = values("upgrade");
    if !upgrades.iter().any(|v| v.eq_ignore_ascii_case("websocket")) {
        return Err(ApiError::bad_request(format!(
            "Upgrade request required: exec needs a WebSocket ({PROTOCOL}) or SPDY/3.1 ({SPDY_PROTOCOL}) upgrade"
        )));
    }
    let offered = values("sec-websocket-protocol");
    let chosen = if offered.is_empty() {
        Some((Protocol::Pre4, None))
    } else {
        offered.iter().find_map(|o| {
            WEBSOCKET_PROTOCOLS
                .iter()
                .find(|(name, _)| name == o)
                .map(|(name, v)| (*v, Some(*name)))
        })
    };
    let Some((version, name)) = chosen else {
        let served: Vec<&str> = WEBSOCKET_PROTOCOLS.iter().map(|(n, _)| *n).collect();
        return Err(ApiError::bad_request(format!(
            "requested protocol(s) are not supported: [{}]; supports [{}]",
            offered.join(" "),
            served.join(" ")
        )));
    };
    let key = headers
        .get("sec-websocket-key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .map(str::to_string)
        .ok_or_else(|| ApiError::bad_request("the WebSocket upgrade has no Sec-WebSocket-Key"))?;
    Ok((key, version, name))
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
    let containers = crate::api::pod::container_names(&pod);
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
    let mut io = crate::programs::Io {
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

fn switching_protocols(kind: &Upgrade) -> Response {
    let mut r = hyper::Response::new(super::body::ResponseBody::Full(None));
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert("connection", HeaderValue::from_static("Upgrade"));
    match kind {
        Upgrade::WebSocket { accept, name, .. } => {
            h.insert("upgrade", HeaderValue::from_static("websocket"));
            if let Some(name) = name {
                h.insert("sec-websocket-protocol", HeaderValue::from_static(name));
            }
            if let Ok(v) = HeaderValue::from_str(accept) {
                h.insert("sec-websocket-accept", v);
            }
        }
        Upgrade::Spdy => {
            h.insert("upgrade", HeaderValue::from_static(SPDY));
            h.insert(
                "x-stream-protocol-version",
                HeaderValue::from_static(SPDY_PROTOCOL),
            );
        }
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
    fn spdy_upgrades_need_the_v4_stream_protocol() {
        let mut h = HeaderMap::new();
        h.insert("upgrade", HeaderValue::from_static("SPDY/3.1"));
        h.append(
            "x-stream-protocol-version",
            HeaderValue::from_static("v5.channel.k8s.io"),
        );
        assert!(upgrade_kind(&h).is_err());
        h.append(
            "x-stream-protocol-version",
            HeaderValue::from_static("v4.channel.k8s.io"),
        );
        assert!(matches!(upgrade_kind(&h), Ok(Upgrade::Spdy)));
        let Err(e) = upgrade_kind(&HeaderMap::new()) else {
            panic!("no upgrade accepted");
        };
        assert!(
            e.message.starts_with("Upgrade request required"),
            "{}",
            e.message
        );
    }

    #[test]
    fn websocket_protocols_are_chosen_in_the_clients_order() {
        let mut h = HeaderMap::new();
        assert!(websocket(&h).is_err());
        h.insert("upgrade", HeaderValue::from_static("websocket"));
        h.insert("sec-websocket-key", HeaderValue::from_static("abc=="));
        let chosen = |h: &HeaderMap| websocket(h).ok().map(|(_, v, n)| (v, n));
        // No offer: the unnamed binary protocol.
        assert_eq!(chosen(&h), Some((Protocol::Pre4, None)));
        h.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("v4.channel.k8s.io"),
        );
        assert_eq!(chosen(&h), Some((Protocol::V4, Some("v4.channel.k8s.io"))));
        h.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("base64.channel.k8s.io, v5.channel.k8s.io, v4.channel.k8s.io"),
        );
        assert_eq!(chosen(&h), Some((Protocol::V5, Some("v5.channel.k8s.io"))));
        h.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("channel.k8s.io"),
        );
        assert_eq!(chosen(&h), Some((Protocol::Pre4, Some("channel.k8s.io"))));
        h.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("base64.channel.k8s.io"),
        );
        let Err(e) = websocket(&h) else {
            panic!("base64 accepted");
        };
        assert!(
            e.message
                .starts_with("requested protocol(s) are not supported: [base64.channel.k8s.io]"),
            "{}",
            e.message
        );
    }

    #[test]
    fn old_protocols_send_the_status_as_text_and_only_on_failure() {
        let ok = json!({"metadata": {}, "status": "Success"});
        let failed = exit_status(&["false".into()], 1);
        assert_eq!(Protocol::Pre4.status_message(&ok), None);
        assert_eq!(
            Protocol::Pre4.status_message(&failed),
            failed["message"].as_str().map(|m| m.as_bytes().to_vec())
        );
        assert_eq!(
            Protocol::V4.status_message(&ok),
            Some(br#"{"metadata":{},"status":"Success"}"#.to_vec())
        );
    }
}
