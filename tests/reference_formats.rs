//! Every `get -o yaml|json|name|jsonpath|custom-columns` case of the kubectl reference corpus,
//! rendered with this crate's printers from the stored objects and compared byte for byte
//! (stdout, stderr, exit status).

mod reference;

use reference::{Case, run_get};

fn printer_cases() -> Vec<Case> {
    reference::cases()
        .into_iter()
        .filter(|c| {
            let n = c.name.as_str();
            n.starts_with("jsonpath-")
                || n.starts_with("custom-columns-")
                || (n.starts_with("get-")
                    && (n.ends_with("-yaml") || n.ends_with("-json") || n.ends_with("-name")))
        })
        .collect()
}

#[test]
fn readme_cases_are_parsed() {
    let all = reference::cases();
    let outputs = std::fs::read_dir(reference::reference_dir().join("out"))
        .expect("out dir")
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".stderr.txt"))
        .count();
    assert_eq!(all.len(), outputs, "every out/ case has a README line");
    let c = all
        .iter()
        .find(|c| c.name == "jsonpath-pods-range-name-phase-node")
        .expect("case");
    assert_eq!(
        c.argv,
        [
            "get",
            "pods",
            "-o",
            r#"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\t"}{.spec.nodeName}{"\n"}{end}"#
        ]
    );
    let bad = all
        .iter()
        .find(|c| c.name == "custom-columns-bad-spec")
        .expect("case");
    assert_eq!(bad.exit, 1);
}

#[test]
fn printer_cases_match_kubectl() {
    let store = reference::store();
    let cases = printer_cases();
    assert!(
        cases.len() >= 60,
        "expected the get/jsonpath/custom-columns cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let g = reference::parse_get(&case.argv)
            .unwrap_or_else(|| panic!("{}: not a get command", case.name));
        let got = run_get(&g, &store);
        let want = reference::expected(case);
        if got != want {
            let what = if got.stdout != want.stdout {
                first_diff(&got.stdout, &want.stdout)
            } else {
                format!(
                    "stderr/exit: ours {:?} {}, kubectl {:?} {}",
                    got.stderr, got.exit, want.stderr, want.exit
                )
            };
            failures.push(format!("{}: {}", case.name, what));
        }
    }
    println!(
        "{} of {} printer cases match kubectl",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn first_diff(a: &str, b: &str) -> String {
    for (i, (la, lb)) in a.split('\n').zip(b.split('\n')).enumerate() {
        if la != lb {
            return format!("line {}:\n  ours:    {:?}\n  kubectl: {:?}", i + 1, la, lb);
        }
    }
    format!("ours {} bytes, kubectl {} bytes", a.len(), b.len())
}
