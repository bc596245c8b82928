//! Plugins, by kubectl's rules: `kubelite foo bar args` runs the executable
//! `kubelite-foo-bar` or `kubectl-foo-bar` on the PATH, else `kubelite-foo` or `kubectl-foo`
//! (dashes inside a word become underscores), with the remaining arguments and the same
//! environment, in place of this process. `plugin list` shows what the PATH offers.

use super::Io;
use super::errors::CliError;
use clap::{Args, Subcommand};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The file name prefixes of plugins, in the order they are tried for each name.
const PREFIXES: &[&str] = &["kubelite-", "kubectl-"];

#[derive(Args, Debug)]
pub struct PluginArgs {
    #[command(subcommand)]
    pub command: PluginCommand,
}

#[derive(Subcommand, Debug)]
pub enum PluginCommand {
    /// List all visible plugin executables on a user's PATH
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print only the plugins' file names, without their directories
    #[arg(long)]
    name_only: bool,
}

fn path_dirs() -> Vec<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for d in std::env::split_paths(&path) {
        if !d.as_os_str().is_empty() && !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    dirs
}

fn executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `exec.LookPath`: the first executable file of that name on the PATH.
fn look_path(name: &str) -> Option<PathBuf> {
    path_dirs()
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| executable(p))
}

/// The plugin a command line names and the arguments it is given, if any.
pub fn find(args: &[String]) -> Option<(PathBuf, Vec<String>)> {
    let mut names: Vec<String> = args
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .map(|a| a.replace('-', "_"))
        .collect();
    while !names.is_empty() {
        let joined = names.join("-");
        for prefix in PREFIXES {
            if let Some(p) = look_path(&format!("{prefix}{joined}")) {
                return Some((p, args[names.len()..].to_vec()));
            }
        }
        names.pop();
    }
    None
}

/// Runs the plugin in place of this process; returns only if it could not be started.
pub fn exec(path: &Path, args: &[String]) -> i32 {
    use std::os::unix::process::CommandExt;
    let e = std::process::Command::new(path).args(args).exec();
    eprintln!(
        "error: {}",
        crate::kubeconfig::go_io_error("fork/exec", path, &e)
    );
    1
}

/// `plugin list`: every plugin file on the PATH, with kubectl's warnings; exit 1 when
/// there were warnings or no plugins.
pub fn run(args: &PluginArgs, io: &mut Io) -> Result<i32, CliError> {
    let PluginCommand::List(list) = &args.command;
    let mut found: Vec<PathBuf> = Vec::new();
    for dir in path_dirs() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                let _ = writeln!(
                    io.err,
                    "Unable to read directory {:?} from your PATH: {}. Skipping...",
                    dir.display().to_string(),
                    crate::kubeconfig::go_io_error("open", &dir, &e)
                );
                continue;
            }
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .map(|e| go_join(&dir, &e.file_name()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| PREFIXES.iter().any(|pre| n.starts_with(pre)))
            })
            .collect();
        names.sort();
        found.extend(names);
    }
    if found.is_empty() {
        return Err(CliError::message(
            "unable to find any kubectl plugins in your PATH",
        ));
    }
    // The list goes to stdout, its warnings to stderr (each after its plugin's line).
    let _ = io
        .out
        .write_all(b"The following compatible plugins are available:\n\n");
    let mut warnings = 0;
    let root = super::help::command();
    for (i, path) in found.iter().enumerate() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if list.name_only {
            let _ = writeln!(io.out, "{name}");
        } else {
            let _ = writeln!(io.out, "{}", path.display());
        }
        let _ = io.out.flush();
        let mut warn = |w: String| {
            warnings += 1;
            let _ = writeln!(io.err, "  - warning: {w}");
        };
        if !executable(path) {
            warn(format!(
                "{} identified as a kubectl plugin, but it is not executable",
                path.display()
            ));
        }
        if let Some(earlier) = found[..i]
            .iter()
            .find(|p| p.file_name() == path.file_name())
        {
            warn(format!(
                "{} is overshadowed by a similarly named plugin: {}",
                path.display(),
                earlier.display()
            ));
        }
        if let Some(command) = shadows(&root, &name) {
            warn(format!("{name} overwrites existing command: \"{command}\""));
        }
    }
    match warnings {
        0 => Ok(0),
        1 => Err(CliError::message("one plugin warning was found")),
        n => Err(CliError::message(format!("{n} plugin warnings were found"))),
    }
}

/// The built-in command a plugin's name would stand for (`kubectl-get`: `kubectl get`).
fn shadows(root: &clap::Command, file: &str) -> Option<String> {
    let (prefix, rest) = PREFIXES
        .iter()
        .find_map(|p| file.strip_prefix(p).map(|r| (p.trim_end_matches('-'), r)))?;
    let words: Vec<String> = rest.split('-').map(|w| w.replace('_', "-")).collect();
    let mut cmd = root;
    for w in &words {
        cmd = cmd.find_subcommand(w)?;
    }
    Some(format!("{prefix} {}", words.join(" ")))
}

/// Go's `filepath.Join`, as far as kubectl's listing shows it: no `./` in front.
fn go_join(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut out: PathBuf = dir
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    out.push(name);
    out
}

/// Whether `word` is one of kubelite's own commands (plugins never replace those).
pub fn is_builtin(root: &clap::Command, word: &str) -> bool {
    root.find_subcommand(word).is_some()
}
