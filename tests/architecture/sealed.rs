//! "Only the API server touches the store" (DESIGN.md): no file outside `src/apiserver`
//! names `crate::store`, except the store's own tools, and the store names nothing above
//! it. Test code counts too: a test elsewhere that reaches into the store would go stale
//! the day the store changes under the API server.

use super::source::{self, File};

/// Files outside `src/apiserver` that may name the store, and why.
const STORE_TOOLS: &[(&str, &str)] = &[
    ("src/store/", "the store itself"),
    ("src/apiserver/", "the API server, the store's only door"),
    (
        "src/etcdctl/",
        "etcdctl, the store's client tool (as the real etcdctl talks to etcd)",
    ),
    (
        "src/etcdserver/",
        "kubelite etcd: an etcd member serving its own store over etcd's gRPC API, as etcd serves its bolt file",
    ),
    (
        "src/programs/etcdctl.rs",
        "etcdctl as the etcd pod runs it: holds the etcd member's store",
    ),
    (
        "src/embedded/housekeeping_tests.rs",
        "the housekeeping's test counts the Events' leases, which no API serves",
    ),
    (
        "src/embedded/etcd.rs",
        "whoever assembles the cluster in a real etcd connects to it and holds it for one serve",
    ),
    (
        "src/embedded/snapshot.rs",
        "a cluster's snapshot holds its store at one revision, as etcdctl snapshot save does",
    ),
    (
        "src/embedded/store_copy.rs",
        "kubelite store copy reads one store at a revision and writes another, as a restore does",
    ),
    (
        "src/embedded/mod.rs",
        "whoever assembles the cluster opens its store and hands it to the API server and the etcd member",
    ),
];

fn may_name_the_store(file: &File) -> bool {
    STORE_TOOLS
        .iter()
        .any(|(prefix, _)| file.path.starts_with(prefix))
}

#[test]
fn only_the_api_server_and_the_stores_tools_name_the_store() {
    let files = source::library();
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !may_name_the_store(f))
        .flat_map(|f| {
            f.references()
                .into_iter()
                .filter(|r| r.top() == "store")
                .map(move |r| format!("  {}:{} names crate::store", f.path, r.line))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "only the API server touches the store (DESIGN.md); go through ApiServer's calls \
         instead:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_store_names_nothing_above_it() {
    let files = source::library();
    let modules = source::top_level_modules(&files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| f.top() == "store")
        .flat_map(|f| {
            f.references()
                .into_iter()
                .filter(|r| r.top() != "store" && modules.contains(r.top()))
                .map(move |r| format!("  {}:{} names crate::{}", f.path, r.line, r.top()))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "the store is the bottom layer and names no other module:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_source_reader_finds_what_these_tests_rely_on() {
    // Guards the guard: a reader that silently found nothing would pass everything.
    let files = source::library();
    let apiserver = files
        .iter()
        .find(|f| f.path == "src/apiserver/mod.rs")
        .expect("src/apiserver/mod.rs is read");
    assert!(
        apiserver.references().iter().any(|r| r.top() == "store"),
        "the API server's use of the store is seen"
    );
    assert!(
        files.iter().any(|f| f.test_only),
        "test-only modules are told apart"
    );
    assert!(
        source::top_level_modules(&files).len() >= 10,
        "the top-level modules are found"
    );
    let code = source::blank("let s = \"crate::store\"; // crate::store\nlet c = '\"';");
    assert!(
        !code.contains("crate::store"),
        "literals and comments are blanked"
    );
    assert!(
        code.contains("let c ="),
        "code after a char literal survives"
    );
}

#[test]
fn every_library_file_is_read() {
    // A `mod` the reader missed would be a file these tests never look at.
    let read: std::collections::BTreeSet<String> =
        source::library().into_iter().map(|f| f.path).collect();
    let mut missed = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if rel.ends_with(".rs") && rel != "src/main.rs" && !read.contains(&rel) {
                missed.push(rel);
            }
        }
    }
    assert!(
        missed.is_empty(),
        "files the reader did not reach: {missed:?}"
    );
}
