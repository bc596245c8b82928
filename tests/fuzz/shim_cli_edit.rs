//! `cli::edit`'s reading of the edited file, compiled from its file.

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/edit/text.rs"]
pub mod text;
