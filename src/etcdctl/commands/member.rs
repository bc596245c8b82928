//! `etcdctl member list`: the one member serving the store.

use super::super::errors::Failure;
use super::super::output::{Format, Hdr, MemberView, fields, json, protobuf, simple, table};
use super::Session;

pub(crate) fn run_list(s: &mut Session) -> Result<(Hdr, Vec<MemberView>, Format), Failure> {
    let format = s.format()?;
    let info = s.backend()?.cluster_info()?;
    let hdr = Hdr {
        cluster_id: info.cluster_id,
        member_id: info.member_id,
        revision: 0,
        raft_term: info.raft_term,
    };
    let members = vec![MemberView {
        id: info.member_id,
        name: info.member_name,
        peer_urls: info.peer_urls,
        client_urls: info.client_urls,
        is_learner: info.is_learner,
    }];
    Ok((hdr, members, format))
}

pub(crate) fn list(s: &mut Session) -> Result<(), Failure> {
    let (hdr, members, format) = run_list(s)?;
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => simple::member_list(out, &members)?,
        Format::Json => json::member_list(out, &hdr, &members)?,
        Format::Fields => fields::member_list(out, &hdr, &members)?,
        Format::Protobuf => protobuf::member_list(out, &hdr, &members)?,
        Format::Table => table::member_list(out, &members)?,
    }
    Ok(())
}
