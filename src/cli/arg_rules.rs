//! The rules kubectl's resource builder applies to how a verb names its objects, before it
//! asks the server anything: `TYPE/NAME` arguments come alone, a selector (or `--all`)
//! excludes names, `--all` excludes a selector. Pure: the verbs' validate steps call it.

use super::errors::CliError;

/// How a command line names objects.
#[derive(Default)]
pub struct Naming<'a> {
    /// The positional arguments that name resources (`TYPE[,TYPE] [NAME...]` or `TYPE/NAME...`).
    pub args: &'a [String],
    pub label_selector: Option<&'a str>,
    pub field_selector: Option<&'a str>,
    /// `--all` (every object of the types).
    pub all: bool,
    /// `-f` was given: files name the objects, and the selector rules do not apply.
    pub from_files: bool,
}

/// kubectl's message when a verb is given nothing to work on.
pub const NO_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// A selector that is only blanks selects nothing in particular: kubectl ignores it.
fn given(selector: Option<&str>) -> bool {
    selector.is_some_and(|s| !s.trim().is_empty())
}

impl Naming<'_> {
    /// Whether objects are chosen by a selector (`--all` is the selector of everything).
    pub fn by_selector(&self) -> bool {
        self.all || given(self.label_selector) || given(self.field_selector)
    }

    /// `TYPE/NAME` arguments, or several types with names: kubectl's resource tuples.
    fn tuples(&self) -> bool {
        self.args.iter().any(|a| a.contains('/'))
            || (self.args.len() > 1 && self.args[0].contains(','))
    }

    /// `TYPE NAME...`: names of one type.
    fn names(&self) -> bool {
        self.args.len() > 1 && !self.tuples()
    }

    /// The builder's checks, in its order.
    pub fn check(&self) -> Result<(), CliError> {
        if self.args.iter().any(|a| a.contains('/')) {
            for arg in self.args {
                let Some((kind, name)) = arg.split_once('/') else {
                    return Err(CliError::message(
                        "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
                    ));
                };
                if name.contains('/') {
                    return Err(CliError::message(
                        "arguments in resource/name form may not have more than one slash",
                    ));
                }
                if kind.is_empty() || name.is_empty() {
                    return Err(CliError::message(
                        "arguments in resource/name form must have a single resource and name",
                    ));
                }
            }
        }
        if self.all && (given(self.label_selector) || given(self.field_selector)) {
            // kubectl's words, trailing blank included.
            return Err(CliError::message(
                "setting 'all' parameter but found a non empty selector. ",
            ));
        }
        if self.from_files || !self.by_selector() {
            return Ok(());
        }
        if self.names() {
            return Err(CliError::message(
                "name cannot be provided when a selector is specified",
            ));
        }
        if self.tuples() {
            return Err(CliError::message(
                "selectors and the all flag cannot be used when passing resource/name arguments",
            ));
        }
        if self.args.is_empty() {
            return Err(CliError::message(
                "at least one resource must be specified to use a selector",
            ));
        }
        Ok(())
    }

    /// `check`, and kubectl's error when nothing at all was named (delete, scale, set).
    pub fn check_required(&self) -> Result<(), CliError> {
        self.check()?;
        if self.args.is_empty() && !self.from_files {
            return Err(CliError::message(NO_RESOURCES));
        }
        Ok(())
    }
}

/// A required flag left out. kubectl's flag library fails before the command runs and
/// kubectl logs the failure through klog: a header with the local time and process id, then
/// the error as a structured field.
pub fn missing_required_flag(flag: &str) -> CliError {
    let now = chrono::Local::now().format("%m%d %H:%M:%S%.6f");
    let pid = std::process::id();
    CliError::Raw(format!(
        "E{now} {pid:>7} run.go:72] \"command failed\" err=\"required flag(s) \\\"{flag}\\\" not set\"\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn error(n: &Naming) -> String {
        match n.check_required() {
            Err(CliError::Message(m)) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    #[test]
    fn selectors_exclude_names_and_tuples() {
        let named = words(&["pods", "foo"]);
        let n = Naming {
            args: &named,
            label_selector: Some("a=b"),
            ..Default::default()
        };
        assert_eq!(
            error(&n),
            "name cannot be provided when a selector is specified"
        );
        let slashed = words(&["pods/foo"]);
        let n = Naming {
            args: &slashed,
            field_selector: Some("a=b"),
            ..Default::default()
        };
        assert!(error(&n).starts_with("selectors and the all flag"));
        let typed = words(&["pods,svc", "foo"]);
        let n = Naming {
            args: &typed,
            all: true,
            ..Default::default()
        };
        assert!(error(&n).starts_with("selectors and the all flag"));
        // A blank selector is no selector.
        let n = Naming {
            args: &named,
            label_selector: Some(" "),
            ..Default::default()
        };
        assert!(n.check().is_ok());
    }

    #[test]
    fn all_excludes_a_selector_and_nothing_named_is_an_error() {
        let types = words(&["pods"]);
        let n = Naming {
            args: &types,
            label_selector: Some("a=b"),
            all: true,
            ..Default::default()
        };
        assert_eq!(
            error(&n),
            "setting 'all' parameter but found a non empty selector. "
        );
        assert_eq!(error(&Naming::default()), NO_RESOURCES);
        let n = Naming {
            from_files: true,
            ..Default::default()
        };
        assert!(n.check_required().is_ok());
    }

    #[test]
    fn a_missing_flag_reads_as_klogs_line() {
        let CliError::Raw(line) = missing_required_flag("replicas") else {
            panic!("raw text expected");
        };
        let (header, rest) = line.split_once(" run.go:72] ").expect("klog header");
        assert!(header.starts_with('E') && header.len() >= 29, "{header}");
        assert_eq!(
            rest,
            "\"command failed\" err=\"required flag(s) \\\"replicas\\\" not set\"\n"
        );
    }

    #[test]
    fn slash_form_comes_alone() {
        let mixed = words(&["pods/foo", "bar"]);
        let n = Naming {
            args: &mixed,
            ..Default::default()
        };
        assert!(error(&n).starts_with("there is no need to specify a resource type"));
        let empty = words(&["pods/"]);
        let n = Naming {
            args: &empty,
            ..Default::default()
        };
        assert_eq!(
            error(&n),
            "arguments in resource/name form must have a single resource and name"
        );
    }
}
