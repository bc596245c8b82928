//! `crate::client` for the source files this target compiles in by path.
pub use kubelite::client::*;

#[allow(dead_code, unused_imports)]
#[path = "../../src/client/spdy_frames.rs"]
pub mod spdy_frames;
