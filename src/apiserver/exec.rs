//! `pods/exec`: kube-apiserver does not run commands, it hands them to the kubelet of the
//! pod's node. kubelite's API server does the same through a [`NodeExec`], given to it by
//! whoever assembles the cluster (an API server without one runs no commands).

use super::ApiServer;
use crate::api::exec::ExecError;
use serde_json::Value;
use std::io::{BufRead, Write};
use std::sync::Arc;

/// The API server's way into the containers of the cluster's nodes.
pub trait NodeExec: Send + Sync {
    /// Runs `command` in `container` of `pod` (as read from the API), reading `stdin` and
    /// writing to `out` and `err`; returns its exit status. `server` is the API server the
    /// call came through, for the programs that read the cluster.
    #[allow(clippy::too_many_arguments)]
    fn exec(
        &self,
        server: &Arc<ApiServer>,
        pod: &Value,
        container: &str,
        command: &[String],
        stdin: &mut dyn BufRead,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError>;
}

impl ApiServer {
    /// This API server, handing `pods/exec` to `nodes`.
    pub fn with_node_exec(mut self, nodes: Arc<dyn NodeExec>) -> Self {
        self.nodes = Some(nodes);
        self
    }

    /// Runs a command in a container of `pod`, on its node.
    pub fn exec(
        self: &Arc<Self>,
        pod: &Value,
        container: &str,
        command: &[String],
        stdin: &mut dyn BufRead,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<i32, ExecError> {
        match &self.nodes {
            Some(nodes) => nodes.exec(self, pod, container, command, stdin, out, err),
            None => Err(ExecError::Unsupported(
                "this API server reaches no node to run the command on".to_string(),
            )),
        }
    }
}
