//! Manifests given with `-f`: files, directories (`-R` to recurse) or `-`, split into YAML or
//! JSON documents, each resolved to its API resource. A bad document becomes a diagnostic
//! that points at its file, line and column; the others go on.

use crate::api::registry::{self, Resource};
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use serde_json::Value;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// A file's text and the name kubectl shows for it.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// One object of a manifest, with where it came from.
#[derive(Debug)]
pub struct Document {
    pub source: Arc<Source>,
    pub resource: &'static Resource,
    pub value: Value,
}

impl Document {
    /// `metadata.name` ("" when missing: the API server names the error).
    pub fn name(&self) -> &str {
        self.value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The namespace the document goes to: its own, else `default` (`-n` or the context's);
    /// none for cluster-scoped kinds.
    pub fn namespace_in<'a>(&'a self, default: &'a str) -> Option<&'a str> {
        let own = self
            .value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        self.resource.namespaced.then(|| own.unwrap_or(default))
    }

    /// The object as kubectl's builder hands it on: a namespaced object without a namespace
    /// gets `default` (what `--dry-run=client` prints).
    pub fn with_namespace(&self, default: &str) -> Value {
        let mut v = self.value.clone();
        if let Some(ns) = self.namespace_in(default)
            && let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut)
            && meta
                .get("namespace")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            meta.insert("namespace".into(), Value::String(ns.to_string()));
        }
        v
    }
}

/// A document that can't be sent: what is wrong and where.
#[derive(Debug)]
pub struct ManifestError {
    pub message: String,
    source: Arc<Source>,
    span: Option<(usize, usize)>,
    label: String,
    help: Option<String>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ManifestError {}

impl Diagnostic for ManifestError {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.shown_span()
            .map(|_| &self.source.text as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.shown_span()?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.clone()),
            offset,
            len,
        ))))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

/// Lines longer than this are not quoted: a one-line JSON file of megabytes would flood
/// the terminal (and miette cannot pad past column 65,535). The message gives line and
/// column anyway.
const MAX_QUOTED_LINE: usize = 512;

impl ManifestError {
    /// The span, when the lines around it are short enough to quote.
    fn shown_span(&self) -> Option<(usize, usize)> {
        let (offset, len) = self.span?;
        let text = &self.source.text;
        let offset = offset.min(text.len());
        // The quoted lines: the span's own and one of context either side.
        let start = text
            .get(..offset)?
            .rmatch_indices('\n')
            .nth(1)
            .map_or(0, |(i, _)| i + 1);
        let end_of_span = (offset + len).min(text.len());
        let end = text
            .get(end_of_span..)?
            .match_indices('\n')
            .nth(1)
            .map_or(text.len(), |(i, _)| end_of_span + i);
        let short = text
            .get(start..end)
            .is_some_and(|quoted| quoted.lines().all(|l| l.len() <= MAX_QUOTED_LINE));
        short.then_some((offset, len))
    }

    /// The diagnostic as the user sees it: kubectl's one-line error, then the file's snippet
    /// (plain, or in colour on a terminal).
    pub fn render(&self, fancy: bool) -> String {
        let mut out = format!("error: {}\n", self.message);
        if self.shown_span().is_none() && self.help.is_none() {
            return out;
        }
        let snippet = SnippetOnly(self);
        let theme = if fancy {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::none()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme).with_context_lines(1);
        let named = NamedSource::new(&self.source.name, self.source.text.clone());
        let mut rendered = String::new();
        let with_name = Named {
            inner: &snippet,
            source: named,
        };
        if handler.render_report(&mut rendered, &with_name).is_ok() {
            // The first lines repeat the message; kubectl's line above already says it.
            let body: Vec<&str> = rendered
                .lines()
                .skip(self.message.lines().count())
                .collect();
            for line in body {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        out
    }
}

/// The diagnostic without its message, for rendering the snippet under kubectl's line.
struct SnippetOnly<'a>(&'a ManifestError);

impl fmt::Debug for SnippetOnly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Display for SnippetOnly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for SnippetOnly<'_> {}

impl Diagnostic for SnippetOnly<'_> {
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.help()
    }
}

/// A diagnostic paired with a named source, so the snippet header shows `file:line:col`.
struct Named<'a> {
    inner: &'a SnippetOnly<'a>,
    source: NamedSource<String>,
}

impl fmt::Debug for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Named<'_> {}

impl Diagnostic for Named<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.help()
    }
}

/// Reads every `-f` argument into sources, in order. A path that does not exist stops
/// everything before anything is sent, as in kubectl.
pub fn read_sources(
    paths: &[String],
    recursive: bool,
    stdin: &mut dyn Read,
) -> Result<Vec<Arc<Source>>, String> {
    let mut sources = Vec::new();
    let mut from_stdin = 0;
    for p in paths {
        if p == "-" {
            from_stdin += 1;
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|e| format!("error reading from stdin: {e}"))?;
            sources.push(Arc::new(Source {
                name: "STDIN".into(),
                text,
            }));
            continue;
        }
        let path = Path::new(p);
        if !path.exists() {
            return Err(format!("the path \"{p}\" does not exist"));
        }
        if path.is_dir() {
            collect_dir(path, recursive, true, &mut sources)?;
        } else {
            sources.push(Arc::new(read_file(path)?));
        }
        // kubectl: a path after which it has still no file to read (a directory without
        // manifests, and none before it) is an error, whatever the later paths hold.
        if sources.len() == from_stdin {
            return Err(format!(
                "error reading [{p}]: recognized file extensions are [.json .yaml .yml]"
            ));
        }
    }
    Ok(sources)
}

fn read_file(path: &Path) -> Result<Source, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("error reading {}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "error reading {}: the file is not UTF-8 text",
            path.display()
        )
    })?;
    Ok(Source {
        name: path.display().to_string(),
        text,
    })
}

/// kubectl reads `.json`, `.yaml` and `.yml` files of a directory, in name order.
fn collect_dir(
    dir: &Path,
    recursive: bool,
    top: bool,
    out: &mut Vec<Arc<Source>>,
) -> Result<(), String> {
    if !top && !recursive {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("error reading {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_dir(&path, recursive, false, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            out.push(Arc::new(read_file(&path)?));
        }
    }
    Ok(())
}

/// Finds the resource of an apiVersion and kind the static registry does not know.
pub type Lookup<'a> = &'a dyn Fn(&str, &str) -> Option<&'static Resource>;

/// Splits every source into documents and resolves each against the static registry;
/// errors stay in document order.
#[cfg(test)]
pub fn documents(sources: &[Arc<Source>]) -> Vec<Result<Document, ManifestError>> {
    documents_with(sources, &|_, _| None)
}

/// Like `documents`, but against a remote server a kind the static registry does not know
/// (a custom resource) is looked up in the server's discovery, as kubectl maps kinds.
/// The embedded cluster's kinds stay the static registry's.
pub fn documents_for(
    sources: &[Arc<Source>],
    client: &dyn crate::client::Client,
    global: &crate::cli::GlobalFlags,
) -> Vec<Result<Document, ManifestError>> {
    if client.live() {
        // kubectl maps every kind through discovery (fetched now if not cached).
        let _ = super::discovery::current(client, global);
    }
    let lookup = |api_version: &str, kind: &str| {
        let Some(found) = super::discovery::current(client, global) else {
            // The embedded cluster: its CRDs' kinds.
            return client
                .custom_resources()
                .into_iter()
                .find(|r| r.kind == kind && r.api_version() == api_version);
        };
        let found = found.ok()?;
        found
            .find_kind(api_version, kind)
            .or_else(|| super::discovery::refresh(client, global)?.find_kind(api_version, kind))
    };
    documents_with(sources, &lookup)
}

fn documents_with(sources: &[Arc<Source>], lookup: Lookup) -> Vec<Result<Document, ManifestError>> {
    let mut out = Vec::new();
    for source in sources {
        for (offset, text) in split_documents(&source.text) {
            match parse_document(source, offset, text) {
                Ok(Some(value)) => expand(source, offset, text, value, lookup, &mut out),
                Ok(None) => {}
                Err(e) => out.push(Err(e)),
            }
        }
    }
    out
}

/// `kind: List` documents stand for their items.
fn expand(
    source: &Arc<Source>,
    offset: usize,
    text: &str,
    value: Value,
    lookup: Lookup,
    out: &mut Vec<Result<Document, ManifestError>>,
) {
    if value.get("kind").and_then(Value::as_str) == Some("List") {
        for item in value
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push(resolve(source, offset, text, item.clone(), lookup));
        }
        return;
    }
    out.push(resolve(source, offset, text, value, lookup));
}

/// Byte offsets and texts of the documents of a YAML stream, split at `---` lines.
pub fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content.starts_with("--- ") {
            docs.push((start, &text[start..pos]));
            start = pos + line.len();
        }
        pos += line.len();
    }
    docs.push((start, &text[start..]));
    docs
}

/// Parses one document; `None` for a document with nothing in it.
fn parse_document(
    source: &Arc<Source>,
    offset: usize,
    text: &str,
) -> Result<Option<Value>, ManifestError> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    let options = serde_saphyr::options! { with_snippet: false };
    let value: Value = match serde_saphyr::from_str_with_options(text, options) {
        Ok(v) => v,
        Err(e) => {
            let span = e
                .location()
                .map(|loc| (offset + byte_offset(text, loc.line(), loc.column()), 1));
            let detail = parse_error_detail(&e.to_string());
            return Err(ManifestError {
                message: format!("error parsing {}: {detail}", source.name),
                source: source.clone(),
                span,
                label: "here".into(),
                help: None,
            });
        }
    };
    match value {
        Value::Null => Ok(None),
        Value::Object(_) => Ok(Some(value)),
        _ => Err(ManifestError {
            message: format!(
                "error parsing {}: the document is not a mapping of fields",
                source.name
            ),
            source: source.clone(),
            span: Some((offset + leading_blank(text), 1)),
            label: "expected `apiVersion:`, `kind:`, `metadata:` ...".into(),
            help: None,
        }),
    }
}

/// Checks apiVersion and kind and finds the resource, as kubectl's client-side checks do.
fn resolve(
    source: &Arc<Source>,
    offset: usize,
    text: &str,
    value: Value,
    lookup: Lookup,
) -> Result<Document, ManifestError> {
    let error = |message: String, field: &str, label: &str, help: Option<String>| ManifestError {
        message,
        source: source.clone(),
        span: field_span(text, field)
            .map(|(o, l)| (offset + o, l))
            .or(Some((offset + leading_blank(text), 1))),
        label: label.to_string(),
        help,
    };
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
    let not_set = |what: &str| {
        format!(
            "error validating \"{}\": error validating data: {what} not set; if you choose to ignore these errors, turn validation off with --validate=false",
            source.name
        )
    };
    if kind.is_empty() {
        return Err(error(
            not_set("kind"),
            "kind",
            "no kind here",
            Some("every object needs a `kind:` such as Pod or Deployment".into()),
        ));
    }
    if api_version.is_empty() {
        return Err(error(
            not_set("apiVersion"),
            "apiVersion",
            "no apiVersion here",
            None,
        ));
    }
    if let Some(resource) =
        registry::find_by_kind(api_version, kind).or_else(|| lookup(api_version, kind))
    {
        return Ok(Document {
            source: source.clone(),
            resource,
            value,
        });
    }
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let namespace = value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let message = format!(
        "resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
        source.name
    );
    if registry::kind_exists(kind) {
        let right: Vec<String> = registry::RESOURCES
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.api_version())
            .collect();
        let help = format!("{kind} is served as apiVersion: {}", right.join(", "));
        return Err(error(
            message,
            "apiVersion",
            "wrong apiVersion for this kind",
            Some(help),
        ));
    }
    let help = closest_kind(kind).map(|k| format!("did you mean {k}?"));
    Err(error(message, "kind", "unknown kind", help))
}

/// The known kind nearest to a misspelt one (edit distance at most 3).
fn closest_kind(kind: &str) -> Option<&'static str> {
    registry::RESOURCES
        .iter()
        .map(|r| {
            (
                edit_distance(&kind.to_lowercase(), &r.kind.to_lowercase()),
                r.kind,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance between two words (the kind suggestions and cobra's command ones).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The span of a top-level field's value (`kind: Foo` -> `Foo`), in YAML or JSON.
fn field_span(text: &str, field: &str) -> Option<(usize, usize)> {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        for key in [format!("{field}:"), format!("\"{field}\":")] {
            if let Some(rest) = trimmed.strip_prefix(key.as_str()) {
                let value = rest.trim_start();
                let value_at = pos + indent + key.len() + (rest.len() - value.len());
                let len = value.trim_end().trim_end_matches(',').len().max(1);
                if indent == 0 || key.starts_with('"') {
                    return Some((value_at, len));
                }
            }
        }
        pos += line.len();
    }
    None
}

fn leading_blank(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// Byte offset of a 1-based line and column in `text`.
fn byte_offset(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let col = usize::try_from(column.saturating_sub(1)).unwrap_or(0);
            return offset
                + l.char_indices()
                    .nth(col)
                    .map(|(b, _)| b)
                    .unwrap_or(l.len().saturating_sub(1));
        }
        offset += l.len();
    }
    text.len().saturating_sub(1)
}

/// The parser's message, with its resource-limit errors said in the user's terms.
fn parse_error_detail(message: &str) -> String {
    let first = message.lines().next().unwrap_or("");
    match first.strip_prefix("budget breached: ") {
        Some(rest) => {
            let at = rest.find(" at line ").map_or("", |i| &rest[i..]);
            format!(
                "the document expands beyond the parser's limits (aliases nested too deep?){at}"
            )
        }
        None => first.to_string(),
    }
}

/// kubectl refuses a document whose namespace contradicts `-n`.
pub fn check_namespace(doc: Document, explicit: Option<&str>) -> Result<Document, String> {
    let in_doc = doc
        .value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    match (in_doc, explicit) {
        (Some(d), Some(flag)) if doc.resource.namespaced && d != flag => Err(format!(
            "error: the namespace from the provided object \"{d}\" does not match the namespace \"{flag}\". You must pass '--namespace={d}' to perform this operation.\n"
        )),
        _ => Ok(doc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Arc<Source> {
        Arc::new(Source {
            name: "m.yaml".into(),
            text: text.into(),
        })
    }

    #[test]
    fn splits_documents_at_separators() {
        let docs = split_documents("a: 1\n---\nb: 2\n--- \nc: 3\n");
        let texts: Vec<&str> = docs.iter().map(|d| d.1).collect();
        assert_eq!(texts, ["a: 1\n", "b: 2\n", "c: 3\n"]);
    }

    #[test]
    fn resolves_kinds_and_reports_bad_ones() {
        let s = source(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n# only a comment\n---\napiVersion: v1\nkind: Pdo\nmetadata:\n  name: b\n",
        );
        let docs = documents(&[s]);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].as_ref().unwrap().resource.kind, "Pod");
        let err = docs[1].as_ref().unwrap_err();
        assert!(
            err.message
                .contains("no matches for kind \"Pdo\" in version \"v1\"")
        );
        assert_eq!(err.help.as_deref(), Some("did you mean Pod?"));
        let rendered = err.render(false);
        assert!(rendered.contains("m.yaml:9:7"), "{rendered}");
    }

    #[test]
    fn wrong_api_version_is_named() {
        let docs = documents(&[source(
            "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: a\n",
        )]);
        let err = docs[0].as_ref().unwrap_err();
        assert_eq!(
            err.help.as_deref(),
            Some("Deployment is served as apiVersion: apps/v1")
        );
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let docs = documents(&[source("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n")]);
        let err = docs[0].as_ref().unwrap_err();
        assert!(
            err.message.starts_with("error parsing m.yaml: "),
            "{}",
            err.message
        );
        assert!(err.span.is_some());
    }

    #[test]
    fn list_documents_expand() {
        let docs = documents(&[source(
            r#"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Service","metadata":{"name":"b"}}]}"#,
        )]);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].as_ref().unwrap().resource.kind, "Service");
    }

    #[test]
    fn errors_on_very_long_lines_are_not_quoted() {
        // One line of JSON, broken past column 65,535: the message carries line and
        // column, and no snippet is drawn (miette panics padding that far).
        let item = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},"#;
        let text = format!(
            r#"{{"apiVersion":"v1","kind":"List","items":[{}"#,
            item.repeat(2_000)
        ) + "}]]}";
        let docs = documents(&[source(&text)]);
        let err = docs[0].as_ref().unwrap_err();
        let rendered = err.render(false);
        assert!(
            rendered.starts_with("error: error parsing m.yaml: "),
            "{rendered}"
        );
        assert!(rendered.contains("line 1, column"), "{rendered}");
        assert_eq!(rendered.lines().count(), 1, "{rendered}");
        // A short line is still quoted.
        let short = documents(&[source("{\"kind\": [}\n")]);
        let quoted = short[0].as_ref().unwrap_err().render(false);
        assert!(quoted.contains("m.yaml:1:"), "{quoted}");
    }
}
