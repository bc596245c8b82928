//! What kubectl computes on the client before it writes an applied object: the
//! last-applied-configuration annotation and the three-way strategic merge patch. apply,
//! edit and diff share them.

pub mod last_applied;
pub mod three_way;
