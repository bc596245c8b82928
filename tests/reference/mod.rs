//! Reusable access to the kubectl reference corpus in `testdata/reference/` (a copy of
//! /work/shared/reference): the cases listed in its README (name, argv, exit status), the
//! stored API objects, and a small stand-in for the API server that selects the objects a
//! `get` command would receive.
//!
//! Wiring to the real CLI later: `cases()` gives every case's argv (after `kubectl`, with the
//! `--server`/`--cache-dir` flags removed), `store()` every stored object; seed a cluster
//! with the store, run the argv, compare with `expected(case)`.

#![allow(dead_code)]

use kubelite::print::{custom_columns, json, jsonpath, list, name, yaml};
use serde_json::Value;
use std::path::PathBuf;

pub fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/reference")
}

/// One README line: `* `NAME`: `kubectl ... ARGS` (exit N[, stderr])`.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// Arguments after `kubectl`, without `--server=...` and `--cache-dir=...`.
    pub argv: Vec<String>,
    pub exit: i32,
}

/// What kubectl printed for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

/// Every case listed in the README, in README order.
pub fn cases() -> Vec<Case> {
    let readme =
        std::fs::read_to_string(reference_dir().join("README.md")).expect("reference README");
    readme.lines().filter_map(parse_case_line).collect()
}

fn parse_case_line(line: &str) -> Option<Case> {
    let rest = line.strip_prefix("* `")?;
    let (name, rest) = rest.split_once("`: `kubectl ")?;
    let (command, rest) = rest.split_once("` (exit ")?;
    let exit: i32 = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let argv = shell_split(command)
        .into_iter()
        .filter(|a| !a.starts_with("--server=") && !a.starts_with("--cache-dir="))
        .collect();
    Some(Case {
        name: name.to_string(),
        argv,
        exit,
    })
}

/// POSIX-shell word splitting for the README's command lines: single quotes are literal,
/// double quotes allow backslash escapes, a backslash outside quotes escapes one character.
pub fn shell_split(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                if !matches!(n, '"' | '\\' | '$' | '`') {
                                    cur.push('\\');
                                }
                                cur.push(n);
                            }
                        }
                        _ => cur.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// The reference output of a case (stdout, stderr when recorded, exit status).
pub fn expected(case: &Case) -> Outcome {
    let out = reference_dir().join("out");
    let read = |f: String| std::fs::read_to_string(out.join(f)).unwrap_or_default();
    Outcome {
        stdout: read(format!("{}.txt", case.name)),
        stderr: read(format!("{}.stderr.txt", case.name)),
        exit: case.exit,
    }
}

/// Every stored API object (`objects/*.json`), except the recorded EventList bodies.
pub fn store() -> Vec<Value> {
    let dir = reference_dir().join("objects");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("objects dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| serde_json::from_str::<Value>(&std::fs::read_to_string(p).ok()?).ok())
        .filter(|v| {
            v.get("kind")
                .and_then(Value::as_str)
                .is_some_and(|k| !k.ends_with("List"))
        })
        .collect()
}

/// A resource type as kubectl's discovery knows it.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    pub plural: &'static str,
    pub kind: &'static str,
    pub group: &'static str,
    pub version: &'static str,
    pub namespaced: bool,
    pub aliases: &'static [&'static str],
}

pub const RESOURCES: &[Resource] = &[
    Resource {
        plural: "pods",
        kind: "Pod",
        group: "",
        version: "v1",
        namespaced: true,
        aliases: &["pod", "po"],
    },
    Resource {
        plural: "services",
        kind: "Service",
        group: "",
        version: "v1",
        namespaced: true,
        aliases: &["service", "svc"],
    },
    Resource {
        plural: "endpoints",
        kind: "Endpoints",
        group: "",
        version: "v1",
        namespaced: true,
        aliases: &["ep"],
    },
    Resource {
        plural: "namespaces",
        kind: "Namespace",
        group: "",
        version: "v1",
        namespaced: false,
        aliases: &["namespace", "ns"],
    },
    Resource {
        plural: "nodes",
        kind: "Node",
        group: "",
        version: "v1",
        namespaced: false,
        aliases: &["node", "no"],
    },
    Resource {
        plural: "events",
        kind: "Event",
        group: "",
        version: "v1",
        namespaced: true,
        aliases: &["event", "ev"],
    },
    Resource {
        plural: "deployments",
        kind: "Deployment",
        group: "apps",
        version: "v1",
        namespaced: true,
        aliases: &["deployment", "deploy"],
    },
    Resource {
        plural: "replicasets",
        kind: "ReplicaSet",
        group: "apps",
        version: "v1",
        namespaced: true,
        aliases: &["replicaset", "rs"],
    },
    Resource {
        plural: "daemonsets",
        kind: "DaemonSet",
        group: "apps",
        version: "v1",
        namespaced: true,
        aliases: &["daemonset", "ds"],
    },
    Resource {
        plural: "leases",
        kind: "Lease",
        group: "coordination.k8s.io",
        version: "v1",
        namespaced: true,
        aliases: &["lease"],
    },
    Resource {
        plural: "endpointslices",
        kind: "EndpointSlice",
        group: "discovery.k8s.io",
        version: "v1",
        namespaced: true,
        aliases: &["endpointslice"],
    },
];

pub fn resolve_resource(name: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.plural == name || r.aliases.contains(&name))
}

/// The parts of a `kubectl get` command line that decide what is printed.
#[derive(Debug, Clone, Default)]
pub struct GetArgs {
    pub resources: Vec<String>,
    pub names: Vec<String>,
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    pub selector: Option<String>,
    pub output: Option<String>,
    pub no_headers: bool,
}

/// Parse `get ...` argv (None for another verb).
pub fn parse_get(argv: &[String]) -> Option<GetArgs> {
    let mut it = argv.iter();
    if it.next()? != "get" {
        return None;
    }
    let mut g = GetArgs::default();
    let mut positional = Vec::new();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| -> Option<String> {
            if a == flag {
                it.next().cloned()
            } else {
                a.strip_prefix(&format!("{flag}=")).map(str::to_string)
            }
        };
        if let Some(v) = value("-n").or_else(|| value("--namespace")) {
            g.namespace = Some(v);
        } else if let Some(v) = value("-l").or_else(|| value("--selector")) {
            g.selector = Some(v);
        } else if let Some(v) = value("-o").or_else(|| value("--output")) {
            g.output = Some(v);
        } else if a == "-A" || a == "--all-namespaces" {
            g.all_namespaces = true;
        } else if a == "--no-headers" {
            g.no_headers = true;
        } else {
            positional.push(a.clone());
        }
    }
    let mut pos = positional.into_iter();
    g.resources = pos.next()?.split(',').map(str::to_string).collect();
    g.names = pos.collect();
    Some(g)
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> &'v str {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(n) => cur = n,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

/// `k=v`, `k!=v`, `k`, `!k`, comma-separated.
pub fn matches_selector(obj: &Value, selector: &str) -> bool {
    let labels = obj.get("metadata").and_then(|m| m.get("labels"));
    let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    selector.split(',').filter(|t| !t.is_empty()).all(|term| {
        if let Some((k, v)) = term.split_once("!=") {
            label(k.trim()) != Some(v.trim())
        } else if let Some((k, v)) = term.split_once('=') {
            label(k.trim().trim_end_matches('=')) == Some(v.trim())
        } else if let Some(k) = term.strip_prefix('!') {
            label(k.trim()).is_none()
        } else {
            label(term.trim()).is_some()
        }
    })
}

/// What the API server answers: per requested resource, the selected objects (sorted by
/// namespace then name for collections; in argument order for names), or kubectl's
/// NotFound error text.
pub fn select(
    store: &[Value],
    g: &GetArgs,
) -> Result<Vec<(&'static Resource, Vec<Value>)>, String> {
    let ns = g.namespace.clone().unwrap_or_else(|| "default".to_string());
    let mut out = Vec::new();
    for rname in &g.resources {
        let res = resolve_resource(rname)
            .ok_or_else(|| format!("the server doesn't have a resource type \"{rname}\""))?;
        let in_scope = |o: &&Value| {
            str_at(o, &["kind"]) == res.kind
                && (!res.namespaced
                    || g.all_namespaces
                    || str_at(o, &["metadata", "namespace"]) == ns)
        };
        let mut objs: Vec<Value> = Vec::new();
        if g.names.is_empty() {
            let mut found: Vec<&Value> = store
                .iter()
                .filter(in_scope)
                .filter(|o| g.selector.as_deref().is_none_or(|s| matches_selector(o, s)))
                .collect();
            found.sort_by_key(|o| {
                (
                    str_at(o, &["metadata", "namespace"]),
                    str_at(o, &["metadata", "name"]),
                )
            });
            objs.extend(found.into_iter().cloned());
        } else {
            for name in &g.names {
                let obj = store
                    .iter()
                    .filter(in_scope)
                    .find(|o| str_at(o, &["metadata", "name"]) == name)
                    .ok_or_else(|| {
                        format!(
                            "Error from server (NotFound): {} \"{}\" not found",
                            res.plural, name
                        )
                    })?;
                objs.push(obj.clone());
            }
        }
        out.push((res, objs));
    }
    Ok(out)
}

/// A minimal `kubectl get` over the reference store: printer setup errors first (kubectl
/// builds the printer before any request), then the API answer, then the printer.
pub fn run_get(g: &GetArgs, store: &[Value]) -> Outcome {
    let fail = |msg: String| Outcome {
        stdout: String::new(),
        stderr: if msg.ends_with('\n') {
            msg
        } else {
            format!("{msg}\n")
        },
        exit: 1,
    };
    let output = g.output.clone().unwrap_or_default();
    enum Printer {
        Yaml,
        Json,
        Name,
        JsonPath(jsonpath::JsonPath),
        Columns(Vec<custom_columns::Column>),
    }
    let printer = if output == "yaml" {
        Printer::Yaml
    } else if output == "json" {
        Printer::Json
    } else if output == "name" {
        Printer::Name
    } else if let Some(t) = output.strip_prefix("jsonpath=") {
        match jsonpath::parse(t) {
            Ok(p) => Printer::JsonPath(p),
            Err(e) => return fail(jsonpath::stderr_text(&e)),
        }
    } else if let Some(spec) = output.strip_prefix("custom-columns=") {
        match custom_columns::parse_spec(spec) {
            Ok(c) => Printer::Columns(c),
            Err(e) => return fail(format!("error: {e}")),
        }
    } else {
        return fail(format!("unsupported output {output}"));
    };

    let selected = match select(store, g) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let single = g.names.len() == 1 && g.resources.len() == 1;
    let items: Vec<Value> = selected
        .into_iter()
        .flat_map(|(res, objs)| {
            let api_version = if res.group.is_empty() {
                res.version.to_string()
            } else {
                format!("{}/{}", res.group, res.version)
            };
            objs.into_iter()
                .map(move |o| list::with_type_meta(o, &api_version, res.kind))
        })
        .collect();
    let whole = || {
        if single {
            items[0].clone()
        } else {
            list::wrap_list(items.clone())
        }
    };

    let rendered: Result<String, String> = match &printer {
        Printer::Yaml => Ok(yaml::to_yaml(&whole())),
        Printer::Json => Ok(json::to_json(&whole())),
        Printer::Name => Ok(items
            .iter()
            .filter_map(name::name_line_of)
            .map(|l| l + "\n")
            .collect()),
        Printer::JsonPath(p) => p.render(&whole()).map_err(|e| jsonpath::stderr_text(&e)),
        Printer::Columns(cols) => match custom_columns::render(cols, &items, g.no_headers) {
            Ok(out) => Ok(out),
            Err(e) => {
                return Outcome {
                    stdout: e.printed,
                    stderr: format!("error: {}\n", e.message),
                    exit: 1,
                };
            }
        },
    };
    match rendered {
        Ok(stdout) => Outcome {
            stdout,
            stderr: String::new(),
            exit: 0,
        },
        Err(e) => fail(e),
    }
}
