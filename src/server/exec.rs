//! `pods/exec` over WebSocket, subprotocol `v5.channel.k8s.io`, as kubectl 1.30+ speaks it:
//! a GET upgrade, then binary frames `[channel] + data` (1 stdout, 2 stderr, 3 the final
//! Status), then a close frame 1000. The command runs in kubelite's simulated container
//! (`kubelet::exec`) before the upgrade is answered; its whole output is sent after it.

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
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The only subprotocol kubectl 1.30–1.33 offers.
const PROTOCOL: &str = "v5.channel.k8s.io";
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const STATUS: u8 = 3;
/// kubectl registers its streams only after the upgrade; a frame sent at once can be
/// dropped ("Unknown stream id"), so output waits this long.
const FIRST_OUTPUT_DELAY: Duration = Duration::from_millis(50);
/// How long the client gets to answer the close frame.
const CLOSE_WAIT: Duration = Duration::from_secs(5);
const CHUNK: usize = 32 * 1024;

/// What the command left: its output and how it ended.
struct Finished {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Value,
}

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
    let container = param("container");
    let want_stdout = param("stdout").is_none_or(|v| v == "true" || v == "1");
    let want_stderr = param("stderr").is_none_or(|v| v == "true" || v == "1");
    // The pod and container are checked first, as kube-apiserver does: a non-101 answer
    // makes kubectl retry with SPDY, and it prints the error of that retry.
    let upgrade_key = websocket_key(req.headers());
    let ns = target.namespace.unwrap_or_else(|| "default".to_string());
    let name = target.name.unwrap_or_default();
    let run = tokio::task::spawn_blocking(move || {
        let (pod, container) = locate(&state, &ns, &name, container.as_deref(), &command)?;
        let accept = ws::accept_key(&upgrade_key?);
        let finished = execute(&state, &pod, &container, &command);
        state.control.written();
        Ok((accept, finished))
    })
    .await;
    let (accept, mut finished) = match run {
        Ok(Ok(f)) => f,
        Ok(Err(e)) => return error(&e),
        Err(_) => return error(&ApiError::internal("the exec handler failed")),
    };
    if !want_stdout {
        finished.stdout.clear();
    }
    if !want_stderr {
        finished.stderr.clear();
    }
    let mut req = req;
    let upgrade = hyper::upgrade::on(&mut req);
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrade.await {
            stream(TokioIo::new(upgraded), finished).await;
        }
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
    let websocket = values("upgrade").iter().any(|v| v == "websocket");
    if !websocket {
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

/// Runs the command; its own failures become the channel-3 Status.
fn execute(state: &State, pod: &Value, container: &str, command: &[String]) -> Finished {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = crate::cli::Io {
        out: &mut stdout,
        err: &mut stderr,
    };
    // kubelite does not forward stdin: the command reads an empty one.
    let mut stdin: &[u8] = &[];
    let result = run_in_container(
        state.client.as_ref(),
        pod,
        container,
        command,
        &mut stdin,
        &mut io,
    );
    let status = match result {
        Ok(0) => json!({"metadata": {}, "status": "Success"}),
        Ok(code) => exit_status(command, code),
        Err(ExecError::Api(e)) => failure(&e.message),
        Err(ExecError::Unsupported(message)) => failure(&message),
    };
    Finished {
        stdout,
        stderr,
        status,
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

/// Sends the output, the Status and a close, then waits for the client's close, answering
/// its pings.
async fn stream<S>(mut io: S, finished: Finished)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    tokio::time::sleep(FIRST_OUTPUT_DELAY).await;
    let mut out = Vec::new();
    for (channel, data) in [(STDOUT, &finished.stdout), (STDERR, &finished.stderr)] {
        for chunk in data.chunks(CHUNK) {
            out.extend(ws::frame(ws::OP_BINARY, &channel_message(channel, chunk)));
        }
    }
    let status = serde_json::to_vec(&finished.status).unwrap_or_default();
    out.extend(ws::frame(ws::OP_BINARY, &channel_message(STATUS, &status)));
    out.extend(ws::close_frame(1000));
    if io.write_all(&out).await.is_err() || io.flush().await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(CLOSE_WAIT, await_close(&mut io)).await;
    let _ = io.shutdown().await;
}

fn channel_message(channel: u8, data: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(data.len() + 1);
    m.push(channel);
    m.extend_from_slice(data);
    m
}

/// Reads client frames until its close (or EOF or a protocol error); pings get pongs, and
/// stdin, resize and stream-close messages are ignored.
async fn await_close<S>(io: &mut S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut buf = Vec::new();
    let mut read = [0u8; 4096];
    loop {
        loop {
            match ws::parse_frame(&buf) {
                Ok(Some((frame, used))) => {
                    buf.drain(..used);
                    match frame.opcode {
                        ws::OP_CLOSE => return,
                        ws::OP_PING => {
                            let pong = ws::frame(ws::OP_PONG, &frame.payload);
                            if io.write_all(&pong).await.is_err() {
                                return;
                            }
                        }
                        _ => {}
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
        match io.read(&mut read).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&read[..n]),
        }
    }
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

    #[test]
    fn streams_output_status_and_close_then_answers_pings() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else {
            panic!("no test runtime");
        };
        runtime.block_on(stream_round_trip());
    }

    async fn stream_round_trip() {
        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let finished = Finished {
            stdout: b"out\n".to_vec(),
            stderr: b"err\n".to_vec(),
            status: json!({"metadata": {}, "status": "Success"}),
        };
        let task = tokio::spawn(stream(server, finished));
        let mut expected = ws::frame(ws::OP_BINARY, b"\x01out\n");
        expected.extend(ws::frame(ws::OP_BINARY, b"\x02err\n"));
        expected.extend(ws::frame(
            ws::OP_BINARY,
            b"\x03{\"metadata\":{},\"status\":\"Success\"}",
        ));
        expected.extend(ws::close_frame(1000));
        let mut got = vec![0u8; expected.len()];
        assert!(client.read_exact(&mut got).await.is_ok());
        assert_eq!(got, expected);
        // A masked ping (mask 0) is answered with a pong; the client's close ends it.
        assert!(client.write_all(b"\x89\x82\0\0\0\0hi").await.is_ok());
        let mut pong = [0u8; 4];
        assert!(client.read_exact(&mut pong).await.is_ok());
        assert_eq!(&pong, b"\x8a\x02hi");
        assert!(client.write_all(b"\x88\x82\0\0\0\0\x03\xe8").await.is_ok());
        assert!(task.await.is_ok());
    }
}
