//! `version`: the client's version, and the server's when one is reachable.

use super::Io;
use super::errors::CliError;
use clap::Args;

/// The kubectl version kubelite's CLI corresponds to.
pub const CLIENT_VERSION: &str = "v1.32.2";
const KUSTOMIZE_VERSION: &str = "v5.5.0";

#[derive(Args, Debug)]
pub struct VersionArgs {
    /// If true, shows client version only (no server required).
    #[arg(long)]
    pub client: bool,
    /// One of 'yaml' or 'json'.
    #[arg(short = 'o', long)]
    pub output: Option<String>,
}

/// Prints the versions; the server's when `client` (the selected cluster) is given.
pub fn run(
    client: Option<&dyn crate::client::Client>,
    args: &VersionArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    // An unreachable server still gets the client's part printed first, as in kubectl.
    let (server, failure) = match client.map(|c| c.version()) {
        Some(Ok(v)) => (Some(v), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    match args.output.as_deref() {
        None | Some("") => {
            let mut text = format!(
                "Client Version: {CLIENT_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
            );
            if let Some(s) = &server {
                text.push_str(&format!(
                    "Server Version: {}\n",
                    s["gitVersion"].as_str().unwrap_or("")
                ));
            }
            let _ = io.out.write_all(text.as_bytes());
        }
        Some(o @ ("json" | "yaml")) => {
            let mut v = serde_json::json!({
                "clientVersion": {
                    "major": "1", "minor": "32", "gitVersion": CLIENT_VERSION, "gitCommit": "kubelite",
                    "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.6",
                    "compiler": "gc", "platform": "linux/amd64"
                },
                "kustomizeVersion": KUSTOMIZE_VERSION
            });
            if let Some(s) = server {
                v["serverVersion"] = s;
            }
            let text = if o == "json" {
                // kubectl marshals its version structs: fields in declaration order, two
                // spaces of indent (YAML, by contrast, comes out sorted).
                serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
            } else {
                // kubectl ends its YAML with an empty line.
                crate::print::yaml::to_yaml(&v) + "\n"
            };
            let _ = io.out.write_all(text.as_bytes());
        }
        Some(other) => {
            return Err(CliError::message(format!(
                "--output must be 'yaml' or 'json'; got {other:?}"
            )));
        }
    }
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(0),
    }
}
