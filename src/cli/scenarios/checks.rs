//! Checks that are not output matches (`@expect`, `@expect-count`): each says what is still
//! wrong, so a scenario can be an exercise a learner works through.

use super::process::Finished;

/// What is wrong with `get -o jsonpath=...`'s answer, if anything.
pub fn expect(done: &Finished, value: &str) -> Option<String> {
    if done.code != Some(0) {
        return Some(said(done));
    }
    let got = String::from_utf8_lossy(&done.stdout);
    (got != value).then(|| format!("is {got:?}, not {value:?}"))
}

/// What is wrong with the number of objects `get -o name` listed, if anything.
pub fn expect_count(done: &Finished, count: usize) -> Option<String> {
    if done.code != Some(0) {
        return Some(said(done));
    }
    let stdout = String::from_utf8_lossy(&done.stdout);
    let names: Vec<&str> = stdout.lines().filter(|l| !l.is_empty()).collect();
    if names.len() == count {
        return None;
    }
    let listed = if names.is_empty() {
        String::new()
    } else if names.len() <= 10 {
        format!(": {}", names.join(", "))
    } else {
        format!(": {}, ...", names[..10].join(", "))
    };
    Some(format!("found {}, not {count}{listed}", names.len()))
}

/// The error the get printed.
fn said(done: &Finished) -> String {
    let err = String::from_utf8_lossy(&done.stderr);
    let err = err.trim_end();
    if err.is_empty() {
        format!("get failed (exit {})", done.code.unwrap_or(-1))
    } else {
        err.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(code: i32, out: &str, err: &str) -> Finished {
        Finished {
            stdout: out.as_bytes().to_vec(),
            stderr: err.as_bytes().to_vec(),
            code: Some(code),
            timed_out: false,
            overflowed: false,
        }
    }

    #[test]
    fn checks_say_what_is_wrong() {
        assert_eq!(expect(&done(0, "Running", ""), "Running"), None);
        assert_eq!(
            expect(&done(0, "Pending", ""), "Running").as_deref(),
            Some("is \"Pending\", not \"Running\"")
        );
        assert_eq!(
            expect(
                &done(
                    1,
                    "",
                    "Error from server (NotFound): pods \"web\" not found\n"
                ),
                "x"
            )
            .as_deref(),
            Some("Error from server (NotFound): pods \"web\" not found")
        );
        assert_eq!(expect_count(&done(0, "pod/a\npod/b\n", ""), 2), None);
        assert_eq!(
            expect_count(&done(0, "pod/a\n", ""), 3).as_deref(),
            Some("found 1, not 3: pod/a")
        );
        assert_eq!(
            expect_count(
                &done(0, "", "No resources found in default namespace.\n"),
                1
            )
            .as_deref(),
            Some("found 0, not 1")
        );
    }
}
