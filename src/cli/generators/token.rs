//! `create token`: asks the server for a ServiceAccount token (a TokenRequest POSTed to
//! `serviceaccounts/<name>/token`) and prints it, or the TokenRequest with `-o`. kubectl's
//! checks of the flags come first, with its words.

use super::Common;
use crate::cli::errors::{CliError, api_error_text};
use crate::cli::output::{Output, render};
use crate::cli::{GlobalFlags, Io};
use crate::client::Client;
use clap::Args;
use serde_json::{Map, Value, json};

/// The kinds a token may be bound to, sorted as kubectl lists them, with their apiVersion.
const BOUND_KINDS: [(&str, &str); 3] = [("Node", "v1"), ("Pod", "v1"), ("Secret", "v1")];

#[derive(Args, Debug)]
pub struct TokenArgs {
    /// SERVICE_ACCOUNT_NAME
    pub names: Vec<String>,
    /// Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences.
    #[arg(long = "audience")]
    pub audiences: Vec<String>,
    /// Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically.
    #[arg(long, default_value = "0s", allow_hyphen_values = true)]
    pub duration: String,
    /// Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided.
    #[arg(long, default_value = "")]
    pub bound_object_kind: String,
    /// Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind.
    #[arg(long, default_value = "")]
    pub bound_object_name: String,
    /// UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used.
    #[arg(long, default_value = "")]
    pub bound_object_uid: String,
    /// Output format. One of: (json, yaml, name, go-template, jsonpath, jsonpath-as-json).
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// If true, keep the managedFields when printing objects in JSON or YAML format.
    #[arg(long)]
    pub show_managed_fields: bool,
    /// Flags `create` hands down to its generators; `token` takes none of them but -o.
    #[arg(skip = no_common())]
    pub common: Common,
}

fn no_common() -> Common {
    Common {
        dry_run: "none".to_string(),
        output: None,
        templates: crate::cli::output::TemplateArgs {
            template: None,
            allow_missing_template_keys: true,
        },
        field_manager: "kubectl-create".to_string(),
        validate: "strict".to_string(),
        show_managed_fields: false,
        save_config: false,
    }
}

impl TokenArgs {
    /// `-o` given to `token` itself, else to `create` before it.
    fn output_spec(&self) -> Option<&str> {
        self.output.as_deref().or(self.common.output.as_deref())
    }
}

/// kubectl's checks, in its order (the NAME count is checked before, as for every
/// generator).
pub fn validate(a: &TokenArgs) -> Result<(), CliError> {
    let seconds = crate::go::duration::seconds(&a.duration).ok_or_else(|| {
        CliError::Raw(format!(
            "Error: invalid argument {:?} for \"--duration\" flag: time: invalid duration {:?}\nSee 'kubelite create token --help' for usage.\n",
            a.duration, a.duration
        ))
    })?;
    if seconds < 0.0 {
        return Err(CliError::message(
            "--duration must be greater than or equal to 0",
        ));
    }
    if seconds.fract() != 0.0 {
        return Err(CliError::message(
            "--duration cannot be expressed in units less than seconds",
        ));
    }
    if a.audiences.iter().any(String::is_empty) {
        return Err(CliError::message("--audience must not be an empty string"));
    }
    if a.bound_object_kind.is_empty() {
        if !a.bound_object_name.is_empty() {
            return Err(CliError::message(
                "--bound-object-name can only be set if --bound-object-kind is provided",
            ));
        }
        if !a.bound_object_uid.is_empty() {
            return Err(CliError::message(
                "--bound-object-uid can only be set if --bound-object-kind is provided",
            ));
        }
    } else {
        if !BOUND_KINDS.iter().any(|(k, _)| *k == a.bound_object_kind) {
            let kinds: Vec<&str> = BOUND_KINDS.iter().map(|(k, _)| *k).collect();
            return Err(CliError::message(format!(
                "supported --bound-object-kind values are {}",
                kinds.join(", ")
            )));
        }
        if a.bound_object_name.is_empty() {
            return Err(CliError::message(
                "--bound-object-name is required if --bound-object-kind is provided",
            ));
        }
    }
    super::output(&Common {
        output: a.output_spec().map(str::to_string),
        ..no_common()
    })?;
    Ok(())
}

/// The TokenRequest kubectl sends: only what the flags set.
fn request(a: &TokenArgs) -> Value {
    let mut spec = Map::new();
    spec.insert("audiences".into(), json!(a.audiences));
    let seconds = crate::go::duration::seconds(&a.duration).unwrap_or(0.0) as i64;
    if seconds > 0 {
        spec.insert("expirationSeconds".into(), json!(seconds));
    }
    if let Some((kind, version)) = BOUND_KINDS.iter().find(|(k, _)| *k == a.bound_object_kind) {
        let mut bound = json!({"kind": kind, "apiVersion": version, "name": a.bound_object_name});
        if !a.bound_object_uid.is_empty() {
            bound["uid"] = json!(a.bound_object_uid);
        }
        spec.insert("boundObjectRef".into(), bound);
    }
    json!({
        "kind": "TokenRequest",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {},
        "spec": spec,
    })
}

pub fn run(
    client: Option<&dyn Client>,
    global: &GlobalFlags,
    a: &TokenArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    let client = client.ok_or_else(|| CliError::message("create token needs a cluster"))?;
    let name = a.names[0].as_str();
    let answer = client
        .create_token(global.namespace(), name, &request(a))
        .map_err(|e| {
            let text = if e.code == 0 {
                api_error_text(&e)
            } else {
                e.message
            };
            CliError::message(format!("failed to create token: {text}"))
        })?;
    let text = match a.output_spec() {
        None => format!(
            "{}\n",
            answer
                .pointer("/status/token")
                .and_then(Value::as_str)
                .unwrap_or("")
        ),
        Some(spec) => match Output::parse(Some(spec))? {
            Output::Name => format!("tokenrequest.authentication.k8s.io/{name}\n"),
            Output::Json => crate::print::json::to_json_in_order(&answer),
            out => {
                let r = crate::api::registry::find("serviceaccounts")
                    .ok_or_else(|| CliError::message("no resource serviceaccounts"))?;
                render(&out, vec![(answer, r)], true, false, a.show_managed_fields)?
            }
        },
    };
    let _ = io.out.write_all(text.as_bytes());
    let _ = io.out.flush();
    Ok(0)
}
