//! Reading a transaction from stdin the way etcdctl 3.4 does: compares, an empty line,
//! success requests, an empty line, failure requests, an empty line.

use std::io::BufRead;

use super::super::encode::go_quote;
use super::super::errors::{EXIT_INVALID_INPUT, Failure};
use super::super::flags::{self, FlagSpec, Kind};
use super::super::spec;
use super::keyrange::key_range;
use crate::store::{
    Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, SortOrder, SortTarget,
};

fn invalid_input(msg: impl Into<String>) -> Failure {
    Failure::Exit(EXIT_INVALID_INPUT, msg.into())
}

/// One line including its `\n`; a missing newline is Go's `EOF`.
pub(crate) fn read_line(input: &mut dyn BufRead) -> Result<String, Failure> {
    let mut buf = Vec::new();
    input
        .read_until(b'\n', &mut buf)
        .map_err(|e| invalid_input(e.to_string()))?;
    if buf.last() != Some(&b'\n') {
        return Err(invalid_input("EOF"));
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Reads lines until an empty one, parsing each with `parse`.
pub(crate) fn read_block<T>(
    input: &mut dyn BufRead,
    mut parse: impl FnMut(&str) -> Result<T, Failure>,
) -> Result<Vec<T>, Failure> {
    let mut items = Vec::new();
    loop {
        let line = read_line(input)?;
        if line.len() == 1 {
            return Ok(items);
        }
        items.push(parse(line.trim())?);
    }
}

/// Scans a Go-quoted string (`"..."` with escapes, or `` `...` ``) at the start of `s`;
/// returns it and the rest.
fn scan_quoted(s: &str) -> Option<(String, &str)> {
    if let Some(body) = s.strip_prefix('`') {
        let end = body.find('`')?;
        return Some((body[..end].to_string(), &body[end + 1..]));
    }
    let body = s.strip_prefix('"')?;
    let mut out = Vec::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((String::from_utf8_lossy(&out).into_owned(), &body[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => out.push(b'\n'),
                    't' => out.push(b'\t'),
                    'r' => out.push(b'\r'),
                    'a' => out.push(7),
                    'b' => out.push(8),
                    'f' => out.push(12),
                    'v' => out.push(11),
                    '\\' | '"' | '\'' => out.push(e as u8),
                    'x' => {
                        let h: String = [chars.next()?.1, chars.next()?.1].iter().collect();
                        out.push(u8::from_str_radix(&h, 16).ok()?);
                    }
                    _ => return None,
                }
            }
            '\n' => return None,
            c => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
    None
}

/// `target("key") op "value"`, e.g. `mod("k") > "0"`.
pub(crate) fn parse_compare(line: &str) -> Result<Compare, Failure> {
    let Some((target, rest)) = line.split_once('(') else {
        return Err(invalid_input(format!("malformed comparison: {line}")));
    };
    let (mut key, mut op, mut val) = (String::new(), String::new(), String::new());
    let mut n = 0;
    // Mirrors fmt.Sscanf(rest, "%q) %s %q", ...): stops at the first mismatch.
    let scanned = (|| {
        let (k, r) = scan_quoted(rest)?;
        key = k;
        n = 1;
        let r = r.strip_prefix(')')?;
        let r2 = r.trim_start_matches(' ');
        if r2.len() == r.len() {
            return None;
        }
        let end = r2.find(' ').unwrap_or(r2.len());
        if end == 0 {
            return None;
        }
        op = r2[..end].to_string();
        n = 2;
        let r3 = r2[end..].trim_start_matches(' ');
        let (v, _) = scan_quoted(r3)?;
        val = v;
        n = 3;
        Some(())
    })();
    if scanned.is_none() || n != 3 {
        return Err(invalid_input(format!(
            "malformed comparison: {line}; got {target}({}) {op} {}",
            go_quote(key.as_bytes()),
            go_quote(val.as_bytes())
        )));
    }
    let result = match op.as_str() {
        "=" | "==" => CompareResult::Equal,
        "!=" => CompareResult::NotEqual,
        "<" => CompareResult::Less,
        ">" => CompareResult::Greater,
        _ => return Err(Failure::Exit(2, "panic: Unknown result op".into())),
    };
    let int = || {
        val.parse::<i64>()
            .map_err(|_| invalid_input(format!("invalid txn compare request: {line}")))
    };
    let target = match target {
        "ver" | "version" => CompareTarget::Version(int()?),
        "c" | "create" => CompareTarget::Create(int()?),
        "m" | "mod" => CompareTarget::Mod(int()?),
        "val" | "value" => CompareTarget::Value(val.as_bytes().to_vec()),
        "lease" => CompareTarget::Lease(int()?),
        other => {
            return Err(invalid_input(format!(
                "malformed comparison: {line} (unknown target {other})"
            )));
        }
    };
    Ok(Compare {
        key: key.into_bytes(),
        range_end: Vec::new(),
        target,
        result,
    })
}

/// Splits a request line into words: spaces separate, `"..."` is unquoted Go-style.
/// A `'...'` word keeps etcdctl 3.4's slicing quirk: it becomes the characters from 1 up to
/// (number of words - 1), not the quoted text.
fn argify(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut single = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if rest.starts_with('"')
            && let Some((w, r)) = scan_quoted(rest)
        {
            words.push(w);
            rest = r.trim_start();
            continue;
        }
        if let Some(body) = rest.strip_prefix('\'')
            && let Some(end) = body.find('\'')
        {
            single.push(words.len());
            words.push(rest[..end + 2].to_string());
            rest = body[end + 1..].trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        words.push(rest[..end].to_string());
        rest = rest[end..].trim_start();
    }
    let count = words.len();
    for i in single {
        let chars: Vec<char> = words[i].chars().collect();
        let end = (count.saturating_sub(1)).clamp(1, chars.len());
        words[i] = chars[1..end].iter().collect();
    }
    words
}

/// pflag's own usage listing (cobra's default template), which a bad flag inside a txn
/// request prints to stderr.
fn pflag_usage(name: &str, use_args: &str, local: &[FlagSpec]) -> String {
    let mut all: Vec<FlagSpec> = local.to_vec();
    all.push(flags::short(
        "help",
        'h',
        Kind::Bool,
        "false",
        "help for HELP",
    ));
    all.sort_by_key(|f| f.name);
    let lefts: Vec<String> = all
        .iter()
        .map(|f| {
            let lead = match f.short {
                Some(c) => format!("  -{c}, --{}", f.name),
                None => format!("      --{}", f.name),
            };
            match f.kind {
                Kind::Bool => lead,
                Kind::Int => format!("{lead} int"),
                Kind::Duration => format!("{lead} duration"),
                Kind::Str => format!("{lead} string"),
                Kind::StrSlice => format!("{lead} strings"),
            }
        })
        .collect();
    let width = lefts.iter().map(|l| l.len()).max().unwrap_or(0);
    let mut out = format!("Usage:\n   {name} {use_args} [flags]\n\nFlags:\n");
    for (f, left) in all.iter().zip(&lefts) {
        let usage = f.usage.replace("HELP", name);
        let default = match f.kind {
            Kind::Str if !f.default.is_empty() => format!(" (default \"{}\")", f.default),
            Kind::Int if f.default != "0" => format!(" (default {})", f.default),
            Kind::Bool if f.default == "true" => " (default true)".to_string(),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{left}{}{usage}{default}\n",
            " ".repeat(width - left.len() + 3)
        ));
    }
    out.push('\n');
    out
}

/// What a bad request line makes etcdctl print before failing.
pub(crate) struct RequestError {
    pub usage: Option<String>,
    pub failure: Failure,
}

impl From<Failure> for RequestError {
    fn from(failure: Failure) -> Self {
        RequestError {
            usage: None,
            failure,
        }
    }
}

/// `get|put|del <args> [flags]` as a transaction op.
pub(crate) fn parse_request(line: &str) -> Result<RequestOp, RequestError> {
    let words = argify(line);
    if words.len() < 2 {
        return Err(invalid_input(format!("invalid txn compare request: {line}")).into());
    }
    let (name, use_args, local) = match words[0].as_str() {
        "get" => ("get", spec::GET.use_args, spec::GET_FLAGS),
        "put" => ("put", spec::PUT.use_args, spec::PUT_FLAGS),
        "del" => ("del", spec::DEL.use_args, spec::DEL_FLAGS),
        _ => return Err(invalid_input(format!("invalid txn request: {line}")).into()),
    };
    let help: &[FlagSpec] = &[flags::short("help", 'h', Kind::Bool, "false", "")];
    let specs: [&[FlagSpec]; 2] = [local, help];
    let parsed = flags::parse(&words[1..], &specs).map_err(|_| RequestError {
        usage: Some(pflag_usage(name, use_args, local)),
        failure: invalid_input(format!("invalid txn request: {line}")),
    })?;
    let args = &parsed.positional;
    match name {
        "get" => {
            let (key, range_end) = key_range(
                "get",
                args,
                parsed.bool(&specs, "prefix"),
                parsed.bool(&specs, "from-key"),
            )?;
            let sort_order = match parsed.string(&specs, "order").to_uppercase().as_str() {
                "DESCEND" => SortOrder::Descend,
                "ASCEND" => SortOrder::Ascend,
                _ => SortOrder::None,
            };
            let sort_target = match parsed.string(&specs, "sort-by").to_uppercase().as_str() {
                "CREATE" => SortTarget::Create,
                "MODIFY" => SortTarget::Mod,
                "VALUE" => SortTarget::Value,
                "VERSION" => SortTarget::Version,
                _ => SortTarget::Key,
            };
            Ok(RequestOp::Range(RangeRequest {
                key,
                range_end,
                limit: parsed.int(&specs, "limit"),
                revision: parsed.int(&specs, "rev"),
                keys_only: parsed.bool(&specs, "keys-only"),
                count_only: false,
                uncounted: false,
                sort_order,
                sort_target,
            }))
        }
        "put" => {
            if args.len() < 2 {
                return Err(Failure::bad_args(
                    "put command needs 1 argument and input from stdin or 2 arguments",
                )
                .into());
            }
            Ok(RequestOp::Put {
                key: args[0].as_bytes().to_vec(),
                value: args[1].as_bytes().to_vec(),
                prev_kv: parsed.bool(&specs, "prev-kv"),
                lease: 0,
            })
        }
        _ => {
            let (key, range_end) = key_range(
                "del",
                args,
                parsed.bool(&specs, "prefix"),
                parsed.bool(&specs, "from-key"),
            )?;
            Ok(RequestOp::Delete {
                key,
                range_end,
                prev_kv: parsed.bool(&specs, "prev-kv"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result<Compare, Failure>) -> String {
        match r {
            Err(Failure::Exit(_, m)) => m,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn compares_parse_and_fail_like_etcdctl() {
        let c = parse_compare("mod(\"t1\") > \"0\"").unwrap();
        assert_eq!(c.key, b"t1");
        assert_eq!(c.target, CompareTarget::Mod(0));
        assert_eq!(c.result, CompareResult::Greater);
        assert_eq!(msg(parse_compare("bogus")), "malformed comparison: bogus");
        assert_eq!(
            msg(parse_compare("mod(t1) > \"0\"")),
            "malformed comparison: mod(t1) > \"0\"; got mod(\"\")  \"\""
        );
        assert_eq!(
            msg(parse_compare("mod(\"t1\") > 0")),
            "malformed comparison: mod(\"t1\") > 0; got mod(\"t1\") > \"\""
        );
        assert_eq!(
            msg(parse_compare("mod(\"t1\")>\"0\"")),
            "malformed comparison: mod(\"t1\")>\"0\"; got mod(\"t1\")  \"\""
        );
        assert_eq!(
            msg(parse_compare("foo(\"t1\") > \"0\"")),
            "malformed comparison: foo(\"t1\") > \"0\" (unknown target foo)"
        );
        assert_eq!(
            msg(parse_compare("create(\"t1\") < \"abc\"")),
            "invalid txn compare request: create(\"t1\") < \"abc\""
        );
    }

    #[test]
    fn request_lines_split_like_a_shell() {
        assert_eq!(
            argify("put k \"hello world\" x"),
            vec!["put", "k", "hello world", "x"]
        );
        assert_eq!(argify("put q 'single quoted'"), vec!["put", "q", "s"]);
        assert_eq!(argify("put q 'a b' c"), vec!["put", "q", "a ", "c"]);
    }
}
