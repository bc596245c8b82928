//! The in-process surfaces: each one's entry points, its oracle, and a generator of
//! well-formed-ish inputs built with `arbitrary` from random bytes.

use crate::engine::Surface;
use crate::fake_etcd::{FakeBackend, FakeStore};
use arbitrary::{Result as ArbResult, Unstructured};
use kubelite::api::selector::{FieldSelector, LabelSelector};
use serde_json::{Map, Value, json};
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub fn all() -> Vec<Surface> {
    let mut all = vec![
        Surface {
            name: "manifest",
            dict: MANIFEST_DICT,
            generate: gen_manifest,
            check: check_manifest,
            max_len: 16 * 1024,
        },
        Surface {
            name: "quantity",
            dict: &[
                "Ki",
                "Mi",
                "Gi",
                "Ti",
                "Pi",
                "Ei",
                "m",
                "k",
                "M",
                "G",
                "e",
                "E",
                "e18",
                "E-9",
                ".",
                "-",
                "+",
                "99999999999999999999",
                "h",
                "ms",
                "us",
                "ns",
                "s",
            ],
            generate: gen_quantity,
            check: check_quantity,
            max_len: 256,
        },
        Surface {
            name: "label-selector",
            dict: LABEL_DICT,
            generate: gen_label_selector,
            check: check_label_selector,
            max_len: 1024,
        },
        Surface {
            name: "field-selector",
            dict: FIELD_DICT,
            generate: gen_field_selector,
            check: check_field_selector,
            max_len: 1024,
        },
        Surface {
            name: "jsonpath",
            dict: JSONPATH_DICT,
            generate: gen_jsonpath,
            check: check_jsonpath,
            max_len: 1024,
        },
        Surface {
            name: "custom-columns",
            dict: JSONPATH_DICT,
            generate: gen_custom_columns,
            check: check_custom_columns,
            max_len: 1024,
        },
        Surface {
            name: "patch",
            dict: PATCH_DICT,
            generate: gen_patch,
            check: check_patch,
            max_len: 8 * 1024,
        },
        Surface {
            name: "kubeconfig",
            dict: KUBECONFIG_DICT,
            generate: gen_kubeconfig,
            check: check_kubeconfig,
            max_len: 8 * 1024,
        },
        Surface {
            name: "etcdctl",
            dict: ETCDCTL_DICT,
            generate: gen_etcdctl,
            check: check_etcdctl,
            max_len: 2048,
        },
        Surface {
            name: "protobuf",
            dict: &[
                "k8s\0",
                "\n\x02v1",
                "\x12\x03Pod",
                "ConfigMap",
                "apps/v1",
                "Deployment",
            ],
            generate: gen_protobuf,
            check: check_protobuf,
            max_len: 8 * 1024,
        },
        Surface {
            name: "ws-frames",
            dict: &[
                "\u{82}",
                "\u{88}",
                "\u{89}\u{80}",
                "\u{7e}",
                "\u{7f}",
                "\u{ff}\u{ff}",
            ],
            generate: gen_ws,
            check: check_ws,
            max_len: 4096,
        },
        Surface {
            name: "spdy-frames",
            dict: &[
                "\u{80}\u{3}\0\u{1}",
                "\u{80}\u{3}\0\u{3}",
                "\0\0\0\u{1}",
                "\u{ff}\u{ff}\u{ff}",
            ],
            generate: gen_spdy,
            check: check_spdy,
            max_len: 4096,
        },
    ];
    all.extend(crate::surfaces_verbs::all());
    all
}

// ---------------------------------------------------------------- shared pieces

pub(crate) fn text(input: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(input)
}

pub(crate) fn pick<'a>(u: &mut Unstructured<'_>, from: &[&'a str]) -> ArbResult<&'a str> {
    Ok(*u.choose(from)?)
}

/// A short name: mostly plausible (`app`, `a-b.c`), sometimes odd bytes.
pub(crate) fn name(u: &mut Unstructured<'_>) -> ArbResult<String> {
    const CHARS: &[u8] = b"abcxyz019-._/";
    if u.ratio(1, 8)? {
        return u.arbitrary::<String>();
    }
    let n = u.int_in_range(0..=12)?;
    let mut s = String::new();
    for _ in 0..n {
        s.push(*u.choose(CHARS)? as char);
    }
    Ok(s)
}

/// Objects the templates and selectors run against.
fn samples() -> &'static [Value] {
    static S: OnceLock<Vec<Value>> = OnceLock::new();
    S.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/manifests");
        let mut out = Vec::new();
        for f in ["pod.json", "deployment.yaml", "service.yaml"] {
            let Ok(t) = std::fs::read_to_string(root.join(f)) else {
                continue;
            };
            if let Ok(v) = serde_saphyr::from_str::<Value>(&t) {
                out.push(v);
            }
        }
        out.push(json!({"kind": "List", "apiVersion": "v1", "items": out.clone()}));
        out.push(
            json!({"a": [1, 2.5, -3, null, true, "x"], "b": {"c.d": {"e": []}},
                        "n": 18446744073709551615u64, "s": "\u{0}\u{ffff}"}),
        );
        out
    })
}

/// A JSON value of bounded depth whose keys come from `keys`.
pub(crate) fn json_value(u: &mut Unstructured<'_>, keys: &[&str], depth: u32) -> ArbResult<Value> {
    let leaf = depth == 0 || u.ratio(1, 3)?;
    if leaf {
        return Ok(match u.int_in_range(0..=6)? {
            0 => Value::Null,
            1 => Value::Bool(u.arbitrary()?),
            2 => json!(u.arbitrary::<i64>()?),
            3 => json!(u.int_in_range(0..=5)?),
            4 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
            5 => Value::String(pick(u, keys)?.to_string()),
            _ => Value::String(name(u)?),
        });
    }
    if u.ratio(1, 3)? {
        let n = u.int_in_range(0..=4)?;
        let mut a = Vec::new();
        for _ in 0..n {
            a.push(json_value(u, keys, depth - 1)?);
        }
        return Ok(Value::Array(a));
    }
    let n = u.int_in_range(0..=5)?;
    let mut m = Map::new();
    for _ in 0..n {
        let k = if u.ratio(7, 8)? {
            pick(u, keys)?.to_string()
        } else {
            name(u)?
        };
        m.insert(k, json_value(u, keys, depth - 1)?);
    }
    Ok(Value::Object(m))
}

// ---------------------------------------------------------------- manifests

pub(crate) const MANIFEST_DICT: &[&str] = &[
    "---\n",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "kind: List\n",
    "metadata:\n",
    "  name: x\n",
    "items:\n- ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!str ",
    "? ",
    "|\n",
    ">-\n",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "\t",
    "  ",
    "- ",
    ": ",
    "#",
    "%YAML 1.2\n",
    "...\n",
    "~",
    "0x1F",
    ".inf",
    "1e400",
    "\\u0000",
    "\u{feff}",
];

const OBJECT_KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "labels",
    "annotations",
    "spec",
    "containers",
    "image",
    "replicas",
    "selector",
    "matchLabels",
    "template",
    "items",
    "ports",
    "port",
    "status",
    "data",
    "type",
    "v1",
    "apps/v1",
    "Pod",
    "Deployment",
    "Service",
    "ConfigMap",
    "List",
    "Namespace",
    "Node",
    "default",
];

pub fn gen_manifest(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let docs = u.int_in_range(1..=3)?;
    let mut out = String::new();
    for i in 0..docs {
        let mut v = json_value(u, OBJECT_KEYS, 4)?;
        if let Value::Object(m) = &mut v {
            m.insert(
                "apiVersion".into(),
                json!(pick(u, &["v1", "apps/v1", "batch/v1", "x/y", ""])?),
            );
            m.insert(
                "kind".into(),
                json!(pick(
                    u,
                    &["Pod", "Deployment", "List", "Service", "Nope", "ConfigMap"]
                )?),
            );
        }
        if i > 0 {
            out.push_str("---\n");
        }
        if u.ratio(1, 3)? {
            out.push_str(&v.to_string());
            out.push('\n');
        } else {
            out.push_str(&kubelite::print::yaml::try_to_yaml(&v).unwrap_or_default());
        }
    }
    Ok(out.into_bytes())
}

fn remote() -> &'static kubelite::client::Remote {
    static R: OnceLock<kubelite::client::Remote> = OnceLock::new();
    R.get_or_init(|| {
        kubelite::client::install_tls_provider();
        kubelite::client::Remote::new("https://127.0.0.1:9", None, None).expect("remote")
    })
}

/// Whether a string of `v` (key or value) holds NEL, LS or PS.
fn has_break_quirk(v: &Value) -> bool {
    let odd = |s: &str| s.contains(['\u{85}', '\u{2028}', '\u{2029}']);
    match v {
        Value::String(s) => odd(s),
        Value::Array(a) => a.iter().any(has_break_quirk),
        Value::Object(m) => m.iter().any(|(k, v)| odd(k) || has_break_quirk(v)),
        _ => false,
    }
}

fn check_manifest(input: &[u8]) -> Result<(), String> {
    use crate::cli::manifest::{Source, documents_for, split_documents};
    let text = text(input).into_owned();
    for (offset, doc) in split_documents(&text) {
        if !text[offset..].starts_with(doc) {
            return Err(format!(
                "split_documents: piece at {offset} is not the text there"
            ));
        }
    }
    let source = Arc::new(Source {
        name: "fuzz.yaml".into(),
        text,
    });
    let global = kubelite::cli::GlobalFlags::default();
    for doc in documents_for(&[source], remote(), &global) {
        match doc {
            Ok(d) => {
                let _ = d.name();
                let _ = d.namespace_in("default");
                // The YAML printer's output reads back as the same object, where kubectl's
                // own quirks allow: go-yaml fails on C1 controls (the error is right), folds
                // NEL and keeps LS/PS as breaks (a YAML 1.2 reader differs), and reads an
                // out-of-range float as a string (serde-saphyr refuses it).
                if let Ok(yaml) = kubelite::print::yaml::try_to_yaml(&d.value)
                    && !has_break_quirk(&d.value)
                {
                    match serde_saphyr::from_str::<Value>(&yaml) {
                        Ok(back) => {
                            if let Some(diff) = json_diff(&d.value, &back, "") {
                                return Err(format!(
                                    "printed YAML reads back different at {diff}:\n{yaml}"
                                ));
                            }
                        }
                        Err(e) if e.to_string().contains("non-finite float") => {}
                        Err(e) => return Err(format!("printed YAML does not parse: {e}\n{yaml}")),
                    }
                }
                // So does the JSON printer's.
                let printed = kubelite::print::json::to_json(&d.value);
                let back: Value = serde_json::from_str(&printed)
                    .map_err(|e| format!("printed JSON does not parse: {e}\n{printed}"))?;
                if let Some(diff) = json_diff(&d.value, &back, "") {
                    return Err(format!("printed JSON reads back different at {diff}"));
                }
            }
            Err(e) => {
                let _ = e.render(true);
                let _ = e.render(false);
                let _ = e.to_string();
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- quantities, durations

fn gen_quantity(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let sign = pick(u, &["", "-", "+"])?;
    let shift = u.int_in_range(0..=63)?;
    let int = u.int_in_range(0u64..=u64::MAX >> shift)?;
    let frac = if u.ratio(1, 3)? {
        format!(".{}", u.int_in_range(0u32..=999_999)?)
    } else {
        String::new()
    };
    let suffix = pick(
        u,
        &[
            "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "m", "n", "u", "k", "M", "G", "T", "P", "E",
            "e3", "E-3", "e40", "e-40", "h", "m30s", "ms", "1.5h",
        ],
    )?;
    Ok(format!("{sign}{int}{frac}{suffix}").into_bytes())
}

fn check_quantity(input: &[u8]) -> Result<(), String> {
    use kubelite::api::quantity::Quantity;
    let t = text(input);
    if let Ok(q) = Quantity::parse(&t) {
        let printed = q.to_string();
        let again = Quantity::parse(&printed)
            .map_err(|e| format!("printed quantity {printed:?} does not parse: {e}"))?;
        if again.nanos() != q.nanos() {
            return Err(format!(
                "quantity {t:?} prints as {printed:?}, which reads as another amount"
            ));
        }
        let _ = (q.milli_value(), q.value(), q.is_zero());
        let mut sum = q;
        sum.add(&q);
        let _ = sum.to_string();
        let _ = Quantity::from_json(&json!(t));
    }
    let _ = kubelite::go::duration::seconds(&t);
    let _ = kubelite::kubeconfig::parse_request_timeout(&t);
    Ok(())
}

// ---------------------------------------------------------------- selectors

const LABEL_DICT: &[&str] = &[
    ",",
    "=",
    "==",
    "!=",
    " in ",
    " notin ",
    "(",
    ")",
    "!",
    ">",
    "<",
    " ",
    "app",
    "a.b/c",
    "example.com/",
    "-",
    "_",
    ".",
    "\t",
    "1",
    "-1",
    "99999999999999999999",
];

fn label_maps() -> Vec<Map<String, Value>> {
    let mk = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect::<Map<String, Value>>()
    };
    vec![
        Map::new(),
        mk(&[("app", "web"), ("tier", "front")]),
        mk(&[("a.b/c", "1"), ("x", "")]),
        mk(&[("n", "5"), ("app", "db")]),
    ]
}

fn gen_label_selector(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    if u.ratio(1, 4)? {
        let keys = &[
            "matchLabels",
            "matchExpressions",
            "key",
            "operator",
            "values",
            "In",
            "NotIn",
            "Exists",
            "DoesNotExist",
            "Gt",
            "app",
            "tier",
        ];
        return Ok(json_value(u, keys, 4)?.to_string().into_bytes());
    }
    let n = u.int_in_range(0..=4)?;
    let mut terms = Vec::new();
    for _ in 0..n {
        let key = if u.ratio(1, 3)? {
            format!("{}/{}", name(u)?, name(u)?)
        } else {
            pick(u, &["app", "tier", "n", "a.b/c", "x"])?.to_string()
        };
        let term = match u.int_in_range(0..=7)? {
            0 => format!("{key}={}", name(u)?),
            1 => format!("{key}=={}", name(u)?),
            2 => format!("{key}!={}", name(u)?),
            3 | 4 => {
                let k = u.int_in_range(0..=3)?;
                let mut vals = Vec::new();
                for _ in 0..k {
                    vals.push(name(u)?);
                }
                let op = if u.ratio(1, 2)? { "in" } else { "notin" };
                format!("{key} {op} ({})", vals.join(","))
            }
            5 => format!("!{key}"),
            6 => format!("{key}{}{}", pick(u, &[">", "<"])?, u.int_in_range(-3..=9)?),
            _ => key,
        };
        terms.push(term);
    }
    Ok(terms.join(pick(u, &[",", ", ", " ,"])?).into_bytes())
}

fn check_label_selector(input: &[u8]) -> Result<(), String> {
    // A selector object (matchLabels, matchExpressions) as manifests carry it.
    if let Ok(v) = serde_json::from_slice::<Value>(input) {
        if let Ok(sel) = LabelSelector::from_object(&v) {
            let _ = sel.to_string();
            for labels in label_maps() {
                let _ = sel.matches(Some(&labels));
            }
        }
        let _ = kubelite::api::selector::format_label_selector(&v);
        if let Value::Object(m) = &v {
            let _ = LabelSelector::from_map(m).to_string();
        }
    }
    let s = text(input);
    let Ok(sel) = LabelSelector::parse(&s) else {
        return Ok(());
    };
    // Printing is a fixed point: what prints parses back and prints the same.
    let printed = sel.to_string();
    let again = LabelSelector::parse(&printed)
        .map_err(|e| format!("printed selector {printed:?} does not parse: {e}"))?;
    if again.to_string() != printed {
        return Err(format!("printed selector {printed:?} reprints as {again}"));
    }
    for labels in label_maps() {
        if sel.matches(Some(&labels)) != again.matches(Some(&labels)) {
            return Err(format!(
                "{printed:?} matches {labels:?} differently after printing"
            ));
        }
    }
    let _ = sel.matches(None);
    let _ = sel.is_empty();
    Ok(())
}

const FIELD_DICT: &[&str] = &[
    ",",
    "=",
    "==",
    "!=",
    "\\",
    "\\,",
    "\\=",
    "metadata.name",
    "metadata.namespace",
    "spec.nodeName",
    "status.phase",
    "spec.restartPolicy",
    "type",
    "involvedObject.name",
    " ",
];

fn gen_field_selector(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let n = u.int_in_range(0..=3)?;
    let mut terms = Vec::new();
    for _ in 0..n {
        let key = pick(u, &FIELD_DICT[7..14])?;
        let op = pick(u, &["=", "==", "!="])?;
        let mut value = name(u)?;
        if u.ratio(1, 4)? {
            value.push_str(pick(u, &["\\,", "\\=", "\\\\", "\\"])?);
        }
        terms.push(format!("{key}{op}{value}"));
    }
    Ok(terms.join(",").into_bytes())
}

fn check_field_selector(input: &[u8]) -> Result<(), String> {
    let s = text(input);
    let Ok(sel) = FieldSelector::parse(&s) else {
        return Ok(());
    };
    // kubectl sorts a field selector's raw terms before parsing, so printing is not a fixed
    // point at once: the terms survive printing, and the second printing is stable.
    let printed = sel.to_string();
    let again = FieldSelector::parse(&printed)
        .map_err(|e| format!("printed field selector {printed:?} does not parse: {e}"))?;
    let terms = |f: &FieldSelector| {
        let mut t: Vec<(String, String, bool)> = f
            .terms
            .iter()
            .map(|t| (t.field.clone(), t.value.clone(), t.negated))
            .collect();
        t.sort();
        t
    };
    if terms(&again) != terms(&sel) {
        return Err(format!(
            "printed field selector {printed:?} parses to other terms"
        ));
    }
    let stable = again.to_string();
    let third = FieldSelector::parse(&stable)
        .map_err(|e| format!("reprinted field selector {stable:?} does not parse: {e}"))?;
    if third.to_string() != stable {
        return Err(format!("field selector {stable:?} reprints as {third}"));
    }
    for obj in samples() {
        if sel.matches(obj) != again.matches(obj) {
            return Err(format!("{printed:?} matches differently after printing"));
        }
    }
    for resource in ["pods", "events", "secrets", "nodes", "namespaces", "nope"] {
        let _ = sel.validate_for(resource);
        let _ = sel.normalized_for(resource);
    }
    Ok(())
}

// ---------------------------------------------------------------- jsonpath, custom-columns

const JSONPATH_DICT: &[&str] = &[
    "{",
    "}",
    ".",
    "..",
    "[*]",
    "[0]",
    "[-1]",
    "[1:]",
    "[:2:-1]",
    "[?(@.name==\"x\")]",
    "[?(@.a>1)]",
    "[?(@.a)]",
    "{range .items[*]}",
    "{end}",
    "{@}",
    "{$}",
    "{.items[*]['a','b']}",
    "\"\\n\"",
    "\\",
    "'",
    "metadata",
    "name",
    "items",
    "spec",
    "containers",
    "\"",
    "==",
    "!=",
    "<=",
    ">=",
    " ",
    ",",
    ":",
    "[",
    "]",
    "(",
    ")",
    "@",
    "$",
    "9223372036854775808",
];

fn gen_path(u: &mut Unstructured<'_>) -> ArbResult<String> {
    let mut p = String::new();
    for _ in 0..u.int_in_range(1..=5)? {
        let seg = match u.int_in_range(0..=9)? {
            0 => "[*]".to_string(),
            1 => format!("[{}]", u.int_in_range(-3..=3)?),
            2 => format!("[{}:{}]", u.int_in_range(-2..=2)?, u.int_in_range(-2..=4)?),
            3 => format!(
                "[?(@.{}{}\"{}\")]",
                pick(u, OBJECT_KEYS)?,
                pick(u, &["==", "!=", "<", ">", "<=", ">="])?,
                name(u)?
            ),
            4 => format!("..{}", pick(u, OBJECT_KEYS)?),
            5 => format!("['{}','{}']", pick(u, OBJECT_KEYS)?, pick(u, OBJECT_KEYS)?),
            _ => format!(".{}", pick(u, OBJECT_KEYS)?),
        };
        p.push_str(&seg);
    }
    Ok(p)
}

fn gen_jsonpath(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let mut t = String::new();
    for _ in 0..u.int_in_range(1..=4)? {
        match u.int_in_range(0..=5)? {
            0 => t.push_str(&format!(
                "{{range {}}}{{{}}}{{\"\\n\"}}{{end}}",
                gen_path(u)?,
                gen_path(u)?
            )),
            1 => t.push_str(&name(u)?),
            2 => t.push_str(pick(u, &["{@}", "{$}", "{\"\\t\"}", "{'x'}"])?),
            _ => t.push_str(&format!("{{{}}}", gen_path(u)?)),
        }
    }
    Ok(t.into_bytes())
}

fn check_jsonpath(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let _ = kubelite::print::jsonpath::parse(&t);
    let Ok(jp) = kubelite::print::jsonpath::parse_template(&t) else {
        return Ok(());
    };
    for obj in samples() {
        match jp.render(obj) {
            Ok(_) => {}
            Err(e) => {
                let _ = kubelite::print::jsonpath::stderr_text(&e);
            }
        }
        // `--sort-by` reads its key with the same template.
        let _ = kubelite::print::table_sort::simple_path(obj, &t);
        if let Ok(lists) = jp.find_results(obj) {
            for r in lists.iter().flatten() {
                let _ = r.to_text();
                let _ = r.fmt_v();
            }
        }
    }
    Ok(())
}

fn gen_custom_columns(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let mut cols = Vec::new();
    for _ in 0..u.int_in_range(1..=4)? {
        let path = gen_path(u)?;
        let path = match u.int_in_range(0..=2)? {
            0 => format!("{{{path}}}"),
            1 => path.trim_start_matches('.').to_string(),
            _ => path,
        };
        cols.push(format!("{}:{path}", name(u)?.to_uppercase()));
    }
    Ok(cols.join(",").into_bytes())
}

fn check_custom_columns(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let Ok(cols) = kubelite::print::custom_columns::parse_spec(&t) else {
        return Ok(());
    };
    let objs = samples();
    let _ = kubelite::print::custom_columns::render(&cols, objs, false);
    let _ = kubelite::print::custom_columns::render(&cols, &objs[..1], true);
    Ok(())
}

// ---------------------------------------------------------------- patches

const PATCH_DICT: &[&str] = &[
    "\"$patch\":\"delete\"",
    "\"$patch\":\"replace\"",
    "\"$patch\":\"merge\"",
    "\"$retainKeys\":",
    "\"$deleteFromPrimitiveList/finalizers\":",
    "\"$setElementOrder/containers\":",
    "{\"op\":\"add\",\"path\":\"/a\",\"value\":1}",
    "{\"op\":\"remove\",\"path\":\"/spec\"}",
    "{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b\"}",
    "\"/-\"",
    "\"~1\"",
    "\"~2\"",
    "null",
    "[]",
    "{}",
    ",",
    ":",
    "\"containers\"",
    "\"name\"",
    "\"finalizers\"",
    "\"/0\"",
    "\"\"",
];

const PATCH_KEYS: &[&str] = &[
    "metadata",
    "labels",
    "annotations",
    "finalizers",
    "spec",
    "containers",
    "name",
    "image",
    "ports",
    "containerPort",
    "env",
    "value",
    "volumes",
    "template",
    "replicas",
    "status",
    "conditions",
    "type",
    "$patch",
    "$retainKeys",
    "$deleteFromPrimitiveList/finalizers",
    "$setElementOrder/containers",
    "$setElementOrder/ports",
    "delete",
    "replace",
    "merge",
    "tolerations",
    "key",
    "imagePullSecrets",
    "hostAliases",
    "ip",
    "data",
];

const PATCH_PATHS: &[&str] = &[
    "",
    "/",
    "/metadata",
    "/metadata/labels/app",
    "/metadata/labels/a~1b",
    "/spec/containers/0",
    "/spec/containers/-",
    "/spec/containers/0/name",
    "/spec/containers/9",
    "/spec/containers/-1",
    "/spec/containers/01",
    "/spec",
    "/x/y/z",
    "/~2",
    "/~",
    "/a~0b",
    "/spec/replicas",
    "/metadata/finalizers/0",
    "/items/18446744073709551616",
];

pub fn gen_patch(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let v = if u.ratio(1, 2)? {
        let mut ops = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            let mut op = Map::new();
            op.insert(
                "op".into(),
                json!(pick(
                    u,
                    &["add", "remove", "replace", "move", "copy", "test", "nope"]
                )?),
            );
            op.insert("path".into(), json!(pick(u, PATCH_PATHS)?));
            if u.ratio(1, 2)? {
                op.insert("from".into(), json!(pick(u, PATCH_PATHS)?));
            }
            if u.ratio(2, 3)? {
                op.insert("value".into(), json_value(u, PATCH_KEYS, 3)?);
            }
            ops.push(Value::Object(op));
        }
        Value::Array(ops)
    } else {
        json_value(u, PATCH_KEYS, 5)?
    };
    Ok(v.to_string().into_bytes())
}

fn targets() -> &'static [Value] {
    static T: OnceLock<Vec<Value>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: Vec<Value> = samples()[..samples().len().min(2)].to_vec();
        t.push(
            json!({"metadata": {"name": "a", "finalizers": ["x", "y"], "labels": {"a/b": "c"}},
                      "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}],
                               "replicas": 1}}),
        );
        t.push(json!([1, 2, 3]));
        t.push(Value::Null);
        t
    })
}

/// Where two JSON values differ; floats within a relative 1e-12 are the same (the text
/// form of a float need not read back to the very same bits).
pub fn json_diff(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x != y => {
            let (fx, fy) = (x.as_f64()?, y.as_f64()?);
            let close = (fx - fy).abs() <= 1e-12 * fx.abs().max(fy.abs());
            (!close).then(|| format!("{path}: {x} vs {y}"))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} items vs {}", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| json_diff(p, q, &format!("{path}/{i}")))
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.keys().any(|k| !y.contains_key(k)) {
                return Some(format!(
                    "{path}: keys {:?} vs {:?}",
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>()
                ));
            }
            x.iter()
                .find_map(|(k, p)| json_diff(p, &y[k], &format!("{path}/{k}")))
        }
        (Value::Number(_), Value::Number(_)) => None,
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

/// A value serializes to JSON that reads back as the same value.
pub(crate) fn is_json(v: &Value, what: &str) -> Result<(), String> {
    let s = serde_json::to_string(v).map_err(|e| format!("{what}: not serializable: {e}"))?;
    let back: Value =
        serde_json::from_str(&s).map_err(|e| format!("{what}: result does not parse: {e}"))?;
    match json_diff(v, &back, "") {
        None => Ok(()),
        Some(d) => Err(format!("{what}: result reads back different at {d}")),
    }
}

fn check_patch(input: &[u8]) -> Result<(), String> {
    let Ok(patch) = serde_json::from_slice::<Value>(input) else {
        return Ok(());
    };
    for target in targets() {
        let mut t = target.clone();
        if kubelite::apiserver::smp::apply(&mut t, &patch).is_ok() {
            is_json(&t, "strategic merge")?;
        }
        let mut m = target.clone();
        kubelite::apiserver::patch::merge_patch(&mut m, &patch);
        is_json(&m, "merge patch")?;
        // RFC 7386 patches are idempotent.
        let mut twice = m.clone();
        kubelite::apiserver::patch::merge_patch(&mut twice, &patch);
        if twice != m {
            return Err("merge patch: applying it twice differs from once".into());
        }
        let mut j = target.clone();
        if kubelite::apiserver::patch::json_patch(&mut j, &patch).is_ok() {
            is_json(&j, "json patch")?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- kubeconfig

const KUBECONFIG_DICT: &[&str] = &[
    "apiVersion: v1\n",
    "kind: Config\n",
    "clusters:\n",
    "- name: c\n",
    "  cluster:\n",
    "    server: https://127.0.0.1:6443\n",
    "    server: kubelite://\n",
    "    server: kubelite:///tmp/x\n",
    "    certificate-authority-data: AAAA\n",
    "    insecure-skip-tls-verify: true\n",
    "users:\n",
    "  user:\n",
    "    token: t\n",
    "    exec:\n",
    "      command: x\n",
    "contexts:\n",
    "  context:\n",
    "    cluster: c\n",
    "    user: u\n",
    "    namespace: n\n",
    "current-context: c\n",
    "preferences: {}\n",
    "extensions:\n",
    "null\n",
    "[]",
    "{}",
    ": ",
    "- ",
    "\"",
    "~",
    "&a",
    "*a",
];

fn gen_kubeconfig(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let names = ["c", "u", "x", "", "kubelite"];
    let mut doc = Map::new();
    doc.insert("apiVersion".into(), json!("v1"));
    doc.insert("kind".into(), json!(pick(u, &["Config", "Nope"])?));
    let mut clusters = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        let mut c = Map::new();
        c.insert(
            "server".into(),
            json!(pick(
                u,
                &[
                    "https://127.0.0.1:6443",
                    "kubelite://",
                    "kubelite:///tmp/k",
                    "http://[::1",
                    "",
                    "x:y"
                ]
            )?),
        );
        if u.ratio(1, 2)? {
            c.insert(
                pick(
                    u,
                    &[
                        "certificate-authority-data",
                        "certificate-authority",
                        "tls-server-name",
                        "insecure-skip-tls-verify",
                        "proxy-url",
                        "extensions",
                    ],
                )?
                .into(),
                json_value(u, &["a", "AAAA", "true"], 1)?,
            );
        }
        clusters.push(json!({"name": pick(u, &names)?, "cluster": c}));
    }
    let mut users = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        let key = pick(
            u,
            &[
                "token",
                "tokenFile",
                "username",
                "password",
                "client-certificate-data",
                "client-key-data",
                "exec",
                "auth-provider",
                "as",
                "as-groups",
            ],
        )?;
        users.push(json!({"name": pick(u, &names)?,
                          "user": {key: json_value(u, &["apiVersion", "command", "args", "env", "x"], 2)?}}));
    }
    let mut contexts = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        contexts.push(json!({"name": pick(u, &names)?,
                             "context": {"cluster": pick(u, &names)?, "user": pick(u, &names)?,
                                         "namespace": name(u)?}}));
    }
    doc.insert("clusters".into(), Value::Array(clusters));
    doc.insert("users".into(), Value::Array(users));
    doc.insert("contexts".into(), Value::Array(contexts));
    doc.insert("current-context".into(), json!(pick(u, &names)?));
    let v = Value::Object(doc);
    Ok(kubelite::print::yaml::try_to_yaml(&v)
        .unwrap_or_default()
        .into_bytes())
}

/// A private directory per thread for the kubeconfig file; removed when the thread ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

thread_local! {
    static SCRATCH: Scratch = {
        let dir = std::env::temp_dir().join(format!(
            "kubelite-fuzz-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ))
        .to_string_lossy()
        .replace(['(', ')'], "");
        let _ = std::fs::create_dir_all(&dir);
        Scratch(PathBuf::from(dir))
    };
}

fn check_kubeconfig(input: &[u8]) -> Result<(), String> {
    use kubelite::kubeconfig::{Environment, InClusterEnv, Loaded, Overrides, select_with};
    let (path, home) = SCRATCH.with(|s| (s.0.join("config"), s.0.join("home")));
    std::fs::write(&path, input).map_err(|e| format!("scratch write: {e}"))?;
    let file = path.to_string_lossy().into_owned();
    let env = Environment {
        kubeconfig: None,
        home: Some(home.clone()),
    };
    let in_cluster = InClusterEnv {
        host: None,
        port: None,
        pod_namespace: None,
        account_dir: home.join("sa"),
    };
    for context in [None, Some("c"), Some("kubelite")] {
        let o = Overrides {
            kubeconfig: Some(file.clone()),
            context: context.map(str::to_string),
            ..Overrides::default()
        };
        let _ = select_with(&o, &env, &in_cluster, &home);
    }
    let o = Overrides {
        kubeconfig: Some(file.clone()),
        namespace: Some("n".into()),
        server: Some("https://127.0.0.1:1".into()),
        token: Some("t".into()),
        request_timeout: "1s".into(),
        ..Overrides::default()
    };
    let _ = select_with(&o, &env, &in_cluster, &home);
    if let Ok(loaded) = Loaded::load(Some(&file), &env, true) {
        let _ = loaded.is_kubelite_default();
    }
    if let Ok(v) = serde_saphyr::from_str::<Value>(&text(input)) {
        let _ = kubelite::kubeconfig::render(&v);
    }
    Ok(())
}

// ---------------------------------------------------------------- etcdctl

const ETCDCTL_DICT: &[&str] = &[
    "get ",
    "put ",
    "del ",
    "txn ",
    "watch ",
    "compaction ",
    "version ",
    "endpoint ",
    "status ",
    "health ",
    "hashkv ",
    "member ",
    "list ",
    "help ",
    "--prefix ",
    "--from-key ",
    "--limit=",
    "-w ",
    "json ",
    "fields ",
    "protobuf ",
    "table ",
    "simple ",
    "--hex ",
    "--keys-only ",
    "--rev=",
    "--sort-by=",
    "MODIFY ",
    "--order=",
    "DESCEND ",
    "--prev-kv ",
    "-i ",
    "--interactive ",
    "--endpoints=",
    "--dial-timeout=",
    "--command-timeout=",
    "-- ",
    "--=",
    "-",
    "\n",
    "mod(\"k\") > \"1\"\n",
    "value(\"foo\") = \"bar\"\n",
    "put k v\n",
    "del k\n",
    "get foo\n",
    "create(\"a\") = \"0\"\n",
    "\\x00",
    "\"",
    "`",
    "\\",
];

fn gen_etcdctl(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let cmd = pick(
        u,
        &[
            "get",
            "put",
            "del",
            "txn",
            "txn -i",
            "watch",
            "compaction",
            "version",
            "endpoint health",
            "endpoint status",
            "endpoint hashkv",
            "member list",
            "help txn",
            "lease grant",
            "",
            "gte",
        ],
    )?;
    let mut line = cmd.to_string();
    for _ in 0..u.int_in_range(0..=4)? {
        line.push(' ');
        line.push_str(pick(
            u,
            &[
                "--prefix",
                "--from-key",
                "--limit=2",
                "-w json",
                "--write-out=fields",
                "-w protobuf",
                "-w table",
                "--hex",
                "--keys-only",
                "--print-value-only",
                "--rev=3",
                "--rev=99",
                "--sort-by=MODIFY",
                "--order=DESCEND",
                "--prev-kv",
                "--ignore-value",
                "--count-only",
                "--physical",
                "--consistency=s",
                "--endpoints=http://127.0.0.1:1",
                "--dial-timeout=1ms",
                "--command-timeout=xx",
                "--lease=1",
                "--interactive",
                "--cluster",
                "-h",
                "--debug",
                "--limit",
                "--rev=-1",
                "--ignore-lease",
            ],
        )?);
    }
    for _ in 0..u.int_in_range(0..=2)? {
        line.push(' ');
        line.push_str(pick(u, &["foo", "/registry/", "k", "\\x00", "a", "2"])?);
    }
    let mut stdin = String::new();
    if cmd.starts_with("txn") {
        for block in 0..3 {
            for _ in 0..u.int_in_range(0..=2)? {
                if block == 0 {
                    stdin.push_str(&format!(
                        "{}(\"{}\") {} \"{}\"\n",
                        pick(
                            u,
                            &[
                                "mod", "create", "version", "value", "lease", "val", "c", "m",
                                "ver"
                            ]
                        )?,
                        pick(u, &["foo", "k", "/registry/", ""])?,
                        pick(u, &["=", "!=", "<", ">", "=="])?,
                        pick(u, &["1", "0", "bar", "-1", "x", "99999999999999999999"])?
                    ));
                } else {
                    stdin.push_str(&format!(
                        "{} {}\n",
                        pick(u, &["put", "get", "del", "delete", "range"])?,
                        pick(
                            u,
                            &[
                                "foo bar",
                                "k --prefix",
                                "\"q\\\"\" v",
                                "--prev-kv foo",
                                "a b c",
                                ""
                            ]
                        )?
                    ));
                }
            }
            stdin.push('\n');
        }
    } else if u.ratio(1, 3)? {
        stdin.push_str(&name(u)?);
    }
    Ok(format!("{line}\n{stdin}").into_bytes())
}

fn check_etcdctl(input: &[u8]) -> Result<(), String> {
    let t = text(input);
    let (first, rest) = t.split_once('\n').unwrap_or((&t, ""));
    let args: Vec<String> = first
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut stdin = Cursor::new(rest.as_bytes().to_vec());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut connect = |_: &kubelite::etcdctl::ConnectOptions| {
        Ok(Box::new(FakeBackend(FakeStore::seeded())) as Box<dyn kubelite::etcdctl::Backend>)
    };
    let mut ctx = kubelite::etcdctl::EtcdctlContext {
        connect: &mut connect,
        env: Vec::new(),
        stdin: &mut stdin,
        stdout: &mut out,
        stderr: &mut err,
        watch: kubelite::etcdctl::WatchLimits {
            deadline: Some(Duration::ZERO),
            stop: Some(Arc::new(AtomicBool::new(true))),
            poll: Some(Duration::from_millis(1)),
        },
    };
    let code = kubelite::etcdctl::run(&args, &mut ctx);
    if !(0..=255).contains(&code) {
        return Err(format!(
            "etcdctl exit status {code} is not a process status"
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- protobuf

fn varint(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn field_bytes(num: u32, data: &[u8], out: &mut Vec<u8>) {
    varint(u64::from(num) << 3 | 2, out);
    varint(data.len() as u64, out);
    out.extend_from_slice(data);
}

/// A random protobuf message: varints, fixed ints, strings and nested messages.
fn pb_message(u: &mut Unstructured<'_>, depth: u32) -> ArbResult<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=6)? {
        let num = u.int_in_range(1..=16)?;
        match u.int_in_range(0..=4)? {
            0 => {
                varint(u64::from(num) << 3, &mut out);
                varint(u.arbitrary()?, &mut out);
            }
            1 => {
                varint(u64::from(num) << 3 | 1, &mut out);
                out.extend_from_slice(&u.arbitrary::<[u8; 8]>()?);
            }
            2 => {
                varint(u64::from(num) << 3 | 5, &mut out);
                out.extend_from_slice(&u.arbitrary::<[u8; 4]>()?);
            }
            3 if depth > 0 => {
                let inner = pb_message(u, depth - 1)?;
                field_bytes(num, &inner, &mut out);
            }
            _ => {
                let s = name(u)?;
                field_bytes(num, s.as_bytes(), &mut out);
            }
        }
    }
    Ok(out)
}

pub fn gen_protobuf(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let (api_version, kind) = *u.choose(&[
        ("v1", "ConfigMap"),
        ("v1", "Pod"),
        ("v1", "Secret"),
        ("v1", "Service"),
        ("v1", "Namespace"),
        ("apps/v1", "Deployment"),
        ("batch/v1", "Job"),
        ("v1", "Nope"),
    ])?;
    let mut type_meta = Vec::new();
    field_bytes(1, api_version.as_bytes(), &mut type_meta);
    field_bytes(2, kind.as_bytes(), &mut type_meta);
    let mut raw = Vec::new();
    // ObjectMeta first, as Go writes it, then the rest.
    let meta = pb_message(u, 2)?;
    field_bytes(1, &meta, &mut raw);
    raw.extend(pb_message(u, 3)?);
    let mut envelope = Vec::new();
    field_bytes(1, &type_meta, &mut envelope);
    field_bytes(2, &raw, &mut envelope);
    if u.ratio(1, 4)? {
        field_bytes(4, b"application/vnd.kubernetes.protobuf", &mut envelope);
    }
    let mut out = b"k8s\0".to_vec();
    out.extend(envelope);
    Ok(out)
}

fn check_protobuf(input: &[u8]) -> Result<(), String> {
    if let Ok(v) = crate::server::protobuf::body_to_json(input) {
        is_json(&v, "protobuf body")?;
    }
    let ct = text(input);
    let _ = crate::server::protobuf::is_protobuf(&ct);
    Ok(())
}

// ---------------------------------------------------------------- exec frames

fn gen_ws(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    use tungstenite::protocol::frame::coding::OpCode;
    use tungstenite::protocol::frame::{Frame, FrameHeader};
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(1..=4)? {
        let opcode = *u.choose(&[0u8, 1, 2, 8, 9, 10, 3, 15])?;
        let len = *u.choose(&[0usize, 1, 5, 125, 126, 200, 65535, 65536])?;
        let payload: Vec<u8> = (0..len).map(|i| (i as u8) ^ 0x5a).collect();
        // Servers send unmasked frames; a masked one must be refused.
        let mask = if u.ratio(1, 8)? {
            Some(u.arbitrary()?)
        } else {
            None
        };
        let header = FrameHeader {
            is_final: u.ratio(3, 4)?,
            opcode: OpCode::from(opcode),
            mask,
            ..FrameHeader::default()
        };
        let mut f = Vec::new();
        let _ = Frame::from_payload(header, payload.into()).format(&mut f);
        if u.ratio(1, 6)? {
            let cut = u.int_in_range(0..=f.len())?;
            f.truncate(cut);
        }
        out.extend(f);
    }
    Ok(out)
}

/// A connection that delivers `input` and keeps what is written to it.
struct Wire {
    input: Cursor<Vec<u8>>,
    written: Vec<u8>,
}

impl std::io::Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        std::io::Read::read(&mut self.input, buf)
    }
}

impl std::io::Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn check_ws(input: &[u8]) -> Result<(), String> {
    use crate::server::ws;
    use tungstenite::protocol::Role;
    // The remote client's reader of server frames (tungstenite, as `ws::client` sets it
    // up); the first byte says how much came with the upgrade's head.
    let split = input
        .first()
        .map_or(0, |b| usize::from(*b))
        .min(input.len());
    let (head_rest, later) = input.split_at(split);
    let wire = Wire {
        input: Cursor::new(later.to_vec()),
        written: Vec::new(),
    };
    let mut client = ws::client(wire, head_rest.to_vec());
    let mut messages = 0;
    loop {
        match client.read() {
            Ok(ws::Message::Binary(b)) if b.len() > ws::MAX_SERVER_MESSAGE => {
                return Err(format!("a {} byte message was let through", b.len()));
            }
            Ok(_) => messages += 1,
            Err(_) => break,
        }
        // Every frame takes at least two bytes.
        if messages > input.len() / 2 + 1 {
            return Err(format!("{messages} messages from {} bytes", input.len()));
        }
    }
    let _ = client.flush();
    // What the client wrote back (pongs, the close reply) reads as client frames.
    let written = std::mem::take(&mut client.get_mut().written);
    let wire = Wire {
        input: Cursor::new(written),
        written: Vec::new(),
    };
    let mut server = tungstenite::WebSocket::from_raw_socket(wire, Role::Server, None);
    loop {
        match server.read() {
            Ok(_) => {}
            Err(e) if ws::is_end(&e) => break,
            Err(e) => return Err(format!("the client wrote what a server refuses: {e}")),
        }
    }
    // What exec -t does with stdin: the simulated pty's line discipline.
    let mut tty = kubelite::kubelet::exec::tty::LineDiscipline::default();
    let _ = tty.feed(input);
    let _ = kubelite::kubelet::exec::tty::onlcr(input);
    let _ = ws::accept_key(&text(input));
    Ok(())
}

fn gen_spdy(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(1..=4)? {
        let len = *u.choose(&[0usize, 4, 10, 300])?;
        if u.ratio(1, 2)? {
            let version: u16 = *u.choose(&[3u16, 2, 0x7fff])?;
            out.extend_from_slice(&(0x8000 | version).to_be_bytes());
            out.extend_from_slice(&u.int_in_range(1u16..=10)?.to_be_bytes());
        } else {
            out.extend_from_slice(&u.int_in_range(0u32..=9)?.to_be_bytes());
        }
        out.push(u.arbitrary()?);
        out.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
        out.extend((0..len).map(|i| i as u8));
    }
    Ok(out)
}

fn check_spdy(input: &[u8]) -> Result<(), String> {
    let mut at = 0;
    while at < input.len() {
        match crate::server::exec::spdy::parse_frame(&input[at..]) {
            Ok(Some((_, used))) => {
                if used < 8 || used > input.len() - at {
                    return Err(format!(
                        "a SPDY frame claims {used} of {} bytes",
                        input.len() - at
                    ));
                }
                at += used;
            }
            Ok(None) | Err(_) => break,
        }
    }
    Ok(())
}
