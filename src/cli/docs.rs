//! The generated files kept in the repository: completion scripts (`completions/`) and man
//! pages (`man/`, one per command). `tests/docs.rs` compares them with what this module
//! renders now; `KUBELITE_REGENERATE=1 cargo test --test docs` rewrites them.

use super::complete::{Shell, script};
use super::help;
use clap::Command;
use clap_mangen::Man;

/// Every generated file: its path below the repository root, and its bytes.
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Shell::ALL
        .iter()
        .map(|s| {
            (
                format!("completions/{}", s.file_name()),
                script(*s).into_bytes(),
            )
        })
        .collect();
    let mut root = help::command();
    root.build();
    let globals: Vec<String> = root
        .get_arguments()
        // Hidden ones (the etcd flags) are not kubectl's and named in no page's list:
        // serve's own flags of the same names stay on its page.
        .filter(|a| a.is_global_set() && !a.is_hide_set())
        .map(|a| a.get_id().to_string())
        .collect();
    out.push(("man/kubelite.1".into(), man_page(root.clone(), None)));
    pages_below(&root, "", &globals, &mut out);
    out
}

/// The man pages of `cmd`'s subcommands and theirs, `kubelite-rollout-status.1` style.
fn pages_below(cmd: &Command, path: &str, globals: &[String], out: &mut Vec<(String, Vec<u8>)>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub_path = if path.is_empty() {
            sub.get_name().to_string()
        } else {
            format!("{path} {}", sub.get_name())
        };
        // Global flags are documented once, in kubelite(1).
        let mut page = sub.clone().after_help("");
        for id in globals {
            if page.get_arguments().any(|a| a.get_id() == id.as_str()) {
                page = page.mut_arg(id, |a| a.hide(true));
            }
        }
        let file = format!("man/kubelite-{}.1", sub_path.replace(' ', "-"));
        out.push((file, man_page(page, help::page(&sub_path))));
        pages_below(sub, &sub_path, globals, out);
    }
}

/// One page: clap_mangen's sections, then kubelite's examples.
fn man_page(cmd: Command, page: Option<&help::Page>) -> Vec<u8> {
    let title = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    let has_subcommands = cmd.get_subcommands().next().is_some();
    let man = Man::new(cmd).title(title.to_uppercase());
    let mut buf = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = man.render_title(&mut buf);
    let _ = man.render_name_section(&mut buf);
    let _ = man.render_synopsis_section(&mut buf);
    let _ = man.render_description_section(&mut buf);
    let _ = man.render_options_section(&mut buf);
    if has_subcommands {
        let _ = man.render_subcommands_section(&mut buf);
    }
    if let Some(page) = page {
        buf.extend_from_slice(b".SH EXAMPLES\n");
        for (what, line) in page.examples {
            buf.extend_from_slice(
                format!(
                    ".PP\n{}\n.PP\n.RS 4\n.nf\n{}\n.fi\n.RE\n",
                    roff_text(what),
                    roff_text(line)
                )
                .as_bytes(),
            );
        }
    }
    buf
}

/// Text safe in roff: backslashes escaped, no control character at a line start.
fn roff_text(s: &str) -> String {
    let escaped = s.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
