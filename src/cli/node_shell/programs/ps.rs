//! `ps` (BSD `aux`, standard `-ef`) and `pgrep` over the node's process table, in procps'
//! column layout. Lines are never cut to the terminal's width, as when ps writes to a pipe.

use super::NodeCtx;
use super::processes::{self, Process};
use crate::cli::Io;
use crate::cli::errors::CliError;
use chrono::{DateTime, Utc};

enum Format {
    /// `ps aux`: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
    User,
    /// `ps -ef`: UID PID PPID C STIME TTY TIME CMD
    Full,
    /// `ps` alone, `ps -e`, `ps ax`: PID TTY TIME CMD
    Short { all: bool },
}

fn format_of(args: &[String]) -> Option<Format> {
    // Long options (`--sort`, `--forest`, `--width`) change nothing here.
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let letters: String = args
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join("")
        .replace('-', "");
    let dashed = args.iter().any(|a| a.starts_with('-'));
    let has = |c| letters.contains(c);
    if letters.chars().any(|c| !"auxefAlww".contains(c)) {
        return None;
    }
    Some(if has('u') {
        Format::User
    } else if dashed && has('f') {
        Format::Full
    } else if has('e') || has('A') || (has('a') && has('x')) {
        Format::Short { all: true }
    } else {
        Format::Short { all: false }
    })
}

pub fn ps(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let Some(format) = format_of(args) else {
        let _ = writeln!(
            io.err,
            "error: kubelite's ps on a node knows aux, -ef, -e, ax and -A; not {:?}",
            args.join(" ")
        );
        return 1;
    };
    ctx.reading(io, |client, io| {
        let procs = processes::table(ctx, client)?;
        let text = render(&format, &procs, ctx.now);
        let _ = io.out.write_all(text.as_bytes());
        Ok(0)
    })
}

fn render(format: &Format, procs: &[Process], now: DateTime<Utc>) -> String {
    let mut text = String::new();
    match format {
        Format::User => {
            text.push_str(
                "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
            );
            for p in procs {
                let (cpu, secs) = usage(p, now);
                text.push_str(&format!(
                    "{:<8} {:>7} {:>4.1} {:>4.1} {:>6} {:>5} {:<8} {:<4} {:>5} {:>6} {}\n",
                    p.user,
                    p.pid,
                    cpu,
                    p.rss_kib as f64 / 8_000_000.0 * 100.0,
                    p.vsz_kib,
                    p.rss_kib,
                    "?",
                    p.stat,
                    start(p.started, now),
                    format!("{}:{:02}", secs / 60, secs % 60),
                    p.cmdline
                ));
            }
        }
        Format::Full => {
            text.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
            for p in procs {
                let (cpu, secs) = usage(p, now);
                text.push_str(&format!(
                    "{:<8} {:>7} {:>7} {:>2} {:>5} {:<8} {:>8} {}\n",
                    p.user,
                    p.pid,
                    p.ppid,
                    cpu.round() as u64,
                    start(p.started, now),
                    "?",
                    clock_time(secs),
                    p.cmdline
                ));
            }
        }
        Format::Short { all } => {
            text.push_str("    PID TTY          TIME CMD\n");
            if *all {
                for p in procs {
                    let (_, secs) = usage(p, now);
                    text.push_str(&format!(
                        "{:>7} {:<8} {:>8} {}\n",
                        p.pid,
                        "?",
                        clock_time(secs),
                        p.comm
                    ));
                }
            }
        }
    }
    text
}

/// %CPU and CPU seconds: a steady share of the time since the process started.
fn usage(p: &Process, now: DateTime<Utc>) -> (f64, u64) {
    let share = match p.comm.as_str() {
        "kube-apiserver" => 0.04,
        "etcd" | "kubelet" => 0.02,
        "kube-controller" => 0.01,
        "pause" => 0.0,
        _ => 0.002,
    };
    let up = (now - p.started).num_seconds().max(0) as f64;
    (share * 100.0, (up * share) as u64)
}

fn clock_time(secs: u64) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// procps' START: the time of day when it started today, else month and day.
fn start(started: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if now - started < chrono::Duration::hours(24) {
        started.format("%H:%M").to_string()
    } else {
        started.format("%b%d").to_string()
    }
}

pub fn pgrep(ctx: &NodeCtx, args: &[String], io: &mut Io) -> i32 {
    let (mut full, mut list_name, mut list_full, mut exact) = (false, false, false, false);
    let mut pattern = None;
    for a in args {
        match a.as_str() {
            s if s.starts_with('-') && s.len() > 1 => {
                for c in s[1..].chars() {
                    match c {
                        'f' => full = true,
                        'l' => list_name = true,
                        'a' => list_full = true,
                        'x' => exact = true,
                        _ => {
                            let _ = writeln!(io.err, "pgrep: invalid option -- '{c}'");
                            return 2;
                        }
                    }
                }
            }
            s => pattern = Some(s.to_string()),
        }
    }
    let Some(pattern) = pattern else {
        let _ = writeln!(io.err, "pgrep: no matching criteria specified");
        return 2;
    };
    if !full && pattern.len() > 15 {
        let _ = writeln!(
            io.err,
            "pgrep: pattern that searches for process name longer than 15 characters will result in zero matches\nTry `pgrep -f' option to match against the complete command line."
        );
    }
    let anchored = if exact {
        format!("^(?:{pattern})$")
    } else {
        pattern.clone()
    };
    let re = match regex::Regex::new(&anchored) {
        Ok(r) => r,
        Err(_) => {
            let _ = writeln!(
                io.err,
                "pgrep: cannot compile regular expression '{pattern}'"
            );
            return 2;
        }
    };
    ctx.reading(io, |client, io| {
        let mut found = false;
        for p in processes::table(ctx, client)? {
            let subject = if full { &p.cmdline } else { &p.comm };
            if !re.is_match(subject) {
                continue;
            }
            found = true;
            let _ = if list_full {
                writeln!(io.out, "{} {}", p.pid, p.cmdline)
            } else if list_name {
                writeln!(io.out, "{} {}", p.pid, p.comm)
            } else {
                writeln!(io.out, "{}", p.pid)
            };
        }
        Ok::<i32, CliError>(if found { 0 } else { 1 })
    })
}
