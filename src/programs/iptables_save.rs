//! `iptables-save` in a kube-proxy pod: the nat table kube-proxy keeps on that pod's node.

use super::Io;
use crate::api::status::ApiError;
use crate::client::Client;
use chrono::{DateTime, Utc};

/// Prints the rules of `node` as `iptables-save` prints them at `now`; the exit status.
pub fn run(
    client: &dyn Client,
    node: &str,
    now: DateTime<Utc>,
    io: &mut Io,
) -> Result<i32, ApiError> {
    let rules = crate::proxy::iptables_save(client, node, now)?;
    let _ = io.out.write_all(rules.as_bytes());
    Ok(0)
}
