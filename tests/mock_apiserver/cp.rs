//! `cp` against a mock whose container has files (its exec plays tar, see container.rs):
//! kubelite and the real kubectl each copy in and out of a fresh copy of the same
//! container, from a fresh copy of the same local directory. Their output, exit status,
//! requests, the local files afterwards and the container's files afterwards must agree.

use super::container::Files;
use super::run::{self, Outcome, Scratch, Tool};
use super::world::World;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

fn container() -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    f.insert("/etc/app/conf".to_string(), b"x=1\n".to_vec());
    f.insert("/etc/app/sub/more".to_string(), b"more\n".to_vec());
    f.insert("/etc/hostname".to_string(), b"web-1\n".to_vec());
    f.insert("/srv/keep".to_string(), b"kept\n".to_vec());
    f
}

fn local(dir: &Path) {
    std::fs::write(dir.join("local.txt"), "from here\n").unwrap();
    std::fs::create_dir_all(dir.join("site/css")).unwrap();
    std::fs::write(dir.join("site/index.html"), "<p>hi</p>\n").unwrap();
    std::fs::write(dir.join("site/css/a.css"), "p{}\n").unwrap();
}

/// Every file below `dir` with its contents (directories as `name/`).
fn tree(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let name = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.insert(format!("{name}/"), String::new());
            tree(&p, base, out);
        } else {
            out.insert(name, std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

type Seen = (Outcome, BTreeMap<String, String>, BTreeMap<String, Vec<u8>>);

fn once(tool: Tool, args: &[&str]) -> Seen {
    let files: Files = Arc::new(Mutex::new(container()));
    let held = files.clone();
    let setup = move |w: &World| {
        super::cluster(w);
        w.hold_files(held.clone());
    };
    let dir = Scratch::new("cp");
    local(&dir.0);
    let outcome = run::run(tool, &setup, args, &dir.0);
    let mut after = BTreeMap::new();
    tree(&dir.0, &dir.0, &mut after);
    let inside = files.lock().unwrap().clone();
    (outcome, after, inside)
}

fn check(cases: &[&[&str]]) {
    let mut failures = Vec::new();
    for args in cases {
        let ours = once(Tool::Kubelite, args);
        // kubectl can drop a frame that comes before it has set up its streams
        // (kubectl-wire.md 5.4): a differing kubectl run is tried again, at most twice.
        let mut theirs = once(Tool::Kubectl, args);
        for _ in 0..2 {
            if theirs == ours {
                break;
            }
            theirs = once(Tool::Kubectl, args);
        }
        if ours != theirs {
            failures.push(format!(
                "`{}`:\n--- kubelite\n{:#?}\n--- kubectl\n{:#?}",
                args.join(" "),
                ours,
                theirs
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn copies_out_of_a_container_as_kubectl_does() {
    if run::kubectl_program().is_none() {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    }
    check(&[
        &["cp", "web-1:/etc/hostname", "name.txt", "-c", "app"],
        &["cp", "web-1:/etc/app", "appdir"],
        &["cp", "default/web-1:etc/app/conf", "conf", "-c", "app"],
        &["cp", "nope:/etc/hostname", "x"],
    ]);
}

#[test]
fn copies_into_a_container_as_kubectl_does() {
    if run::kubectl_program().is_none() {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    }
    check(&[
        &["cp", "local.txt", "web-1:/srv", "-c", "app"],
        &["cp", "local.txt", "web-1:/srv/renamed.txt", "-c", "app"],
        &["cp", "site", "web-1:/var/www", "--no-preserve"],
        &["cp", "missing.txt", "web-1:/srv", "-c", "app"],
    ]);
}

#[test]
fn command_lines_kubectl_refuses_are_refused_alike() {
    if run::kubectl_program().is_none() {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    }
    check(&[
        &["cp", "a", "b"],
        &["cp", "a"],
        &["cp", "web-1:/a", "web-1:/b"],
        &["cp", ":a", "b"],
        &["cp", "web-1:", "b"],
    ]);
}

/// A missing file: the container's tar reports it and exits 2. kubectl 1.32 stops reading
/// at the end of the (empty) archive and exits 0 before the exit status arrives, printing
/// what tar said up to then; kubelite reads the session to its end and reports the
/// failure as kubectl reports any failed exec. The requests are the same.
#[test]
fn a_missing_file_is_reported_with_tars_exit_code() {
    let ours = once(Tool::Kubelite, &["cp", "web-1:/nope", "x", "-c", "app"]);
    assert_eq!(
        (ours.0.stdout.as_str(), ours.0.stderr.as_str(), ours.0.code),
        (
            "tar: Removing leading `/' from member names\ntar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n",
            "command terminated with exit code 2\n",
            2
        )
    );
    assert!(!ours.1.contains_key("x"), "{:?}", ours.1);
    if run::kubectl_program().is_some() {
        let theirs = once(Tool::Kubectl, &["cp", "web-1:/nope", "x", "-c", "app"]);
        assert_eq!(ours.0.requests, theirs.0.requests);
    }
}
