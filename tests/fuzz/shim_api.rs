//! `crate::api` for the source files this target compiles in by path: the library's own.
pub use kubelite::api::*;
