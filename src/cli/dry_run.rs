//! `--dry-run` as kubectl reads it for every verb: `none`, `client` or `server`; a Go
//! boolean (deprecated: true means client, false none) or a bare `--dry-run` (clap gives
//! `unchanged`, deprecated: client). The deprecated forms print kubectl's klog warning.

use super::errors::CliError;
use std::io::Write;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DryRun {
    None,
    Client,
    Server,
}

/// What clap stores for a bare `--dry-run` (kubectl's NoOptDefVal).
pub const BARE: &str = "unchanged";

impl DryRun {
    /// The value's meaning, or kubectl's error; no warning (for validate steps).
    pub fn parse(value: &str) -> Result<DryRun, CliError> {
        Self::read(value).map(|(mode, _)| mode)
    }

    /// `parse`, writing kubectl's deprecation warning for a boolean or a bare `--dry-run`.
    pub fn parse_and_warn(value: &str, err: &mut dyn Write) -> Result<DryRun, CliError> {
        let (mode, warning) = Self::read(value)?;
        if let Some(warning) = warning {
            let now = chrono::Local::now().format("%m%d %H:%M:%S%.6f");
            let pid = std::process::id();
            let _ = writeln!(err, "W{now} {pid:>7} {warning}");
        }
        Ok(mode)
    }

    /// Whether `value` asks for a client dry run (which needs no cluster at all).
    pub fn is_client(value: &str) -> bool {
        matches!(Self::parse(value), Ok(DryRun::Client))
    }

    /// What kubectl appends to `created`, `labeled`, `cordoned`, ...
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }

    /// The mode and, for a deprecated form, the klog message kubectl prints (with its
    /// source position, which is part of the line).
    fn read(value: &str) -> Result<(DryRun, Option<String>), CliError> {
        let boolean = |mode: DryRun, instead: &str| {
            let msg = format!(
                "helpers.go:716] --dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={instead}."
            );
            Ok((mode, Some(msg)))
        };
        match value {
            "none" => Ok((DryRun::None, None)),
            "client" => Ok((DryRun::Client, None)),
            "server" => Ok((DryRun::Server, None)),
            BARE => Ok((
                DryRun::Client,
                Some(
                    "helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client."
                        .to_string(),
                ),
            )),
            // Go's strconv.ParseBool spellings.
            "1" | "t" | "T" | "TRUE" | "true" | "True" => boolean(DryRun::Client, "client"),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => boolean(DryRun::None, "none"),
            other => Err(CliError::message(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(value: &str) -> String {
        let mut err = Vec::new();
        DryRun::parse_and_warn(value, &mut err).expect("valid");
        String::from_utf8(err).expect("utf-8")
    }

    #[test]
    fn kubectls_values_and_deprecated_forms() {
        assert!(matches!(DryRun::parse("server"), Ok(DryRun::Server)));
        assert!(matches!(DryRun::parse("True"), Ok(DryRun::Client)));
        assert!(matches!(DryRun::parse("0"), Ok(DryRun::None)));
        assert!(DryRun::is_client(BARE));
        assert!(warning("client").is_empty());
        assert!(warning(BARE).ends_with(
            " helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.\n"
        ));
        assert!(warning("false").ends_with(
            "] --dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.\n"
        ));
        assert!(warning("false").starts_with('W'));
        let Err(CliError::Message(e)) = DryRun::parse("yes") else {
            panic!("yes is no dry-run value");
        };
        assert_eq!(
            e,
            "Invalid dry-run value (yes). Must be \"none\", \"server\", or \"client\"."
        );
    }
}
