//! The checked-in completion scripts (`completions/`) and man pages (`man/`) must be what the
//! current command tree generates. Regenerate them with:
//!
//!     KUBELITE_REGENERATE=1 cargo test --test docs

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_and_man_pages_are_current() {
    let files = kubelite::cli::docs::files();
    let regenerate = std::env::var_os("KUBELITE_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, bytes) in &files {
        let full = root().join(path);
        if regenerate {
            std::fs::create_dir_all(full.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(&full, bytes).expect("write");
        } else if std::fs::read(&full).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(path.clone());
        }
    }
    // A page or script left behind by a removed command is stale too.
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(root().join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if !files.iter().any(|(p, _)| *p == path) {
                if regenerate {
                    std::fs::remove_file(entry.path()).expect("remove");
                } else {
                    stale.push(format!("{path} (no longer generated)"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}\nregenerate with: KUBELITE_REGENERATE=1 cargo test --test docs"
    );
}

#[test]
fn every_command_has_a_man_page() {
    let files = kubelite::cli::docs::files();
    for page in [
        "man/kubelite.1",
        "man/kubelite-get.1",
        "man/kubelite-rollout-status.1",
        "man/kubelite-set-image.1",
        "man/kubelite-completion.1",
    ] {
        assert!(files.iter().any(|(p, _)| p == page), "no {page}");
    }
    let get = &files
        .iter()
        .find(|(p, _)| p == "man/kubelite-get.1")
        .expect("get page")
        .1;
    let get = String::from_utf8_lossy(get);
    assert!(get.contains(".SH EXAMPLES"), "{get}");
    assert!(get.contains("kubelite get pods \\-o wide"), "{get}");
    // Global flags are documented in kubelite(1) only (`--raw`'s help may name the file).
    assert!(!get.contains("\\-\\-kubeconfig"), "{get}");
    let main = String::from_utf8_lossy(
        &files
            .iter()
            .find(|(p, _)| p == "man/kubelite.1")
            .expect("main page")
            .1,
    )
    .to_string();
    assert!(main.contains("kubeconfig"));
}

/// `man` renders the checked-in page (skipped, loudly, where man-db is missing).
#[test]
fn man_renders_the_get_page() {
    let Ok(out) = std::process::Command::new("man")
        .args(["-l", "man/kubelite-get.1"])
        .current_dir(root())
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
    else {
        eprintln!(
            "SKIPPED man_renders_the_get_page: `man` is not installed (apt-get install man-db)"
        );
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "man failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "EXAMPLES",
        "kubelite get pods -o wide",
        "--all-namespaces",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }
}
