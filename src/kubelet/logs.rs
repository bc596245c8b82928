//! The simulated containers' logs (`pods/log`): a few deterministic lines per container
//! instance, derived from its status, so they need no storage.

use super::container::str_at;
use super::simulation::Simulation;
use crate::api::status::ApiError;
use crate::client::Client;
use crate::clock::parse_timestamp;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::Value;

/// The query of `GET pods/<name>/log`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogOptions {
    /// Only the last N lines.
    pub tail: Option<i64>,
    /// Prefix each line with its RFC 3339 time.
    pub timestamps: bool,
    /// The previous (terminated) instance of a restarted container.
    pub previous: bool,
}

/// The log of a container of a pod, as the API server returns it.
pub fn logs(
    client: &dyn Client,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    opts: &LogOptions,
) -> Result<String, ApiError> {
    let pods = super::resource("pods")?;
    let obj = client.get(pods, Some(namespace), pod)?;
    let (name, status, init) = pick_container(&obj, pod, container)?;
    let bad = |m: String| ApiError::new(400, "BadRequest", m);
    let instance = if opts.previous {
        status.pointer("/lastState/terminated").ok_or_else(|| {
            bad(format!(
                "previous terminated container \"{name}\" in pod \"{pod}\" not found"
            ))
        })?
    } else if let Some(w) = status.pointer("/state/waiting") {
        return Err(bad(format!(
            "container \"{name}\" in pod \"{pod}\" is waiting to start: {}",
            str_at(w, "/reason")
        )));
    } else {
        status
            .pointer("/state/running")
            .or_else(|| status.pointer("/state/terminated"))
            .ok_or_else(|| {
                bad(format!(
                    "container \"{name}\" in pod \"{pod}\" is waiting to start: ContainerCreating"
                ))
            })?
    };
    // A debugging container's shell writes to the terminal it is attached to, not the log.
    if is_ephemeral(&obj, &name) {
        return Ok(String::new());
    }
    let started = instance
        .get("startedAt")
        .and_then(Value::as_str)
        .and_then(parse_timestamp)
        .unwrap_or_default();
    let image = spec_image(&obj, &name, init);
    let exit = instance
        .get("exitCode")
        .and_then(Value::as_i64)
        .or(if init {
            None
        } else {
            Simulation::of(&obj).exit_code
        });
    let lines = lines_of(&name, &image, exit);
    Ok(render(&lines, started, opts))
}

/// The container asked for (or the only one), its status, and whether it is an init container.
fn pick_container<'a>(
    pod: &'a Value,
    pod_name: &str,
    container: Option<&str>,
) -> Result<(String, &'a Value, bool), ApiError> {
    let names = |key: &str| -> Vec<String> {
        pod.pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .map(|cs| cs.iter().map(|c| str_at(c, "/name").to_string()).collect())
            .unwrap_or_default()
    };
    let apps = names("containers");
    let inits = names("initContainers");
    let bad = |m: String| ApiError::new(400, "BadRequest", m);
    let name = match container {
        Some(c) => c.to_string(),
        None if apps.len() == 1 => apps[0].clone(),
        None => {
            return Err(bad(format!(
                "a container name must be specified for pod {pod_name}, choose one of: [{}]",
                apps.join(" ")
            )));
        }
    };
    let init = !apps.contains(&name) && inits.contains(&name);
    let ephemeral = !apps.contains(&name) && !init && names("ephemeralContainers").contains(&name);
    if !init && !ephemeral && !apps.contains(&name) {
        return Err(bad(format!(
            "container {name} is not valid for pod {pod_name}"
        )));
    }
    let key = if init {
        "initContainerStatuses"
    } else if ephemeral {
        "ephemeralContainerStatuses"
    } else {
        "containerStatuses"
    };
    static NONE: Value = Value::Null;
    let status = pod
        .pointer(&format!("/status/{key}"))
        .and_then(Value::as_array)
        .and_then(|l| l.iter().find(|s| str_at(s, "/name") == name))
        .unwrap_or(&NONE);
    if status.is_null() {
        return Err(bad(format!(
            "container \"{name}\" in pod \"{pod_name}\" is waiting to start: ContainerCreating"
        )));
    }
    Ok((name, status, init))
}

fn is_ephemeral(pod: &Value, name: &str) -> bool {
    pod.pointer("/spec/ephemeralContainers")
        .and_then(Value::as_array)
        .is_some_and(|cs| cs.iter().any(|c| str_at(c, "/name") == name))
}

fn spec_image(pod: &Value, name: &str, init: bool) -> String {
    let key = if init { "initContainers" } else { "containers" };
    pod.pointer(&format!("/spec/{key}"))
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| str_at(c, "/name") == name))
        .map(|c| str_at(c, "/image").to_string())
        .unwrap_or_default()
}

/// What a container instance prints: a web server's start-up notices for nginx-like
/// images, a line per start for anything else, and its exit if it exits.
fn lines_of(name: &str, image: &str, exit: Option<i64>) -> Vec<String> {
    let base = image.rsplit('/').next().unwrap_or(image);
    let mut lines: Vec<String> = if base.starts_with("nginx") {
        vec![
            "entrypoint: looking for configuration snippets in /docker-entrypoint.d/".into(),
            "entrypoint: applying default listen configuration on port 80".into(),
            "entrypoint: configuration complete, starting the server".into(),
            "server: worker processes started".into(),
            "server: listening on 0.0.0.0:80".into(),
        ]
    } else {
        vec![format!("{name}: started from image {image}")]
    };
    if let Some(code) = exit {
        lines.push(format!("{name}: exiting with code {code}"));
    }
    lines
}

fn render(lines: &[String], started: DateTime<Utc>, opts: &LogOptions) -> String {
    let skip = match opts.tail {
        Some(n) if n >= 0 => lines.len().saturating_sub(n as usize),
        _ => 0,
    };
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate().skip(skip) {
        if opts.timestamps {
            let at = started + Duration::milliseconds(i as i64 * 3);
            out.push_str(&at.to_rfc3339_opts(SecondsFormat::Nanos, true));
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "metadata": {"name": "web", "annotations": {"kubelite.io/exit-code": "1"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}, {"name": "side", "image": "busybox"}]},
            "status": {"containerStatuses": [
                {"name": "nginx", "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                 "lastState": {"terminated": {"exitCode": 1, "startedAt": "2026-11-29T01:42:16Z"}}},
                {"name": "side", "state": {"running": {"startedAt": "2026-11-29T01:42:16Z"}}}
            ]}
        })
    }

    #[test]
    fn a_container_must_be_named_when_there_are_several() {
        let err = pick_container(&pod(), "web", None)
            .err()
            .unwrap_or_else(|| ApiError::internal(""));
        assert_eq!(
            err.message,
            "a container name must be specified for pod web, choose one of: [nginx side]"
        );
        let err = pick_container(&pod(), "web", Some("x"))
            .err()
            .unwrap_or_else(|| ApiError::internal(""));
        assert_eq!(err.message, "container x is not valid for pod web");
    }

    #[test]
    fn tail_and_timestamps() {
        let lines = lines_of("nginx", "nginx", Some(1));
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[5], "nginx: exiting with code 1");
        let t = parse_timestamp("2026-11-29T01:42:16Z").unwrap_or_default();
        let out = render(
            &lines,
            t,
            &LogOptions {
                tail: Some(2),
                timestamps: true,
                previous: false,
            },
        );
        assert_eq!(
            out,
            "2026-11-29T01:42:16.012000000Z server: listening on 0.0.0.0:80\n2026-11-29T01:42:16.015000000Z nginx: exiting with code 1\n"
        );
        assert_eq!(
            render(
                &lines,
                t,
                &LogOptions {
                    tail: Some(0),
                    ..Default::default()
                }
            ),
            ""
        );
    }
}
