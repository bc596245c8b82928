//! `systemctl status|stop|start|restart|is-active kubelet` (and `status containerd`).
//! Stopping the kubelet is what `kubelite node stop` does: it stops renewing the node's
//! Lease, so after the grace period the node turns NotReady. systemd's own lines about
//! the unit go to the unit's journal, as journald keeps them.

use super::NodeCtx;
use super::processes;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use crate::nodefs::journal;
use chrono::{DateTime, Utc};
use serde_json::Value;

const KUBELET_DESCRIPTION: &str = "kubelet: The Kubernetes Node Agent";
const CONTAINERD_DESCRIPTION: &str = "containerd container runtime";

pub fn run(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| {
            !matches!(
                *a,
                "--no-pager" | "-l" | "--full" | "-q" | "--quiet" | "--now"
            )
        })
        .collect();
    let Some((&verb, units)) = words.split_first() else {
        let _ = writeln!(
            io.err,
            "kubelite's systemctl on a node knows status, start, stop, restart, is-active, enable and daemon-reload"
        );
        return 1;
    };
    match verb {
        "daemon-reload" | "daemon-reexec" => 0,
        "enable" | "disable" => known_units(units, io, 5).unwrap_or_else(|c| c),
        "status" | "is-active" | "start" | "stop" | "restart" => {
            if units.is_empty() {
                let _ = writeln!(io.err, "Too few arguments.");
                return 1;
            }
            let code = known_units(units, io, if verb == "status" { 4 } else { 5 });
            if let Err(c) = code {
                return c;
            }
            let run = |client: &dyn Client, io: &mut Io| {
                let mut code = 0;
                for unit in units {
                    let unit = unit_name(unit);
                    code = code.max(match verb {
                        "status" => status(ctx, client, unit, io)?,
                        "is-active" => {
                            let active = unit != "kubelet" || kubelet_running(ctx, client)?;
                            let _ =
                                writeln!(io.out, "{}", if active { "active" } else { "inactive" });
                            if active { 0 } else { 3 }
                        }
                        _ if unit == "containerd" => 0,
                        "stop" => set(ctx, client, false)?,
                        "start" => set(ctx, client, true)?,
                        _ => {
                            set(ctx, client, false)?;
                            set(ctx, client, true)?
                        }
                    });
                }
                Ok::<i32, CliError>(code)
            };
            // What only looks (status, is-active) answers from the node's own view too,
            // as a real systemctl does with the API server down.
            if matches!(verb, "status" | "is-active") {
                ctx.reading(io, run)
            } else {
                ctx.with_client(io, run)
            }
        }
        other => {
            let _ = writeln!(io.err, "Unknown command verb '{other}'.");
            1
        }
    }
}

fn unit_name(unit: &str) -> &str {
    unit.strip_suffix(".service").unwrap_or(unit)
}

/// Refuses units the node does not have, with systemd's words.
fn known_units(units: &[&str], io: &mut Io, code: i32) -> Result<i32, i32> {
    for unit in units {
        if !matches!(unit_name(unit), "kubelet" | "containerd") {
            let name = unit_name(unit);
            let _ = writeln!(io.err, "Unit {name}.service could not be found.");
            return Err(code);
        }
    }
    Ok(0)
}

fn kubelet_running(ctx: &NodeCtx, client: &dyn Client) -> Result<bool, CliError> {
    let node = client.get(super::super::nodes()?, None, &ctx.node)?;
    Ok(node
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(crate::kubelet::STATE_ANNOTATION))
        .and_then(Value::as_str)
        != Some("stopped"))
}

/// Stops or starts the kubelet, and notes it in its journal as systemd does.
fn set(ctx: &NodeCtx, client: &dyn Client, running: bool) -> Result<i32, CliError> {
    if kubelet_running(ctx, client)? == running {
        return Ok(0);
    }
    crate::kubelet::set_running(client, &ctx.node, running)?;
    let lines: &[String] = &if running {
        vec![format!("Started kubelet.service - {KUBELET_DESCRIPTION}.")]
    } else {
        vec![
            format!("Stopping kubelet.service - {KUBELET_DESCRIPTION}..."),
            "kubelet.service: Deactivated successfully.".to_string(),
            format!("Stopped kubelet.service - {KUBELET_DESCRIPTION}."),
        ]
    };
    for line in lines {
        journal::append(
            &ctx.home,
            &ctx.node,
            "kubelet",
            ctx.now,
            &format!("{}{line}", journal::SYSTEMD),
        )
        .map_err(|e| CliError::message(format!("cannot write the kubelet's journal: {e}")))?;
    }
    Ok(0)
}

/// When the unit last changed state, from systemd's own lines in its journal.
fn since(ctx: &NodeCtx, unit: &str, word: &str, fallback: DateTime<Utc>) -> DateTime<Utc> {
    journal::read(&ctx.home, &ctx.node, unit)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .find(|(_, l)| {
            l.strip_prefix(journal::SYSTEMD)
                .is_some_and(|l| l.starts_with(&format!("{word} {unit}.service")))
        })
        .map(|(at, _)| at)
        .unwrap_or(fallback)
}

fn status(ctx: &NodeCtx, client: &dyn Client, unit: &str, io: &mut Io) -> Result<i32, CliError> {
    let node = client.get(super::super::nodes()?, None, &ctx.node)?;
    let booted = processes::time(&node["metadata"]["creationTimestamp"]);
    let (description, active, pid, cmdline, file) = if unit == "kubelet" {
        (
            KUBELET_DESCRIPTION,
            kubelet_running(ctx, client)?,
            ctx.kubelet_pid(),
            processes::kubelet_cmdline(ctx),
            "/usr/lib/systemd/system/kubelet.service",
        )
    } else {
        (
            CONTAINERD_DESCRIPTION,
            true,
            processes::pid_of(&format!("{}/containerd", ctx.node)),
            "/usr/bin/containerd".to_string(),
            "/usr/lib/systemd/system/containerd.service",
        )
    };
    let when = since(
        ctx,
        unit,
        if active { "Started" } else { "Stopped" },
        booted,
    );
    let stamp = format!(
        "{} UTC; {}",
        when.format("%a %Y-%m-%d %H:%M:%S"),
        ago(ctx.now - when)
    );
    let mut text = format!(
        "{} {unit}.service - {description}\n     Loaded: loaded ({file}; enabled; preset: enabled)\n",
        if active { "●" } else { "○" }
    );
    if unit == "kubelet" {
        text.push_str("    Drop-In: /usr/lib/systemd/system/kubelet.service.d\n             └─10-kubeadm.conf\n");
    }
    if active {
        text.push_str(&format!("     Active: active (running) since {stamp}\n"));
        text.push_str(&format!(
            "       Docs: {}\n   Main PID: {pid} ({unit})\n      Tasks: 14 (limit: 4598)\n     Memory: 41.3M\n     CGroup: /system.slice/{unit}.service\n             └─{pid} {cmdline}\n",
            if unit == "kubelet" { "https://kubernetes.io/docs/" } else { "https://containerd.io" },
        ));
    } else {
        text.push_str(&format!("     Active: inactive (dead) since {stamp}\n"));
        text.push_str(&format!(
            "       Docs: https://kubernetes.io/docs/\n    Process: {pid} ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS (code=exited, status=0/SUCCESS)\n   Main PID: {pid} (code=exited, status=0/SUCCESS)\n"
        ));
    }
    let entries = journal::read(&ctx.home, &ctx.node, unit).unwrap_or_default();
    if !entries.is_empty() {
        text.push('\n');
        let from = entries.len().saturating_sub(10);
        for (at, line) in &entries[from..] {
            text.push_str(&super::journalctl::entry(ctx, unit, pid, *at, line));
        }
    }
    let _ = io.out.write_all(text.as_bytes());
    Ok(if active { 0 } else { 3 })
}

/// systemd's relative time (`15min ago`, `2h 3min ago`, `3 days ago`).
pub fn ago(d: chrono::Duration) -> String {
    let s = d.num_seconds().max(0);
    let (m, h, days) = (s / 60, s / 3600, s / 86400);
    if days >= 2 {
        format!("{days} days ago")
    } else if h >= 25 {
        format!("1 day {}h ago", h - 24)
    } else if h >= 6 {
        format!("{h}h ago")
    } else if h >= 1 {
        format!("{h}h {}min ago", m % 60)
    } else if m >= 5 {
        format!("{m}min ago")
    } else if m >= 1 {
        format!("{m}min {}s ago", s % 60)
    } else {
        format!("{s}s ago")
    }
}
