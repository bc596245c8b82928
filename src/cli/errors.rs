//! How errors reach the user: in kubectl's words on stderr, exit status 1.

use crate::api::status::ApiError;
use std::io::Write;

#[derive(Debug)]
pub enum CliError {
    /// `error: <message>`
    Message(String),
    /// An API error, printed as kubectl prints it.
    Api(ApiError),
    /// Text printed exactly as it is (kubectl's multi-line usage errors).
    Raw(String),
    /// Output that was made before the error, for stdout, then the error.
    Partial { printed: String, message: String },
}

impl CliError {
    pub fn message(m: impl Into<String>) -> Self {
        CliError::Message(m.into())
    }

    /// The outcome of a verb that went on past failures: none is success, one is that error,
    /// several are listed one a line without kubectl's `error: ` prefix (its aggregate).
    pub fn from_many(mut errors: Vec<CliError>) -> Result<i32, CliError> {
        match errors.len() {
            0 => Ok(0),
            1 => Err(errors.remove(0)),
            _ => {
                let mut text = String::new();
                for e in errors {
                    match e {
                        CliError::Message(m) => text.push_str(&format!("{m}\n")),
                        CliError::Api(api) => text.push_str(&format!("{}\n", api_error_text(&api))),
                        CliError::Raw(t) | CliError::Partial { message: t, .. } => {
                            text.push_str(&t);
                        }
                    }
                }
                Err(CliError::Raw(text))
            }
        }
    }

    pub fn report(&self, err: &mut dyn Write) {
        let text = match self {
            CliError::Message(m) => crate::print::jsonpath::stderr_text(m),
            CliError::Api(e) => format!("{}\n", api_error_text(e)),
            CliError::Raw(t) => t.clone(),
            CliError::Partial { message, .. } => crate::print::jsonpath::stderr_text(message),
        };
        let _ = err.write_all(text.as_bytes());
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        CliError::Api(e)
    }
}

/// kubectl's rendering of an API error. Failures before a server answered are kubectl's
/// own lines (`The connection to the server ... was refused ...`, `Unable to connect to the
/// server: ...`); 401 is `error: You must be logged in to the server (message)`; invalid
/// objects are described from the Status' causes (`The Pod "x" is invalid: ...`);
/// everything else is `Error from server (Reason): message`.
pub fn api_error_text(e: &ApiError) -> String {
    if let Some(text) = transport_or_login_text(e) {
        return text;
    }
    if e.reason == "Invalid"
        && let Some(text) = invalid_text(e)
    {
        return text;
    }
    e.to_string()
}

/// Like `api_error_text`, with kubectl's ` error when creating "FILE":` inserted for
/// errors about one document of a file.
pub fn api_error_in_file(e: &ApiError, verb: &str, source: &str) -> String {
    if let Some(text) = transport_or_login_text(e) {
        return text;
    }
    if e.reason == "Invalid"
        && let Some(text) = invalid_text(e)
    {
        return text;
    }
    let prefix = if e.reason.is_empty() {
        "Error from server".to_string()
    } else {
        format!("Error from server ({})", e.reason)
    };
    format!("{prefix}: error when {verb} \"{source}\": {}", e.message)
}

/// kubectl describes an invalid object from the Status' causes, not its message.
fn invalid_text(e: &ApiError) -> Option<String> {
    e.details.as_ref()?.get("causes")?;
    let text = crate::api::validation::kubectl_invalid_message(&e.to_status());
    // Only the line end added here: a cause's own (kube's ephemeral container messages
    // end in one) is printed, as kubectl prints it.
    Some(text.strip_suffix('\n').unwrap_or(&text).to_string())
}

/// The lines kubectl prints for requests that never reached an API handler: transport
/// failures as they are, and 401 with kubectl's login hint.
fn transport_or_login_text(e: &ApiError) -> Option<String> {
    if crate::client::auth::failure::is_client_side(e) {
        return Some(e.message.clone());
    }
    if e.code == 401 {
        let message = if e.message.is_empty() {
            "the server has asked for the client to provide credentials"
        } else {
            e.message.as_str()
        };
        return Some(format!(
            "error: You must be logged in to the server ({message})"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::auth::failure;

    #[test]
    fn transport_and_login_failures_are_kubectls_lines() {
        let refused = failure::client_side(
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?",
        );
        assert_eq!(api_error_text(&refused), refused.message);
        let mut out = Vec::new();
        CliError::Api(refused.clone()).report(&mut out);
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("{}\n", refused.message)
        );
        let unauthorized = ApiError::new(401, "Unauthorized", "Unauthorized");
        assert_eq!(
            api_error_in_file(&unauthorized, "creating", "pod.yaml"),
            "error: You must be logged in to the server (Unauthorized)"
        );
        let forbidden = ApiError::new(
            403,
            "Forbidden",
            "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"",
        );
        assert_eq!(
            api_error_text(&forbidden),
            "Error from server (Forbidden): pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\""
        );
    }
}
