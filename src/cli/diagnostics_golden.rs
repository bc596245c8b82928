//! Golden files of manifest diagnostics as the user sees them: `testdata/diagnostics/NAME.yaml`
//! is the manifest, `NAME.plain` the text without a terminal (or with `NO_COLOR`), and
//! `NAME.fancy` what a colour terminal shows. `KUBELITE_REGENERATE=1` rewrites the goldens.

use super::manifest::{Source, documents};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/diagnostics")
}

/// Every diagnostic of every manifest in the directory, rendered one way.
fn rendered(name: &str, text: &str, fancy: bool) -> String {
    let source = Arc::new(Source {
        name: format!("{name}.yaml"),
        text: text.to_string(),
    });
    documents(&[source])
        .into_iter()
        .filter_map(Result::err)
        .map(|e| e.render(fancy))
        .collect()
}

fn check(path: &Path, actual: &str, stale: &mut Vec<String>) {
    if std::env::var_os("KUBELITE_REGENERATE").is_some() {
        std::fs::write(path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        stale.push(format!(
            "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
}

#[test]
fn manifest_diagnostics_match_their_goldens() {
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("testdata/diagnostics exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    manifests.sort();
    assert!(manifests.len() >= 5, "expected the diagnostic manifests");
    let mut stale = Vec::new();
    for manifest in &manifests {
        let name = manifest.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let text = std::fs::read_to_string(manifest).expect("read manifest");
        let plain = rendered(name, &text, false);
        let fancy = rendered(name, &text, true);
        assert!(plain.starts_with("error: "), "{name} gives no diagnostic");
        assert!(
            !plain.contains('\u{1b}'),
            "{name}: plain text has escape codes"
        );
        check(&manifest.with_extension("plain"), &plain, &mut stale);
        check(&manifest.with_extension("fancy"), &fancy, &mut stale);
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}
