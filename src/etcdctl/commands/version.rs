//! `etcdctl version`: the version kubelite's etcdctl is compatible with.

use super::super::errors::Failure;

use super::Session;

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    s.ctx
        .stdout
        .write_all(b"etcdctl version: 3.4.23\nAPI version: 3.4\n")?;
    Ok(())
}
