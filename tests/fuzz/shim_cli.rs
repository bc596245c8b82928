//! `crate::cli` with the manifest reader compiled in: `cli::manifest` is private to the
//! library, and kubectl's `-f` input is outside input, so this target builds the very same
//! file beside a discovery that knows no custom kinds (the static registry decides).
pub use kubelite::cli::*;

#[allow(dead_code, unused_imports)]
#[path = "../../src/cli/manifest.rs"]
pub mod manifest;

/// What `manifest.rs` asks of `cli::discovery`: nothing found, as with no server cache.
pub mod discovery {
    use kubelite::api::registry::Resource;

    pub struct NoKinds;

    impl NoKinds {
        pub fn find_kind(&self, _api_version: &str, _kind: &str) -> Option<&'static Resource> {
            None
        }
    }

    pub fn current(
        _client: &dyn crate::client::Client,
        _global: &crate::cli::GlobalFlags,
    ) -> Option<Result<&'static NoKinds, ()>> {
        None
    }

    pub fn refresh(
        _client: &dyn crate::client::Client,
        _global: &crate::cli::GlobalFlags,
    ) -> Option<&'static NoKinds> {
        None
    }
}

#[allow(dead_code, unused_imports)]
#[path = "shim_cli_cp.rs"]
pub mod cp;

#[allow(dead_code, unused_imports)]
#[path = "shim_cli_explain.rs"]
pub mod explain;

#[allow(dead_code, unused_imports)]
#[path = "shim_cli_edit.rs"]
pub mod edit;
