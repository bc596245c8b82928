//! Every kubelite verb against a remote API server (`kubelite serve`), compared byte for
//! byte with the real kubectl against the same server: stdout, stderr and exit status, ages
//! aside.

/// Skips (with a note) where the real kubectl is missing; the oracle cannot run there.
macro_rules! require_kubectl {
    () => {
        if !$crate::support::kubectl_available() {
            eprintln!("kubectl is not on the PATH: SKIPPED");
            return;
        }
    };
}

#[allow(dead_code)]
#[path = "../serve/support.rs"]
mod support;

mod compare;
mod credentials;
mod custom;
mod get_describe;
mod labels;
mod verbs;
mod watch;
