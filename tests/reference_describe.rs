//! Renders every `describe` case of the kubectl 1.32 reference corpus and compares it
//! byte for byte with kubectl's output (testdata/reference/out/describe-*.txt).

#[path = "support/store.rs"]
mod store;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use store::Store;

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/reference")
}

/// One `describe` command line of the README.
struct Case {
    name: String,
    resource: String,
    object: Option<String>,
    namespace: Option<String>,
    selector: Option<String>,
    show_events: bool,
}

fn plural(word: &str) -> Option<&'static str> {
    Some(match word {
        "pod" | "pods" => "pods",
        "node" | "nodes" => "nodes",
        "service" | "services" => "services",
        "deployment" | "deployments" => "deployments",
        "replicaset" | "replicasets" => "replicasets",
        "endpoints" => "endpoints",
        "namespace" | "namespaces" => "namespaces",
        "daemonset" | "daemonsets" => "daemonsets",
        _ => return None,
    })
}

fn cases() -> Vec<Case> {
    let readme = fs::read_to_string(reference_dir().join("README.md")).expect("README");
    let mut out = Vec::new();
    for line in readme.lines() {
        let Some(rest) = line.strip_prefix("* `describe-") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once("`: `") else {
            continue;
        };
        let Some((command, _)) = rest.split_once('`') else {
            continue;
        };
        let words: Vec<&str> = command.split_whitespace().collect();
        let Some(pos) = words.iter().position(|w| *w == "describe") else {
            continue;
        };
        let args = &words[pos + 1..];
        let resource = plural(args[0]).expect("known resource").to_string();
        let mut case = Case {
            name: format!("describe-{name}"),
            resource,
            object: None,
            namespace: None,
            selector: None,
            show_events: true,
        };
        let mut i = 1;
        while i < args.len() {
            match args[i] {
                "-n" => {
                    case.namespace = Some(args[i + 1].to_string());
                    i += 1;
                }
                "-l" => {
                    case.selector = Some(args[i + 1].to_string());
                    i += 1;
                }
                "--show-events=false" => case.show_events = false,
                word => case.object = Some(word.to_string()),
            }
            i += 1;
        }
        out.push(case);
    }
    out
}

/// Renders a case as kubectl would: (stdout, stderr).
fn render(store: &Store, case: &Case, now: DateTime<Utc>) -> (String, String) {
    let cluster_scoped = matches!(case.resource.as_str(), "nodes" | "namespaces");
    let namespace = if cluster_scoped {
        None
    } else {
        Some(case.namespace.as_deref().unwrap_or("default"))
    };
    let objects = match (&case.object, &case.selector) {
        (Some(name), _) => match store.get(&case.resource, namespace, name).expect("get") {
            Some(o) => vec![o],
            None => {
                return (
                    String::new(),
                    format!(
                        "Error from server (NotFound): {} \"{name}\" not found\n",
                        case.resource
                    ),
                );
            }
        },
        (None, selector) => store
            .list(&case.resource, namespace, selector.as_deref(), None)
            .expect("list"),
    };
    match store.describe_all(&case.resource, &objects, case.show_events, now) {
        Ok(text) => (text, String::new()),
        Err(e) => (String::new(), format!("error: {e}\n")),
    }
}

#[test]
fn describe_matches_kubectl_byte_for_byte() {
    // Absolute times print in the local zone; the reference was made with TZ=UTC.
    // SAFETY: set once, before any time is formatted in this test process.
    unsafe { std::env::set_var("TZ", "UTC") };
    let now: DateTime<Utc> = "2026-11-29T01:42:16Z".parse().expect("reference instant");
    let store = Store::load(&[&reference_dir().join("objects")]);
    let out_dir = reference_dir().join("out");
    let all = cases();
    assert!(
        all.len() >= 20,
        "expected the README's describe cases, found {}",
        all.len()
    );
    let mut failures = Vec::new();
    for case in &all {
        let (stdout, stderr) = render(&store, case, now);
        let want_out =
            fs::read_to_string(out_dir.join(format!("{}.txt", case.name))).expect("golden stdout");
        let want_err = fs::read_to_string(out_dir.join(format!("{}.stderr.txt", case.name)))
            .unwrap_or_default();
        if stdout != want_out || stderr != want_err {
            let got_path = std::env::temp_dir().join(format!("{}.got.txt", case.name));
            let _ = fs::write(&got_path, &stdout);
            failures.push(format!("{} (got: {})", case.name, got_path.display()));
        }
    }
    println!(
        "describe cases passing: {}/{}",
        all.len() - failures.len(),
        all.len()
    );
    assert!(
        failures.is_empty(),
        "mismatching cases:\n{}",
        failures.join("\n")
    );
}
