//! `crate::kubelet` for the source files this target compiles in by path.
pub use kubelite::kubelet::*;
