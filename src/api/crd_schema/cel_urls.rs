//! kube's URL library for CEL: `url(s)`, `isURL(s)`, and on a URL `getScheme()`,
//! `getHost()`, `getHostname()`, `getPort()`, `getEscapedPath()`, `getQuery()`. URLs are
//! parsed as Go's `net/url` parses them (`crate::go::url`): absolute URIs or absolute paths.

use super::cel_library::kube_error;
use crate::go::url::{Url, parse, parse_request_uri};
use cel::common::types::{CelBool, CelList, CelMap, CelMapKey, CelString, Type};
use cel::common::value::{StaticVal, Val};
use cel::{Env, ExecutionError};
use std::any::Any;
use std::collections::HashMap;

static URL: Type = Type::new_unspecified_type("kubernetes.URL");

#[derive(Debug, Clone)]
pub struct CelUrl(Url);

super::cel_library::opaque_value!(CelUrl, URL);

pub fn install(env: &mut Env) {
    let _ = env.add_type(URL.to_owned());
    let _ = cel::add_overload!(env, fn url: (CelString) -> Result<CelUrl>);
    let _ = cel::add_overload!(env, fn is_url: (CelString) -> CelBool, name = "isURL");
    let _ = cel::add_member_overload!(env, fn get_scheme: (CelUrl) -> CelString,
        name = "getScheme");
    let _ = cel::add_member_overload!(env, fn get_host: (CelUrl) -> CelString, name = "getHost");
    let _ = cel::add_member_overload!(env, fn get_hostname: (CelUrl) -> CelString,
        name = "getHostname");
    let _ = cel::add_member_overload!(env, fn get_port: (CelUrl) -> CelString, name = "getPort");
    let _ = cel::add_member_overload!(env, fn get_escaped_path: (CelUrl) -> CelString,
        name = "getEscapedPath");
    let _ = cel::add_member_overload!(env, fn get_query: (CelUrl) -> CelMap, name = "getQuery");
}

/// kube checks with `ParseRequestURI` (what the `uri` format accepts), then keeps what
/// `Parse` makes of it, which splits the fragment off.
fn url(s: &CelString<'_>) -> Result<CelUrl, ExecutionError> {
    let conversion = |e: String| {
        kube_error(format!(
            "URL parse error during conversion from string: {e}"
        ))
    };
    parse_request_uri(s.inner()).map_err(conversion)?;
    parse(s.inner()).map(CelUrl).map_err(conversion)
}

fn is_url(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse_request_uri(s.inner()).is_ok())
}

fn get_scheme(u: &CelUrl) -> CelString<'static> {
    CelString::from(u.0.scheme.clone())
}

fn get_host(u: &CelUrl) -> CelString<'static> {
    CelString::from(u.0.host.clone())
}

fn get_hostname(u: &CelUrl) -> CelString<'static> {
    CelString::from(u.0.hostname().to_string())
}

fn get_port(u: &CelUrl) -> CelString<'static> {
    CelString::from(u.0.port().to_string())
}

fn get_escaped_path(u: &CelUrl) -> CelString<'static> {
    CelString::from(u.0.escaped_path())
}

/// The query in "matrix" form: each key with all its values, unescaped.
fn get_query(u: &CelUrl) -> CelMap<'static> {
    let map: HashMap<CelMapKey<'static>, Box<dyn Val + 'static>> =
        u.0.query()
            .into_iter()
            .map(|(k, values)| {
                let list: Vec<Box<dyn Val>> = values
                    .into_iter()
                    .map(|v| Box::new(CelString::from(v)) as Box<dyn Val>)
                    .collect();
                (
                    CelMapKey::from(k),
                    Box::new(CelList::from(list)) as Box<dyn Val>,
                )
            })
            .collect();
    CelMap::from(map)
}

#[cfg(test)]
mod tests {

    use super::super::cel_library::eval_as_kube as eval;

    #[test]
    fn urls_parse_and_read_as_kubes_do() {
        for src in [
            "isURL('https://user:pass@example.com:80/path?query=val#fragment') && isURL('/absolute-path')",
            "!isURL('https://a:b:c/') && !isURL('../relative-path')",
            "url('/path').getScheme() == '' && url('https://example.com/').getScheme() == 'https'",
            "url('https://example.com:80/').getHost() == 'example.com:80' && url('https://[::1]/').getHost() == '[::1]'",
            "url('https://[::1]:80/').getHostname() == '::1' && url('/path').getHostname() == ''",
            "url('https://example.com:80/').getPort() == '80' && url('https://example.com/').getPort() == ''",
            "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
            "url('https://example.com').getEscapedPath() == ''",
            "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}",
            "url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']}",
            "url('https://example.com/path?').getQuery() == {}",
            "url('https://example.com/a') == url('https://example.com/a') && url('/a') != url('/b')",
        ] {
            assert_eq!(eval(src), Ok(cel::Value::Bool(true)), "{src}");
        }
        assert_eq!(
            eval("url('../relative-path')"),
            Err(
                r#"URL parse error during conversion from string: parse "../relative-path": invalid URI for request"#
                    .to_string()
            )
        );
        assert_eq!(
            eval("url('https://a:b:c/')"),
            Err(
                r#"URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":c" after host"#
                    .to_string()
            )
        );
    }
}
