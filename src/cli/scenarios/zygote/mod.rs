//! Commands of a scenario run as children forked from a zygote (`server`), one per runner
//! worker, instead of as new programs: each is still a process of its own, but skips the
//! start of one (a third of a short command's time).

mod client;
mod server;
mod wire;

pub use client::{Forks, Invocation};
pub use server::serve_if_asked;
