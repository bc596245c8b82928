//! The short fuzz run inside `cargo test` (harness = false: this file's `main` runs it).
//! Every surface that parses outside input gets a few thousand cases, `serve-http` a few
//! hundred; `cargo bench --bench fuzz` is the long run over the same harness.
//! Options: `cargo test --test fuzz -- --cases N --surface NAME --seed N --jobs N`.

mod engine;
mod fake_etcd;
mod runner;
mod serve;
mod surfaces;
mod surfaces_verbs;

// The source files compiled in by path (modules the library keeps private) name these.
#[path = "shim_api.rs"]
mod api;
#[path = "shim_cli.rs"]
mod cli;
#[path = "shim_client.rs"]
mod client;
#[path = "shim_kubelet.rs"]
mod kubelet;
#[path = "shim_server.rs"]
mod server;

fn main() -> std::process::ExitCode {
    runner::main(runner::Defaults {
        cases: 3_000,
        serve_cases: 300,
        jobs: 2,
        self_test: true,
    })
}
