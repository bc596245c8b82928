//! The exec subresource's failure: a command that did not run at all (as opposed to one that
//! ran and exited non-zero, which is an exit status).

use super::status::ApiError;

/// Why a command did not run at all.
#[derive(Debug)]
pub enum ExecError {
    /// The API refused a read the command needed.
    Api(ApiError),
    /// The simulated container has no such program.
    Unsupported(String),
}
