//! `create <generator>`: kubectl's generators (deployment, service, configmap, secret,
//! namespace, serviceaccount, quota, job, cronjob, role, clusterrole, rolebinding,
//! clusterrolebinding, priorityclass, poddisruptionbudget, ingress) build one object from
//! flags and create it; `token` asks for a ServiceAccount token instead.
//! `--dry-run=client` needs no cluster, so it runs before one is selected (roles excepted:
//! their resources are looked up on the server, as kubectl looks them up).

mod binding;
mod docker_secret;
pub(crate) mod go_order;
mod hash;
mod ingress;
mod job;
mod objects;
mod pdb;
mod priority;
mod quota;
mod refused;
mod role;
mod service;
mod sources;
mod tls_secret;
mod token;

use super::dry_run::DryRun;
use super::errors::{CliError, api_error_text};
use super::output::{Output, render};
use super::{GlobalFlags, Io};
use crate::api::options::WriteOptions;
use crate::api::registry::{self, Resource};
use crate::client::Client;
use crate::print::name::name_line;
use binding::{ClusterRoleBindingArgs, RoleBindingArgs};
use clap::{Args, Subcommand};
use docker_secret::DockerRegistryArgs;
use ingress::IngressArgs;
use job::{CronJobArgs, JobArgs};
use pdb::PdbArgs;
use priority::PriorityClassArgs;
use quota::QuotaArgs;
use role::{ClusterRoleArgs, RoleArgs};
use serde_json::Value;
use service::ServiceArgs;
use tls_secret::TlsArgs;

/// kubectl's generators, in the order `create --help` lists them.
#[derive(Subcommand, Debug)]
pub enum Generator {
    /// Create a cluster role
    #[command(name = "clusterrole")]
    ClusterRole(ClusterRoleArgs),
    /// Create a cluster role binding for a particular cluster role
    #[command(name = "clusterrolebinding")]
    ClusterRoleBinding(ClusterRoleBindingArgs),
    /// Create a config map from a local file, directory or literal value
    #[command(name = "configmap", alias = "cm")]
    ConfigMap(DataArgs),
    /// Create a cron job with the specified name
    #[command(name = "cronjob", alias = "cj")]
    CronJob(CronJobArgs),
    /// Create a deployment with the specified name
    #[command(alias = "deploy")]
    Deployment(DeploymentArgs),
    /// Create an ingress with the specified name
    #[command(alias = "ing")]
    Ingress(IngressArgs),
    /// Create a job with the specified name
    Job(JobArgs),
    /// Create a namespace with the specified name
    #[command(alias = "ns")]
    Namespace(NameArgs),
    /// Create a pod disruption budget with the specified name
    #[command(name = "poddisruptionbudget", alias = "pdb")]
    PodDisruptionBudget(PdbArgs),
    /// Create a priority class with the specified name
    #[command(name = "priorityclass", alias = "pc")]
    PriorityClass(PriorityClassArgs),
    /// Create a quota with the specified name
    #[command(alias = "resourcequota")]
    Quota(QuotaArgs),
    /// Create a role with single rule
    Role(RoleArgs),
    /// Create a role binding for a particular role or cluster role
    #[command(name = "rolebinding")]
    RoleBinding(RoleBindingArgs),
    /// Create a secret using a specified subcommand
    Secret(SecretArgs),
    /// Create a service using a specified subcommand
    #[command(alias = "svc")]
    Service(ServiceArgs),
    /// Create a service account with the specified name
    #[command(name = "serviceaccount", alias = "sa")]
    ServiceAccount(NameArgs),
    /// Request a service account token
    Token(token::TokenArgs),
}

/// The flags every generator shares.
#[derive(Args, Debug)]
pub struct Common {
    /// Must be "none", "server", or "client".
    // A bare --dry-run is kubectl's deprecated "unchanged": client, with a warning.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "unchanged", default_value = "none")]
    pub dry_run: String,
    /// Output format: json, yaml, name, jsonpath=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub templates: super::output::TemplateArgs,
    /// Field manager the created fields are recorded under.
    #[arg(long, default_value = "kubectl-create")]
    pub field_manager: String,
    /// Schema validation: strict, warn, ignore (kubelite validates on the server).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "strict", default_value = "strict")]
    pub validate: String,
    /// Print metadata.managedFields too (left out of -o json|yaml by default).
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Record the object in its last-applied-configuration annotation, for a later apply.
    #[arg(long)]
    pub save_config: bool,
}

#[derive(Args, Debug)]
pub struct NameArgs {
    /// NAME
    pub names: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct DeploymentArgs {
    /// NAME
    pub names: Vec<String>,
    /// Image of a container; repeat (or separate with commas) for one container per image.
    #[arg(long = "image")]
    pub images: Vec<String>,
    /// How many pods the deployment keeps running.
    #[arg(short = 'r', long, default_value_t = 1, allow_negative_numbers = true)]
    pub replicas: i32,
    /// Port the first container listens on (none when negative).
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub port: i32,
    /// The command the first container runs (after `--`).
    #[arg(last = true)]
    pub command: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct DataArgs {
    /// NAME
    pub names: Vec<String>,
    /// A file ([key=]path; the key defaults to the file name), or a directory: one key per file in it.
    #[arg(long = "from-file")]
    pub files: Vec<String>,
    /// A key and its value, as key=value.
    #[arg(long = "from-literal")]
    pub literals: Vec<String>,
    /// A file of KEY=value lines, one key each (# starts a comment).
    #[arg(long = "from-env-file")]
    pub env_files: Vec<String>,
    /// Append a hash of the content to the name.
    #[arg(long)]
    pub append_hash: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct SecretArgs {
    #[command(subcommand)]
    pub kind: SecretKind,
}

#[derive(Subcommand, Debug)]
pub enum SecretKind {
    /// Create a secret for use with a Docker registry
    #[command(name = "docker-registry")]
    DockerRegistry(DockerRegistryArgs),
    /// Create a secret from a local file, directory, or literal value
    Generic(GenericSecretArgs),
    /// Create a TLS secret
    Tls(TlsArgs),
}

#[derive(Args, Debug)]
pub struct GenericSecretArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The secret's type (Opaque when not given).
    #[arg(long = "type", default_value = "")]
    pub secret_type: String,
}

impl Generator {
    /// The command's name in kubectl's usage hints, its NAME arguments and shared flags.
    fn parts(&self) -> (&'static str, &[String], &Common) {
        match self {
            Generator::Deployment(a) => ("deployment", &a.names, &a.common),
            Generator::ConfigMap(a) => ("configmap", &a.names, &a.common),
            Generator::Secret(SecretArgs {
                kind: SecretKind::Generic(a),
            }) => ("secret generic", &a.data.names, &a.data.common),
            Generator::Secret(SecretArgs {
                kind: SecretKind::DockerRegistry(a),
            }) => ("secret docker-registry", &a.names, &a.common),
            Generator::Secret(SecretArgs {
                kind: SecretKind::Tls(a),
            }) => ("secret tls", &a.names, &a.common),
            Generator::Namespace(a) => ("namespace", &a.names, &a.common),
            Generator::ServiceAccount(a) => ("serviceaccount", &a.names, &a.common),
            Generator::Quota(a) => ("quota", &a.names, &a.common),
            Generator::Job(a) => ("job", &a.names, &a.common),
            Generator::CronJob(a) => ("cronjob", &a.names, &a.common),
            Generator::Role(a) => ("role", &a.names, &a.common),
            Generator::PriorityClass(a) => ("priorityclass", &a.names, &a.common),
            Generator::Ingress(a) => ("ingress", &a.names, &a.common),
            Generator::PodDisruptionBudget(a) => ("poddisruptionbudget", &a.names, &a.common),
            Generator::ClusterRole(a) => ("clusterrole", &a.role.names, &a.role.common),
            Generator::RoleBinding(a) => ("rolebinding", &a.names, &a.common),
            Generator::ClusterRoleBinding(a) => ("clusterrolebinding", &a.names, &a.common),
            Generator::Token(a) => ("token", &a.names, &a.common),
            Generator::Service(ServiceArgs { kind }) => {
                let b = kind.base();
                (kind.command_name(), &b.names, &b.common)
            }
        }
    }

    /// The command's path below `create`, as kubectl's hints name it.
    pub fn command_name(&self) -> &'static str {
        self.parts().0
    }

    /// `--append-hash`, on the generators that have it.
    fn append_hash(&self) -> bool {
        match self {
            Generator::ConfigMap(a) => a.append_hash,
            Generator::Secret(SecretArgs { kind }) => match kind {
                SecretKind::Generic(a) => a.data.append_hash,
                SecretKind::DockerRegistry(a) => a.append_hash,
                SecretKind::Tls(a) => a.append_hash,
            },
            _ => false,
        }
    }

    /// The shared flags, for `create`'s own to be handed down to.
    pub fn common_mut(&mut self) -> &mut Common {
        match self {
            Generator::Deployment(a) => &mut a.common,
            Generator::ConfigMap(a) => &mut a.common,
            Generator::Secret(SecretArgs {
                kind: SecretKind::Generic(a),
            }) => &mut a.data.common,
            Generator::Secret(SecretArgs {
                kind: SecretKind::DockerRegistry(a),
            }) => &mut a.common,
            Generator::Secret(SecretArgs {
                kind: SecretKind::Tls(a),
            }) => &mut a.common,
            Generator::Namespace(a) | Generator::ServiceAccount(a) => &mut a.common,
            Generator::Quota(a) => &mut a.common,
            Generator::Job(a) => &mut a.common,
            Generator::CronJob(a) => &mut a.common,
            Generator::Role(a) => &mut a.common,
            Generator::PriorityClass(a) => &mut a.common,
            Generator::Ingress(a) => &mut a.common,
            Generator::PodDisruptionBudget(a) => &mut a.common,
            Generator::ClusterRole(a) => &mut a.role.common,
            Generator::RoleBinding(a) => &mut a.common,
            Generator::ClusterRoleBinding(a) => &mut a.common,
            Generator::Token(a) => &mut a.common,
            Generator::Service(ServiceArgs { kind }) => &mut kind.base_mut().common,
        }
    }

    /// `--dry-run=client`: the object is only built and printed, with no cluster.
    pub fn offline(&self) -> bool {
        // A role's resources are looked up on the server, as kubectl's mapper does; a job
        // made from a cron job reads the cron job.
        !matches!(self, Generator::Role(_) | Generator::ClusterRole(_))
            && !matches!(self, Generator::Job(a) if !a.from.is_empty())
            && DryRun::is_client(&self.parts().2.dry_run)
    }
}

fn output(common: &Common) -> Result<Option<Output>, CliError> {
    super::selected::object_output(common.output.as_deref(), &common.templates.flags())
}

/// kubectl's checks of a generator's command line, in its order: required flags, then the
/// NAME, then the flag combinations.
pub fn validate(g: &Generator) -> Result<(), CliError> {
    let (command, names, common) = g.parts();
    match g {
        Generator::Deployment(a) if a.images.is_empty() => {
            return Err(super::arg_rules::missing_required_flag("image"));
        }
        Generator::Service(ServiceArgs { kind }) => {
            if let Some(missing) = kind.missing_flag() {
                return Err(super::arg_rules::missing_required_flag(missing));
            }
        }
        // A malformed --aggregation-rule is a flag error, before anything else.
        Generator::ClusterRole(a) => {
            a.aggregation()?;
        }
        Generator::CronJob(a) => {
            if let Some(missing) = a.missing_flags() {
                return Err(super::arg_rules::missing_required_flag(missing));
            }
        }
        Generator::ClusterRoleBinding(a) if a.clusterrole.is_none() => {
            return Err(super::arg_rules::missing_required_flag("clusterrole"));
        }
        _ => {}
    }
    if names.len() != 1 {
        return Err(CliError::Raw(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubelite create {command} -h' for help and examples\n",
            names.len()
        )));
    }
    DryRun::parse(&common.dry_run)?;
    output(common)?;
    crate::api::options::check_validate_flag(&common.validate).map_err(CliError::message)?;
    match g {
        Generator::Deployment(a) if string_slice(&a.images).len() > 1 && !a.command.is_empty() => {
            Err(CliError::message(
                "cannot specify multiple --image options and command",
            ))
        }
        Generator::ConfigMap(a)
        | Generator::Secret(SecretArgs {
            kind: SecretKind::Generic(GenericSecretArgs { data: a, .. }),
        }) => sources::validate(&data_sources(a)).map_err(CliError::message),
        Generator::Secret(SecretArgs {
            kind: SecretKind::DockerRegistry(a),
        }) => a.check().map_err(CliError::message),
        Generator::Secret(SecretArgs {
            kind: SecretKind::Tls(a),
        }) => a.check().map_err(CliError::message),
        Generator::Service(ServiceArgs { kind }) => kind.check_ports().map_err(CliError::message),
        Generator::Job(a) => a.check().map_err(CliError::message),
        Generator::Ingress(a) => a.check().map_err(CliError::message),
        Generator::PodDisruptionBudget(a) => a.check().map_err(CliError::message),
        Generator::Token(a) => token::validate(a),
        Generator::Role(a) => a.check(),
        Generator::ClusterRole(a) => a.check(),
        Generator::RoleBinding(a) => a.check().map_err(CliError::message),
        _ => Ok(()),
    }
}

fn data_sources(a: &DataArgs) -> sources::Sources<'_> {
    sources::Sources {
        files: &a.files,
        literals: &a.literals,
        env_files: &a.env_files,
    }
}

/// Builds the object the generator describes, and the resource it belongs to.
fn build(g: &Generator, namespace: Option<&str>) -> Result<(Value, &'static Resource), String> {
    let (_, names, _) = g.parts();
    let name = names[0].as_str();
    let (object, plural) = match g {
        // A token is asked for, not built (`token::run`).
        Generator::Token(_) => return Err("create token builds no object".to_string()),
        Generator::Deployment(a) => {
            let images = string_slice(&a.images);
            let spec = objects::DeploymentSpec {
                name,
                namespace,
                images: &images,
                replicas: a.replicas,
                port: i64::from(a.port),
                command: &a.command,
            };
            (
                objects::deployment(&spec, &container_names(&images)),
                "deployments",
            )
        }
        Generator::ConfigMap(a) => {
            let data = sources::read(&data_sources(a), sources::Target::ConfigMap, name)?;
            (objects::config_map(name, namespace, &data), "configmaps")
        }
        Generator::Secret(SecretArgs {
            kind: SecretKind::Generic(s),
        }) => {
            let data = sources::read(&data_sources(&s.data), sources::Target::Secret, name)?;
            (
                objects::secret(name, namespace, &data, &s.secret_type),
                "secrets",
            )
        }
        Generator::Secret(SecretArgs {
            kind: SecretKind::DockerRegistry(a),
        }) => (a.build(name, namespace)?, "secrets"),
        Generator::Secret(SecretArgs {
            kind: SecretKind::Tls(a),
        }) => (a.build(name, namespace)?, "secrets"),
        Generator::Namespace(_) => (objects::namespace(name), "namespaces"),
        Generator::ServiceAccount(_) => {
            (objects::service_account(name, namespace), "serviceaccounts")
        }
        Generator::Service(ServiceArgs { kind }) => (kind.build(name, namespace)?, "services"),
        Generator::Quota(a) => (quota::build(a, name, namespace)?, "resourcequotas"),
        Generator::Job(a) => (job::build(a, name, namespace), "jobs"),
        Generator::CronJob(a) => (job::build_cron(a, name, namespace), "cronjobs"),
        Generator::Role(_) | Generator::ClusterRole(_) => {
            return Err("a role is built from the server's resources".into());
        }
        Generator::PriorityClass(a) => (priority::build(a, name), "priorityclasses"),
        Generator::Ingress(a) => (
            ingress::build(a, name, namespace)?,
            "ingresses.networking.k8s.io",
        ),
        Generator::PodDisruptionBudget(a) => {
            (pdb::build(a, name, namespace)?, "poddisruptionbudgets")
        }
        Generator::RoleBinding(a) => (
            binding::build(a, name, namespace)?,
            "rolebindings.rbac.authorization.k8s.io",
        ),
        Generator::ClusterRoleBinding(a) => (
            binding::build_cluster(a, name)?,
            "clusterrolebindings.rbac.authorization.k8s.io",
        ),
    };
    let mut object = object;
    if g.append_hash() {
        hash::append(&mut object);
    }
    let resource = registry::find(plural).ok_or_else(|| format!("no resource {plural}"))?;
    Ok((object, resource))
}

/// A list flag's values as pflag's string slices read them: each occurrence split at
/// commas, an empty occurrence giving nothing.
pub(super) fn string_slice(occurrences: &[String]) -> Vec<String> {
    occurrences
        .iter()
        .filter(|o| !o.is_empty())
        .flat_map(|o| o.split(',').map(str::to_string))
        .collect()
}

/// Container names from images; a name that needed `_` replaced gets kubectl's random
/// suffix (repeated names are left as they are, as kubectl leaves them).
fn container_names(images: &[String]) -> Vec<String> {
    images
        .iter()
        .map(|image| {
            let n = objects::container_name(image);
            if objects::needed_sanitizing(image) {
                format!("{n}-{}", random_suffix())
            } else {
                n
            }
        })
        .collect()
}

/// Five characters from kubectl's suffix alphabet (no vowels, no look-alikes).
fn random_suffix() -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (0..5)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            char::from(ALPHABET[((seed >> 33) % ALPHABET.len() as u128) as usize])
        })
        .collect()
}

/// The error kubectl wraps a failed create in, per generator. Wrapped, a server's error is
/// its bare message (Go's `%v` of it); a failure before any answer keeps kubectl's words.
fn create_failure(
    g: &Generator,
    e: &crate::api::status::ApiError,
    refused: Option<String>,
) -> CliError {
    let text = match refused {
        Some(words) => words,
        None if e.code == 0 => api_error_text(e),
        None => e.message.clone(),
    };
    match g {
        // Namespaces' failures are not wrapped: a refusal reads as kubectl's own line.
        Generator::Namespace(_) => CliError::Api(e.clone()),
        Generator::Service(ServiceArgs { kind }) => CliError::message(format!(
            "failed to create {} service: {text}",
            kind.type_name()
        )),
        Generator::Deployment(_) => {
            CliError::message(format!("failed to create deployment: {text}"))
        }
        Generator::ConfigMap(_) => CliError::message(format!("failed to create configmap: {text}")),
        Generator::Secret(_) => CliError::message(format!("failed to create secret {text}")),
        Generator::ServiceAccount(_) => {
            CliError::message(format!("failed to create serviceaccount: {text}"))
        }
        Generator::Quota(_) => CliError::message(format!("failed to create quota: {text}")),
        Generator::Job(_) => CliError::message(format!("failed to create job: {text}")),
        Generator::CronJob(_) => CliError::message(format!("failed to create cronjob: {text}")),
        // A role's failure is not wrapped: the server's error as kubectl prints any.
        Generator::Role(_) | Generator::ClusterRole(_) => CliError::Api(e.clone()),
        Generator::PriorityClass(_) => {
            CliError::message(format!("failed to create priorityclass: {text}"))
        }
        Generator::Ingress(_) => CliError::message(format!("failed to create ingress: {text}")),
        Generator::PodDisruptionBudget(_) => {
            CliError::message(format!("failed to create poddisruptionbudgets: {text}"))
        }
        Generator::RoleBinding(_) => {
            CliError::message(format!("failed to create rolebinding: {text}"))
        }
        Generator::ClusterRoleBinding(_) => {
            CliError::message(format!("failed to create clusterrolebinding: {text}"))
        }
        Generator::Token(_) => CliError::message(format!("failed to create token: {text}")),
    }
}

/// `--save-config`: the object as built, in Go's compact encoding with its newline, in the
/// annotation `apply` reads, beside any the generator set (`annotations` is the last of the
/// metadata fields they fill).
pub(in crate::cli) fn save_config(object: &mut Value) {
    let text = crate::print::json::to_json_compact_in_order(object) + "\n";
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        // An ingress has annotations of its own: the record joins them, keys sorted as Go
        // sorts a map's.
        let mut all: std::collections::BTreeMap<String, Value> = meta
            .get("annotations")
            .and_then(Value::as_object)
            .map(|m| m.clone().into_iter().collect())
            .unwrap_or_default();
        all.insert(
            "kubectl.kubernetes.io/last-applied-configuration".into(),
            Value::String(text),
        );
        meta.insert("annotations".into(), serde_json::json!(all));
    }
}

fn without_managed_fields(mut object: Value) -> Value {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    object
}

/// The resources the cluster serves, in its priority order: its discovery, or the embedded
/// cluster's own list.
fn served_resources(
    client: Option<&dyn Client>,
    global: &GlobalFlags,
) -> Result<Vec<&'static Resource>, CliError> {
    let Some(client) = client else {
        return Ok(role::embedded_resources());
    };
    match super::discovery::current(client, global) {
        None => Ok(role::embedded_resources()),
        Some(d) => Ok(d?.entries.iter().map(|e| e.resource).collect()),
    }
}

/// Runs a validated generator. `client` is `None` for `--dry-run=client`, which never
/// needs a cluster.
pub fn run(
    client: Option<&dyn Client>,
    global: &GlobalFlags,
    g: &Generator,
    io: &mut Io,
) -> Result<i32, CliError> {
    if let Generator::Token(a) = g {
        return token::run(client, global, a, io);
    }
    let (_, _, common) = g.parts();
    let dry_run = DryRun::parse_and_warn(&common.dry_run, &mut *io.err)?;
    let output = output(common)?;
    // kubectl puts the namespace into the object only when `-n` names it.
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let (mut object, resource) = match g {
        Generator::Role(a) => {
            let _ = io.err.write_all(a.warnings().as_bytes());
            let served = served_resources(client, global)?;
            let name = a.names[0].as_str();
            (
                role::build(a, &served, name, explicit_ns)?,
                rbac_resource("roles")?,
            )
        }
        Generator::ClusterRole(a) => {
            let _ = io.err.write_all(a.warnings().as_bytes());
            let served = served_resources(client, global)?;
            let name = a.role.names[0].as_str();
            (
                role::build_cluster(a, &served, name)?,
                rbac_resource("clusterroles")?,
            )
        }
        Generator::Job(a) if !a.from.is_empty() => {
            let client = client.ok_or_else(|| CliError::message("--from needs a cluster"))?;
            let name = a.names[0].as_str();
            (
                job::from_cron_job(client, a, name, global.namespace(), explicit_ns)?,
                registry::find("jobs").ok_or_else(|| CliError::message("no resource jobs"))?,
            )
        }
        _ => build(g, explicit_ns).map_err(CliError::message)?,
    };
    // kubectl's `create service` takes --save-config but never records the annotation.
    if common.save_config && !matches!(g, Generator::Service(_)) {
        save_config(&mut object);
    }
    let object = match (dry_run, client) {
        (DryRun::Client, _) | (_, None) => object,
        (_, Some(client)) => {
            let opts = WriteOptions {
                dry_run: dry_run == DryRun::Server,
                field_manager: Some(common.field_manager.clone()),
                field_validation: crate::api::options::field_validation(&common.validate),
                ..Default::default()
            };
            let namespace = resource.namespaced.then(|| global.namespace().to_string());
            match client.create_as_built(resource, namespace.as_deref(), object, &opts, false) {
                Ok(created) => created,
                Err(e) => {
                    let refused = refused::words(client, resource, namespace.as_deref(), &opts, &e);
                    return Err(create_failure(g, &e, refused));
                }
            }
        }
    };
    let text = match output {
        // The object kubectl built keeps its Go field order in JSON.
        Some(Output::Json) if dry_run == DryRun::Client => {
            crate::print::json::to_json_in_order(&object)
        }
        // kubectl prints the server's answer through its Go types, in their field order.
        Some(Output::Json) => {
            let shown = if common.show_managed_fields {
                object
            } else {
                without_managed_fields(object)
            };
            crate::print::json::to_json_in_order(&go_order::typed(&shown))
        }
        Some(o) => render(
            &o,
            vec![(object, resource)],
            true,
            false,
            common.show_managed_fields,
        )?,
        None => {
            let n = object
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            let suffix = dry_run.suffix();
            format!(
                "{} created{suffix}\n",
                name_line(resource.singular, resource.group, n)
            )
        }
    };
    let _ = io.out.write_all(text.as_bytes());
    let _ = io.out.flush();
    Ok(0)
}

/// A served rbac.authorization.k8s.io resource, by plural.
fn rbac_resource(plural: &str) -> Result<&'static Resource, CliError> {
    registry::find(&format!("{plural}.rbac.authorization.k8s.io"))
        .ok_or_else(|| CliError::message(format!("no resource {plural}")))
}
