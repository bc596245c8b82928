//! `describe` against the mock: kubelite must send the requests kubectl sends (every
//! object read first; then, per object, a fresh read and its fetch plan: events, pods or
//! ReplicaSets, in kubectl's order) and print the same text. The mock serves no events
//! (404), which both treat as none.

use super::{check, cluster, run};

#[test]
fn describe_sends_kubectls_requests_and_prints_its_text() {
    require_kubectl!();
    check(
        &cluster,
        &[
            &["describe", "deploy", "web"],
            &["describe", "deploy", "web", "--show-events=false"],
            &["describe", "pod", "web-1"],
            &["describe", "deploy/web"],
            &["describe", "pods", "web-1", "doomed", "nope"],
            &["describe", "pods"],
            &["describe", "ds", "agent"],
            &["describe", "pods", "-l", "app=held"],
            &["describe", "pod", "web"],
            &["describe", "pod", "nope"],
        ],
    );
}
