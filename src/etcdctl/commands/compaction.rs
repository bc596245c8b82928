//! `etcdctl compaction <revision>`.

use super::super::errors::{EXIT_ERROR, Failure};

use super::Session;

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    if s.args.len() != 1 {
        return Err(Failure::bad_args("compaction command needs 1 argument"));
    }
    let text = &s.args[0];
    let rev: i64 = text.parse().map_err(|_| {
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        let why = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        Failure::Exit(
            EXIT_ERROR,
            format!(
                "strconv.ParseInt: parsing {}: {why}",
                super::super::encode::go_quote(text.as_bytes())
            ),
        )
    })?;
    s.backend()?.store().compact(rev)?;
    writeln!(s.ctx.stdout, "compacted revision {rev}")?;
    Ok(())
}
