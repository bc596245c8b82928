//! `port-forward`: local ports forwarded to a pod's ports over `pods/portforward`, as
//! kubectl 1.32 does it (SPDY/3.1 tunneled in a WebSocket). Pods are named as `POD` or
//! `pod/NAME`; ports are numbers. kubelite's own containers are simulated and listen on
//! no ports: the embedded cluster refuses, and serve answers `pods/portforward` so.

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::client::{Client, Forward, Remote};
use clap::Args;
use serde_json::Value;
use std::io::Write;

#[derive(Args, Debug)]
pub struct PortForwardArgs {
    /// TYPE/NAME [LOCAL_PORT:]REMOTE_PORT [...]
    pub args: Vec<String>,
    /// Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.
    #[arg(long, value_delimiter = ',', default_value = "localhost")]
    pub address: Vec<String>,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long = "pod-running-timeout", default_value = "1m0s")]
    pub pod_running_timeout: String,
}

/// The message for the embedded cluster (no `serve`).
pub const SIMULATED: &str = "port-forward reaches a port a container listens on, and the embedded cluster's containers are simulated: they listen on no ports";

pub(super) fn validate(args: &PortForwardArgs) -> Result<(), CliError> {
    super::pod_running_timeout::syntax(&args.pod_running_timeout, "port-forward")?;
    if args.args.len() < 2 {
        return Err(CliError::Raw(
            "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n".to_string(),
        ));
    }
    // kubelite forwards to pods by name, which kubectl does not wait for either: the
    // timeout is only checked.
    super::pod_running_timeout::parse(
        &args.pod_running_timeout,
        "port-forward",
        super::pod_running_timeout::Refusal::Usage,
    )?;
    Ok(())
}

/// `[LOCAL:]REMOTE` as numbers (an empty or 0 local port: any free one).
fn parse_port(spec: &str) -> Result<(u16, u16), CliError> {
    let (local, remote) = match spec.split_once(':') {
        Some((l, r)) => (l, r),
        None => (spec, spec),
    };
    let number = |p: &str, what: &str| {
        p.parse::<u16>().map_err(|_| {
            CliError::message(format!(
                "kubelite forwards numbered ports only: {what} port {p:?} in {spec:?} is not a number"
            ))
        })
    };
    let local = if local.is_empty() {
        0
    } else {
        number(local, "local")?
    };
    Ok((local, number(remote, "remote")?))
}

/// Runs a validated `port-forward` until the session ends (or the process is stopped).
pub fn run(
    remote: &Remote,
    global: &GlobalFlags,
    args: &PortForwardArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let target = &args.args[0];
    let name = match target.split_once('/') {
        Some((kind, name)) => {
            let r = super::targets::Catalog {
                client: remote as &dyn Client,
                global,
            }
            .resource(kind)?;
            if r.plural != "pods" {
                return Err(CliError::message(format!(
                    "kubelite forwards to pods by name: name one of the pods of {target}"
                )));
            }
            name
        }
        None => target.as_str(),
    };
    let pods = super::targets::Catalog {
        client: remote as &dyn Client,
        global,
    }
    .resource("pods")?;
    // kubectl reads the pod twice: to find it, then to check it runs.
    remote.get_typed(pods, Some(global.namespace()), name)?;
    let pod = remote.get(pods, Some(global.namespace()), name)?;
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase != "Running" {
        return Err(CliError::message(format!(
            "unable to forward port because pod is not running. Current status={phase}"
        )));
    }
    let ports = args.args[1..]
        .iter()
        .map(|p| parse_port(p))
        .collect::<Result<Vec<_>, _>>()?;
    // kubectl's words for a refused upgrade (the server's message after them).
    let session = remote
        .port_forward(global.namespace(), name)
        .map_err(|e| CliError::message(format!("error upgrading connection: {}", e.message)))?;
    let mut forwards = Vec::new();
    for (local, port) in ports {
        let mut chosen = local;
        for address in &args.address {
            let hosts: Vec<&str> = if address == "localhost" {
                vec!["127.0.0.1", "::1"]
            } else {
                vec![address.as_str()]
            };
            for host in hosts {
                let Ok(listener) = std::net::TcpListener::bind((host, chosen)) else {
                    continue;
                };
                let Ok(bound) = listener.local_addr() else {
                    continue;
                };
                chosen = bound.port();
                let _ = writeln!(io.out, "Forwarding from {bound} -> {port}");
                forwards.push(Forward {
                    listener,
                    local: chosen,
                    remote: port,
                });
            }
        }
        if chosen == 0 || !forwards.iter().any(|f| f.remote == port) {
            return Err(CliError::message(format!(
                "unable to listen on any of the requested ports: [{{{local} {port}}}]"
            )));
        }
    }
    let _ = io.out.flush();
    let handling = |local: u16| {
        let mut out = std::io::stdout();
        let _ = writeln!(out, "Handling connection for {local}");
        let _ = out.flush();
    };
    let failed = |local: u16, port: u16, message: &str| {
        eprintln!("error: an error occurred forwarding {local} -> {port}: {message}");
    };
    session
        .serve(forwards, &handling, &failed)
        .map_err(CliError::message)?;
    Ok(0)
}
