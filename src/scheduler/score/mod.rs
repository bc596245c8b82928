//! Score plugins: each rates, 0 to 100, a node that passed every filter.

pub mod balanced_allocation;
pub mod least_allocated;

/// The best score a plugin gives.
pub const MAX_NODE_SCORE: i64 = 100;
