//! `etcdctl endpoint health` and `endpoint status`.

use std::time::Instant;

use super::super::errors::{EXIT_BAD_FEATURE, EXIT_ERROR, Failure};
use super::super::output::{
    Format, Hdr, HealthView, StatusView, alarm, fields, go_duration, json, simple, table,
};
use super::Session;
use crate::store::RangeRequest;

fn protobuf_unsupported() -> Failure {
    Failure::Exit(
        EXIT_BAD_FEATURE,
        "protobuf not supported as output format".into(),
    )
}

/// The endpoints to report on: the flag's, or every member's client URLs with `--cluster`.
fn endpoints(s: &mut Session) -> Result<Vec<String>, Failure> {
    if s.flag_bool("cluster") {
        return Ok(s.backend()?.cluster_info()?.client_urls);
    }
    Ok(s.opts.endpoints.clone())
}

pub(crate) fn health(s: &mut Session) -> Result<(), Failure> {
    let format = s.format()?;
    let mut healths = Vec::new();
    for endpoint in endpoints(s)? {
        let started = Instant::now();
        // etcd's own check: a linearizable read of the key "health" must succeed.
        let result = s.backend()?.store().range(&RangeRequest::single(b"health"));
        let took = go_duration(started.elapsed());
        let (health, error) = match result {
            Ok(_) => (true, String::new()),
            Err(e) => (false, e.to_string()),
        };
        healths.push(HealthView {
            endpoint,
            health,
            took,
            error,
        });
    }
    match format {
        Format::Simple => simple::endpoint_health(s.ctx.stderr, &healths)?,
        Format::Json => json::endpoint_health(s.ctx.stdout, &healths)?,
        Format::Fields => fields::endpoint_health(s.ctx.stdout, &healths)?,
        Format::Table => table::endpoint_health(s.ctx.stdout, &healths)?,
        Format::Protobuf => return Err(protobuf_unsupported()),
    }
    if healths.iter().any(|h| !h.health) {
        return Err(Failure::Exit(EXIT_ERROR, "unhealthy cluster".into()));
    }
    Ok(())
}

pub(crate) fn status(s: &mut Session) -> Result<(), Failure> {
    let format = s.format()?;
    let mut statuses = Vec::new();
    for endpoint in endpoints(s)? {
        let backend = s.backend()?;
        let info = backend.cluster_info()?;
        let revision = backend.store().current_revision()?;
        let alarms = backend.store().alarms()?;
        let errors = super::alarm::with_member(s, alarms)?
            .iter()
            .map(alarm::text)
            .collect();
        statuses.push(StatusView {
            endpoint,
            hdr: Hdr {
                cluster_id: info.cluster_id,
                member_id: info.member_id,
                revision,
                raft_term: info.raft_term,
            },
            version: info.version,
            db_size: info.db_size,
            db_size_in_use: info.db_size_in_use,
            leader: info.leader,
            is_learner: info.is_learner,
            raft_index: info.raft_index,
            raft_term: info.raft_term,
            raft_applied_index: info.raft_applied_index,
            errors,
        });
    }
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => simple::endpoint_status(out, &statuses)?,
        Format::Json => json::endpoint_status(out, &statuses)?,
        Format::Fields => fields::endpoint_status(out, &statuses)?,
        Format::Table => table::endpoint_status(out, &statuses)?,
        Format::Protobuf => return Err(protobuf_unsupported()),
    }
    Ok(())
}
