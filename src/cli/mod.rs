//! kubectl: the command line. One file per verb; each reaches a cluster only through the
//! `Client` trait.

mod api_resources;
mod api_versions;
mod apply;
mod arg_rules;
mod attach;
mod auth;
mod autoscale;
mod builder_read;
mod certificate;
mod cluster_info;
pub mod command_line;
pub mod complete;
mod completion;
mod config;
mod config_edit;
mod cordon;
mod cp;
mod create;
mod debug;
mod delete;
mod describe;
#[cfg(test)]
mod diagnostics_golden;
mod diff;
mod discovery;
pub mod docs;
mod drain;
mod drain_pods;
mod dry_run;
mod edit;
pub mod errors;
pub(crate) mod etcd;
mod etcd_flags;
pub(crate) mod etcdctl;
mod events;
mod exec;
mod explain;
mod expose;
mod generators;
mod get;
mod globals;
pub mod help;
mod kustomize;
mod label;
mod logs;
mod logs_streams;
mod manifest;
mod merge;
mod node;
pub mod node_shell;
mod nodes;
mod openapi_probe;
mod output;
mod patch;
pub mod plugin;
mod pod_running_timeout;
mod pod_watch;
mod port_forward;
mod proxy;
mod raw_write;
mod replace;
mod rollout;
mod run;
mod run_attach;
mod run_overrides;
mod scale;
mod scenarios;
/// `kubelite test`'s zygote, entered before anything else runs (see `main`).
pub use scenarios::zygote::serve_if_asked as serve_zygote_if_asked;
mod selected;
mod service_object;
mod set;
mod snapshot;
mod store;
mod taint;
mod taint_spec;
mod targets;
mod top;
pub mod verb_tree;
mod version;
mod wait;
mod watch;

use clap::{Parser, Subcommand};
use errors::CliError;
pub use globals::GlobalFlags;

/// kubelite controls a Kubernetes cluster: its own embedded one, or a remote one.
#[derive(Parser, Debug)]
#[command(
    name = "kubelite",
    about = "kubelite controls the Kubernetes cluster manager: an embedded single-process cluster, or a remote one.",
    disable_help_subcommand = true,
    disable_version_flag = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalFlags,
    /// kube-apiserver's etcd flags, kubelite's own (not in `kubelite options`).
    #[command(flatten)]
    pub etcd: etcd_flags::EtcdFlags,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a resource from a file or from stdin
    Create(create::CreateArgs),
    /// Apply a configuration to a resource by file name or stdin
    Apply(apply::ApplyArgs),
    /// Display one or many resources
    Get(get::GetArgs),
    /// Run a particular image on the cluster
    Run(run::RunArgs),
    /// Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
    Expose(expose::ExposeArgs),
    /// Show details of a specific resource or group of resources
    Describe(describe::DescribeArgs),
    /// Delete resources by file names, stdin, resources and names, or by resources and label selector
    Delete(delete::DeleteArgs),
    /// Update the labels on a resource
    Label(label::LabelArgs),
    /// Update the annotations on a resource
    Annotate(label::LabelArgs),
    /// Update fields of a resource
    Patch(patch::PatchArgs),
    /// Replace a resource by file name or stdin
    Replace(replace::ReplaceArgs),
    /// Edit a resource on the server
    Edit(edit::EditArgs),
    /// Diff the live version against a would-be applied version
    Diff(diff::DiffArgs),
    /// Set a new size for a deployment or replica set
    Scale(scale::ScaleArgs),
    /// Auto-scale a deployment, replica set, stateful set, or replication controller
    Autoscale(autoscale::AutoscaleArgs),
    /// Manage the rollout of a resource
    Rollout(rollout::RolloutArgs),
    /// Experimental: Wait for a specific condition on one or many resources
    Wait(wait::WaitArgs),
    /// Experimental: List events
    Events(events::EventsArgs),
    /// Set specific features on objects
    Set(set::SetArgs),
    /// Print the logs for a container in a pod
    Logs(logs::LogsArgs),
    /// Mark node as unschedulable
    Cordon(cordon::CordonArgs),
    /// Mark node as schedulable
    Uncordon(cordon::CordonArgs),
    /// Drain node in preparation for maintenance
    Drain(drain::DrainArgs),
    /// Update the taints on one or more nodes
    Taint(taint::TaintArgs),
    /// Stop or start a node's kubelet, or open a shell on a node (kubelite's own verb)
    Node(node::NodeArgs),
    /// Open a shell, or run one command, on a node of the embedded cluster (kubelite's own verb)
    Ssh(node_shell::SshArgs),
    /// Execute a command in a container
    Exec(exec::ExecArgs),
    /// etcdctl on the embedded cluster's store (or a real etcd with --endpoints)
    Etcdctl(etcdctl::EtcdctlArgs),
    /// Serve a kubelite store over etcd's v3 gRPC API, as one etcd member (kubelite's own verb)
    Etcd(etcd::EtcdArgs),
    /// Print the client and server version information
    Version(version::VersionArgs),
    /// Modify kubeconfig files
    Config(config::ConfigArgs),
    /// Print the supported API resources on the server
    #[command(name = "api-resources")]
    ApiResources(api_resources::ApiResourcesArgs),
    /// Print the supported API versions on the server, in the form of "group/version"
    #[command(name = "api-versions")]
    ApiVersions(api_versions::ApiVersionsArgs),
    /// Display cluster information
    #[command(name = "cluster-info")]
    ClusterInfo(cluster_info::ClusterInfoArgs),
    /// Display resource (CPU/memory) usage
    Top(top::TopArgs),
    /// Modify certificate resources
    Certificate(certificate::CertificateArgs),
    /// Inspect authorization
    Auth(auth::AuthArgs),
    /// Output shell completion code for the specified shell (bash, zsh, fish, or powershell)
    Completion(completion::CompletionArgs),
    /// Print the list of flags inherited by all commands
    Options(help::OptionsArgs),
    /// Provides utilities for interacting with plugins
    Plugin(plugin::PluginArgs),
    /// Serve the embedded cluster over the Kubernetes HTTP API (HTTPS)
    Serve(crate::server::ServeArgs),
    /// Get documentation for a resource
    Explain(explain::ExplainArgs),
    /// Run a proxy to the Kubernetes API server
    Proxy(proxy::ProxyArgs),
    /// Copy files and directories to and from containers
    Cp(cp::CpArgs),
    /// Attach to a running container
    Attach(attach::AttachArgs),
    /// Forward one or more local ports to a pod
    #[command(name = "port-forward")]
    PortForward(port_forward::PortForwardArgs),
    /// Create debugging sessions for troubleshooting workloads and nodes
    Debug(debug::DebugArgs),
    /// Build a kustomization target from a directory or URL
    Kustomize(kustomize::KustomizeArgs),
    /// Run scenario files (commands and the output they must print) on fresh clusters (kubelite's own verb)
    Test(scenarios::TestArgs),
    /// Save the embedded cluster to a file, or restore one into a new home (kubelite's own verb)
    Snapshot(snapshot::SnapshotArgs),
    /// Copy a cluster between a store file and an etcd (kubelite's own verb)
    Store(store::StoreArgs),
}

/// Where a verb writes: stdout and stderr (the programs' `Io`, which `exec` hands on).
pub use crate::programs::Io;

/// Runs a parsed command line and returns the exit status.
pub fn run(mut cli: Cli, io: &mut Io) -> i32 {
    if let Command::Create(args) = &mut cli.command {
        args.hand_down();
        // `create rolebinding|clusterrolebinding` own `--user` (the binding's subjects), as
        // kubectl's do: it names no kubeconfig user there.
        if args.owns_user_flag() {
            cli.global.user = None;
        }
    }
    // `set subject` owns `--user` too.
    if let Command::Set(args) = &cli.command
        && args.owns_user_flag()
    {
        cli.global.user = None;
    }
    let result = match &cli.command {
        Command::Version(args) if args.client => version::run(None, args, io),
        Command::Etcdctl(args) => Ok(etcdctl::run(&args.words(), None, io)),
        Command::Etcd(args) => Ok(etcd::run(args, io)),
        Command::Completion(args) => completion::run(args, io),
        Command::Options(_) => completion::run_options(io),
        Command::Plugin(args) => plugin::run(args, io),
        Command::Serve(args) => Ok(crate::server::run_cli(args, io.out, io.err)),
        Command::Kustomize(args) => kustomize::run(args, io),
        Command::Test(args) => scenarios::run(args, io),
        Command::Snapshot(_)
        | Command::Ssh(_)
        | Command::Node(node::NodeArgs {
            command: node::NodeCommand::Ssh(_),
        }) if cli.etcd.options().is_ok_and(|o| o.is_some()) => Err(CliError::message(
            "this command works on a cluster kept in KUBELITE_HOME, not on one in etcd \
             (--etcd-servers)",
        )),
        Command::Snapshot(args) => snapshot::run(args, io),
        Command::Store(args) => store::run(args, io),
        Command::Config(args) => config::run(&cli.global, args, io),
        // The shell needs the store closed while it runs: no client is held around it.
        Command::Ssh(args)
        | Command::Node(node::NodeArgs {
            command: node::NodeCommand::Ssh(args),
        }) => node_shell::run(&cli.global, args, io),
        // A client dry run of `run` builds the Pod locally: no cluster is opened or made.
        Command::Run(args) if run::is_offline(args) => {
            run::validate(args).and_then(|()| run::run_offline(&cli.global, args, io))
        }
        // `create <generator> --dry-run=client` builds and prints without any cluster.
        Command::Create(create::CreateArgs {
            generator: Some(g), ..
        }) if g.offline() => {
            generators::validate(g).and_then(|()| generators::run(None, &cli.global, g, io))
        }
        command => match cli.etcd.options() {
            Err(e) => Err(CliError::message(e)),
            Ok(etcd) => on_selected_cluster(&cli.global, etcd.as_ref(), command, io),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if let CliError::Partial { printed, .. } = &e {
                let _ = io.out.write_all(printed.as_bytes());
            }
            e.report(io.err);
            1
        }
    }
}

/// The program reached through a link named `etcdctl`.
pub fn etcdctl_main(args: &[String]) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
    };
    let code = etcdctl::run(args, None, &mut io);
    let _ = io.out.flush();
    code
}

/// Runs a cluster verb on the cluster the kubeconfig rules select (README: "Which cluster a
/// command reaches"), in the namespace they select.
fn on_selected_cluster(
    global: &GlobalFlags,
    etcd: Option<&crate::embedded::EtcdOptions>,
    command: &Command,
    io: &mut Io,
) -> Result<i32, CliError> {
    use crate::kubeconfig::{SelectError, Target};
    let selection = crate::kubeconfig::select(&global.overrides(), &crate::cluster::home())
        .map_err(|e| match e {
            SelectError::Message(m) => CliError::Message(m),
            other => CliError::Raw(other.stderr_text()),
        })?;
    // kubectl's order: the kubeconfig is read (complete), the command line is checked
    // (validate), and only then is a client made and anything requested (run).
    validate(command)?;
    let mut global = global.clone();
    global.context_namespace = Some(selection.namespace);
    // `--etcd-servers` names the cluster: the one kept there, reached directly, whatever
    // the kubeconfig selects (it still gives the namespace).
    if let Some(etcd) = etcd {
        if let Some(why) = server_only(command) {
            return Err(CliError::message(why));
        }
        let home = crate::cluster::home();
        let open = || crate::embedded::open_etcd_for_one_shot(&home, etcd);
        return with_opened(open, io, |client, io| {
            on_embedded(client, &global, command, io)
        });
    }
    match selection.target {
        // While `kubelite serve` holds the store, verbs reach it over HTTPS.
        Target::Embedded { home } => {
            match crate::server::running_as(&home, global.as_user.as_deref(), &global.as_group) {
                Some(remote) => on_remote(&remote, &global, command, io),
                None if server_only(command).is_some() => {
                    Err(CliError::message(server_only(command).unwrap_or_default()))
                }
                // A read of a cluster with nothing to do opens the store read-only and
                // skips both settles (they would do nothing; a writable open and close of
                // the file alone costs five syncs).
                None if only_reads(command)
                    && let Some(client) = crate::embedded::open_settled(&home) =>
                {
                    on_embedded(&client, &global, command, io)
                }
                // `--as`: the local admin acts as that user, and RBAC judges each request.
                None => with_client(&home, io, |client, io| {
                    on_embedded(client, &global, command, io)
                }),
            }
        }
        Target::Remote(config) => {
            let remote = crate::client::Remote::connect(&config).map_err(CliError::message)?;
            on_remote(&remote, &global, command, io)
        }
    }
}

/// Runs a cluster verb on an embedded cluster open in this process, as the local admin or
/// (`--as`) as the user it acts as, whom RBAC judges on each request.
fn on_embedded(
    client: &crate::client::Embedded,
    global: &GlobalFlags,
    command: &Command,
    io: &mut Io,
) -> Result<i32, CliError> {
    let Some(user) = global.as_user.as_deref() else {
        return dispatch(client, Some(client), global, command, io);
    };
    let acting = crate::client::Acting::new(client, user, &global.as_group);
    // exec runs on the embedded cluster itself: judged here first.
    if let Command::Exec(args) = command
        && let Some(pod) = args.pod.as_deref()
    {
        let name = pod
            .strip_prefix("pod/")
            .or_else(|| pod.strip_prefix("pods/"))
            .unwrap_or(pod);
        acting.check_exec(global.namespace(), name)?;
    }
    dispatch(&acting, Some(client), global, command, io)
}

/// A verb's validate step: the checks of its command line that need no cluster, with
/// kubectl's words. Pure; it runs before any client exists.
fn validate(command: &Command) -> Result<(), CliError> {
    match command {
        Command::Create(args) => create::validate(args),
        Command::Apply(args) => apply::validate(args),
        Command::Get(args) if args.kustomize.is_some() => kustomize::validate_get(args),
        Command::Get(args) => get::validate(args),
        Command::Run(args) => run::validate(args),
        Command::Expose(args) => expose::validate(args),
        Command::Delete(args) => delete::validate(args),
        Command::Label(args) => label::validate(args, label::MetaMap::Labels),
        Command::Annotate(args) => label::validate(args, label::MetaMap::Annotations),
        Command::Patch(args) => patch::validate(args),
        Command::Replace(args) => replace::validate(args),
        Command::Edit(args) => edit::validate(args),
        Command::Scale(args) => scale::validate(args),
        Command::Autoscale(args) => autoscale::validate(args),
        Command::Rollout(args) => rollout::validate(args),
        Command::Wait(args) => wait::validate(args),
        Command::Events(args) => events::validate(args),
        Command::Set(args) => set::validate(args),
        Command::Logs(args) => logs::validate(args),
        Command::Exec(args) => exec::validate(args),
        Command::Cordon(args) => cordon::validate(args, cordon::Direction::Cordon),
        Command::Uncordon(args) => cordon::validate(args, cordon::Direction::Uncordon),
        Command::Taint(args) => taint::validate(args),
        Command::Drain(args) => drain::validate(args),
        Command::ApiVersions(args) => api_versions::validate(args),
        Command::Explain(args) => explain::validate(args),
        Command::Top(args) => top::validate(args),
        Command::Auth(args) => auth::validate(args),
        Command::Certificate(args) => certificate::validate(args),
        Command::Proxy(args) => proxy::validate(args),
        Command::Cp(args) => cp::validate(args),
        Command::Attach(args) => attach::validate(args),
        Command::PortForward(args) => port_forward::validate(args),
        _ => Ok(()),
    }
}

/// Runs a cluster verb over HTTP(S).
fn on_remote(
    remote: &crate::client::Remote,
    global: &GlobalFlags,
    command: &Command,
    io: &mut Io,
) -> Result<i32, CliError> {
    if let Command::Exec(args) = command {
        let dashed = command_line::args_os().iter().any(|a| a == "--");
        return exec::run(exec::Runner::Remote(remote), global, args, dashed, io);
    }
    if let Command::Proxy(args) = command {
        return proxy::run(remote, args, io);
    }
    if let Command::Cp(args) = command {
        return cp::run(remote, global, args, io);
    }
    if let Command::Attach(args) = command {
        return attach::run(remote, global, args, io);
    }
    if let Command::PortForward(args) = command {
        return port_forward::run(remote, global, args, io);
    }
    if let Command::Debug(args) = command {
        return debug::run(remote, Some(remote), global, args, io);
    }
    if let Command::Run(args) = command {
        return run::run(remote, Some(remote), global, args, io);
    }
    dispatch(remote, None, global, command, io)
}

/// Whether the verb only reads the cluster and ends at once (no watch or follow), so a
/// cluster whose control plane has nothing to do can serve it from a read-only store.
fn only_reads(command: &Command) -> bool {
    match command {
        Command::Get(args) => !args.watch && !args.watch_only,
        Command::Events(args) => !args.watch,
        Command::Logs(args) => !args.follow,
        Command::Rollout(args) => args.only_reads(),
        Command::Describe(_)
        | Command::ApiResources(_)
        | Command::ApiVersions(_)
        | Command::Explain(_)
        | Command::ClusterInfo(_)
        | Command::Top(_)
        | Command::Version(_) => true,
        _ => false,
    }
}

/// Why a verb cannot run on the one-shot embedded cluster (it needs an API server that
/// stays up, or real containers), if it cannot.
fn server_only(command: &Command) -> Option<&'static str> {
    match command {
        Command::Proxy(_) => Some(proxy::NEEDS_SERVER),
        Command::Cp(_) => Some(cp::SIMULATED),
        Command::Attach(_) => Some(attach::SIMULATED),
        Command::PortForward(_) => Some(port_forward::SIMULATED),
        _ => None,
    }
}

/// Runs a cluster verb with a client. `get -w` and `exec` run the embedded cluster's own
/// control plane and store, so they need it open in this process (`embedded`).
fn dispatch(
    client: &dyn crate::client::Client,
    embedded: Option<&crate::client::Embedded>,
    global: &GlobalFlags,
    command: &Command,
    io: &mut Io,
) -> Result<i32, CliError> {
    let needs_embedded = || {
        embedded.ok_or_else(|| {
            CliError::message(
                "kubelite serve holds the embedded cluster and this command needs it directly: use kubectl with $KUBELITE_HOME/kubeconfig, or stop kubelite serve",
            )
        })
    };
    match command {
        Command::Create(args) => create::run(client, global, args, io),
        Command::Apply(args) => apply::run(client, global, args, io),
        Command::Run(args) => run::run(client, None, global, args, io),
        Command::Expose(args) => expose::run(client, global, args, io),
        Command::Get(args) if args.kustomize.is_some() => kustomize::get(client, global, args, io),
        Command::Get(args) if args.watch || args.watch_only => {
            get::watch(client, embedded, global, args, io)
        }
        Command::Get(args) if args.raw.is_some() => {
            get::raw(client, args.raw.as_deref().unwrap_or(""), io)
        }
        Command::Get(args) => get::list_and_print(client, global, args, io),
        Command::Describe(args) => describe::run(client, global, args, io),
        Command::Delete(args) => delete::run(client, global, args, io),
        Command::ApiResources(args) => api_resources::run(client, global, args, io),
        Command::ApiVersions(_) => api_versions::run(client, global, io),
        Command::ClusterInfo(args) => cluster_info::run(client, global, args, io),
        Command::Top(args) => top::run(client, global, args, io),
        Command::Auth(args) => {
            // The embedded cluster answers for the user it acts as (`--as`), as serve does
            // for impersonation headers.
            if let (Some(e), Some(user)) = (embedded, global.as_user.as_deref()) {
                e.act_as(user, &global.as_group);
            }
            auth::run(client, global, args, io)
        }
        Command::Certificate(args) => certificate::run(client, global, args, io),
        Command::Label(args) => label::run(client, global, args, label::MetaMap::Labels, io),
        Command::Annotate(args) => {
            label::run(client, global, args, label::MetaMap::Annotations, io)
        }
        Command::Patch(args) => patch::run(client, global, args, io),
        Command::Replace(args) => replace::run(client, embedded, global, args, io),
        Command::Edit(args) => edit::run(client, global, args, io),
        Command::Diff(args) => diff::run(client, global, args, io),
        Command::Scale(args) => scale::run(client, global, args, io),
        Command::Autoscale(args) => autoscale::run(client, global, args, io),
        Command::Rollout(args) => rollout::run(client, global, args, io),
        Command::Wait(args) => wait::run(client, global, args, io),
        Command::Events(args) => events::run(client, global, args, io),
        Command::Set(args) => set::run(client, global, args, io),
        Command::Logs(args) => logs::run(client, global, args, io),
        Command::Node(args) => node::run(client, args, io),
        Command::Cordon(args) => cordon::run(client, global, args, cordon::Direction::Cordon, io),
        Command::Uncordon(args) => {
            cordon::run(client, global, args, cordon::Direction::Uncordon, io)
        }
        Command::Taint(args) => taint::run(client, global, args, io),
        Command::Drain(args) => drain::run(client, global, args, io),
        Command::Exec(args) => {
            let dashed = command_line::args_os().iter().any(|a| a == "--");
            exec::run(
                exec::Runner::Embedded(needs_embedded()?),
                global,
                args,
                dashed,
                io,
            )
        }
        Command::Version(args) => version::run(Some(client), args, io),
        Command::Explain(args) => explain::run(client, global, args, io),
        Command::Etcdctl(_)
        | Command::Etcd(_)
        | Command::Ssh(_)
        | Command::Config(_)
        | Command::Completion(_)
        | Command::Options(_)
        | Command::Plugin(_)
        | Command::Serve(_)
        | Command::Test(_)
        | Command::Snapshot(_)
        | Command::Store(_)
        | Command::Kustomize(_) => Ok(0),
        Command::Proxy(_) => Err(CliError::message(proxy::NEEDS_SERVER)),
        Command::Cp(_) => Err(CliError::message(cp::SIMULATED)),
        Command::Attach(_) => Err(CliError::message(attach::SIMULATED)),
        Command::PortForward(_) => Err(CliError::message(port_forward::SIMULATED)),
        Command::Debug(args) => debug::run(client, None, global, args, io),
    }
}

/// Opens the embedded cluster kept in `home` and runs `f` with a client for it.
fn with_client(
    home: &std::path::Path,
    io: &mut Io,
    f: impl FnOnce(&crate::client::Embedded, &mut Io) -> Result<i32, CliError>,
) -> Result<i32, CliError> {
    with_opened(|| crate::embedded::open_home(home), io, f)
}

/// Opens an embedded cluster with `open` and runs `f` with a client for it, settling its
/// control plane before and after.
fn with_opened(
    open: impl FnOnce() -> Result<crate::client::Embedded, String>,
    io: &mut Io,
    f: impl FnOnce(&crate::client::Embedded, &mut Io) -> Result<i32, CliError>,
) -> Result<i32, CliError> {
    let client = open().map_err(|e| {
        // A control plane that is down (its static pod manifests broken) is refused as
        // kubectl reports it, without kubelite's `error: ` prefix.
        if e.starts_with("The connection to the server ") {
            CliError::Api(crate::client::auth::failure::client_side(&e))
        } else {
            CliError::message(e)
        }
    })?;
    // One-shot mode: the control plane catches up with the clock before the verb reads,
    // and reacts to what the verb wrote before the command ends.
    settle_noting(&client, io)?;
    let code = f(&client, io)?;
    settle_noting(&client, io)?;
    Ok(code)
}

/// Settles the embedded cluster, telling the user on stderr what did not go to plan.
pub(crate) fn settle_noting(client: &crate::client::Embedded, io: &mut Io) -> Result<(), CliError> {
    for note in crate::embedded::settle(client).map_err(CliError::message)? {
        let _ = writeln!(io.err, "kubelite: {note}");
    }
    Ok(())
}
