//! Go's `net/url` parsing (`Parse`, `ParseRequestURI`) and the parts kube-apiserver's CEL
//! URL library reads back (`Hostname`, `Port`, `EscapedPath`, `Query`), with Go's error
//! texts. The `url` crate follows the WHATWG standard instead: it normalises what Go keeps
//! (`https://example.com` gains a path `/`), refuses absolute paths alone, and words errors
//! its own way.

use super::quote;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Url {
    pub scheme: String,
    pub opaque: String,
    /// Unescaped user name and password, if the authority had user information.
    pub user: Option<(String, Option<String>)>,
    /// `host[:port]`, unescaped.
    pub host: String,
    pub path: String,
    /// The path as written, when escaping `path` would not give it back.
    pub raw_path: String,
    pub force_query: bool,
    pub raw_query: String,
    pub fragment: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// `url.ParseRequestURI`: an absolute URI or an absolute path; a fragment is not split off.
pub fn parse_request_uri(raw: &str) -> Result<Url, String> {
    parse_inner(raw, true).map_err(|e| wrap(raw, &e))
}

/// `url.Parse`: any URL reference, with its fragment.
pub fn parse(raw: &str) -> Result<Url, String> {
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    let mut url = parse_inner(rest, false).map_err(|e| wrap(rest, &e))?;
    if let Some(f) = fragment {
        url.fragment = unescape(f, Mode::Fragment).map_err(|e| wrap(raw, &e))?;
    }
    Ok(url)
}

/// `url.Error`'s text: `parse "<url>": <why>`.
fn wrap(raw: &str, why: &str) -> String {
    format!("parse {}: {why}", quote(raw))
}

fn parse_inner(raw: &str, via_request: bool) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw.is_empty() && via_request {
        return Err("empty url".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, mut rest) = scheme_of(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((before, query)) = rest.split_once('?') {
        url.raw_query = query.to_string();
        rest = before;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            // A rootless path after a scheme is opaque (`mailto:x`).
            url.opaque = rest.to_string();
            return Ok(url);
        }
        if via_request {
            return Err("invalid URI for request".into());
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///"))
        && rest.starts_with("//")
    {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    }
    url.path = unescape(rest, Mode::Path)?;
    if escape(&url.path, Mode::Path) != rest {
        url.raw_path = rest.to_string();
    }
    Ok(url)
}

/// The scheme before the first `:`, if what precedes it can be one.
fn scheme_of(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

type UserInfo = Option<(String, Option<String>)>;

fn parse_authority(authority: &str) -> Result<(UserInfo, String), String> {
    let at = authority.rfind('@');
    let host = parse_host(at.map_or(authority, |i| &authority[i + 1..]))?;
    let Some(at) = at else {
        return Ok((None, host));
    };
    let info = &authority[..at];
    let valid = info
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c));
    if !valid {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match info.split_once(':') {
        None => (unescape(info, Mode::UserPassword)?, None),
        Some((name, password)) => (
            unescape(name, Mode::UserPassword)?,
            Some(unescape(password, Mode::UserPassword)?),
        ),
    };
    Ok((Some(user), host))
}

fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(close) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &host[close + 1..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", quote(port)));
        }
        // RFC 6874: `%25` starts a zone, which may escape more than a host may.
        if let Some(zone) = host[..close].find("%25") {
            return Ok(unescape(&host[..zone], Mode::Host)?
                + &unescape(&host[zone..close], Mode::Zone)?
                + &unescape(&host[close..], Mode::Host)?);
        }
    } else if let Some(colon) = host.rfind(':') {
        let port = &host[colon..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", quote(port)));
        }
    }
    unescape(host, Mode::Host)
}

fn hex_value(b: u8) -> u8 {
    (b as char).to_digit(16).unwrap_or(0) as u8
}

/// Go's `shouldEscape`: whether byte `c` must be percent-encoded in `mode`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone) && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::QueryComponent => true,
                Mode::Fragment => false,
                Mode::Host | Mode::Zone => true,
            };
        }
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn escape_error(s: &str) -> String {
    format!("invalid URL escape {}", quote(s))
}

/// Go's `unescape`: `%XX` decoded (and `+` as a space in query components), with Go's
/// checks of what a host or zone may contain.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len()
                    || !b[i + 1].is_ascii_hexdigit()
                    || !b[i + 2].is_ascii_hexdigit()
                {
                    let end = (i + 3).min(b.len());
                    return Err(escape_error(&String::from_utf8_lossy(&b[i..end])));
                }
                let v = hex_value(b[i + 1]) << 4 | hex_value(b[i + 2]);
                let escaped = &s[i..i + 3];
                if mode == Mode::Host && hex_value(b[i + 1]) < 8 && escaped != "%25" {
                    return Err(escape_error(escaped));
                }
                if mode == Mode::Zone
                    && escaped != "%25"
                    && v != b' '
                    && should_escape(v, Mode::Host)
                {
                    return Err(escape_error(escaped));
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        quote(&s[i..i + 1])
                    ));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                out.push(hex_value(b[i + 1]) << 4 | hex_value(b[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if should_escape(c, mode) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(c as char);
        }
    }
    out
}

/// Go's `validEncoded`: `s` holds only what a path may hold unescaped, or escapes.
fn valid_encoded(s: &str) -> bool {
    s.bytes()
        .all(|c| b"!$&'()*+,;=:@[]%".contains(&c) || !should_escape(c, Mode::Path))
}

/// `host` split at a trailing `:port` (digits only), brackets taken off the host.
fn split_host_port(host_port: &str) -> (&str, &str) {
    let (mut host, mut port) = (host_port, "");
    if let Some(colon) = host_port.rfind(':')
        && valid_optional_port(&host_port[colon..])
    {
        host = &host_port[..colon];
        port = &host_port[colon + 1..];
    }
    if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
        host = &host[1..host.len() - 1];
    }
    (host, port)
}

impl Url {
    pub fn hostname(&self) -> &str {
        split_host_port(&self.host).0
    }

    pub fn port(&self) -> &str {
        split_host_port(&self.host).1
    }

    /// `URL.EscapedPath`: the path as written when that is a valid encoding of it,
    /// else the path escaped.
    pub fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path)
            && unescape(&self.raw_path, Mode::Path).as_deref() == Ok(self.path.as_str())
        {
            return self.raw_path.clone();
        }
        if self.path == "*" {
            return "*".into();
        }
        escape(&self.path, Mode::Path)
    }

    /// `URL.Query`: the query's keys with their values in order, unescaped; pairs that
    /// do not unescape, or hold a `;`, are dropped as Go drops them.
    pub fn query(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        // Where each key is in `out`: a long query of distinct keys stays linear.
        let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for pair in self.raw_query.split('&') {
            if pair.is_empty() || pair.contains(';') {
                continue;
            }
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (Ok(k), Ok(v)) = (
                unescape(k, Mode::QueryComponent),
                unescape(v, Mode::QueryComponent),
            ) else {
                continue;
            };
            match at.get(&k) {
                Some(&i) => out[i].1.push(v),
                None => {
                    at.insert(k.clone(), out.len());
                    out.push((k, vec![v]));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_uris_parse_as_go_parses_them() {
        let u = parse("https://user:pass@example.com:80/path?query=val#fragment").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.hostname(), u.port()),
            ("https", "example.com:80", "example.com", "80")
        );
        assert_eq!(u.user, Some(("user".to_string(), Some("pass".to_string()))));
        assert_eq!(
            (u.path.as_str(), u.fragment.as_str()),
            ("/path", "fragment")
        );
        let v6 = parse("https://[::1]:80/").unwrap();
        assert_eq!(
            (v6.host.as_str(), v6.hostname(), v6.port()),
            ("[::1]:80", "::1", "80")
        );
        assert_eq!(parse("/absolute-path").unwrap().path, "/absolute-path");
        assert_eq!(
            parse("https://example.com/path with spaces/")
                .unwrap()
                .escaped_path(),
            "/path%20with%20spaces/"
        );
        assert_eq!(
            parse("https://example.com/a%2Fb").unwrap().escaped_path(),
            "/a%2Fb"
        );
        assert_eq!(parse("https://example.com").unwrap().escaped_path(), "");
        assert_eq!(
            parse("https://example.com/path?k1=a&k2=b&k2=c&x+y=1%202")
                .unwrap()
                .query(),
            [
                ("k1".to_string(), vec!["a".to_string()]),
                ("k2".to_string(), vec!["b".to_string(), "c".to_string()]),
                ("x y".to_string(), vec!["1 2".to_string()]),
            ]
        );
        assert!(parse("https://example.com/path?").unwrap().force_query);
        assert_eq!(parse("mailto:a@b").unwrap().opaque, "a@b");
        for (input, want) in [
            (
                "https://a:b:c/",
                r#"parse "https://a:b:c/": invalid port ":c" after host"#,
            ),
            (
                "../relative-path",
                r#"parse "../relative-path": invalid URI for request"#,
            ),
            ("", r#"parse "": empty url"#),
            (":x", r#"parse ":x": missing protocol scheme"#),
            (
                "http://a b/",
                r#"parse "http://a b/": invalid character " " in host name"#,
            ),
            ("/a%zz", r#"parse "/a%zz": invalid URL escape "%zz""#),
            (
                "http://x\n/",
                r#"parse "http://x\n/": net/url: invalid control character in URL"#,
            ),
            (
                "http://[::1/",
                r#"parse "http://[::1/": missing ']' in host"#,
            ),
        ] {
            assert_eq!(parse_request_uri(input), Err(want.to_string()), "{input}");
        }
        assert!(parse_request_uri("/path#frag").is_ok());
    }
}
