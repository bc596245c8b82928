//! What runs when a command is executed in a simulated container. kubelite's containers run
//! no programs, except the ones the simulation provides (`programs`): `etcdctl` in the etcd
//! pod (on the store of the etcd member the cluster was assembled with) and `iptables-save`
//! in kube-proxy pods. The CLI's `exec` and the server's `pods/exec` both go through the API
//! server, which hands the command to [`Containers`], so they agree.

use crate::apiserver::{ApiServer, NodeExec};
use crate::client::Embedded;
use crate::programs::etcdctl::EtcdMember;
use crate::programs::{self, Io};
use serde_json::Value;
use std::io::{BufRead, Write};
use std::sync::Arc;

pub use crate::api::exec::ExecError;

pub mod tty;

/// The exit status a container runtime gives an exec whose program cannot be started
/// (Docker and CRI runtimes report 126; kubectl then exits with it).
pub const CANNOT_EXECUTE: i32 = 126;

/// The simulated container runtime of the cluster's nodes, as far as exec goes. It holds
/// what its programs work on: the etcd member the etcd pod serves.
pub struct Containers {
    etcd: EtcdMember,
}

impl Containers {
    pub fn new(etcd: EtcdMember) -> Self {
        Containers { etcd }
    }
}

impl NodeExec for Containers {
    fn exec(
        &self,
        server: &Arc<ApiServer>,
        pod: &Value,
        container: &str,
        command: &[String],
        stdin: &mut dyn BufRead,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        let mut io = Io { out, err };
        let text = |path: &str| pod.pointer(path).and_then(Value::as_str);
        let Some(program) = command.first().map(String::as_str) else {
            return Err(ExecError::Unsupported(
                "you must specify at least one command for the container".to_string(),
            ));
        };
        let is_etcd = text("/metadata/labels/component") == Some("etcd");
        if is_etcd && program == "etcdctl" {
            if crate::etcdctl::uses_files(&command[1..]) {
                let _ = writeln!(
                    io.err,
                    "Error: the etcd container is simulated and has no filesystem for snapshot files: run etcdctl on the node (`kubelite node ssh master`), or `kubelite etcdctl snapshot ...` on this machine"
                );
                return Ok(1);
            }
            let mut member = || Ok(self.etcd.clone());
            return Ok(programs::etcdctl::run(
                &command[1..],
                &mut member,
                stdin,
                &mut io,
            ));
        }
        let is_proxy = text("/metadata/labels/k8s-app") == Some("kube-proxy");
        if is_proxy && program == "iptables-save" {
            let node = text("/spec/nodeName").unwrap_or("");
            let client = Embedded::new(server.clone(), String::new());
            let now = server.clock().now();
            return programs::iptables_save::run(&client, node, now, &mut io)
                .map_err(ExecError::Api);
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
}

/// Runs `command` in `container` of `pod` and returns its exit status; it reads `stdin`
/// and its output goes to `io`. The API server hands it to the pod's node.
pub fn run_in_container(
    client: &Embedded,
    pod: &Value,
    container: &str,
    command: &[String],
    stdin: &mut dyn BufRead,
    io: &mut Io,
) -> Result<i32, ExecError> {
    client
        .server()
        .exec(pod, container, command, stdin, io.out, io.err)
}

/// What stderr shows for a program the simulated container lacks: the OCI runtime's
/// message, then kubelite's explanation.
pub fn missing_executable(program: &str, container: &str, pod: &str) -> String {
    format!(
        "OCI runtime exec failed: exec failed: unable to start container process: exec: {program:?}: executable file not found in $PATH: unknown\n\
         kubelite: container {container:?} of pod {pod:?} is simulated and has no {program:?}; kubelite runs `etcdctl` in the etcd pod (etcd-master in kube-system) and `iptables-save` in kube-proxy pods\n"
    )
}
