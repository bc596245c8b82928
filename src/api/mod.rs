//! The object model: resources, selectors, defaulting, validation and API errors, on objects
//! held as JSON values.

pub mod conversion;
pub mod crd_schema;
pub mod cron;
pub mod csr;
pub mod defaults;
pub mod exec;
pub mod flowcontrol;
pub mod ids;
pub mod json;
pub mod limitrange;
pub mod metrics;
pub mod names;
pub mod options;
pub mod pod;
pub mod podsecurity;
pub mod policy_rule;
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

/// Sorts an object's keys at every level, as kubectl's YAML-to-JSON conversion sends them
/// (what the server then walks, and so the order it reports fields in).
pub fn sort_keys_deep(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.sort_keys();
            m.values_mut().for_each(sort_keys_deep);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(sort_keys_deep),
        _ => {}
    }
}
