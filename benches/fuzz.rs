//! The long fuzz run: `cargo bench --bench fuzz [-- --cases N --surface NAME --jobs N]`,
//! 1,000,000 cases per surface by default (serve-http: 20,000). The harness is the short
//! run's, in tests/fuzz/.

#[path = "../tests/fuzz/engine.rs"]
mod engine;
#[path = "../tests/fuzz/fake_etcd.rs"]
mod fake_etcd;
#[path = "../tests/fuzz/runner.rs"]
mod runner;
#[path = "../tests/fuzz/serve.rs"]
mod serve;
#[path = "../tests/fuzz/surfaces.rs"]
mod surfaces;
#[path = "../tests/fuzz/surfaces_verbs.rs"]
mod surfaces_verbs;

#[path = "../tests/fuzz/shim_api.rs"]
mod api;
#[path = "../tests/fuzz/shim_cli.rs"]
mod cli;
#[path = "../tests/fuzz/shim_client.rs"]
mod client;
#[path = "../tests/fuzz/shim_kubelet.rs"]
mod kubelet;
#[path = "../tests/fuzz/shim_server.rs"]
mod server;

fn main() -> std::process::ExitCode {
    runner::main(runner::Defaults {
        cases: 1_000_000,
        serve_cases: 20_000,
        jobs: 1,
        self_test: false,
    })
}
