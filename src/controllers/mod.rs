//! kube-controller-manager. (Being written: see issue 3.)

use crate::runtime::Component;

/// Every controller, in the order they run within a pass.
pub fn all() -> Vec<Box<dyn Component>> {
    Vec::new()
}
