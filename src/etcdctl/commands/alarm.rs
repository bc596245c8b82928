//! `etcdctl alarm list` and `alarm disarm`.

use super::super::errors::{EXIT_BAD_FEATURE, Failure};
use super::super::output::{Format, alarm};
use super::{Session, table_unsupported};
use crate::store::AlarmMember;

/// The alarms with the member that raised them (the embedded store's are this member's).
pub(crate) fn with_member(
    s: &mut Session,
    alarms: Vec<AlarmMember>,
) -> Result<Vec<AlarmMember>, Failure> {
    if alarms.iter().all(|a| a.member_id != 0) {
        return Ok(alarms);
    }
    let (_, member_id, _) = s.backend()?.header_identity()?;
    Ok(alarms
        .into_iter()
        .map(|a| AlarmMember {
            member_id: if a.member_id == 0 {
                member_id
            } else {
                a.member_id
            },
            ..a
        })
        .collect())
}

fn print(s: &mut Session, format: Format, alarms: &[AlarmMember]) -> Result<(), Failure> {
    let out = &mut *s.ctx.stdout;
    match format {
        Format::Simple => alarm::simple(out, alarms)?,
        Format::Json => alarm::json(out, alarms)?,
        Format::Protobuf => alarm::protobuf(out, alarms)?,
        Format::Table => return Err(table_unsupported()),
        // etcdctl 3.4 dereferences the missing header and crashes; refuse instead.
        Format::Fields => {
            return Err(Failure::Exit(
                EXIT_BAD_FEATURE,
                "fields not supported as output format for alarms".into(),
            ));
        }
    }
    Ok(())
}

pub(crate) fn list(s: &mut Session) -> Result<(), Failure> {
    if !s.args.is_empty() {
        return Err(Failure::bad_args("alarm list command accepts no arguments"));
    }
    let format = s.format()?;
    let alarms = s.backend()?.store().alarms()?;
    let alarms = with_member(s, alarms)?;
    print(s, format, &alarms)
}

pub(crate) fn disarm(s: &mut Session) -> Result<(), Failure> {
    if !s.args.is_empty() {
        return Err(Failure::bad_args(
            "alarm disarm command accepts no arguments",
        ));
    }
    let format = s.format()?;
    let alarms = s.backend()?.store().disarm_alarms()?;
    let alarms = with_member(s, alarms)?;
    print(s, format, &alarms)
}
