//! `create|replace|delete --raw URI`: one POST, PUT or DELETE of a path, its body the one
//! file given with `-f` (or stdin, `-`) byte for byte, and the server's reply printed as
//! it came. kubectl's checks of the flags first; nothing is parsed or resolved.

use super::Io;
use super::errors::CliError;
use crate::client::Client;
use std::io::Read;

/// What a `--raw` command line has beside the path.
pub struct RawFlags<'a> {
    pub filenames: &'a [String],
    pub recursive: bool,
    pub output: Option<&'a str>,
    /// `delete --raw` may go without a body; `create` and `replace` need their one file.
    pub file_required: bool,
}

/// kubectl's checks, in its order.
pub fn validate(raw: &str, flags: &RawFlags) -> Result<(), CliError> {
    match flags.filenames {
        [] if flags.file_required => {
            return Err(CliError::message(
                "--raw can only use a single local file or stdin",
            ));
        }
        [] => {}
        [one] => {
            if one.starts_with("http://") || one.starts_with("https://") {
                return Err(CliError::message("--raw cannot read from a url"));
            }
        }
        _ => {
            return Err(CliError::message(
                "--raw can only use a single local file or stdin",
            ));
        }
    }
    if flags.recursive {
        return Err(CliError::message(
            "--raw and --recursive are mutually exclusive",
        ));
    }
    if flags.output.is_some_and(|o| !o.is_empty()) {
        return Err(CliError::message(
            "--raw and --output are mutually exclusive",
        ));
    }
    // Go's url.ParseRequestURI: a path must be absolute (or a whole URL).
    if !raw.starts_with('/') && !raw.contains("://") {
        return Err(CliError::message(format!(
            "--raw must be a valid URL path: parse {}: invalid URI for request",
            crate::go::quote(raw)
        )));
    }
    Ok(())
}

/// Sends the request and prints the reply's bytes.
pub fn run(
    client: &dyn Client,
    method: &str,
    raw: &str,
    filenames: &[String],
    io: &mut Io,
) -> Result<i32, CliError> {
    let body = match filenames.first().map(String::as_str) {
        None => None,
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::message(format!("read /dev/stdin: {e}")))?;
            Some(bytes)
        }
        Some(path) => Some(read_file(path)?),
    };
    let reply = client.send_raw(method, raw, body).unwrap_or_else(|| {
        Err(crate::api::status::ApiError::bad_request(
            "--raw needs an API server: the embedded cluster has no HTTP paths (use kubelite serve)",
        ))
    })?;
    let _ = io.out.write_all(&reply);
    Ok(0)
}

/// The file's bytes, failing as Go's os.Open and the request's read of it fail.
fn read_file(path: &str) -> Result<Vec<u8>, CliError> {
    let p = std::path::Path::new(path);
    if p.is_dir() {
        // kubectl opens the directory and fails reading it while sending.
        return Err(CliError::Raw(format!(
            "Unable to connect to the server: read {path}: is a directory\n"
        )));
    }
    std::fs::read(p).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        CliError::message(format!("open {path}: {why}"))
    })
}
