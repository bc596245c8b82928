//! Golden files produced by the real kubectl 1.32 (`testdata/oracle/gen.py`): tricky strings,
//! keys and numbers through `-o yaml` and `-o json`.

use kubelite::print::{json::to_json, yaml::to_yaml};
use serde_json::Value;
use std::path::PathBuf;

fn oracle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/oracle")
}

fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(oracle_dir())
        .expect("oracle dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .collect();
    names.sort();
    names
}

fn first_diff(a: &str, b: &str) -> String {
    for (i, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
        if la != lb {
            return format!("line {}:\n  ours:   {:?}\n  kubectl: {:?}", i + 1, la, lb);
        }
    }
    format!(
        "lengths differ: ours {} lines, kubectl {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

fn check(ext: &str, render: fn(&Value) -> String) {
    let names = cases();
    assert!(names.len() >= 5, "oracle corpus missing");
    let mut failures = Vec::new();
    for name in &names {
        let input = std::fs::read_to_string(oracle_dir().join(format!("{name}.json"))).unwrap();
        let v: Value = serde_json::from_str(&input).unwrap();
        let expected = std::fs::read_to_string(oracle_dir().join(format!("{name}{ext}"))).unwrap();
        let got = render(&v);
        if got != expected {
            failures.push(format!("{name}{ext}: {}", first_diff(&got, &expected)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_matches_kubectl() {
    check(".yaml", to_yaml);
}

#[test]
fn json_matches_kubectl() {
    check(".jsonout", to_json);
}
