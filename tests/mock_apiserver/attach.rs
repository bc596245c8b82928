//! `attach` against the mock, whose attached process prints a line and exits: kubelite and
//! the real kubectl must print, exit and request the same.

use super::run;
use super::world::World;

fn attachable(w: &World) {
    super::cluster(w);
    w.run_exec("attached output\n");
}

#[test]
fn attach_matches_kubectl() {
    if run::kubectl_program().is_none() {
        eprintln!("kubectl is not on the PATH: SKIPPED");
        return;
    }
    let dir = run::Scratch::new("attach");
    let cases: &[&[&str]] = &[
        &["attach", "web-1", "-c", "app"],
        &["attach", "web-1"],
        &["attach", "pod/web-1", "-q"],
        &["attach", "pods", "web-1", "-c", "sidecar", "-i"],
        &["attach", "web-1", "-c", "app", "-t"],
        &["attach", "web-1", "-c", "nope"],
        &["attach", "nope"],
        &["attach"],
        &["attach", "a", "b", "c"],
    ];
    let failures: Vec<String> = cases
        .iter()
        .map(|args| run::differences(&attachable, args, &dir.0))
        .filter(|d| !d.is_empty())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
