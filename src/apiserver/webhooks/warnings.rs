//! Warnings webhooks return for the client: gathered on the thread that runs the request
//! (the API server runs each request on one thread) and taken by the HTTP layer, which
//! sends them as `Warning` headers.

use std::cell::RefCell;

thread_local! {
    static WARNINGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

pub fn add(warnings: impl IntoIterator<Item = String>) {
    WARNINGS.with(|w| w.borrow_mut().extend(warnings));
}

/// The warnings gathered since the last call, in order; clears them.
pub fn take() -> Vec<String> {
    WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()))
}
