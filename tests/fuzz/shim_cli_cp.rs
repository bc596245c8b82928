//! `cli::cp`'s tar reader and the path arithmetic it relies on, compiled from their files.

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/cp/archive.rs"]
pub mod archive;

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/cp/paths.rs"]
pub mod paths;
