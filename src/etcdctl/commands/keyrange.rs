//! How `get` and `del` turn `<key> [range_end]`, `--prefix` and `--from-key` into a range.

use super::super::errors::Failure;
use crate::store::prefix_range_end;

/// The `[key, range_end)` etcdctl asks for.
pub(crate) fn key_range(
    cmd: &str,
    args: &[String],
    prefix: bool,
    from_key: bool,
) -> Result<(Vec<u8>, Vec<u8>), Failure> {
    if args.is_empty() || args.len() > 2 {
        return Err(Failure::bad_args(format!(
            "{cmd} command needs one argument as key and an optional argument as range_end"
        )));
    }
    if prefix && from_key {
        return Err(Failure::bad_args(
            "`--prefix` and `--from-key` cannot be set at the same time, choose one",
        ));
    }
    let key = crate::etcdctl::args::bytes(&args[0]);
    if args.len() == 2 {
        if prefix || from_key {
            return Err(Failure::bad_args(
                "too many arguments, only accept one argument when `--prefix` or `--from-key` is set",
            ));
        }
        return Ok((key, crate::etcdctl::args::bytes(&args[1])));
    }
    // An empty key with --prefix or --from-key means every key.
    if key.is_empty() && (prefix || from_key) {
        return Ok((vec![0], vec![0]));
    }
    if prefix {
        let end = prefix_range_end(&key);
        return Ok((key, end));
    }
    if from_key {
        return Ok((key, vec![0]));
    }
    Ok((key, Vec::new()))
}
