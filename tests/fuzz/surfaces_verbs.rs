//! Surfaces of the verbs that read bytes a server or the user hands them: port-forward's
//! SPDY frames, cp's tar from the container, explain's field path and OpenAPI document,
//! the self-subject review bodies `serve` accepts, and edit's re-read of the edited file.

use crate::engine::Surface;
use crate::surfaces::{gen_manifest, is_json, json_value, name, pick, text};
use arbitrary::{Result as ArbResult, Unstructured};
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

pub fn all() -> Vec<Surface> {
    vec![
        Surface {
            name: "portforward-frames",
            dict: &[
                "\u{80}\u{3}\0\u{3}",
                "\u{80}\u{3}\0\u{6}",
                "\0\0\0\u{1}",
                "\u{ff}\u{ff}\u{ff}",
            ],
            generate: gen_portforward,
            check: check_portforward,
            max_len: 4096,
        },
        Surface {
            name: "cp-tar",
            dict: &[
                "ustar\0",
                "ustar  \0",
                "../",
                "/",
                "etc/app/",
                "././@LongLink",
            ],
            generate: gen_tar,
            check: check_tar,
            max_len: 16 * 1024,
        },
        Surface {
            name: "explain",
            dict: EXPLAIN_DICT,
            generate: gen_explain,
            check: check_explain,
            max_len: 8 * 1024,
        },
        Surface {
            name: "reviews",
            dict: REVIEW_DICT,
            generate: gen_review,
            check: check_review,
            max_len: 4096,
        },
        Surface {
            name: "edit-text",
            dict: &[
                "# ",
                "#!",
                "---\n",
                "kind: List\n",
                "items:\n- ",
                "\n",
                "apiVersion: v1\n",
            ],
            generate: gen_edit,
            check: check_edit,
            max_len: 8 * 1024,
        },
    ]
}

// ---------------------------------------------------------------- port-forward frames

fn gen_portforward(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    // The first byte is the size of the pieces the frames arrive in.
    let mut out = vec![u.arbitrary()?];
    for _ in 0..u.int_in_range(1..=6)? {
        let len = *u.choose(&[0usize, 3, 4, 8, 40, 300])?;
        if u.ratio(1, 2)? {
            out.extend_from_slice(&[0x80, 3, 0]);
            out.push(*u.choose(&[1u8, 2, 3, 6, 7, 9, 0xff])?);
        } else {
            let id: u32 = *u.choose(&[1u32, 3, 5, 7, 0x7fff_ffff, 0xffff_ffff])?;
            out.extend_from_slice(&(id & 0x7fff_ffff).to_be_bytes());
        }
        out.push(*u.choose(&[0u8, 1, 2, 0xff])?);
        let claimed = if u.ratio(1, 10)? {
            0xff_ffff
        } else {
            len as u32
        };
        out.extend_from_slice(&claimed.to_be_bytes()[1..]);
        out.extend((0..len).map(|i| i as u8));
    }
    Ok(out)
}

fn check_portforward(input: &[u8]) -> Result<(), String> {
    use crate::client::spdy_frames::{MAX_ERROR, append_error, parse, reset_stream};
    let Some((piece, wire)) = input.split_first() else {
        return Ok(());
    };
    // The frames of the whole input at once.
    let mut whole = Vec::new();
    let mut at = 0;
    while let Ok(Some(frame)) = parse(&wire[at..]) {
        let used = frame.4;
        if used < 8 || used > wire.len() - at || used != 8 + frame.3.len() {
            return Err(format!(
                "a frame claims {used} of {} bytes",
                wire.len() - at
            ));
        }
        at += used;
        whole.push(frame);
    }
    // The same bytes in pieces, as the session reads them off its WebSocket.
    let piece = usize::from(*piece).max(1);
    let mut buf: Vec<u8> = Vec::new();
    let mut pieces = Vec::new();
    let mut errors: std::collections::HashMap<u32, Vec<u8>> = Default::default();
    'read: for chunk in wire.chunks(piece) {
        buf.extend_from_slice(chunk);
        loop {
            match parse(&buf) {
                Ok(Some(frame)) => {
                    buf.drain(..frame.4);
                    if frame.0 {
                        let _ = reset_stream(&frame.3);
                    } else {
                        let message = errors.entry(frame.1).or_default();
                        append_error(message, &frame.3);
                        append_error(message, &frame.3);
                        if message.len() > MAX_ERROR {
                            return Err(format!("an error stream kept {} bytes", message.len()));
                        }
                    }
                    pieces.push(frame);
                }
                Ok(None) => break,
                Err(_) => break 'read,
            }
        }
    }
    if pieces != whole {
        return Err(format!(
            "{} frames read whole, {} in pieces of {piece}",
            whole.len(),
            pieces.len()
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- cp's tar

fn gen_tar(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    const NAMES: &[&str] = &[
        "etc/app/conf",
        "etc/app/sub/more",
        "etc/app/sub",
        "etc/app",
        "etc/app/../../escape",
        "etc/app/../app2/x",
        "etc/appx",
        "etc/app/./x",
        "/etc/app/abs",
        "etc/app//double",
        "etc/app/link",
    ];
    let mut b = tar::Builder::new(Vec::new());
    for _ in 0..u.int_in_range(0..=4)? {
        let mut n = pick(u, NAMES)?.to_string();
        if u.ratio(1, 4)? {
            n.push_str(&name(u)?);
        }
        let mut h = if u.ratio(1, 2)? {
            tar::Header::new_gnu()
        } else {
            tar::Header::new_ustar()
        };
        let kind = *u.choose(&[
            tar::EntryType::Regular,
            tar::EntryType::Directory,
            tar::EntryType::Symlink,
            tar::EntryType::Link,
            tar::EntryType::Fifo,
        ])?;
        h.set_entry_type(kind);
        let body: Vec<u8> = if kind == tar::EntryType::Regular {
            (0..u.int_in_range(0..=600)?).map(|i| i as u8).collect()
        } else {
            Vec::new()
        };
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
            let _ = h.set_link_name(pick(u, &["../../outside", "/etc/passwd", "conf"])?);
        }
        // `append_data` sets the path itself (long names as GNU or PAX records).
        h.set_cksum();
        let _ = b.append_data(&mut h, &n, body.as_slice());
    }
    let mut out = b.into_inner().unwrap_or_default();
    if !out.is_empty() && u.ratio(1, 5)? {
        let cut = u.int_in_range(0..=out.len())?;
        out.truncate(cut);
    }
    if !out.is_empty() && u.ratio(1, 5)? {
        let at = u.int_in_range(0..=out.len() - 1)?;
        out[at] = u.arbitrary()?;
    }
    Ok(out)
}

/// A fresh directory for one case (cases run on several threads).
fn scratch() -> std::path::PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "kubelite-fuzz-cp-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::create_dir_all(&d);
    d
}

/// Everything under `dir`, as paths relative to it.
fn listing(dir: &std::path::Path, out: &mut Vec<String>, base: &std::path::Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        out.push(p.strip_prefix(base).unwrap_or(&p).display().to_string());
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            listing(&p, out, base);
        }
    }
}

fn check_tar(input: &[u8]) -> Result<(), String> {
    let case = scratch();
    let dest = case.join("out");
    let mut err = Vec::new();
    let result = crate::cli::cp::archive::unpack(
        input,
        "etc/app",
        &dest.display().to_string(),
        "(hint)",
        &mut err,
    );
    let mut found = Vec::new();
    listing(&case, &mut found, &case);
    let _ = std::fs::remove_dir_all(&case);
    let _ = result;
    for f in &found {
        if f != "out" && !f.starts_with("out/") {
            return Err(format!("the tar wrote {f:?} outside the destination"));
        }
    }
    for f in &found {
        let p = case.join(f);
        if p.symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(format!("the tar made a symlink {f:?}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- explain

const EXPLAIN_DICT: &[&str] = &[
    "\"$ref\"",
    "\"#/components/schemas/s0\"",
    "\"#/components/schemas/s1\"",
    "\"properties\"",
    "\"items\"",
    "\"allOf\"",
    "\"additionalProperties\"",
    "\"description\"",
    "\"enum\"",
    "\"required\"",
    "\"externalDocs\"",
    "\"type\"",
    "\"object\"",
    ".",
    "*",
];

/// Schema keys and the names references point at.
const SCHEMA_KEYS: &[&str] = &[
    "$ref",
    "properties",
    "items",
    "allOf",
    "additionalProperties",
    "description",
    "enum",
    "required",
    "externalDocs",
    "url",
    "type",
    "a",
    "b",
    "spec",
    "#/components/schemas/s0",
    "#/components/schemas/s1",
    "#/components/schemas/s2",
    "#/components/schemas/s3",
    "#/",
    "#/components/schemas/s~1x",
    "object",
    "string",
    "x-kubernetes-group-version-kind",
];

const GVK: &str = r#"{"group":"x.io","kind":"Thing","version":"v1"}"#;

/// One schema: mostly well-formed, with references among `s0`..`s3`.
fn schema(u: &mut Unstructured<'_>, depth: u32) -> ArbResult<Value> {
    if depth == 0 || u.ratio(1, 4)? {
        return Ok(match u.int_in_range(0..=3)? {
            0 => json!({"$ref": format!("#/components/schemas/s{}", u.int_in_range(0..=4)?)}),
            1 => json!({"type": pick(u, &["string", "integer", "object", "array"])?,
                        "description": name(u)?}),
            2 => json!({"enum": [name(u)?, "", 3, null]}),
            _ => json_value(u, SCHEMA_KEYS, 2)?,
        });
    }
    let mut s = Map::new();
    if u.ratio(1, 2)? {
        let mut props = Map::new();
        for _ in 0..u.int_in_range(0..=3)? {
            props.insert(
                pick(u, &["a", "b", "spec", "x"])?.to_string(),
                schema(u, depth - 1)?,
            );
        }
        s.insert("properties".into(), Value::Object(props));
    }
    for key in ["items", "additionalProperties"] {
        if u.ratio(1, 4)? {
            s.insert(key.into(), schema(u, depth - 1)?);
        }
    }
    if u.ratio(1, 4)? {
        let all = (0..u.int_in_range(1..=2)?)
            .map(|_| schema(u, depth - 1))
            .collect::<ArbResult<Vec<_>>>()?;
        s.insert("allOf".into(), Value::Array(all));
    }
    if u.ratio(1, 3)? {
        s.insert("description".into(), Value::String(name(u)?));
    }
    if u.ratio(1, 5)? {
        s.insert("required".into(), json!(["a", "spec"]));
    }
    if u.ratio(1, 6)? {
        s.insert(
            "externalDocs".into(),
            json!({"description": name(u)?, "url": "u"}),
        );
    }
    Ok(Value::Object(s))
}

fn gen_explain(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let mut path = String::new();
    if u.ratio(1, 3)? {
        path.push('*');
    }
    let parts: Vec<String> = (0..u.int_in_range(0..=4)?)
        .map(|_| Ok(pick(u, &["a", "b", "spec", "x", ""])?.to_string()))
        .collect::<ArbResult<_>>()?;
    path.push_str(&parts.join("."));
    let mut schemas = Map::new();
    for i in 0..u.int_in_range(1..=4)? {
        let mut s = schema(u, 3)?;
        if i == 0
            && let Some(m) = s.as_object_mut()
        {
            m.insert(
                "x-kubernetes-group-version-kind".into(),
                json!([serde_json::from_str::<Value>(GVK).unwrap_or_default()]),
            );
        }
        schemas.insert(format!("s{i}"), s);
    }
    let doc = json!({
        "paths": {"/apis/x.io/v1/namespaces/{namespace}/things": {"get": {
            "x-kubernetes-group-version-kind": serde_json::from_str::<Value>(GVK).unwrap_or_default()}}},
        "components": {"schemas": schemas},
    });
    let mut out = path.into_bytes();
    out.push(b'\n');
    out.extend(serde_json::to_vec(&doc).unwrap_or_default());
    Ok(out)
}

fn check_explain(input: &[u8]) -> Result<(), String> {
    use crate::cli::explain::{render, wrap};
    let split = input
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(input.len());
    let line = text(&input[..split]);
    let (recursive, path) = match line.strip_prefix('*') {
        Some(p) => (true, p),
        None => (false, line.as_ref()),
    };
    // The words are wrapped, never lost.
    let limit = input.first().map_or(0, |b| usize::from(*b % 100));
    let words = |s: &str| s.split_whitespace().collect::<String>();
    let wrapped = wrap::wrap(path, limit);
    if words(&wrapped) != words(path) {
        return Err(format!("wrap({path:?}, {limit}) gave {wrapped:?}"));
    }
    let Ok(doc) = serde_json::from_slice::<Value>(input.get(split + 1..).unwrap_or(&[])) else {
        return Ok(());
    };
    let fields: Vec<String> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').map(String::from).collect()
    };
    let gvr = render::Gvr {
        group: "x.io",
        version: "v1",
        resource: "things",
    };
    let head = |s: &str| s.is_empty() || s.starts_with("GROUP:") || s.starts_with("KIND:");
    match render::render(&doc, &gvr, &fields, recursive) {
        Ok(out) if !head(&out) || out.is_empty() => Err(format!("explained as {out:?}")),
        Err(f) if !head(&f.printed) || !f.message.starts_with("error: ") => {
            Err(format!("failed as {:?} / {:?}", f.printed, f.message))
        }
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------- self-subject reviews

const REVIEW_DICT: &[&str] = &[
    "\"spec\"",
    "\"resourceAttributes\"",
    "\"nonResourceAttributes\"",
    "\"verb\"",
    "\"namespace\"",
    "\"labelSelector\"",
    "\"rawSelector\"",
    "\"requirements\"",
    "k8s\0",
];

const REVIEW_KEYS: &[&str] = &[
    "spec",
    "resourceAttributes",
    "nonResourceAttributes",
    "namespace",
    "verb",
    "group",
    "version",
    "resource",
    "subresource",
    "name",
    "path",
    "fieldSelector",
    "labelSelector",
    "rawSelector",
    "requirements",
    "key",
    "operator",
    "values",
    "metadata",
    "status",
    "*",
    "get",
    "pods",
    "In",
    "Exists",
    "app=x",
    "/healthz",
];

/// The three reviews: resource plural, JSON `apiVersion`, kind.
const REVIEWS: &[(&str, &str, &str)] = &[
    (
        "selfsubjectaccessreviews",
        "authorization.k8s.io/v1",
        "SelfSubjectAccessReview",
    ),
    (
        "selfsubjectrulesreviews",
        "authorization.k8s.io/v1",
        "SelfSubjectRulesReview",
    ),
    (
        "selfsubjectreviews",
        "authentication.k8s.io/v1",
        "SelfSubjectReview",
    ),
];

/// A length-delimited protobuf field.
fn pb(field: u32, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let varint = |mut v: u64, out: &mut Vec<u8>| {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    };
    varint(u64::from(field << 3 | 2), &mut out);
    varint(bytes.len() as u64, &mut out);
    out.extend_from_slice(bytes);
    out
}

/// A message of review-shaped fields: strings, nested messages, now and then odd bytes.
fn pb_message(u: &mut Unstructured<'_>, depth: u32) -> ArbResult<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let field = u.int_in_range(1..=10)?;
        let body = if depth > 0 && u.ratio(1, 2)? {
            pb_message(u, depth - 1)?
        } else if u.ratio(1, 8)? {
            u.arbitrary::<Vec<u8>>()?
        } else {
            pick(u, REVIEW_KEYS)?.as_bytes().to_vec()
        };
        out.extend(pb(field, &body));
    }
    Ok(out)
}

fn gen_review(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let which: u8 = u.arbitrary()?;
    let (_, api_version, kind) = REVIEWS[usize::from(which / 2) % REVIEWS.len()];
    let mut out = vec![which];
    if which.is_multiple_of(2) {
        let mut body = json!({"apiVersion": api_version, "kind": kind});
        body["spec"] = json_value(u, REVIEW_KEYS, 4)?;
        if u.ratio(1, 6)? {
            body = json_value(u, REVIEW_KEYS, 3)?;
        }
        out.extend(serde_json::to_vec(&body).unwrap_or_default());
    } else {
        let mut type_meta = pb(1, api_version.as_bytes());
        type_meta.extend(pb(2, kind.as_bytes()));
        out.extend_from_slice(b"k8s\0");
        out.extend(pb(1, &type_meta));
        out.extend(pb(2, &pb_message(u, 3)?));
    }
    Ok(out)
}

thread_local! {
    /// An empty cluster (no RBAC policy: only masters are allowed) that answers reviews.
    static REVIEW_SERVER: kubelite::apiserver::ApiServer = {
        let dir = std::env::temp_dir().join(format!(
            "kubelite-fuzz-reviews-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        kubelite::apiserver::ApiServer::on_new_store(&dir).expect("fuzz server")
    };
}

fn check_review(input: &[u8]) -> Result<(), String> {
    use kubelite::apiserver::authorizer::User;
    let Some((which, body)) = input.split_first() else {
        return Ok(());
    };
    let (plural, _, kind) = REVIEWS[usize::from(which / 2) % REVIEWS.len()];
    let value = if which.is_multiple_of(2) {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => v,
            Err(_) => return Ok(()),
        }
    } else {
        match crate::server::protobuf::body_to_json(body) {
            Ok(v) => {
                is_json(&v, "review body")?;
                v
            }
            Err(_) => return Ok(()),
        }
    };
    let r = kubelite::api::reviews::find(plural);
    let groups = if which % 4 < 2 {
        vec!["system:masters".to_string()]
    } else {
        vec!["system:authenticated".to_string()]
    };
    let user = User {
        name: "fuzz".into(),
        groups,
    };
    let answered =
        REVIEW_SERVER.with(|server| kubelite::apiserver::reviews::answer(server, &user, r, &value));
    if let Ok(answer) = answered {
        is_json(&answer, "review answer")?;
        if answer["kind"] != kind {
            return Err(format!("a {kind} answered as {}", answer["kind"]));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- edit's re-read

fn gen_edit(u: &mut Unstructured<'_>) -> ArbResult<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=3)? {
        out.extend_from_slice(b"# ");
        out.extend(name(u)?.into_bytes());
        out.push(b'\n');
    }
    out.extend(gen_manifest(u)?);
    if u.ratio(1, 4)? {
        out.extend_from_slice(b"\n#! not a comment\n");
    }
    Ok(out)
}

fn check_edit(input: &[u8]) -> Result<(), String> {
    use crate::cli::edit::text;
    let stripped = text::manual_strip(input);
    if stripped.len() > input.len() {
        return Err("stripping comments made the text longer".into());
    }
    if !text::same(input, input) {
        return Err("a text differs from itself".into());
    }
    if !text::same(input, &stripped) {
        return Err("a text differs from itself without its comments".into());
    }
    let _ = text::has_lines(input);
    let _ = text::objects(input);
    let _ = text::validate(input);
    // The header is all comments, whatever the reasons say.
    let reason = text::Reason {
        head: String::from_utf8_lossy(input)
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
        causes: String::from_utf8_lossy(input)
            .lines()
            .skip(1)
            .take(3)
            .map(String::from)
            .collect(),
    };
    let header = text::header(text::Header::Object, &[reason]);
    if text::has_lines(header.as_bytes()) {
        return Err(format!(
            "the header {header:?} has lines that are not comments"
        ));
    }
    Ok(())
}
