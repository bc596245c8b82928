//! `crate::client` for the source files this target compiles in by path.
pub use kubelite::client::*;
