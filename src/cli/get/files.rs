//! `get -f FILE|DIR [-R]`: the objects a manifest names, each read by its kind, name and
//! namespace, and printed as `get` prints them. Consecutive documents of one kind share a
//! table; several kinds prefix names with their type, as kubectl's builder makes it.

use super::super::builder_read::Reader;
use super::super::errors::{CliError, api_error_text};
use super::super::manifest::{self, Document};
use super::super::output::{Output, render};
use super::super::{GlobalFlags, Io};
use super::GetArgs;
use crate::api::registry::Resource;
use crate::api::selector::LabelSelector;
use crate::client::Client;
use crate::print::list::with_type_meta;
use crate::print::table_printer::{self, TablePrintOptions};
use serde_json::Value;
use std::io::IsTerminal;

/// kubectl's builder checks the paths exist, then refuses types or names beside `-f`.
pub(super) fn validate(args: &GetArgs) -> Result<(), CliError> {
    if let Some(missing) = args
        .filenames
        .iter()
        .find(|p| *p != "-" && !p.contains("://") && !std::path::Path::new(p.as_str()).exists())
    {
        return Err(CliError::message(format!(
            "the path \"{missing}\" does not exist"
        )));
    }
    if !args.args.is_empty() {
        return Err(CliError::message(
            "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well",
        ));
    }
    Ok(())
}

/// One table: the rows of consecutive documents of one resource.
struct Group {
    resource: &'static Resource,
    table: Option<Value>,
}

pub(super) fn run(
    client: &dyn Client,
    global: &GlobalFlags,
    args: &GetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    validate(args)?;
    let output = Output::parse_with(args.output.as_deref(), &args.template_flags())?;
    let selector = match args.selector.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(LabelSelector::parse(s).map_err(CliError::message)?),
        None => None,
    };
    let sources = manifest::read_sources(&args.filenames, args.recursive, &mut std::io::stdin())
        .map_err(CliError::message)?;
    let explicit_ns = global.namespace.as_deref().filter(|n| !n.is_empty());
    let mut errors: Vec<Failure> = Vec::new();
    let mut docs: Vec<Document> = Vec::new();
    for doc in manifest::documents_for(&sources, client, global) {
        // A document kubectl cannot map is reported in its bare words (no diagnostic).
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                errors.push(Failure {
                    alone: e.message.clone(),
                    raw: e.message,
                    from_server: false,
                });
                continue;
            }
        };
        match super::super::create::check_namespace(doc, explicit_ns) {
            Ok(d) => docs.push(d),
            Err(text) => errors.push(Failure {
                alone: text.trim_end().to_string(),
                raw: text.trim_end().trim_start_matches("error: ").to_string(),
                from_server: false,
            }),
        }
    }
    // The kinds of what was found and kept: several prefix names with their type.
    let mut kinds: Vec<&'static Resource> = Vec::new();
    let as_table = output.is_table();
    let mut groups: Vec<Group> = Vec::new();
    let mut objects: Vec<(Value, &'static Resource)> = Vec::new();
    for doc in &docs {
        let r = doc.resource;
        let ns = match namespace(doc, global, args.all_namespaces) {
            Ok(ns) => ns,
            Err(e) => {
                errors.push(Failure {
                    alone: e.clone(),
                    raw: e,
                    from_server: false,
                });
                continue;
            }
        };
        let reader = if as_table {
            Reader::Table
        } else {
            Reader::Json
        };
        let found = super::super::builder_read::get(client, reader, r, ns, doc.name());
        let found = match found {
            Ok(v) => v,
            Err(e) if e.code == 404 && args.ignore_not_found => continue,
            Err(e) => {
                errors.push(Failure {
                    alone: api_error_text(&e),
                    raw: e.message.clone(),
                    from_server: true,
                });
                continue;
            }
        };
        // kubectl filters what it read by `-l`: an object by its labels, a Table (what
        // it reads for a table) by the Table's own, which it has none of.
        if !selected(selector.as_ref(), &found) {
            continue;
        }
        if !kinds.contains(&r) {
            kinds.push(r);
        }
        if !as_table {
            objects.push((with_type_meta(found, &r.api_version(), r.kind), r));
            continue;
        }
        let rows: Vec<Value> = found["rows"].as_array().cloned().unwrap_or_default();
        match groups.last_mut() {
            Some(g) if g.resource == r => {
                if let Some(t) = g.table.as_mut()
                    && let Some(all) = t["rows"].as_array_mut()
                {
                    all.extend(rows);
                }
            }
            _ => {
                let mut table = found;
                table["rows"] = Value::Array(rows);
                groups.push(Group {
                    resource: r,
                    table: Some(table),
                });
            }
        }
    }
    let total = if as_table {
        groups.iter().map(|g| rows(&g.table)).sum()
    } else {
        objects.len()
    };
    // kubectl prints nothing at all when --ignore-not-found found nothing.
    if total == 0 && errors.is_empty() && args.ignore_not_found {
        return Ok(0);
    }
    let mut out = String::new();
    if as_table {
        let show_kind = args.show_kind || kinds.len() > 1;
        let printed: Vec<(Value, TablePrintOptions)> = groups
            .into_iter()
            .filter(|g| rows(&g.table) > 0)
            .filter_map(|g| {
                let opts = TablePrintOptions {
                    wide: matches!(output, Output::Table { wide: true }),
                    no_headers: args.no_headers,
                    show_labels: args.show_labels,
                    with_namespace: args.all_namespaces && g.resource.namespaced,
                    label_columns: args.label_columns.clone(),
                    with_kind_prefix: show_kind.then(|| g.resource.qualified_singular()),
                };
                Some((g.table?, opts))
            })
            .collect();
        let refs: Vec<(&Value, &TablePrintOptions)> = printed.iter().map(|(t, o)| (t, o)).collect();
        out.push_str(&table_printer::print_tables(&refs));
    } else if !objects.is_empty() || (errors.is_empty() && !matches!(output, Output::Name)) {
        // One object read (and no error) prints as itself, more or none as a List.
        let single = objects.len() == 1 && errors.is_empty();
        out.push_str(&render(
            &output,
            objects,
            single,
            args.no_headers,
            args.show_managed_fields,
        )?);
    }
    let _ = io.out.write_all(out.as_bytes());
    report(&errors, io);
    if total == 0 && errors.is_empty() && as_table {
        if args.all_namespaces {
            let _ = writeln!(io.err, "No resources found");
        } else {
            let _ = writeln!(
                io.err,
                "No resources found in {} namespace.",
                global.namespace()
            );
        }
    }
    Ok(i32::from(!errors.is_empty()))
}

/// One thing that went wrong, as kubectl words it alone, and within several.
struct Failure {
    alone: String,
    raw: String,
    from_server: bool,
}

/// kubectl's report of what went wrong: one error as it words one; several from the
/// server each as `Error from server (...)`; several with a manifest's among them as
/// bare messages, each once.
fn report(errors: &[Failure], io: &mut Io) {
    if errors.len() == 1 || errors.iter().all(|e| e.from_server) {
        for e in errors {
            let _ = writeln!(io.err, "{}", e.alone);
        }
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.raw.as_str()) {
            seen.push(&e.raw);
            let _ = writeln!(io.err, "{}", e.raw);
        }
    }
}

/// `get -f FILE -w`: the one object the manifest names, watched as `get TYPE NAME -w`
/// watches it (in the document's namespace); kubectl watches no more than one.
pub(super) fn watch(
    client: &dyn Client,
    embedded: Option<&crate::client::Embedded>,
    global: &GlobalFlags,
    args: &GetArgs,
    io: &mut Io,
) -> Result<i32, CliError> {
    validate(args)?;
    let sources = manifest::read_sources(&args.filenames, args.recursive, &mut std::io::stdin())
        .map_err(CliError::message)?;
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut docs = Vec::new();
    for doc in manifest::documents_for(&sources, client, global) {
        docs.push(doc.map_err(|e| CliError::Raw(e.render(fancy)))?);
    }
    let [doc] = docs.as_slice() else {
        if docs.iter().any(|d| d.resource != docs[0].resource) {
            return Err(CliError::message(
                "watch is only supported on individual resources and resource collections - more than 1 resource was found",
            ));
        }
        // Several objects of one kind: kubectl lists them before it refuses to watch.
        if !args.watch_only && !docs.is_empty() {
            let mut listed = args.clone();
            listed.watch = false;
            run(client, global, &listed, io)?;
        }
        return Err(CliError::message(
            "you may only watch a single resource or type of resource at a time",
        ));
    };
    let mut one = args.clone();
    one.filenames.clear();
    one.args = vec![format!(
        "{}/{}",
        doc.resource.qualified_plural(),
        doc.name()
    )];
    let mut global = global.clone();
    if let Some(ns) = namespace(doc, &global, args.all_namespaces).map_err(CliError::message)? {
        global.namespace = Some(ns.to_string());
    }
    super::watch(client, embedded, &global, &one, io)
}

/// Where a document's object is read: its own namespace, else `-n`'s or the context's;
/// with `-A` only its own, as kubectl's builder has no default to give it there.
fn namespace<'a>(
    doc: &'a Document,
    global: &'a GlobalFlags,
    all_namespaces: bool,
) -> Result<Option<&'a str>, String> {
    let r = doc.resource;
    if !all_namespaces || !r.namespaced {
        return Ok(doc.namespace_in(global.namespace()));
    }
    match doc.namespace_in("") {
        Some(ns) if !ns.is_empty() => Ok(Some(ns)),
        _ => Err(format!(
            "no namespace set on resource {}/{}, Resource={} \"{}\"",
            r.group,
            r.version,
            r.plural,
            doc.name()
        )),
    }
}

/// `-l` beside `-f` filters what was read by its labels.
fn selected(selector: Option<&LabelSelector>, obj: &Value) -> bool {
    selector.is_none_or(|s| s.matches(obj.pointer("/metadata/labels").and_then(Value::as_object)))
}

fn rows(table: &Option<Value>) -> usize {
    table
        .as_ref()
        .and_then(|t| t["rows"].as_array())
        .map_or(0, Vec::len)
}
