//! What `kubelite test` reports: a line per scenario and a summary for people, TAP, and
//! JUnit XML for CI systems.

use std::fmt::Write as _;
use std::time::Duration;

/// One scenario's result.
pub struct Result {
    pub file: String,
    pub status: Status,
    /// Why it failed: a diff, problems, or a parse diagnostic.
    pub detail: String,
    pub commands: usize,
    pub elapsed: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Passed,
    Updated,
    Failed,
}

/// The summary line.
pub fn summary(results: &[Result], elapsed: Duration) -> String {
    let count = |s| results.iter().filter(|r| r.status == s).count();
    let failed = count(Status::Failed);
    let commands: usize = results.iter().map(|r| r.commands).sum();
    format!(
        "test result: {}. {} passed; {} failed; {} updated ({} scenarios, {} commands, {:.2}s)",
        if failed == 0 { "ok" } else { "FAILED" },
        count(Status::Passed),
        failed,
        count(Status::Updated),
        results.len(),
        commands,
        elapsed.as_secs_f64()
    )
}

/// The human report: one line per scenario, the failures' details, the summary.
pub fn human(results: &[Result], elapsed: Duration) -> String {
    let mut out = String::new();
    for r in results {
        let word = match r.status {
            Status::Passed => "ok     ",
            Status::Updated => "updated",
            Status::Failed => "FAILED ",
        };
        let _ = writeln!(out, "{word} {}", r.file);
    }
    for r in results.iter().filter(|r| r.status == Status::Failed) {
        let _ = writeln!(out, "\n---- {} ----\n{}", r.file, r.detail.trim_end());
    }
    let _ = writeln!(out, "\n{}", summary(results, elapsed));
    out
}

/// TAP version 13: a plan, a line per scenario, failures' details as YAML blocks.
pub fn tap(results: &[Result]) -> String {
    let mut out = format!("TAP version 13\n1..{}\n", results.len());
    for (i, r) in results.iter().enumerate() {
        if r.status == Status::Failed {
            let _ = writeln!(out, "not ok {} - {}", i + 1, r.file);
            out.push_str("  ---\n  message: |\n");
            for l in r.detail.lines() {
                let _ = writeln!(out, "    {l}");
            }
            out.push_str("  ...\n");
        } else {
            let _ = writeln!(out, "ok {} - {}", i + 1, r.file);
        }
    }
    out
}

/// JUnit XML: one testsuite, one testcase per scenario.
pub fn junit(results: &[Result], elapsed: Duration) -> String {
    let failed = results
        .iter()
        .filter(|r| r.status == Status::Failed)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites tests=\"{n}\" failures=\"{failed}\" time=\"{t:.3}\">\n  <testsuite name=\"kubelite test\" tests=\"{n}\" failures=\"{failed}\" errors=\"0\" time=\"{t:.3}\">",
        n = results.len(),
        t = elapsed.as_secs_f64()
    );
    for r in results {
        let _ = write!(
            out,
            "    <testcase classname=\"kubelite.test\" name=\"{}\" file=\"{}\" time=\"{:.3}\"",
            xml(&r.file),
            xml(&r.file),
            r.elapsed.as_secs_f64()
        );
        if r.status == Status::Failed {
            let first = r.detail.lines().next().unwrap_or("failed");
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                xml(first),
                xml(&r.detail)
            );
        } else {
            out.push_str("/>\n");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text escaped for XML attributes and content; characters XML 1.0 cannot hold are dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Vec<Result> {
        vec![
            Result {
                file: "a.txt".into(),
                status: Status::Passed,
                detail: String::new(),
                commands: 2,
                elapsed: Duration::from_millis(5),
            },
            Result {
                file: "b<1>.txt".into(),
                status: Status::Failed,
                detail: "b.txt:3: @expect x: is \"a\"\n\u{1b}[0m".into(),
                commands: 1,
                elapsed: Duration::from_millis(7),
            },
        ]
    }

    #[test]
    fn tap_and_junit_name_each_scenario() {
        let tap = tap(&results());
        assert!(
            tap.starts_with("TAP version 13\n1..2\nok 1 - a.txt\nnot ok 2 - b<1>.txt\n"),
            "{tap}"
        );
        let xml = junit(&results(), Duration::from_millis(12));
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert!(xml.contains("name=\"b&lt;1&gt;.txt\""), "{xml}");
        assert!(xml.contains("is &quot;a&quot;"), "{xml}");
        assert!(!xml.contains('\u{1b}'), "{xml}");
        let s = summary(&results(), Duration::from_millis(12));
        assert!(
            s.starts_with("test result: FAILED. 1 passed; 1 failed; 0 updated"),
            "{s}"
        );
    }
}
