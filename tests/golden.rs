//! Golden-file scenarios: `testdata/golden/*.txt` hold commands with the exact stdout,
//! stderr and exit status they must give, each run on a new embedded cluster with a fixed
//! clock. They run through the users' runner, `kubelite test` (format: docs/scenarios.md),
//! with commands in `testdata/` so manifests are named from there.
//!
//! Regenerate on purpose with `KUBELITE_UPDATE_GOLDEN=1 cargo test --test golden`.

use std::path::Path;
use std::process::Command;

#[test]
fn golden_scenarios() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kubelite"));
    command
        .arg("test")
        .arg("--workdir")
        .arg(&testdata)
        .arg(testdata.join("golden"));
    if std::env::var_os("KUBELITE_UPDATE_GOLDEN").is_some() {
        command.arg("--update");
    }
    let out = command.output().expect("run kubelite test");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("test result: ok. "),
        "golden scenarios differ (regenerate with KUBELITE_UPDATE_GOLDEN=1 if intended):\n{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{printed}");
}
