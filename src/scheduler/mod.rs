//! kube-scheduler. (Being written: see issue 3.)

use crate::api::status::ApiError;
use crate::runtime::{Component, Context};

/// Places pods that have no node.
#[derive(Default)]
pub struct Scheduler;

impl Scheduler {
    pub fn new() -> Self {
        Scheduler
    }
}

impl Component for Scheduler {
    fn name(&self) -> &'static str {
        "default-scheduler"
    }

    fn sync(&mut self, _ctx: &Context) -> Result<bool, ApiError> {
        Ok(false)
    }
}
