//! `crictl ps [-a] | pods | logs [--tail N] ID | inspect ID`: the node's containers as the
//! runtime lists them (crictl's columns; ids are 13-digit prefixes, as crictl shows them).

use super::NodeCtx;
use super::processes::{self, PodOnNode};
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use crate::print::tabwriter::TabWriter;
use serde_json::{Value, json};

pub fn run(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let Some((verb, rest)) = args.split_first() else {
        let _ = writeln!(
            io.err,
            "kubelite's crictl on a node knows ps, pods, logs and inspect"
        );
        return 1;
    };
    let verb = verb.clone();
    let rest = rest.to_vec();
    ctx.reading(io, |client, io| match verb.as_str() {
        "ps" => ps(ctx, client, &rest, io),
        "pods" => pods(ctx, client, io),
        "logs" => logs(ctx, client, &rest, io),
        "inspect" => inspect(ctx, client, &rest, io),
        other => {
            let _ = writeln!(io.err, "No help topic for '{other}'");
            Ok(1)
        }
    })
}

fn short(id: &str) -> &str {
    &id[..13.min(id.len())]
}

/// go-units' HumanDuration, as crictl's CREATED column words it.
fn human(d: chrono::Duration) -> String {
    let s = d.num_seconds();
    let hours = ((d.num_seconds() as f64) / 3600.0 + 0.5) as i64;
    if s < 1 {
        "Less than a second".into()
    } else if s == 1 {
        "1 second".into()
    } else if s < 60 {
        format!("{s} seconds")
    } else if s / 60 == 1 {
        "About a minute".into()
    } else if s / 60 < 60 {
        format!("{} minutes", s / 60)
    } else if hours == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else {
        format!("{} months", hours / 24 / 30)
    }
}

fn table() -> TabWriter {
    TabWriter::new(20, 1, 3, ' ', 0)
}

/// Every container of the node's pods: (pod, status).
fn containers(pods: &[PodOnNode]) -> Vec<(&PodOnNode, &Value)> {
    pods.iter()
        .flat_map(|p| p.statuses().into_iter().map(move |s| (p, s)))
        .collect()
}

fn state(status: &Value) -> &'static str {
    if status.pointer("/state/running").is_some() {
        "Running"
    } else if status.pointer("/state/terminated").is_some() {
        "Exited"
    } else {
        "Created"
    }
}

fn created(status: &Value, pod: &PodOnNode) -> chrono::DateTime<chrono::Utc> {
    let s = &status["state"];
    let t = s["running"]["startedAt"]
        .as_str()
        .or_else(|| s["terminated"]["startedAt"].as_str())
        .or_else(|| pod.pod["status"]["startTime"].as_str());
    processes::time(&json!(t))
}

fn ps(ctx: &NodeCtx, client: &dyn Client, args: &[String], io: &mut Io) -> Result<i32, CliError> {
    let all = args.iter().any(|a| a == "-a" || a == "--all");
    let quiet = args.iter().any(|a| a == "-q" || a == "--quiet");
    let pods = processes::pods(ctx, client)?;
    let mut w = table();
    if !quiet {
        w.write_str("CONTAINER\tIMAGE\tCREATED\tSTATE\tNAME\tATTEMPT\tPOD ID\tPOD\tNAMESPACE\n");
    }
    let mut rows: Vec<_> = containers(&pods)
        .into_iter()
        .filter(|(_, s)| all || state(s) == "Running")
        .collect();
    rows.sort_by_key(|(p, s)| std::cmp::Reverse(created(s, p)));
    for (pod, status) in rows {
        let id = pod.container_id(status);
        if quiet {
            let _ = writeln!(io.out, "{id}");
            continue;
        }
        let image = processes::hex_id(&format!("image/{}", status["image"].as_str().unwrap_or("")));
        w.write_str(&format!(
            "{}\t{}\t{} ago\t{}\t{}\t{}\t{}\t{}\t{}\n",
            short(&id),
            short(&image),
            human(ctx.now - created(status, pod)),
            state(status),
            status["name"].as_str().unwrap_or(""),
            status["restartCount"].as_i64().unwrap_or(0),
            short(&pod.sandbox_id()),
            pod.name(),
            pod.namespace(),
        ));
    }
    let _ = io.out.write_all(w.finish().as_bytes());
    Ok(0)
}

fn pods(ctx: &NodeCtx, client: &dyn Client, io: &mut Io) -> Result<i32, CliError> {
    let pods = processes::pods(ctx, client)?;
    let mut w = table();
    w.write_str("POD ID\tCREATED\tSTATE\tNAME\tNAMESPACE\tATTEMPT\tRUNTIME\n");
    for pod in pods.iter().rev() {
        let ready = pod.pod["status"]["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "Ready" && c["status"] == "True");
        let at = processes::time(&pod.pod["metadata"]["creationTimestamp"]);
        w.write_str(&format!(
            "{}\t{} ago\t{}\t{}\t{}\t0\t(default)\n",
            short(&pod.sandbox_id()),
            human(ctx.now - at),
            if ready { "Ready" } else { "NotReady" },
            pod.name(),
            pod.namespace(),
        ));
    }
    let _ = io.out.write_all(w.finish().as_bytes());
    Ok(0)
}

/// The container whose id starts with `prefix`, or crictl's error.
fn find<'a>(
    pods: &'a [PodOnNode],
    prefix: &str,
    io: &mut Io,
) -> Option<(&'a PodOnNode, &'a Value, String)> {
    let found = containers(pods)
        .into_iter()
        .map(|(p, s)| (p, s, p.container_id(s)))
        .find(|(_, _, id)| !prefix.is_empty() && id.starts_with(prefix));
    if found.is_none() {
        let _ = writeln!(
            io.err,
            "E0000 00:00:00.000000       1 log.go:32] \"ContainerStatus from runtime service failed\" err=\"rpc error: code = NotFound desc = an error occurred when try to find container \\\"{prefix}\\\": not found\" containerID=\"{prefix}\""
        );
        let _ = writeln!(
            io.err,
            "FATA[0000] rpc error: code = NotFound desc = an error occurred when try to find container \"{prefix}\": not found"
        );
    }
    found
}

fn logs(ctx: &NodeCtx, client: &dyn Client, args: &[String], io: &mut Io) -> Result<i32, CliError> {
    let mut tail = None;
    let mut id = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--tail" {
            tail = it.next().and_then(|n| n.parse().ok());
        } else if let Some(n) = a.strip_prefix("--tail=") {
            tail = n.parse().ok();
        } else if !a.starts_with('-') {
            id = Some(a.clone());
        }
    }
    let Some(id) = id else {
        let _ = writeln!(io.err, "FATA[0000] ID cannot be empty");
        return Ok(1);
    };
    let pods = processes::pods(ctx, client)?;
    let Some((pod, status, _)) = find(&pods, &id, io) else {
        return Ok(1);
    };
    let req = crate::client::LogRequest {
        container: status["name"].as_str().map(str::to_string),
        tail_lines: tail,
        ..Default::default()
    };
    let mut reader = client.logs(pod.namespace(), pod.name(), &req)?;
    let _ = std::io::copy(&mut reader, io.out);
    Ok(0)
}

fn inspect(
    ctx: &NodeCtx,
    client: &dyn Client,
    args: &[String],
    io: &mut Io,
) -> Result<i32, CliError> {
    let Some(id) = args.iter().find(|a| !a.starts_with('-')) else {
        let _ = writeln!(io.err, "FATA[0000] ID cannot be empty");
        return Ok(1);
    };
    let pods = processes::pods(ctx, client)?;
    let Some((pod, status, full_id)) = find(&pods, id, io) else {
        return Ok(1);
    };
    let name = status["name"].as_str().unwrap_or("");
    let spec = pod.spec_of(name).cloned().unwrap_or(Value::Null);
    let at = created(status, pod).to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let doc = json!({
        "status": {
            "id": full_id,
            "metadata": {"attempt": status["restartCount"], "name": name},
            "state": format!("CONTAINER_{}", state(status).to_uppercase()),
            "createdAt": at,
            "startedAt": at,
            "image": {"image": status["image"]},
            "imageRef": status["imageID"],
            "labels": {
                "io.kubernetes.container.name": name,
                "io.kubernetes.pod.name": pod.name(),
                "io.kubernetes.pod.namespace": pod.namespace(),
                "io.kubernetes.pod.uid": pod.uid(),
            },
            "logPath": format!(
                "/var/log/pods/{}_{}_{}/{name}/{}.log",
                pod.namespace(), pod.name(), pod.uid(),
                status["restartCount"].as_i64().unwrap_or(0)
            ),
        },
        "info": {
            "sandboxID": pod.sandbox_id(),
            "pid": processes::pid_of(&full_id),
            "runtimeSpec": {
                "process": {
                    "args": processes::container_cmdline(&pod.pod, &spec).split(' ').collect::<Vec<_>>(),
                    "env": spec["env"],
                },
                "hostname": ctx.node,
            },
        },
    });
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let _ = writeln!(io.out, "{text}");
    Ok(0)
}
