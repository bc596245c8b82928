//! `cp`: copies files between this machine and a container the way kubectl does it, with
//! `tar` run in the container over exec: `tar cf - <path>` to copy out (its stdout is
//! unpacked here), `test -d` then `tar -xmf - -C <dir>` fed a tar on stdin to copy in. So
//! it needs containers with files: a remote cluster's. kubelite's containers are
//! simulated; the embedded cluster refuses it, and `serve` answers the exec as its
//! simulated container does (no `tar`).

mod archive;
mod paths;

use super::errors::CliError;
use super::{GlobalFlags, Io};
use crate::api::exec::ExecError;
use crate::client::{Client, Remote};
use clap::Args;
use paths::FileSpec;

#[derive(Args, Debug)]
pub struct CpArgs {
    /// <file-spec-src> <file-spec-dest>
    pub paths: Vec<String>,
    /// Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// The copied file/directory's ownership and permissions will not be preserved in the container
    #[arg(long = "no-preserve")]
    pub no_preserve: bool,
    /// Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub retries: i32,
}

/// The message for the embedded cluster (no `serve`).
pub const SIMULATED: &str = "cp copies with tar run inside the container, and the embedded cluster's containers are simulated: they have no files to copy to or from (against a real cluster, kubelite cp works as kubectl cp)";

/// kubectl's checks of the command line: two file specifications, one of them in a pod.
pub(super) fn validate(args: &CpArgs) -> Result<(), CliError> {
    specs(args).map(|_| ())
}

fn specs(args: &CpArgs) -> Result<(FileSpec, FileSpec), CliError> {
    let [src, dest] = args.paths.as_slice() else {
        return Err(CliError::message("source and destination are required"));
    };
    let src = paths::parse(src).map_err(CliError::message)?;
    let dest = paths::parse(dest).map_err(CliError::message)?;
    if src.pod.is_some() && dest.pod.is_some() {
        return Err(CliError::message(
            "one of src or dest must be a local file specification",
        ));
    }
    if src.file.is_empty() || dest.file.is_empty() {
        return Err(CliError::message("filepath can not be empty"));
    }
    if src.pod.is_none() && dest.pod.is_none() {
        return Err(CliError::message(
            "one of src or dest must be a remote file specification",
        ));
    }
    Ok((src, dest))
}

/// Runs a validated `cp` against a server.
pub fn run(
    remote: &Remote,
    global: &GlobalFlags,
    args: &CpArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (src, dest) = specs(args)?;
    if src.pod.is_some() {
        from_pod(remote, global, args, &src, &dest.file, io)
    } else {
        to_pod(remote, global, args, &src.file, &dest, io)
    }
}

/// The pod and container an exec of `cp` goes to (kubectl reads the pod for every exec).
/// The defaulting note goes to `note`.
fn target(
    remote: &Remote,
    global: &GlobalFlags,
    args: &CpArgs,
    spec: &FileSpec,
    note: &mut dyn std::io::Write,
) -> Result<(String, String, String), CliError> {
    let namespace = spec
        .namespace
        .clone()
        .unwrap_or_else(|| global.namespace().to_string());
    let pod_name = spec.pod.clone().unwrap_or_default();
    // kubectl's exec reads the pod with its typed client: no discovery first.
    let pods = crate::api::registry::find("pods")
        .ok_or_else(|| CliError::message("the pods resource is unknown"))?;
    let pod = remote.get(pods, Some(&namespace), &pod_name)?;
    let container =
        super::exec::choose_container(&pod, &pod_name, args.container.as_deref(), false, note)?;
    let phase = pod
        .pointer("/status/phase")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Err(CliError::message(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    Ok((namespace, pod_name, container))
}

/// `tar cf - <file>` in the container, unpacked into local `dest`. The container's tar
/// writes its notes (`Removing leading '/'`) to kubectl's stdout, as kubectl wires it.
fn from_pod(
    remote: &Remote,
    global: &GlobalFlags,
    args: &CpArgs,
    src: &FileSpec,
    dest: &str,
    io: &mut Io,
) -> Result<i32, CliError> {
    let (namespace, pod, container) = target(remote, global, args, src, io.out)?;
    let mut data: Vec<u8> = Vec::new();
    let mut tries = 0i64;
    let result = loop {
        let command: Vec<String> = if args.retries == 0 {
            ["tar", "cf", "-", src.file.as_str()]
                .map(str::to_string)
                .to_vec()
        } else {
            // Resumable: a retry asks for the bytes after those already read.
            let from = if data.is_empty() { 0 } else { data.len() + 1 };
            vec![
                "sh".to_string(),
                "-c".to_string(),
                format!("tar cf - {} | tail -c+{from}", src.file),
            ]
        };
        let result = remote.exec(&namespace, &pod, &container, &command, &mut data, io.out);
        let transport_failed = matches!(result, Err(ExecError::Api(_)));
        tries += 1;
        if transport_failed && (args.retries < 0 || tries <= i64::from(args.retries)) {
            let _ = writeln!(
                io.err,
                "Resuming copy at {} bytes, retry {tries}/{}",
                data.len(),
                args.retries
            );
            continue;
        }
        break result;
    };
    let prefix = strip_shortcuts(&paths::clean(src.file.trim_start_matches('/')));
    let hint = format!(
        "(consider using \"kubectl exec -n {namespace:?} {pod:?} -- tar cf - {:?} | tar xf -\")",
        src.file
    );
    archive::unpack(&data, &prefix, dest, &hint, io.err).map_err(CliError::message)?;
    super::exec::outcome(result, io)
}

/// kubectl's stripPathShortcuts: leading `../` (and a lone `..` or `.`) removed.
fn strip_shortcuts(p: &str) -> String {
    let mut rest = p;
    while let Some(r) = rest.strip_prefix("../") {
        rest = r;
    }
    match rest {
        "." | ".." => String::new(),
        r => r.to_string(),
    }
}

/// Local `src` into the container: `test -d` says whether the destination is a directory
/// (then the copy goes inside it), and `tar -xmf -` reads the tar this sends.
fn to_pod(
    remote: &Remote,
    global: &GlobalFlags,
    args: &CpArgs,
    src: &str,
    dest: &FileSpec,
    io: &mut Io,
) -> Result<i32, CliError> {
    if std::fs::metadata(src).is_err() {
        return Err(CliError::message(format!(
            "{src} doesn't exist in local filesystem"
        )));
    }
    let mut dest_file = dest.file.clone();
    if dest_file.len() > 1 && dest_file.ends_with('/') {
        dest_file.pop();
    }
    // Whatever goes wrong here shows again in the copy itself.
    let mut quiet = Vec::new();
    if let Ok((namespace, pod, container)) = target(remote, global, args, dest, &mut quiet) {
        let test = ["test", "-d", dest_file.as_str()].map(str::to_string);
        let mut sink = Vec::new();
        if let Ok(0) = remote.exec(&namespace, &pod, &container, &test, &mut sink, &mut quiet) {
            dest_file = paths::join(&dest_file, &paths::base(&paths::clean(src)));
        }
    }
    let data = archive::pack(src, &dest_file).map_err(CliError::message)?;
    let mut command: Vec<String> = if args.no_preserve {
        vec![
            "tar",
            "--no-same-permissions",
            "--no-same-owner",
            "-xmf",
            "-",
        ]
    } else {
        vec!["tar", "-xmf", "-"]
    }
    .into_iter()
    .map(str::to_string)
    .collect();
    let dir = paths::dir(&paths::clean(&dest_file));
    if !dir.is_empty() {
        command.extend(["-C".to_string(), dir]);
    }
    let (namespace, pod, container) = target(remote, global, args, dest, io.err)?;
    let result = remote.exec_feeding(&namespace, &pod, &container, &command, data, io.out, io.err);
    super::exec::outcome(result, io)
}
