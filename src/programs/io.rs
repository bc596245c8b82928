//! Where a program (or a CLI verb) writes.

use std::io::Write;

/// Where a program writes: stdout and stderr, as writers so tests can capture them.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}
