//! What runs when a command is executed in a simulated container. kubelite's containers run
//! no programs, except the ones the simulation provides: `etcdctl` in the etcd pod (on the
//! cluster's own store) and `iptables-save` in kube-proxy pods. The CLI's `exec` and the
//! server's `pods/exec` both come here, so they agree.

use crate::api::status::ApiError;
use crate::cli::Io;
use crate::client::Embedded;
use serde_json::Value;

pub mod tty;

/// The exit status a container runtime gives an exec whose program cannot be started
/// (Docker and CRI runtimes report 126; kubectl then exits with it).
pub const CANNOT_EXECUTE: i32 = 126;

/// Why a command did not run at all (as opposed to running and exiting non-zero).
#[derive(Debug)]
pub enum ExecError {
    /// The API refused a read the command needed.
    Api(ApiError),
    /// The simulated container has no such program.
    Unsupported(String),
}

/// Runs `command` in `container` of `pod` and returns its exit status; it reads `stdin`
/// and its output goes to `io`.
pub fn run_in_container(
    client: &Embedded,
    pod: &Value,
    container: &str,
    command: &[String],
    stdin: &mut dyn std::io::BufRead,
    io: &mut Io,
) -> Result<i32, ExecError> {
    let text = |path: &str| pod.pointer(path).and_then(Value::as_str);
    let Some(program) = command.first().map(String::as_str) else {
        return Err(ExecError::Unsupported(
            "you must specify at least one command for the container".to_string(),
        ));
    };
    let is_etcd = text("/metadata/labels/component") == Some("etcd");
    if is_etcd && program == "etcdctl" {
        let store = client.server().store().clone();
        return Ok(crate::cli::etcdctl::run_with_input(
            &command[1..],
            Some(store),
            stdin,
            io,
        ));
    }
    let is_proxy = text("/metadata/labels/k8s-app") == Some("kube-proxy");
    if is_proxy && program == "iptables-save" {
        let node = text("/spec/nodeName").unwrap_or("");
        let now = client.server().clock().now();
        let rules = crate::proxy::iptables_save(client, node, now).map_err(ExecError::Api)?;
        let _ = io.out.write_all(rules.as_bytes());
        return Ok(0);
    }
    // Any other program, shells included, is missing from the simulated image: the
    // runtime's words, then why (kubelite's containers have no filesystem to run from).
    let _ = write!(
        io.err,
        "{}",
        missing_executable(program, container, text("/metadata/name").unwrap_or(""))
    );
    Ok(CANNOT_EXECUTE)
}

/// What stderr shows for a program the simulated container lacks: the OCI runtime's
/// message, then kubelite's explanation.
pub fn missing_executable(program: &str, container: &str, pod: &str) -> String {
    format!(
        "OCI runtime exec failed: exec failed: unable to start container process: exec: {program:?}: executable file not found in $PATH: unknown\n\
         kubelite: container {container:?} of pod {pod:?} is simulated and has no {program:?}; kubelite runs `etcdctl` in the etcd pod (etcd-master in kube-system) and `iptables-save` in kube-proxy pods\n"
    )
}
