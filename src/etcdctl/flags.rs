//! Flag parsing with the rules (and error texts) of Go's pflag, which etcdctl uses through
//! cobra: `--name=value`, `--name value`, bare booleans, shorthand clusters, `--`.

use std::collections::HashMap;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Str,
    Duration,
    StrSlice,
}

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub name: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    /// Default value as text (as Go would print it).
    pub default: &'static str,
    pub usage: &'static str,
}

pub const fn flag(
    name: &'static str,
    kind: Kind,
    default: &'static str,
    usage: &'static str,
) -> FlagSpec {
    FlagSpec {
        name,
        short: None,
        kind,
        default,
        usage,
    }
}

pub const fn short(
    name: &'static str,
    s: char,
    kind: Kind,
    default: &'static str,
    usage: &'static str,
) -> FlagSpec {
    FlagSpec {
        short: Some(s),
        ..flag(name, kind, default, usage)
    }
}

/// Flags every command accepts.
pub const GLOBAL_FLAGS: &[FlagSpec] = &[
    flag(
        "cacert",
        Kind::Str,
        "",
        "verify certificates of TLS-enabled secure servers using this CA bundle",
    ),
    flag(
        "cert",
        Kind::Str,
        "",
        "identify secure client using this TLS certificate file",
    ),
    flag(
        "command-timeout",
        Kind::Duration,
        "5s",
        "timeout for short running command (excluding dial timeout)",
    ),
    flag(
        "debug",
        Kind::Bool,
        "false",
        "enable client-side debug logging",
    ),
    flag(
        "dial-timeout",
        Kind::Duration,
        "2s",
        "dial timeout for client connections",
    ),
    short(
        "discovery-srv",
        'd',
        Kind::Str,
        "",
        "domain name to query for SRV records describing cluster endpoints",
    ),
    flag(
        "discovery-srv-name",
        Kind::Str,
        "",
        "service name to query when using DNS discovery",
    ),
    flag(
        "endpoints",
        Kind::StrSlice,
        "127.0.0.1:2379",
        "gRPC endpoints",
    ),
    flag(
        "hex",
        Kind::Bool,
        "false",
        "print byte strings as hex encoded strings",
    ),
    flag(
        "insecure-discovery",
        Kind::Bool,
        "true",
        "accept insecure SRV records describing cluster endpoints",
    ),
    flag(
        "insecure-skip-tls-verify",
        Kind::Bool,
        "false",
        "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)",
    ),
    flag(
        "insecure-transport",
        Kind::Bool,
        "true",
        "disable transport security for client connections",
    ),
    flag(
        "keepalive-time",
        Kind::Duration,
        "2s",
        "keepalive time for client connections",
    ),
    flag(
        "keepalive-timeout",
        Kind::Duration,
        "6s",
        "keepalive timeout for client connections",
    ),
    flag(
        "key",
        Kind::Str,
        "",
        "identify secure client using this TLS key file",
    ),
    flag(
        "password",
        Kind::Str,
        "",
        "password for authentication (if this option is used, --user option shouldn't include password)",
    ),
    flag(
        "user",
        Kind::Str,
        "",
        "username[:password] for authentication (prompt if password is not supplied)",
    ),
    short(
        "write-out",
        'w',
        Kind::Str,
        "simple",
        "set the output format (fields, json, protobuf, simple, table)",
    ),
];

/// Values set on the command line (raw text; slices joined by their own parse).
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    values: HashMap<&'static str, String>,
    slices: HashMap<&'static str, Vec<String>>,
    pub positional: Vec<String>,
    /// Index in `positional` where `--` appeared, if it did.
    pub dash_at: Option<usize>,
}

impl Parsed {
    pub fn is_set(&self, name: &str) -> bool {
        self.values.contains_key(name) || self.slices.contains_key(name)
    }

    pub fn bool(&self, specs: &[&[FlagSpec]], name: &str) -> bool {
        self.raw(specs, name)
            .and_then(|v| parse_bool(&v))
            .unwrap_or(false)
    }

    pub fn int(&self, specs: &[&[FlagSpec]], name: &str) -> i64 {
        self.raw(specs, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    pub fn string(&self, specs: &[&[FlagSpec]], name: &str) -> String {
        self.raw(specs, name).unwrap_or_default()
    }

    pub fn duration(&self, specs: &[&[FlagSpec]], name: &str) -> Duration {
        self.raw(specs, name)
            .and_then(|v| parse_go_duration(&v))
            .unwrap_or_default()
    }

    pub fn slice(&self, specs: &[&[FlagSpec]], name: &str) -> Vec<String> {
        if let Some(v) = self.slices.get(name) {
            return v.clone();
        }
        self.raw(specs, name)
            .map(|v| split_slice(&v))
            .unwrap_or_default()
    }

    fn raw(&self, specs: &[&[FlagSpec]], name: &str) -> Option<String> {
        if let Some(v) = self.values.get(name) {
            return Some(v.clone());
        }
        find(specs, name).map(|s| s.default.to_string())
    }

    /// Sets a value that came from somewhere else (the environment), already validated.
    pub fn set_from_env(&mut self, spec: &FlagSpec, value: &str) {
        if spec.kind == Kind::StrSlice {
            self.slices.insert(spec.name, split_slice(value));
        } else {
            self.values.insert(spec.name, value.to_string());
        }
    }
}

fn split_slice(v: &str) -> Vec<String> {
    if v.is_empty() {
        return Vec::new();
    }
    v.split(',').map(|s| s.trim().to_string()).collect()
}

fn find<'a>(specs: &[&'a [FlagSpec]], name: &str) -> Option<&'a FlagSpec> {
    specs.iter().flat_map(|s| s.iter()).find(|f| f.name == name)
}

fn find_short<'a>(specs: &[&'a [FlagSpec]], c: char) -> Option<&'a FlagSpec> {
    specs
        .iter()
        .flat_map(|s| s.iter())
        .find(|f| f.short == Some(c))
}

/// Go's strconv.ParseBool.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's time.ParseDuration for etcdctl's flags, which take no negative durations (`-0`
/// is still zero).
pub fn parse_go_duration(v: &str) -> Option<Duration> {
    if v.starts_with('-') && v != "-0" {
        return None;
    }
    crate::go::duration::seconds(v).map(|s| Duration::from_secs_f64(s.abs()))
}

/// A parse failure, with pflag's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError(pub String);

fn invalid(spec: &FlagSpec, value: &str) -> FlagError {
    let shown = match spec.short {
        Some(c) => format!("-{c}, --{}", spec.name),
        None => format!("--{}", spec.name),
    };
    let why = match spec.kind {
        Kind::Bool => format!("strconv.ParseBool: parsing {}: invalid syntax", go_q(value)),
        Kind::Int => {
            let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
            let reason = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            format!("strconv.ParseInt: parsing {}: {reason}", go_q(value))
        }
        Kind::Duration => format!("time: invalid duration {}", go_q(value)),
        Kind::Str | Kind::StrSlice => String::new(),
    };
    FlagError(format!(
        "invalid argument {} for {} flag: {why}",
        go_q(value),
        go_q(&shown)
    ))
}

fn go_q(s: &str) -> String {
    super::encode::go_quote(s.as_bytes())
}

fn check(spec: &FlagSpec, value: &str) -> Result<(), FlagError> {
    let ok = match spec.kind {
        Kind::Bool => parse_bool(value).is_some(),
        Kind::Int => value.parse::<i64>().is_ok(),
        Kind::Duration => parse_go_duration(value).is_some(),
        Kind::Str | Kind::StrSlice => true,
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(spec, value))
    }
}

fn store(parsed: &mut Parsed, spec: &FlagSpec, value: String) -> Result<(), FlagError> {
    check(spec, &value)?;
    if spec.kind == Kind::StrSlice {
        parsed
            .slices
            .entry(spec.name)
            .or_default()
            .extend(split_slice(&value));
    } else {
        parsed.values.insert(spec.name, value);
    }
    Ok(())
}

/// Parses `args` against the flag sets. Flags and positional arguments may be mixed.
pub fn parse(args: &[String], specs: &[&[FlagSpec]]) -> Result<Parsed, FlagError> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.dash_at = Some(parsed.positional.len());
            parsed.positional.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let spec =
                find(specs, name).ok_or_else(|| FlagError(format!("unknown flag: --{name}")))?;
            let value = match (inline, spec.kind) {
                (Some(v), _) => v,
                (None, Kind::Bool) => "true".to_string(),
                (None, _) if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                (None, _) => return Err(FlagError(format!("flag needs an argument: --{name}"))),
            };
            store(&mut parsed, spec, value)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let shorts = &arg[1..];
            for (pos, c) in shorts.char_indices() {
                let spec = find_short(specs, c).ok_or_else(|| {
                    FlagError(format!("unknown shorthand flag: '{c}' in -{shorts}"))
                })?;
                let rest = &shorts[pos + c.len_utf8()..];
                if let Some(v) = rest.strip_prefix('=') {
                    store(&mut parsed, spec, v.to_string())?;
                    break;
                }
                if spec.kind == Kind::Bool {
                    store(&mut parsed, spec, "true".to_string())?;
                    continue;
                }
                if !rest.is_empty() {
                    store(&mut parsed, spec, rest.to_string())?;
                } else if i < args.len() {
                    i += 1;
                    store(&mut parsed, spec, args[i - 1].clone())?;
                } else {
                    return Err(FlagError(format!(
                        "flag needs an argument: '{c}' in -{shorts}"
                    )));
                }
                break;
            }
        } else {
            parsed.positional.push(arg.clone());
        }
    }
    Ok(parsed)
}

/// True when `arg` is a flag that consumes the next argument as its value (used to find the
/// command words among the arguments before the flags are parsed).
pub fn takes_separate_value(arg: &str, specs: &[&[FlagSpec]]) -> bool {
    if let Some(body) = arg.strip_prefix("--") {
        if body.contains('=') {
            return false;
        }
        return find(specs, body).is_some_and(|s| s.kind != Kind::Bool);
    }
    if let Some(shorts) = arg.strip_prefix('-') {
        let mut chars = shorts.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return find_short(specs, c).is_some_and(|s| s.kind != Kind::Bool);
        }
    }
    false
}

/// A validated environment value for a global flag, or pflag's complaint about it.
pub fn check_env(spec: &FlagSpec, value: &str) -> Result<(), FlagError> {
    check(spec, value)
}

/// The usage line of one flag, as etcdctl prints it (before the tab-aligned description).
pub fn usage_left(spec: &FlagSpec) -> String {
    let lead = match spec.short {
        Some(c) => format!("  -{c}, --{}", spec.name),
        None => format!("      --{}", spec.name),
    };
    match spec.kind {
        Kind::Bool => format!("{lead}[={}]", spec.default),
        Kind::Str => format!("{lead}=\"{}\"", spec.default),
        Kind::StrSlice => format!("{lead}=[{}]", spec.default),
        Kind::Int | Kind::Duration => format!("{lead}={}", spec.default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCAL: &[FlagSpec] = &[
        flag("prefix", Kind::Bool, "false", ""),
        flag("limit", Kind::Int, "0", ""),
        short("interactive", 'i', Kind::Bool, "false", ""),
    ];

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn mixes_flags_and_positionals() {
        let specs: &[&[FlagSpec]] = &[LOCAL, GLOBAL_FLAGS];
        let p = parse(
            &args(&["a", "--prefix", "-wjson", "--limit", "3", "b", "--", "-c"]),
            specs,
        )
        .unwrap();
        assert_eq!(p.positional, args(&["a", "b", "-c"]));
        assert!(p.bool(specs, "prefix"));
        assert_eq!(p.int(specs, "limit"), 3);
        assert_eq!(p.string(specs, "write-out"), "json");
        assert_eq!(p.dash_at, Some(2));
    }

    #[test]
    fn reports_pflag_errors() {
        let specs: &[&[FlagSpec]] = &[LOCAL, GLOBAL_FLAGS];
        let err = |v: &[&str]| parse(&args(v), specs).unwrap_err().0;
        assert_eq!(err(&["--bogus"]), "unknown flag: --bogus");
        assert_eq!(err(&["-x"]), "unknown shorthand flag: 'x' in -x");
        assert_eq!(err(&["--limit"]), "flag needs an argument: --limit");
        assert_eq!(err(&["-w"]), "flag needs an argument: 'w' in -w");
        assert_eq!(
            err(&["--limit=abc"]),
            "invalid argument \"abc\" for \"--limit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            err(&["--prefix=maybe"]),
            "invalid argument \"maybe\" for \"--prefix\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_go_duration("5s"), Some(Duration::from_secs(5)));
        assert_eq!(parse_go_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_go_duration("5"), None);
        assert_eq!(parse_go_duration("-5s"), None);
        assert_eq!(parse_go_duration("-0s"), None);
        assert_eq!(parse_go_duration("-0"), Some(Duration::ZERO));
        assert_eq!(
            parse_go_duration("+1.5s"),
            Some(Duration::from_millis(1500))
        );
    }
}
