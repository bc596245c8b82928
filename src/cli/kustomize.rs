//! `kustomize DIR`: prints the objects a kustomization builds (src/kustomize does the
//! building), and the `-k DIR` of apply, create, get and delete, which hands the built
//! objects to the same path `-f` files take.

use super::errors::CliError;
use super::get::GetArgs;
use super::manifest::Source;
use super::{GlobalFlags, Io};
use crate::kustomize::{self, Error};
use clap::Args;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct KustomizeArgs {
    /// The kustomization directory ('.' when omitted).
    pub dirs: Vec<String>,
    /// If specified, write output to this path.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Use the uid and gid of the command executor to run the function in the container.
    #[arg(long)]
    pub as_current_user: bool,
    /// Enable kustomize plugins (not supported by kubelite).
    #[arg(long)]
    pub enable_alpha_plugins: bool,
    /// Enable use of the Helm chart inflator generator (not supported by kubelite).
    #[arg(long)]
    pub enable_helm: bool,
    /// A list of environment variables to be used by functions.
    #[arg(short = 'e', long)]
    pub env: Vec<String>,
    /// Kubernetes api versions used by Helm for Capabilities.APIVersions.
    #[arg(long)]
    pub helm_api_versions: Vec<String>,
    /// helm command (path to executable).
    #[arg(long, default_value = "helm")]
    pub helm_command: String,
    /// Enable debug output from the Helm chart inflator generator.
    #[arg(long)]
    pub helm_debug: bool,
    /// Kubernetes version used by Helm for Capabilities.KubeVersion.
    #[arg(long, default_value = "")]
    pub helm_kube_version: String,
    /// If set to 'LoadRestrictionsNone', local kustomizations may load files from outside their root.
    #[arg(long, default_value = "LoadRestrictionsRootOnly")]
    pub load_restrictor: String,
    /// A list of storage options read from the filesystem.
    #[arg(long)]
    pub mount: Vec<String>,
    /// Enable network access for functions that declare it.
    #[arg(long)]
    pub network: bool,
    /// The docker network to run the container in.
    #[arg(long, default_value = "bridge")]
    pub network_name: String,
}

/// Runs `kustomize`: the build on stdout (or in `-o`'s file), warnings on stderr.
pub fn run(args: &KustomizeArgs, io: &mut Io) -> Result<i32, CliError> {
    if args.dirs.len() > 1 {
        return Err(klog("specify one path to kustomization.yaml"));
    }
    if args.enable_alpha_plugins {
        return Err(CliError::message(
            "kubelite does not support --enable-alpha-plugins in kustomize builds",
        ));
    }
    if !matches!(
        args.load_restrictor.as_str(),
        "LoadRestrictionsRootOnly" | "LoadRestrictionsNone"
    ) {
        return Err(klog(&format!(
            "illegal flag value --load-restrictor {}; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]",
            args.load_restrictor
        )));
    }
    let dir = args.dirs.first().map_or(".", String::as_str);
    let restrict = args.load_restrictor == "LoadRestrictionsRootOnly";
    let built = build_warning(dir, restrict, &mut *io.err).map_err(|e| match e {
        Error::Kustomize(text) => klog(&text),
        Error::Refused(text) => CliError::Message(text),
    })?;
    match &args.output {
        Some(path) if !path.is_empty() => {
            std::fs::write(path, &built.yaml).map_err(|e| klog(&format!("open {path}: {e}")))?;
        }
        _ => {
            let _ = io.out.write_all(built.yaml.as_bytes());
        }
    }
    Ok(0)
}

/// The built objects of `-k DIR` as one manifest source named after the directory, for the
/// `-f` path; kustomize's warnings go to stderr first. kubectl prints a build failure as
/// `error: <kustomize's message>` (get, without the prefix: `bare`).
pub fn source_for(
    dir: &str,
    bare: bool,
    err: &mut dyn std::io::Write,
) -> Result<Arc<Source>, CliError> {
    let built = built_for(dir, bare, err)?;
    Ok(Arc::new(Source {
        name: dir.to_string(),
        text: built.yaml,
    }))
}

/// The build of `-k DIR`, a failure worded as kubectl words it for the verb.
fn built_for(
    dir: &str,
    bare: bool,
    err: &mut dyn std::io::Write,
) -> Result<kustomize::Built, CliError> {
    build_warning(dir, true, err).map_err(|e| match e {
        Error::Kustomize(text) if bare => CliError::Raw(format!("{text}\n")),
        e => CliError::Message(e.text().to_string()),
    })
}

/// Builds `dir`, kustomize's warnings written to `err` whether the build works or not.
fn build_warning(
    dir: &str,
    restrict: bool,
    err: &mut dyn std::io::Write,
) -> Result<kustomize::Built, Error> {
    let mut warnings = Vec::new();
    let built = kustomize::build(dir, restrict, &mut warnings);
    for w in &warnings {
        let _ = writeln!(err, "{w}");
    }
    // kustomize logs (klog, info) the vars nothing referred to.
    if let Ok(b) = &built
        && !b.unused_vars.is_empty()
    {
        let now = chrono::Local::now().format("%m%d %H:%M:%S%.6f");
        let pid = std::process::id();
        let _ = writeln!(
            err,
            "I{now} {pid:>7} log.go:245] well-defined vars that were never replaced: {}",
            b.unused_vars.join(",")
        );
    }
    built
}

/// kubectl's message when both -f and -k are given.
pub const BOTH: &str = "only one of -f or -k can be specified";

/// kubectl logs a failed `kustomize` through klog: a header with the local time and
/// process id, then the error as a quoted structured field (a multi-line one as a block).
fn klog(message: &str) -> CliError {
    let now = chrono::Local::now().format("%m%d %H:%M:%S%.6f");
    let pid = std::process::id();
    let value = if message.contains('\n') {
        let body: String = message.lines().map(|l| format!("\t{l}\n")).collect();
        format!("<\n{body} >")
    } else {
        crate::go::quote(message)
    };
    CliError::Raw(format!(
        "E{now} {pid:>7} run.go:72] \"command failed\" err={value}\n"
    ))
}

/// kubectl's check of `-f` and `-R` against `-k`: not together (both complaints, bare,
/// when all three are given).
pub fn check_one_of(
    filenames: &[String],
    recursive: bool,
    kustomize: Option<&str>,
) -> Result<(), CliError> {
    if kustomize.is_none() {
        return Ok(());
    }
    match (!filenames.is_empty(), recursive) {
        (true, true) => Err(CliError::Raw(format!("{BOTH}\n{WITH_R}\n"))),
        (true, false) => Err(CliError::message(BOTH)),
        (false, true) => Err(CliError::message(WITH_R)),
        (false, false) => Ok(()),
    }
}

/// kubectl's message when -k comes with -R.
const WITH_R: &str = "the -k flag can't be used with -f or -R";

/// `get -k`: what `get` checks, without the need for a type.
pub fn validate_get(args: &GetArgs) -> Result<(), CliError> {
    check_one_of(&args.filenames, args.recursive, args.kustomize.as_deref())?;
    if !args.args.is_empty() {
        return Err(CliError::message(
            "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
        ));
    }
    if args.watch || args.watch_only || args.raw.is_some() {
        return Err(CliError::message(
            "kubelite does not support get -k with --watch, --watch-only or --raw",
        ));
    }
    let mut named = args.clone();
    named.kustomize = None;
    named.args = vec!["pods".into()];
    super::get::validate(&named)
}

/// `get -k DIR`: the built objects, read as `get TYPE/NAME ...` reads them. They must share
/// one namespace (the usual build; kubelite's get reads one namespace per call).
pub fn get(
    client: &dyn crate::client::Client,
    global: &GlobalFlags,
    args: &GetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let dir = args.kustomize.as_deref().unwrap_or(".");
    let built = built_for(dir, true, &mut *io.err)?;
    let mut namespaces: Vec<&str> = Vec::new();
    let mut names = Vec::new();
    for o in &built.objects {
        let api_version = o["apiVersion"].as_str().unwrap_or("");
        let kind = o["kind"].as_str().unwrap_or("");
        let name = o["metadata"]["name"].as_str().unwrap_or("");
        let resource = crate::api::registry::find_by_kind(api_version, kind);
        let type_name = match resource {
            Some(r) => r.qualified_plural(),
            None => {
                let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
                let kind = kind.to_lowercase();
                if group.is_empty() {
                    kind
                } else {
                    format!("{kind}.{group}")
                }
            }
        };
        let namespaced = resource.map_or(kustomize::is_namespaced(api_version, kind), |r| {
            r.namespaced
        });
        if namespaced {
            let ns = o["metadata"]["namespace"].as_str().unwrap_or("");
            if !namespaces.contains(&ns) {
                namespaces.push(ns);
            }
        }
        names.push(format!("{type_name}/{name}"));
    }
    if names.is_empty() {
        return Err(CliError::message("no objects passed to get"));
    }
    let mut global = global.clone();
    match namespaces.as_slice() {
        [] | [""] => {}
        [ns] => global.namespace = Some((*ns).to_string()),
        _ => {
            return Err(CliError::message(
                "kubelite does not support get -k on a build whose objects are in several namespaces",
            ));
        }
    }
    let mut named = args.clone();
    named.kustomize = None;
    named.args = names;
    super::get::list_and_print(client, &global, &named, io)
}

/// The manifests of a command: `-k`'s build, or `-f`'s files.
pub fn sources(
    filenames: &[String],
    recursive: bool,
    kustomize: Option<&str>,
    err: &mut dyn std::io::Write,
) -> Result<Vec<Arc<Source>>, CliError> {
    match kustomize {
        Some(dir) => Ok(vec![source_for(dir, false, err)?]),
        None => super::manifest::read_sources(filenames, recursive, &mut std::io::stdin())
            .map_err(CliError::message),
    }
}
