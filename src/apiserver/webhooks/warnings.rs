//! Warnings webhooks (and admission policies) return for the client: gathered on the thread
//! that runs the request (the API server runs each request on one thread) and taken by the
//! front that answers it: serve's HTTP layer sends them as `Warning` headers, the embedded
//! client prints them as kubectl does. The control plane's own writes get none: what a
//! webhook says to a controller is not the user's to read.

use std::cell::{Cell, RefCell};

thread_local! {
    static WARNINGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static DISCARDING: Cell<bool> = const { Cell::new(false) };
}

pub fn add(warnings: impl IntoIterator<Item = String>) {
    if !DISCARDING.with(Cell::get) {
        WARNINGS.with(|w| w.borrow_mut().extend(warnings));
    }
}

/// The warnings gathered since the last call, in order; clears them.
pub fn take() -> Vec<String> {
    WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()))
}

/// Runs `f` (the control plane's components) with every warning dropped.
pub fn discarding<T>(f: impl FnOnce() -> T) -> T {
    /// Restores the thread's setting however `f` ends.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            DISCARDING.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DISCARDING.with(|d| d.replace(true)));
    f()
}
