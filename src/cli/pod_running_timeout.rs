//! `--pod-running-timeout` (run, attach, exec, logs, port-forward): a Go duration that
//! bounds kubectl's wait for a pod to run. Its flag parser refuses what is no duration;
//! the verb then refuses zero or less, in a usage error except for `logs`.

use super::errors::CliError;
use std::time::Duration;

/// How the refusal of a duration of zero or less is worded.
#[derive(Clone, Copy, PartialEq)]
pub enum Refusal {
    /// An error followed by the verb's `See 'kubectl VERB -h'` line.
    Usage,
    /// The bare error (`logs`).
    Plain,
}

/// The flag parser's check, which comes before any other of the verb's: `text` is a Go
/// duration (in nanoseconds, of any sign).
pub fn syntax(text: &str, verb: &str) -> Result<i128, CliError> {
    super::wait::duration::parse_go(text).map_err(|why| {
        CliError::Raw(format!(
            "Error: invalid argument {} for \"--pod-running-timeout\" flag: {why}\nSee 'kubectl {verb} --help' for usage.\n",
            crate::go::quote(text)
        ))
    })
}

/// The timeout `text` names for `verb`, or kubectl's words for why it names none.
pub fn parse(text: &str, verb: &str, refusal: Refusal) -> Result<Duration, CliError> {
    let nanos = syntax(text, verb)?;
    if nanos <= 0 {
        let message = "--pod-running-timeout must be higher than zero";
        return Err(match refusal {
            Refusal::Usage => CliError::Raw(format!(
                "error: {message}\nSee 'kubectl {verb} -h' for help and examples\n"
            )),
            Refusal::Plain => CliError::message(message),
        });
    }
    // Go keeps durations in int64 nanoseconds, so this always fits.
    Ok(Duration::from_nanos(
        u64::try_from(nanos).unwrap_or(u64::MAX),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(r: Result<Duration, CliError>) -> String {
        match r {
            Err(CliError::Raw(t)) => t,
            Err(CliError::Message(m)) => format!("error: {m}\n"),
            Err(_) => "other".into(),
            Ok(d) => format!("{d:?}"),
        }
    }

    #[test]
    fn durations_and_kubectls_refusals() {
        assert_eq!(said(parse("1m0s", "run", Refusal::Usage)), "60s");
        assert_eq!(said(parse("1.5s", "run", Refusal::Usage)), "1.5s");
        assert_eq!(
            said(parse("0", "run", Refusal::Usage)),
            "error: --pod-running-timeout must be higher than zero\nSee 'kubectl run -h' for help and examples\n"
        );
        assert_eq!(
            said(parse("-1s", "logs", Refusal::Plain)),
            "error: --pod-running-timeout must be higher than zero\n"
        );
        assert_eq!(
            said(parse("5", "attach", Refusal::Usage)),
            "Error: invalid argument \"5\" for \"--pod-running-timeout\" flag: time: missing unit in duration \"5\"\nSee 'kubectl attach --help' for usage.\n"
        );
        assert_eq!(
            said(parse("abc", "exec", Refusal::Usage)),
            "Error: invalid argument \"abc\" for \"--pod-running-timeout\" flag: time: invalid duration \"abc\"\nSee 'kubectl exec --help' for usage.\n"
        );
    }
}
