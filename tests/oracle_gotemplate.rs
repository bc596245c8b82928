//! go-templates run by the real kubectl 1.32 on one object (`testdata/oracle/gotemplate-cases.json`,
//! made by `testdata/oracle/gen_gotemplate.py`): kubelite's stdout, stderr and exit code must be
//! the same bytes.

use kubelite::print::gotemplate::parse;
use serde_json::Value;
use std::path::PathBuf;

/// What kubelite prints for a template: (stdout, stderr, exit code).
fn ours(template: &str, strict: bool, obj: &Value) -> (String, String, i64) {
    let t = match parse(template) {
        Ok(t) => t.allow_missing_keys(!strict),
        Err(e) => return (String::new(), format!("error: {e}\n"), 1),
    };
    match t.render(obj) {
        Ok(out) => (out, String::new(), 0),
        Err(e) => (e.printed, format!("error: {}\n", e.message), 1),
    }
}

#[test]
fn go_template_matches_kubectl() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/oracle");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let mut obj = read("gotemplate-object.json");
    // `annotate --local foo=bar` added this before printing.
    obj["metadata"]["annotations"] = serde_json::json!({"foo": "bar"});
    let cases = read("gotemplate-cases.json");
    let cases = cases.as_array().unwrap();
    assert!(cases.len() > 100);
    let mut failures = Vec::new();
    for case in cases {
        let template = case["template"].as_str().unwrap();
        let strict = case["strict"].as_bool().unwrap();
        let got = ours(template, strict, &obj);
        let want = (
            case["stdout"].as_str().unwrap(),
            case["stderr"].as_str().unwrap(),
            case["rc"].as_i64().unwrap(),
        );
        if (got.0.as_str(), got.1.as_str(), got.2) != want {
            failures.push(format!(
                "{template:?} strict={strict}\n  ours:    {:?} {:?} {}\n  kubectl: {:?} {:?} {}",
                around(&got.0, want.0),
                got.1,
                got.2,
                around(want.0, &got.0),
                want.1,
                want.2
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `s` from a little before where it first differs from `other`.
fn around(s: &str, other: &str) -> String {
    let at = s
        .char_indices()
        .zip(other.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(s.len().min(other.len()));
    let start = s[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    s[start..].chars().take(120).collect()
}
