//! Edge cases checked against the real kubectl 1.32 (see testdata/describe-extra/README.md):
//! renders each case of cases.txt and compares it byte for byte with kubectl's output.

#[path = "support/store.rs"]
mod store;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use store::Store;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

#[test]
fn extra_cases_match_kubectl_byte_for_byte() {
    // SAFETY: set once, before any time is formatted in this test process.
    unsafe { std::env::set_var("TZ", "UTC") };
    let extra = testdata().join("describe-extra");
    let now_text = fs::read_to_string(extra.join("now.txt")).expect("now.txt");
    let now: DateTime<Utc> = now_text.trim().parse().expect("instant");
    let store = Store::load(&[
        &testdata().join("reference/objects"),
        &extra.join("objects"),
    ]);
    let cases = fs::read_to_string(extra.join("cases.txt")).expect("cases.txt");
    let mut total = 0;
    let mut failures = Vec::new();
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [resource, ns, name, events] = words[..] else {
            panic!("bad case line {line:?}")
        };
        total += 1;
        let namespace = (ns != "-").then_some(ns);
        let objects = match store.get(resource, namespace, name).expect("get") {
            Some(o) => vec![o],
            None => panic!("case object {resource}/{name} missing"),
        };
        let got = store
            .describe_all(resource, &objects, events == "true", now)
            .unwrap_or_else(|e| format!("error: {e}"));
        let tag = format!("{resource}-{ns}-{name}-{events}");
        let want =
            fs::read_to_string(extra.join("out").join(format!("{tag}.txt"))).expect("golden");
        if got != want {
            let path = std::env::temp_dir().join(format!("{tag}.got.txt"));
            let _ = fs::write(&path, &got);
            failures.push(format!("{tag} (got: {})", path.display()));
        }
    }
    println!(
        "extra describe cases passing: {}/{total}",
        total - failures.len()
    );
    assert!(total >= 30, "expected the extra cases, found {total}");
    assert!(
        failures.is_empty(),
        "mismatching cases:\n{}",
        failures.join("\n")
    );
}
