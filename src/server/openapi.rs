//! The OpenAPI v3 documents `serve` publishes: the API server's (`apiserver::openapi`).

pub use crate::apiserver::openapi::{group_version, hash};
