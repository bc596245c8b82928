//! The kubelets, one per node, and the simulated container runtime. (Being written: see
//! issue 3.)

use crate::api::status::ApiError;
use crate::runtime::{Component, Context};

/// The kubelet of every node.
#[derive(Default)]
pub struct Kubelets;

impl Kubelets {
    pub fn new() -> Self {
        Kubelets
    }
}

impl Component for Kubelets {
    fn name(&self) -> &'static str {
        "kubelet"
    }

    fn sync(&mut self, _ctx: &Context) -> Result<bool, ApiError> {
        Ok(false)
    }
}
