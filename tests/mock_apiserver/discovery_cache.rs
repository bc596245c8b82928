//! `api-resources` with a warm discovery cache (`<cache>/discovery/<host_port>/`): kubectl
//! reads the cache only when `--cached` asks it to; otherwise it drops what it cached and
//! asks the server again. One mock per tool is kept up for all its runs (the cache's
//! directory is named after the server's address): the cache is filled once, by kubectl
//! or by kubelite, then each tool runs the cases below in order with that same cache, and
//! its requests and output are compared with kubectl's, run by run.

use super::cluster;
use super::run::{self, Mock, Outcome, Tool};

/// In order: the cache as the filler left it, the server asked again, then the cache as
/// that fresh read rewrote it.
const CASES: [&[&str]; 4] = [
    &["api-resources", "--cached"],
    &["api-resources"],
    &["api-resources", "--cached", "-o", "wide"],
    &["api-resources", "--namespaced=false"],
];

/// What `tool` did in each case, against its own mock whose cache `filler` filled first.
fn after_filling(filler: Tool, tool: Tool, dir: &std::path::Path) -> Vec<Outcome> {
    let mock = Mock::new(&cluster);
    let filled = mock.run(filler, &["api-resources"], dir, &[]);
    assert_eq!(filled.code, 0, "{filler:?} filling the cache: {filled:?}");
    let groups = mock
        .cache()
        .join("discovery")
        .join(mock.host_port())
        .join("servergroups.json");
    assert!(groups.is_file(), "{filler:?} left no {}", groups.display());
    CASES
        .iter()
        .map(|args| mock.run(tool, args, dir, &[]))
        .collect()
}

fn differences_after_filling(filler: Tool) -> String {
    let dir = run::Scratch::new("warm");
    let ours = after_filling(filler, Tool::Kubelite, &dir.0);
    let theirs = after_filling(filler, Tool::Kubectl, &dir.0);
    let mut d = String::new();
    for ((args, o), t) in CASES.iter().zip(ours).zip(theirs) {
        d.push_str(&run::compare(args, o, t));
    }
    d
}

#[test]
fn api_resources_asks_again_unless_cached_with_kubectls_cache() {
    require_kubectl!();
    let d = differences_after_filling(Tool::Kubectl);
    assert!(d.is_empty(), "cache filled by kubectl:\n{d}");
}

#[test]
fn api_resources_asks_again_unless_cached_with_kubelites_cache() {
    require_kubectl!();
    let d = differences_after_filling(Tool::Kubelite);
    assert!(d.is_empty(), "cache filled by kubelite:\n{d}");
}
