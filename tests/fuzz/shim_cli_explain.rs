//! `cli::explain`'s renderer and word wrapping, compiled from their files.

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/explain/render.rs"]
pub mod render;

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/explain/wrap.rs"]
pub mod wrap;
