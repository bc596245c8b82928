//! The parts of a user entry kubectl turns into credentials before the first request: the
//! token file read, the legacy auth providers, and the username/password prompt for a TLS
//! server when the entry identifies nobody.

use super::SelectError;
use crate::client::Credentials;
use serde_json::Value;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// `tokenFile` is read once up front (a token given inline wins); a missing file stops the
/// command, in Go's words.
pub fn read_token_file(c: &mut Credentials) -> Result<(), SelectError> {
    if c.token.is_some() {
        return Ok(());
    }
    let Some(path) = c.token_file.clone() else {
        return Ok(());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            c.token = Some(text.trim().to_string());
            Ok(())
        }
        Err(e) => Err(SelectError::Message(super::go_io_error("open", &path, &e))),
    }
}

/// kubectl's built-in auth providers: gcp and azure are gone (with kubectl's pointers to
/// their plugins); oidc's current `id-token` is used as the bearer token (kubelite does not
/// refresh it); anything else is unknown.
pub fn auth_provider(user: &Value, c: &mut Credentials) -> Result<(), SelectError> {
    let Some(provider) = user.get("auth-provider").filter(|p| p.is_object()) else {
        return Ok(());
    };
    let name = provider["name"].as_str().unwrap_or("");
    let config = |k: &str| {
        provider["config"][k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match name {
        "gcp" => Err(SelectError::Message(
            "The gcp auth plugin has been removed.\nPlease use the \"gke-gcloud-auth-plugin\" kubectl/client-go credential plugin instead.\nSee https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke for further details".into(),
        )),
        "azure" => Err(SelectError::Message(
            "The azure auth plugin has been removed.\nPlease use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead.\nSee https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins for further details".into(),
        )),
        "oidc" => {
            if config("idp-issuer-url").is_none() {
                return Err(SelectError::Message("Must provide idp-issuer-url".into()));
            }
            if config("client-id").is_none() {
                return Err(SelectError::Message("Must provide client-id".into()));
            }
            if c.token.is_none() {
                c.token = config("id-token");
            }
            Ok(())
        }
        other => Err(SelectError::Message(format!(
            "no Auth Provider found for name \"{other}\""
        ))),
    }
}

/// Whether the credentials say who the user is (kubectl's test before it prompts).
pub fn identifies_user(c: &Credentials, user: &Value) -> bool {
    c.username.is_some()
        || c.client_cert_pem.is_some()
        || c.token.is_some()
        || c.exec.is_some()
        || user.get("auth-provider").is_some_and(|p| p.is_object())
}

/// kubectl asks for a username and password on stdin/stdout when it talks TLS and the user
/// entry identifies nobody. The password is read from a terminal only, without echo.
pub fn prompt_basic_auth(c: &mut Credentials) -> Result<(), SelectError> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    let _ = write!(out, "Please enter Username: ");
    let _ = out.flush();
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line).unwrap_or(0);
    if read == 0 {
        return Err(SelectError::Message("EOF".into()));
    }
    c.username = Some(line.trim_end_matches(['\n', '\r']).to_string());
    let _ = write!(out, "Please enter Password: ");
    let _ = out.flush();
    if !stdin.is_terminal() {
        return Err(SelectError::Message(
            "error reading input for Password".into(),
        ));
    }
    let password = read_without_echo()
        .ok_or_else(|| SelectError::Message("error reading input for Password".into()))?;
    let _ = writeln!(out);
    c.password = Some(password);
    Ok(())
}

/// One line from the terminal with echo off (`stty`, so no unsafe terminal calls here).
fn read_without_echo() -> Option<String> {
    let tty = Path::new("/dev/tty");
    let stty = |arg: &str| {
        std::fs::File::open(tty).ok().and_then(|t| {
            std::process::Command::new("stty")
                .arg(arg)
                .stdin(t)
                .status()
                .ok()
        })
    };
    stty("-echo")?;
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    stty("echo");
    read.ok().filter(|n| *n > 0)?;
    Some(line.trim_end_matches(['\n', '\r']).to_string())
}
