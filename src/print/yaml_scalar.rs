//! How go-yaml v2 decides a string's scalar style: the encoder's request (literal for text
//! with a newline, plain when the text would read back as a string, else double-quoted) and
//! libyaml's analysis of what the text allows. Used by `yaml.rs`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// What libyaml's scalar analysis allows for a text (block context).
#[derive(Debug, Clone, Copy)]
pub struct ScalarAnalysis {
    pub multiline: bool,
    pub block_plain_allowed: bool,
    pub single_quoted_allowed: bool,
    pub block_allowed: bool,
}

/// The style go-yaml's encoder asks for before libyaml's checks.
pub fn requested_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolves_to_string(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    }
}

fn char_width(b: u8) -> usize {
    if b & 0x80 == 0 {
        1
    } else if b & 0xE0 == 0xC0 {
        2
    } else if b & 0xF0 == 0xE0 {
        3
    } else if b & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// libyaml's `is_printable`: note that tabs, CR and every 4-byte character are "not printable".
pub fn is_printable_at(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    let c1 = at(b, i + 1);
    let c2 = at(b, i + 2);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && c1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && c1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
}

pub fn is_break_at(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b'\r'
        || c == b'\n'
        || (c == 0xC2 && at(b, i + 1) == 0x85)
        || (c == 0xE2 && at(b, i + 1) == 0x80 && (at(b, i + 2) == 0xA8 || at(b, i + 2) == 0xA9))
}

fn is_blank_at(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}

/// libyaml's `yaml_emitter_analyze_scalar`, reduced to the block-context flags.
pub fn analyze(s: &str) -> ScalarAnalysis {
    let b = s.as_bytes();
    if b.is_empty() {
        return ScalarAnalysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = b.starts_with(b"---") || b.starts_with(b"...");
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    while i < b.len() {
        let w = char_width(b[i]);
        let followed_by_whitespace = i + w >= b.len() || is_blank_at(b, i + w);
        if i == 0 {
            match b[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' | b'-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match b[i] {
                b':' if followed_by_whitespace => block_indicators = true,
                b'#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable_at(b, i) {
            special = true;
        }
        if b[i] == b' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + w == b.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break_at(b, i) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + w == b.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_at(b, i) || is_break_at(b, i) || b[i] == 0;
        i += w;
    }
    let mut a = ScalarAnalysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// go-yaml v2's `resolve` for an untagged plain scalar: would `s` read back as a string?
pub fn resolves_to_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 {
        return true;
    }
    if SPECIAL.contains(&s) {
        return false;
    }
    match hint {
        b'.' => !is_go_float_literal(s, true),
        b'D' | b'S' => {
            if is_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if parse_int(&plain, 0, true) || parse_int(&plain, 0, false) {
                return false;
            }
            if is_yaml_style_float(&plain) {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if parse_int(rest, 2, true) || parse_int(rest, 2, false) {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && parse_int(&format!("-{rest}"), 2, true)
            {
                return false;
            }
            true
        }
        _ => true,
    }
}

/// Go's `strconv.ParseInt(s, base, 64)` (signed) or `ParseUint` (unsigned) succeeds.
/// `base` 0 means Go's prefix detection. The input has no underscores.
fn parse_int(s: &str, base: u32, signed: bool) -> bool {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'+') if signed => (false, &s[1..]),
        Some(b'-') if signed => (true, &s[1..]),
        _ => (false, s),
    };
    if rest.is_empty() {
        return false;
    }
    let mut radix = base;
    if base == 0 {
        radix = 10;
        let rb = rest.as_bytes();
        if rb[0] == b'0' {
            let p = rb.get(1).map(|c| c.to_ascii_lowercase());
            if rest.len() >= 3 && matches!(p, Some(b'b' | b'o' | b'x')) {
                radix = match p {
                    Some(b'b') => 2,
                    Some(b'o') => 8,
                    _ => 16,
                };
                rest = &rest[2..];
            } else {
                radix = 8;
                rest = &rest[1..];
            }
        }
    }
    let mut n: u128 = 0;
    for c in rest.chars() {
        match c.to_digit(radix) {
            Some(d) => n = (n * radix as u128 + d as u128).min(u128::from(u64::MAX) + 2),
            None => return false,
        }
    }
    if !signed {
        n <= u128::from(u64::MAX)
    } else if neg {
        n <= 1u128 << 63
    } else {
        n < 1u128 << 63
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` and a finite parse.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len() && s.parse::<f64>().map(f64::is_finite).unwrap_or(false)
}

/// Go's `strconv.ParseFloat` for a text starting with '.': a decimal literal (underscores
/// allowed between digits) that does not overflow.
fn is_go_float_literal(s: &str, _leading_dot: bool) -> bool {
    let b = s.as_bytes();
    let mut i = 1;
    let digit_run = |i: &mut usize| -> bool {
        // digit { [_] digit }
        if !b.get(*i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        *i += 1;
        loop {
            match b.get(*i) {
                Some(c) if c.is_ascii_digit() => *i += 1,
                Some(b'_') if b.get(*i + 1).is_some_and(u8::is_ascii_digit) => *i += 2,
                _ => return true,
            }
        }
    };
    if !digit_run(&mut i) {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digit_run(&mut i) {
            return false;
        }
    }
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    i == b.len() && cleaned.parse::<f64>().map(f64::is_finite).unwrap_or(false)
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        // [0-5]?[0-9]: one or two digits, the first of two at most 5.
        let d1 = b.get(i + 1).filter(|c| c.is_ascii_digit());
        let d2 = b.get(i + 2).filter(|c| c.is_ascii_digit());
        match (d1, d2) {
            (Some(a), Some(_)) if *a <= b'5' => i += 3,
            (Some(_), _) => i += 2,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml v2's `parseTimestamp`: Go's `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999` and
/// `2006-1-2`.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = Parser { b, i: 5 };
    let year: u32 = b[..4].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    let Some(month) = p.num() else { return false };
    if !p.lit(b'-') {
        return false;
    }
    let Some(day) = p.num() else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if p.done() {
        return true;
    }
    let sep = p.b[p.i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    p.i += 1;
    let Some(hour) = p.num() else { return false };
    if !p.lit(b':') {
        return false;
    }
    let Some(min) = p.num() else { return false };
    if !p.lit(b':') {
        return false;
    }
    let Some(sec) = p.num() else { return false };
    if hour >= 24 || min >= 60 || sec >= 60 {
        return false;
    }
    // Optional fraction: '.' or ',' then any number of digits.
    if matches!(p.peek(), Some(b'.' | b',')) && p.b.get(p.i + 1).is_some_and(u8::is_ascii_digit) {
        p.i += 1;
        while p.peek().is_some_and(|c| c.is_ascii_digit()) {
            p.i += 1;
        }
    }
    if sep == b' ' {
        return p.done();
    }
    // Zone: 'Z' or ±hh:mm.
    if p.lit(b'Z') {
        return p.done();
    }
    let rest = &p.b[p.i..];
    if rest.len() < 6 || rest[3] != b':' || !matches!(rest[0], b'+' | b'-') {
        return false;
    }
    let two = |x: &[u8]| {
        x.iter()
            .all(u8::is_ascii_digit)
            .then(|| (x[0] - b'0') * 10 + (x[1] - b'0'))
    };
    match (two(&rest[1..3]), two(&rest[4..6])) {
        (Some(h), Some(m)) if h <= 24 && m <= 60 => rest.len() == 6,
        _ => false,
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
    fn lit(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Go's non-fixed `getnum`: one digit, or two when the second is a digit.
    fn num(&mut self) -> Option<u32> {
        let d1 = self.peek().filter(u8::is_ascii_digit)?;
        self.i += 1;
        let mut n = u32::from(d1 - b'0');
        if let Some(d2) = self.peek().filter(u8::is_ascii_digit) {
            self.i += 1;
            n = n * 10 + u32::from(d2 - b'0');
        }
        Some(n)
    }
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        for s in [
            "true", "1", "", "~", "0755", "08", "1e3", "0x1F", "-1", "+1", "1_000", ".5", ".inf",
            "0b-1",
        ] {
            assert!(!resolves_to_string(s), "{s} should not be a string");
        }
        for s in [
            "abc",
            "1e400",
            "0x",
            "1.2.3",
            ".git",
            "nan",
            "-",
            "v1.32.2",
            "0xFFFFFFFFFFFFFFFFFF",
            "<<x",
        ] {
            assert!(resolves_to_string(s), "{s} should be a string");
        }
    }

    #[test]
    fn base60() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:60x"));
        assert!(!is_base60_float("a:20"));
    }

    #[test]
    fn timestamps() {
        for s in [
            "2026-11-29T01:00:07Z",
            "2001-12-14t21:59:43.10-05:00",
            "2002-12-14",
            "2001-2-3 4:5:6",
            "2024-02-29",
        ] {
            assert!(is_timestamp(s), "{s}");
        }
        for s in [
            "2026-11-29T01:00:07",
            "2023-02-29",
            "2026-13-01",
            "2026-11-29x",
            "20261-1-1",
            "2026-11-29T24:00:00Z",
        ] {
            assert!(!is_timestamp(s), "{s}");
        }
    }

    #[test]
    fn analysis_flags() {
        assert!(!analyze("a: b").block_plain_allowed);
        assert!(analyze("a:b").block_plain_allowed);
        assert!(!analyze("a\tb").single_quoted_allowed);
        assert!(!analyze("a \nb").block_allowed);
        assert!(analyze("a\n b").block_allowed);
        assert!(!analyze("a #b").block_plain_allowed);
        assert!(analyze("a#b").block_plain_allowed);
    }
}
