//! Label selectors (`app=web,tier in (a,b),!canary`) and field selectors
//! (`status.phase!=Running,spec.nodeName=node01`).

mod field;
mod label;

pub use field::{FieldSelector, FieldTerm, field_value, supported_field_labels};
pub use label::{LabelSelector, Operator, Requirement, format_label_selector};

#[cfg(test)]
mod tests;
