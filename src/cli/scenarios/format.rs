//! The scenario file format: one step per line, parsed into steps that keep their line
//! numbers, so a failure or a bad line can point at the file. `README-scenarios.md` is its
//! reference; this module is its only reader.

use super::clock_step;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::time::Duration;

/// A parsed scenario: its lines in order, each classified.
#[derive(Debug)]
pub struct Scenario {
    pub lines: Vec<Line>,
}

#[derive(Debug)]
pub struct Line {
    /// 1-based line number in the file.
    pub number: usize,
    /// The line as written (no newline).
    pub text: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `# ...` or a blank line: kept as written.
    Comment,
    /// `$ PROGRAM ARGS... [< FILE]`
    Command(CommandLine),
    /// `> text`: an expected stdout line.
    Stdout(String),
    /// `! text`: an expected stderr line.
    Stderr(String),
    /// `? N`: the expected exit status.
    Exit(i32),
    /// `%no-newline`: stdout did not end with a newline.
    NoNewline,
    /// `@...`: a directive, kept as written.
    Directive(Directive),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommandLine {
    pub program: String,
    pub args: Vec<String>,
    pub stdin: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    Env(String, String),
    Advance(Duration),
    Workers(usize),
    Apply(String),
    Kustomize(String),
    NodeLabel(String, Vec<String>),
    NodeTaint(String, Vec<String>),
    /// `@expect TARGET [FLAGS...] jsonpath={EXPR}=VALUE`
    Expect {
        get: Vec<String>,
        jsonpath: String,
        value: String,
    },
    /// `@expect-count TYPE [FLAGS...] N`
    ExpectCount {
        get: Vec<String>,
        count: usize,
    },
    Serve,
    /// `@snapshot FILE`: the scenario's cluster is the one `kubelite snapshot save` wrote.
    Snapshot(String),
}

/// A line the format does not accept, with where it is.
#[derive(Debug)]
pub struct ParseError {
    pub file: String,
    pub text: String,
    pub line: usize,
    pub column: usize,
    /// Byte offset and length of the offending part in `text`.
    pub span: (usize, usize),
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

impl Diagnostic for ParseError {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.text)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            self.span,
        ))))
    }
}

impl ParseError {
    /// The message, then the file's lines around the error with a pointer (miette).
    pub fn render(&self) -> String {
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::none())
            .with_context_lines(1);
        let named = NamedSource::new(&self.file, self.text.clone());
        let report = Located {
            error: self,
            named: &named,
        };
        let mut out = String::new();
        if handler.render_report(&mut out, &report).is_err() {
            out = self.to_string();
        }
        out
    }
}

/// The error with its file's name, as miette shows it in the snippet's header.
struct Located<'a> {
    error: &'a ParseError,
    named: &'a NamedSource<String>,
}

impl fmt::Debug for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.error, f)
    }
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.error, f)
    }
}

impl std::error::Error for Located<'_> {}

impl Diagnostic for Located<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.named)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.error.labels()
    }
}

/// Parses a scenario file's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ParseError> {
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut seen_command = false;
    let mut cluster_started = false;
    let mut shaped = false;
    let mut snapshot = false;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let fail = |col: usize, len: usize, message: String| ParseError {
            file: file.to_string(),
            text: text.to_string(),
            line: i + 1,
            column: col + 1,
            span: (offset + col, len.max(1).min(line.len().saturating_sub(col))),
            message,
        };
        let kind = classify(line).map_err(|(col, len, m)| fail(col, len, m))?;
        match &kind {
            Kind::Stdout(_) | Kind::Stderr(_) | Kind::Exit(_) | Kind::NoNewline
                if !seen_command =>
            {
                return Err(fail(
                    0,
                    1,
                    "expected output before any command: an output line follows a `$ ` line".into(),
                ));
            }
            Kind::Command(_) => {
                seen_command = true;
                cluster_started = true;
            }
            Kind::Directive(Directive::Workers(_)) if snapshot => {
                return Err(fail(
                    0,
                    line.len(),
                    "@workers after @snapshot: the snapshot's cluster already has its nodes".into(),
                ));
            }
            Kind::Directive(Directive::Workers(_)) if cluster_started => {
                return Err(fail(
                    0,
                    line.len(),
                    "@workers shapes a new cluster: put it before the first command or setup step"
                        .into(),
                ));
            }
            Kind::Directive(Directive::Snapshot(_)) if cluster_started => {
                return Err(fail(
                    0,
                    line.len(),
                    "@snapshot is where the cluster starts: put it before the first command or setup step"
                        .into(),
                ));
            }
            Kind::Directive(Directive::Snapshot(_)) if shaped => {
                return Err(fail(
                    0,
                    line.len(),
                    "@snapshot brings its own nodes: @workers cannot shape it".into(),
                ));
            }
            Kind::Directive(d) => {
                // Output after a directive belongs to no command.
                seen_command = false;
                cluster_started |= touches_cluster(d);
                shaped |= matches!(d, Directive::Workers(_));
                snapshot |= matches!(d, Directive::Snapshot(_));
            }
            _ => {}
        }
        lines.push(Line {
            number: i + 1,
            text: line.to_string(),
            kind,
        });
        offset += raw.len();
    }
    Ok(Scenario { lines })
}

fn touches_cluster(d: &Directive) -> bool {
    !matches!(
        d,
        Directive::Env(..) | Directive::Advance(_) | Directive::Workers(_)
    )
}

/// (column, length, message) of a bad line.
type LineError = (usize, usize, String);

fn classify(line: &str) -> Result<Kind, LineError> {
    if line.trim().is_empty() || line.starts_with('#') {
        return Ok(Kind::Comment);
    }
    if let Some(cmd) = line.strip_prefix("$ ") {
        return command(cmd)
            .map(Kind::Command)
            .map_err(|(c, l, m)| (c + 2, l, m));
    }
    if line == ">" {
        return Ok(Kind::Stdout(String::new()));
    }
    if let Some(s) = line.strip_prefix("> ") {
        return Ok(Kind::Stdout(s.to_string()));
    }
    if line == "!" {
        return Ok(Kind::Stderr(String::new()));
    }
    if let Some(s) = line.strip_prefix("! ") {
        return Ok(Kind::Stderr(s.to_string()));
    }
    if let Some(s) = line.strip_prefix("? ") {
        return s
            .trim()
            .parse::<i32>()
            .map(Kind::Exit)
            .map_err(|_| (2, s.len(), format!("`? N` wants an exit status, not {s:?}")));
    }
    if line == "%no-newline" {
        return Ok(Kind::NoNewline);
    }
    if let Some(rest) = line.strip_prefix('@') {
        return directive(rest)
            .map(Kind::Directive)
            .map_err(|(c, l, m)| (c + 1, l, m));
    }
    Err((
        0,
        1,
        "not a scenario line: lines start with `$ `, `> `, `! `, `? `, `@`, `#` or are blank"
            .into(),
    ))
}

fn command(text: &str) -> Result<CommandLine, LineError> {
    let mut args = words(text).map_err(|m| (0, text.len(), m))?;
    let mut stdin = None;
    if let Some(pos) = args.iter().position(|a| a == "<") {
        if pos + 2 != args.len() {
            let col = text.find('<').unwrap_or(0);
            return Err((
                col,
                1,
                "`< FILE` comes last and names one file (the command's stdin)".into(),
            ));
        }
        stdin = args.pop();
        args.pop();
    }
    if args.is_empty() {
        return Err((0, 1, "a command line names a program".into()));
    }
    let program = args.remove(0);
    Ok(CommandLine {
        program,
        args,
        stdin,
    })
}

fn directive(text: &str) -> Result<Directive, LineError> {
    let (name, rest) = text.split_once(' ').unwrap_or((text, ""));
    let arg_col = name.len() + 1;
    let need = |what: &str| -> Result<(), LineError> {
        if rest.trim().is_empty() {
            Err((0, name.len(), format!("@{name} wants {what}")))
        } else {
            Ok(())
        }
    };
    let bad_words = |m: String| (arg_col, rest.len(), m);
    match name {
        "env" => {
            need("NAME=VALUE")?;
            let (k, v) = rest
                .split_once('=')
                .filter(|(k, _)| !k.is_empty() && !k.contains(' '))
                .ok_or((arg_col, rest.len(), "@env wants NAME=VALUE".to_string()))?;
            Ok(Directive::Env(k.to_string(), v.to_string()))
        }
        "advance" => {
            need("a duration (30s, 5m, 1h30m)")?;
            clock_step::parse_duration(rest.trim())
                .map(Directive::Advance)
                .map_err(|m| (arg_col, rest.len(), m))
        }
        "workers" => rest
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 1000)
            .map(Directive::Workers)
            .ok_or((
                arg_col,
                rest.len(),
                "@workers wants a number of worker nodes (0-1000)".into(),
            )),
        "apply" => {
            need("a file or directory")?;
            Ok(Directive::Apply(rest.trim().to_string()))
        }
        "kustomize" => {
            need("a directory with a kustomization")?;
            Ok(Directive::Kustomize(rest.trim().to_string()))
        }
        "node-label" | "node-taint" => {
            need("NODE and what to set")?;
            let mut w = words(rest).map_err(bad_words)?;
            if w.len() < 2 {
                return Err((
                    arg_col,
                    rest.len(),
                    format!("@{name} wants NODE and at least one KEY=VALUE"),
                ));
            }
            let node = w.remove(0);
            Ok(if name == "node-label" {
                Directive::NodeLabel(node, w)
            } else {
                Directive::NodeTaint(node, w)
            })
        }
        "expect" => {
            need("TYPE/NAME jsonpath={EXPR}=VALUE")?;
            let mut w = words(rest).map_err(bad_words)?;
            let assertion = w.pop().unwrap_or_default();
            let (jsonpath, value) = assertion
                .strip_prefix("jsonpath=")
                .and_then(|a| a.split_once("}="))
                .filter(|(e, _)| e.starts_with('{'))
                .ok_or_else(|| {
                    let col = text.rfind(&assertion).unwrap_or(arg_col);
                    (
                        col,
                        assertion.len(),
                        "@expect ends with jsonpath={EXPR}=VALUE".to_string(),
                    )
                })?;
            if w.is_empty() {
                return Err((arg_col, rest.len(), "@expect names an object".into()));
            }
            Ok(Directive::Expect {
                get: w,
                jsonpath: format!("{jsonpath}}}"),
                value: value.to_string(),
            })
        }
        "expect-count" => {
            need("TYPE [FLAGS...] N")?;
            let mut w = words(rest).map_err(bad_words)?;
            let last = w.pop().unwrap_or_default();
            let count = last.parse::<usize>().map_err(|_| {
                let col = text.rfind(&last).unwrap_or(arg_col);
                (
                    col,
                    last.len(),
                    "@expect-count ends with the number of objects".to_string(),
                )
            })?;
            if w.is_empty() {
                return Err((arg_col, rest.len(), "@expect-count names a type".into()));
            }
            Ok(Directive::ExpectCount { get: w, count })
        }
        "serve" if rest.trim().is_empty() => Ok(Directive::Serve),
        "serve" => Err((arg_col, rest.len(), "@serve takes no arguments".into())),
        "snapshot" => {
            need("a snapshot file (kubelite snapshot save FILE)")?;
            Ok(Directive::Snapshot(rest.trim().to_string()))
        }
        _ => Err((
            0,
            name.len(),
            format!(
                "unknown directive @{name} (known: @env, @advance, @workers, @apply, @kustomize, \
                 @node-label, @node-taint, @expect, @expect-count, @serve, @snapshot)"
            ),
        )),
    }
}

/// Splits a line into words as a shell would for plain words and quotes: single quotes keep
/// everything, double quotes keep everything but close on `"`. No variables, no escapes.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ' | '\t') => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if let Some(q) = quote {
        return Err(format!("unclosed {q} quote"));
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_output_and_directives() {
        let s = parse(
            "t.txt",
            "# c\n$ kubelite get pods -l 'a b' < in.yaml\n> x\n>\n! e\n? 1\n@advance 5m\n@env A=b=c\n",
        )
        .unwrap();
        let kinds: Vec<&Kind> = s.lines.iter().map(|l| &l.kind).collect();
        assert_eq!(kinds[0], &Kind::Comment);
        assert_eq!(
            kinds[1],
            &Kind::Command(CommandLine {
                program: "kubelite".into(),
                args: vec!["get".into(), "pods".into(), "-l".into(), "a b".into()],
                stdin: Some("in.yaml".into()),
            })
        );
        assert_eq!(kinds[3], &Kind::Stdout(String::new()));
        assert_eq!(kinds[5], &Kind::Exit(1));
        assert_eq!(
            kinds[6],
            &Kind::Directive(Directive::Advance(Duration::from_secs(300)))
        );
        assert_eq!(
            kinds[7],
            &Kind::Directive(Directive::Env("A".into(), "b=c".into()))
        );
    }

    #[test]
    fn bad_lines_point_at_line_and_column() {
        let e = parse("t.txt", "$ kubelite get\n? x\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3), "{e}");
        let e = parse("t.txt", "# c\n> early\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("t.txt", "@bogus 1\n").unwrap_err();
        assert!(e.message.contains("unknown directive @bogus"), "{e}");
        let e = parse("t.txt", "$ kubelite get\n@workers 3\n").unwrap_err();
        assert!(e.message.contains("before the first command"), "{e}");
        let e = parse("t.txt", "$ kubelite get 'x\n").unwrap_err();
        assert!(e.message.contains("unclosed"), "{e}");
        let s = parse("t.txt", "@snapshot base.snap\n$ kubelite get pods\n").unwrap();
        assert_eq!(
            s.lines[0].kind,
            Kind::Directive(Directive::Snapshot("base.snap".into()))
        );
        let e = parse("t.txt", "$ kubelite get\n@snapshot base.snap\n").unwrap_err();
        assert!(e.message.contains("before the first command"), "{e}");
        let e = parse("t.txt", "@workers 3\n@snapshot base.snap\n").unwrap_err();
        assert!(e.message.contains("own nodes"), "{e}");
        let e = parse("t.txt", "@snapshot base.snap\n@workers 3\n").unwrap_err();
        assert!(e.message.contains("after @snapshot"), "{e}");
        let e = parse("t.txt", "@snapshot\n").unwrap_err();
        assert!(e.message.contains("a snapshot file"), "{e}");
        let r = parse("s.txt", "hello\n").unwrap_err().render();
        assert!(r.contains("s.txt:1:1"), "{r}");
    }

    #[test]
    fn checks_parse() {
        let s = parse(
            "t.txt",
            "@expect pod/web -n x jsonpath={.status.phase}=Running\n@expect-count pods -l app=web 3\n",
        )
        .unwrap();
        assert_eq!(
            s.lines[0].kind,
            Kind::Directive(Directive::Expect {
                get: vec!["pod/web".into(), "-n".into(), "x".into()],
                jsonpath: "{.status.phase}".into(),
                value: "Running".into(),
            })
        );
        assert_eq!(
            s.lines[1].kind,
            Kind::Directive(Directive::ExpectCount {
                get: vec!["pods".into(), "-l".into(), "app=web".into()],
                count: 3,
            })
        );
    }
}
