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

/// kubectl's rendering of an API error. Invalid objects are described from the Status'
/// causes (`The Pod "x" is invalid: spec.containers: Required value`); everything else is
/// `Error from server (Reason): message`.
pub fn api_error_text(e: &ApiError) -> String {
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
    Some(text.trim_end_matches('\n').to_string())
}
