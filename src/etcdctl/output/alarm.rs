//! `alarm list|disarm` answers. etcd leaves the header of an alarm response unset, so JSON
//! shows only the alarms and protobuf only their bytes.

use std::io::{self, Write};

use super::protobuf::{message, varint};
use crate::store::AlarmMember;

/// One alarm as protobuf's compact text prints it (`endpoint status` ERRORS, simple format).
pub fn text(a: &AlarmMember) -> String {
    format!("memberID:{} alarm:{} ", a.member_id, a.alarm.name())
}

pub fn simple(w: &mut dyn Write, alarms: &[AlarmMember]) -> io::Result<()> {
    for a in alarms {
        writeln!(w, "{}", text(a))?;
    }
    Ok(())
}

pub fn json(w: &mut dyn Write, alarms: &[AlarmMember]) -> io::Result<()> {
    if alarms.is_empty() {
        return writeln!(w, "{{}}");
    }
    let items: Vec<String> = alarms
        .iter()
        .map(|a| {
            format!(
                "{{\"memberID\":{},\"alarm\":{}}}",
                a.member_id,
                a.alarm.number()
            )
        })
        .collect();
    writeln!(w, "{{\"alarms\":[{}]}}", items.join(","))
}

pub fn protobuf(w: &mut dyn Write, alarms: &[AlarmMember]) -> io::Result<()> {
    let mut out = Vec::new();
    for a in alarms {
        let mut body = Vec::new();
        if a.member_id != 0 {
            body.push(0x08);
            varint(&mut body, a.member_id);
        }
        body.push(0x10);
        varint(&mut body, a.alarm.number());
        message(&mut out, 2, &body);
    }
    w.write_all(&out)
}
