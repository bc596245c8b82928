//! The object model: resources, selectors, defaulting, validation and API errors, on objects
//! held as JSON values.

pub mod conversion;
pub mod crd_schema;
pub mod cron;
pub mod csr;
pub mod defaults;
pub mod exec;
pub mod ids;
pub mod limitrange;
pub mod metrics;
pub mod names;
pub mod options;
pub mod pod;
pub mod podsecurity;
pub mod quantity;
pub mod quota;
pub mod registry;
/// Custom resources live beside the built-in ones.
pub use registry::custom;
pub mod reviews;
pub mod selector;
pub mod status;
pub mod validation;

/// Field order (Go struct order) of the objects the API server writes.
pub use defaults::order;
