//! The store's tests: etcd v3 semantics on redb, one test binary.

mod common;
mod durability;
mod etcd_oracle;
mod history;
mod leases;
mod quota;
mod range;
mod read_only;
mod revisions;
mod txn;
