//! jsonpath templates run by the real kubectl 1.32 on one object
//! (`testdata/oracle/jsonpath-cases.json`, made by `testdata/oracle/gen.py`).

use kubelite::print::jsonpath::{parse, stderr_text};
use serde_json::Value;
use std::path::PathBuf;

/// Templates whose kubectl output depends on Go's random map iteration order.
const MAP_ORDER_DEPENDENT: &[&str] = &[
    "{.*}",
    "{..b}",
    "{..a}",
    "{.deep.*}",
    "{..v}",
    "{..}",
    "{.data.*}x",
    "{.deep.m..c}",
];

#[test]
fn jsonpath_matches_kubectl() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/oracle");
    let obj: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("jsonpath-object.json")).unwrap())
            .unwrap();
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("jsonpath-cases.json")).unwrap())
            .unwrap();
    assert!(cases.len() > 50);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        let template = case["template"].as_str().unwrap();
        if MAP_ORDER_DEPENDENT.contains(&template) {
            continue;
        }
        checked += 1;
        let (stdout, stderr, rc) = match parse(template).and_then(|p| p.render(&obj)) {
            Ok(out) => (out, String::new(), 0),
            Err(e) => (String::new(), stderr_text(&e), 1),
        };
        let want = (
            case["stdout"].as_str().unwrap(),
            case["stderr"].as_str().unwrap(),
            case["rc"].as_i64().unwrap(),
        );
        if (stdout.as_str(), stderr.as_str(), rc) != want {
            failures.push(format!(
                "{template}\n  ours:    {:?} {:?} {rc}\n  kubectl: {:?} {:?} {}",
                stdout,
                trunc(&stderr),
                want.0,
                trunc(want.1),
                want.2
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn trunc(s: &str) -> String {
    s.chars().take(300).collect()
}

/// `{kind}` (no leading dot) is an identifier, not a field, in kubectl's `-o jsonpath`.
#[test]
fn field_without_dot_is_an_unknown_identifier() {
    let obj = serde_json::json!({"kind": "ConfigMap"});
    let err = parse("{kind}").unwrap().render(&obj).unwrap_err();
    assert!(err.starts_with("error executing jsonpath \"{kind}\": Error executing template: unrecognized identifier kind. "), "{err}");
}
