//! Go's `fmt.Sprint`, `Sprintln` and `Sprintf` over template values: the verbs templates
//! use (`%v %s %d %q %x %X %f %e %g %t %c %T %%`), flags, width and precision, and Go's
//! `%!verb(type=value)` complaints.

use super::value::Val;
use crate::go::quote;
use serde_json::Value;

pub fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = |v: &Val| matches!(v, Val::Str(_));
        if i > 0 && !is_str(a) && !is_str(&args[i - 1]) {
            out.push(' ');
        }
        out.push_str(&a.fmt_v());
    }
    out
}

pub fn sprintln(args: &[Val]) -> String {
    let parts: Vec<String> = args.iter().map(Val::fmt_v).collect();
    format!("{}\n", parts.join(" "))
}

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

pub fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut used = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            chars.next();
        }
        let digits = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0) * 10 + d as usize);
                chars.next();
            }
            n
        };
        spec.width = digits(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(digits(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(used) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        used += 1;
        out.push_str(&one(verb, &spec, arg));
    }
    if used < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[used..]
            .iter()
            .map(|a| match a {
                Val::Missing | Val::Null => "<nil>".to_string(),
                a => format!("{}={}", a.type_name(), a.fmt_v()),
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn bad(verb: char, arg: &Val) -> String {
    match arg {
        Val::Missing | Val::Null => format!("%!{verb}(<nil>)"),
        a => format!("%!{verb}({}={})", a.type_name(), a.fmt_v()),
    }
}

fn one(verb: char, spec: &Spec, arg: &Val) -> String {
    let numeric = matches!(
        arg,
        Val::Int(_) | Val::LitInt(_) | Val::Byte(_) | Val::Float(_)
    );
    let body = match (verb, arg) {
        ('T', a) => a.type_name().to_string(),
        ('v', Val::List(l)) if spec.sharp => {
            crate::print::gofmt::fmt_sharp_v(&Value::Array(l.clone()))
        }
        ('v', Val::Map(m)) if spec.sharp => {
            crate::print::gofmt::fmt_sharp_v(&Value::Object(m.clone()))
        }
        // Other verbs apply to each element of a list or map.
        (v, Val::List(l)) if v != 'v' => {
            let items: Vec<String> = l.iter().map(|e| element(verb, spec, e)).collect();
            format!("[{}]", items.join(" "))
        }
        (v, Val::Map(m)) if v != 'v' => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let items: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        one(verb, spec, &Val::Str(k.clone())),
                        element(verb, spec, &m[k.as_str()])
                    )
                })
                .collect();
            format!("map[{}]", items.join(" "))
        }
        ('U', Val::Int(i) | Val::LitInt(i)) => format!("U+{:04X}", i),
        ('v', Val::Missing | Val::Null) => "<nil>".into(),
        ('v', Val::Str(s)) if spec.sharp => quote(s),
        ('v', Val::Float(f)) => float_g(*f, spec),
        ('v', a) => with_sign(a.fmt_v(), spec, numeric),
        ('s', Val::Str(s)) => truncate(s, spec.prec),
        ('s', a @ (Val::List(_) | Val::Map(_))) => a.fmt_v(),
        ('q', Val::Str(s)) => quote(s),
        ('q', Val::Int(i) | Val::LitInt(i)) => match char::from_u32(*i as u32) {
            Some(c) => {
                let q = quote(&c.to_string());
                format!("'{}'", &q[1..q.len() - 1])
            }
            None => "'\u{FFFD}'".into(),
        },
        ('d', Val::Int(i) | Val::LitInt(i)) => with_sign(i.to_string(), spec, true),
        ('d', Val::Byte(b)) => with_sign(b.to_string(), spec, true),
        ('x' | 'X', Val::Int(i) | Val::LitInt(i)) => {
            let s = if *i < 0 {
                format!("-{:x}", i.unsigned_abs())
            } else {
                format!("{i:x}")
            };
            case(prefix(s, spec), verb)
        }
        ('x' | 'X', Val::Byte(b)) => case(prefix(format!("{b:x}"), spec), verb),
        ('x' | 'X', Val::Str(s)) => case(s.bytes().map(|b| format!("{b:02x}")).collect(), verb),
        ('o', Val::Int(i) | Val::LitInt(i)) => format!("{i:o}"),
        ('b', Val::Int(i) | Val::LitInt(i)) => format!("{i:b}"),
        ('c', Val::Int(i) | Val::LitInt(i)) => {
            char::from_u32(*i as u32).unwrap_or('\u{FFFD}').to_string()
        }
        ('t', Val::Bool(b)) => b.to_string(),
        ('f' | 'F', Val::Float(f)) => {
            with_sign(format!("{:.*}", spec.prec.unwrap_or(6), f), spec, true)
        }
        ('e' | 'E', Val::Float(f)) => case(
            with_sign(float_e(*f, spec.prec.unwrap_or(6)), spec, true),
            verb,
        ),
        ('g' | 'G', Val::Float(f)) => case(float_g(*f, spec), verb),
        (_, a) => return bad(verb, a),
    };
    pad(body, spec, numeric && verb != 's' && verb != 'T')
}

/// An element inside a list or map: a nil one prints `<nil>` whatever the verb.
fn element(verb: char, spec: &Spec, e: &Value) -> String {
    match e {
        Value::Null => "<nil>".into(),
        e => one(verb, spec, &Val::from_json(e)),
    }
}

fn case(s: String, verb: char) -> String {
    if verb.is_ascii_uppercase() {
        s.to_uppercase()
    } else {
        s
    }
}

fn prefix(s: String, spec: &Spec) -> String {
    if spec.sharp { format!("0x{s}") } else { s }
}

fn truncate(s: &str, prec: Option<usize>) -> String {
    match prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    }
}

fn with_sign(s: String, spec: &Spec, numeric: bool) -> String {
    if numeric && !s.starts_with('-') {
        if spec.plus {
            return format!("+{s}");
        }
        if spec.space {
            return format!(" {s}");
        }
    }
    s
}

fn float_g(f: f64, spec: &Spec) -> String {
    with_sign(crate::print::gofmt::float_v(f), spec, true)
}

/// `%e` with a precision: `1.500000e+00`.
fn float_e(f: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn pad(s: String, spec: &Spec, numeric: bool) -> String {
    let Some(w) = spec.width else { return s };
    let n = s.chars().count();
    if n >= w {
        return s;
    }
    let fill = w - n;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match s.strip_prefix(['-', '+']) {
            Some(d) => (&s[..1], d),
            None => ("", s.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}
