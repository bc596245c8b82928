//! Architecture tests: the layering DESIGN.md describes, checked on the source files.
//!
//! - `sealed`: only the API server (and the store's own tools) names the store, and the
//!   store names nothing above it.
//! - `loops`: no import loop between the crate's top-level modules.
//!
//! They read `src/` as text (`source`): comments and string literals are blanked, code
//! compiled only for tests (`#[cfg(test)]` items and the modules they declare) is told
//! apart, and `crate::...` / `super::...` paths are resolved to the top-level module
//! they name.

mod loops;
mod sealed;
mod source;
