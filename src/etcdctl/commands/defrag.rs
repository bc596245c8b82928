//! `etcdctl defrag`: gives the store file's free pages back (on the embedded store, redb's
//! compaction of the file; on a real etcd, its Defragment call).

use super::super::errors::{EXIT_ERROR, Failure};
use super::Session;

pub(crate) fn run(s: &mut Session) -> Result<(), Failure> {
    if !s.flag_str("data-dir").is_empty() {
        return Err(Failure::Exit(
            EXIT_ERROR,
            "defrag --data-dir is not supported by kubelite's etcdctl: run it without, on the store in use".into(),
        ));
    }
    let endpoints = if s.flag_bool("cluster") {
        s.backend()?.cluster_info()?.client_urls
    } else {
        s.opts.endpoints.clone()
    };
    let mut failed = false;
    for endpoint in endpoints {
        match s.backend()?.store().defragment() {
            Ok(()) => writeln!(
                s.ctx.stdout,
                "Finished defragmenting etcd member[{endpoint}]"
            )?,
            Err(e) => {
                failed = true;
                writeln!(
                    s.ctx.stderr,
                    "Failed to defragment etcd member[{endpoint}] ({e})"
                )?;
            }
        }
    }
    if failed {
        return Err(Failure::Quiet(EXIT_ERROR));
    }
    Ok(())
}
