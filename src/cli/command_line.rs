//! This process's command line. A command that a `kubelite test` zygote forked runs with
//! the words it was sent, while the process's own arguments stay the zygote's: code that
//! looks at the command line outside the parse asks here.

use std::ffi::OsString;
use std::sync::OnceLock;

static GIVEN: OnceLock<Vec<OsString>> = OnceLock::new();

/// The command line this process runs, in place of its own (once, before the command runs).
pub fn set(args: Vec<OsString>) {
    let _ = GIVEN.set(args);
}

/// The command line's words, the program's name first.
pub fn args_os() -> Vec<OsString> {
    match GIVEN.get() {
        Some(args) => args.clone(),
        None => std::env::args_os().collect(),
    }
}
