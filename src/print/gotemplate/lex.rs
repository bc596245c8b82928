//! The lexer of Go's text/template: text between `{{ }}` actions, trim markers, comments,
//! and the tokens inside an action.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String),
    Left,
    Right,
    Field(String),
    Var(String),
    Ident(String),
    Str(String, String),
    Number(String),
    Char(String),
    Bool(bool),
    Nil,
    Dot,
    Pipe,
    Open,
    Close,
    Declare,
    Assign,
    Comma,
    Space,
    /// Printable ASCII with no meaning in an action (Go's itemChar).
    Other(char),
}

/// A token and its byte offset in the template.
pub type Item = (Tok, usize);

pub fn lex(src: &str) -> Result<Vec<Item>, (usize, String)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(rel) = src[i..].find("{{") else {
            out.push((Tok::Text(src[i..].to_string()), i));
            break;
        };
        let start = i + rel;
        let mut text = &src[i..start];
        let mut j = start + 2;
        let trim_left = src[j..].starts_with("- ")
            || src[j..].starts_with("-\t")
            || src[j..].starts_with("-\n")
            || src[j..].starts_with("-\r");
        if trim_left {
            text = text.trim_end_matches([' ', '\t', '\n', '\r']);
            j += 1;
        }
        if !text.is_empty() {
            out.push((Tok::Text(text.to_string()), i));
        }
        // A comment is a whole action.
        // A comment opens right after the delimiter (and its trim marker's space).
        let inner = if trim_left { &src[j + 1..] } else { &src[j..] };
        if inner.starts_with("/*") {
            let at = src.len() - inner.len();
            let Some(end) = src[at..].find("*/") else {
                return Err((line_of(src, at), "unclosed comment".into()));
            };
            let mut k = at + end + 2;
            let rest = &src[k..];
            let mut trim_right = false;
            if rest.starts_with([' ', '\t', '\n', '\r']) && rest[1..].starts_with("-}}") {
                trim_right = true;
                k += 4;
            } else if rest.starts_with("}}") {
                k += 2;
            } else {
                return Err((
                    line_of(src, at),
                    "comment ends before closing delimiter".into(),
                ));
            }
            i = k;
            if trim_right {
                i += src[i..].len() - src[i..].trim_start_matches([' ', '\t', '\n', '\r']).len();
            }
            continue;
        }
        out.push((Tok::Left, start));
        let mut paren = 0;
        loop {
            let rest = &src[j..];
            if rest.is_empty() {
                return Err((line_of(src, start), "unclosed action".into()));
            }
            if rest.starts_with("}}") || is_trim_right(rest) {
                if paren > 0 {
                    return Err((line_of(src, j), "unclosed left paren".into()));
                }
                if rest.starts_with("}}") {
                    out.push((Tok::Right, j));
                    j += 2;
                } else {
                    // the space before "-}}" was already consumed
                    let spaces =
                        rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
                    out.push((Tok::Right, j + spaces + 1));
                    j += spaces + 3;
                    j +=
                        src[j..].len() - src[j..].trim_start_matches([' ', '\t', '\n', '\r']).len();
                }
                break;
            }
            let c = rest.chars().next().unwrap_or(' ');
            let pos = j;
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    let n = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
                    out.push((Tok::Space, pos));
                    j += n;
                }
                '|' => {
                    out.push((Tok::Pipe, pos));
                    j += 1;
                }
                '(' => {
                    paren += 1;
                    out.push((Tok::Open, pos));
                    j += 1;
                }
                ')' => {
                    if paren == 0 {
                        return Err((line_of(src, pos), "unexpected right paren".into()));
                    }
                    paren -= 1;
                    out.push((Tok::Close, pos));
                    j += 1;
                }
                ',' => {
                    out.push((Tok::Comma, pos));
                    j += 1;
                }
                ':' => {
                    if !rest.starts_with(":=") {
                        return Err((line_of(src, pos), "expected :=".into()));
                    }
                    out.push((Tok::Declare, pos));
                    j += 2;
                }
                '=' => {
                    out.push((Tok::Assign, pos));
                    j += 1;
                }
                '"' => {
                    let mut k = 1;
                    let rb = rest.as_bytes();
                    loop {
                        match rb.get(k) {
                            None | Some(b'\n') => {
                                return Err((
                                    line_of(src, pos),
                                    "unterminated quoted string".into(),
                                ));
                            }
                            Some(b'\\') => k += 2,
                            Some(b'"') => break,
                            _ => k += 1,
                        }
                    }
                    let raw = &rest[..=k];
                    let val =
                        unquote(raw).ok_or((line_of(src, pos), "invalid syntax".to_string()))?;
                    out.push((Tok::Str(raw.to_string(), val), pos));
                    j += k + 1;
                }
                '`' => {
                    let Some(end) = rest[1..].find('`') else {
                        return Err((line_of(src, pos), "unterminated raw quoted string".into()));
                    };
                    let raw = &rest[..end + 2];
                    out.push((Tok::Str(raw.to_string(), rest[1..end + 1].to_string()), pos));
                    j += end + 2;
                }
                '\'' => {
                    let rb = rest.as_bytes();
                    let mut k = 1;
                    loop {
                        match rb.get(k) {
                            None | Some(b'\n') => {
                                return Err((
                                    line_of(src, pos),
                                    "unterminated character constant".into(),
                                ));
                            }
                            Some(b'\\') => k += 2,
                            Some(b'\'') => break,
                            _ => k += 1,
                        }
                    }
                    out.push((Tok::Char(rest[..=k].to_string()), pos));
                    j += k + 1;
                }
                '$' => {
                    let n = 1 + ident_len(&rest[1..]);
                    terminated(src, &rest[n..], pos)?;
                    out.push((Tok::Var(rest[..n].to_string()), pos));
                    j += n;
                }
                '.' => {
                    let next = rest[1..].chars().next();
                    if next.is_some_and(|c| c.is_ascii_digit()) {
                        let (n, ok) = scan_number(rest);
                        if !ok {
                            return Err((
                                line_of(src, pos),
                                format!("bad number syntax: {}", crate::go::quote(&rest[..n])),
                            ));
                        }
                        out.push((Tok::Number(rest[..n].to_string()), pos));
                        j += n;
                    } else if next.is_some_and(is_alnum) {
                        let n = 1 + ident_len(&rest[1..]);
                        terminated(src, &rest[n..], pos)?;
                        out.push((Tok::Field(rest[1..n].to_string()), pos));
                        j += n;
                    } else {
                        out.push((Tok::Dot, pos));
                        j += 1;
                    }
                }
                '+' | '-' | '0'..='9' => {
                    let (n, ok) = scan_number(rest);
                    if !ok {
                        return Err((
                            line_of(src, pos),
                            format!("bad number syntax: {}", crate::go::quote(&rest[..n])),
                        ));
                    }
                    out.push((Tok::Number(rest[..n].to_string()), pos));
                    j += n;
                }
                c if is_alnum(c) => {
                    let n = ident_len(rest);
                    terminated(src, &rest[n..], pos)?;
                    let word = &rest[..n];
                    let tok = match word {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        _ => Tok::Ident(word.to_string()),
                    };
                    out.push((tok, pos));
                    j += n;
                    // A field directly after an identifier (`$x.a` handled by Var)
                }
                // Other printable ASCII is a token the parser will not expect.
                c if c.is_ascii() && !c.is_ascii_control() => {
                    out.push((Tok::Other(c), pos));
                    j += 1;
                }
                c => {
                    return Err((
                        line_of(src, pos),
                        format!(
                            "unrecognized character in action: U+{:04X} {}",
                            c as u32,
                            quote_char(c)
                        ),
                    ));
                }
            }
        }
        i = j;
    }
    Ok(out)
}

/// Go's `atTerminator`: what may follow a field, variable or identifier.
fn terminated(src: &str, rest: &str, pos: usize) -> Result<(), (usize, String)> {
    match rest.chars().next() {
        None | Some(' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '(') => Ok(()),
        Some(_) if rest.starts_with("}}") => Ok(()),
        Some(c) => Err((
            line_of(src, pos),
            format!("bad character U+{:04X} {}", c as u32, quote_char(c)),
        )),
    }
}

fn is_trim_right(rest: &str) -> bool {
    let t = rest.trim_start_matches([' ', '\t', '\n', '\r']);
    t.len() < rest.len() && t.starts_with("-}}")
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn ident_len(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !is_alnum(*c))
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

/// Go's `scanNumber`: the length of the number at the start of `s`, and whether it is
/// well formed (not followed by a letter or digit).
fn scan_number(s: &str) -> (usize, bool) {
    let b = s.as_bytes();
    let mut k = 0;
    let accept = |k: &mut usize, set: &[u8]| {
        if b.get(*k).is_some_and(|c| set.contains(c)) {
            *k += 1;
            true
        } else {
            false
        }
    };
    let run = |k: &mut usize, set: &[u8]| {
        while b.get(*k).is_some_and(|c| set.contains(c)) {
            *k += 1;
        }
    };
    accept(&mut k, b"+-");
    let mut digits: &[u8] = b"0123456789_";
    if accept(&mut k, b"0") {
        if accept(&mut k, b"xX") {
            digits = b"0123456789abcdefABCDEF_";
        } else if accept(&mut k, b"oO") {
            digits = b"01234567_";
        } else if accept(&mut k, b"bB") {
            digits = b"01_";
        }
    }
    run(&mut k, digits);
    if accept(&mut k, b".") {
        run(&mut k, digits);
    }
    if digits.len() == 11 && accept(&mut k, b"eE") {
        accept(&mut k, b"+-");
        run(&mut k, b"0123456789_");
    }
    if digits.len() == 23 && accept(&mut k, b"pP") {
        accept(&mut k, b"+-");
        run(&mut k, b"0123456789_");
    }
    accept(&mut k, b"i");
    match s[k..].chars().next() {
        Some(c) if is_alnum(c) => (k + c.len_utf8(), false),
        _ => (k, true),
    }
}

fn quote_char(c: char) -> String {
    let q = crate::go::quote(&c.to_string());
    format!("'{}'", &q[1..q.len() - 1].replace("\\\"", "\""))
}

pub fn line_of(src: &str, pos: usize) -> usize {
    1 + src[..pos.min(src.len())].matches('\n').count()
}

/// A Go interpreted string literal's value.
pub fn unquote(raw: &str) -> Option<String> {
    let body = &raw[1..raw.len() - 1];
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..n).filter_map(|_| chars.next()).collect();
                let v = u32::from_str_radix(&hex, 16).ok()?;
                if hex.len() != n {
                    return None;
                }
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    Some(out)
}
