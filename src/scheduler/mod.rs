//! kube-scheduler: places pods that have no node.
//!
//! Built like the scheduling framework: filter plugins (`filter/`) and score plugins
//! (`score/`) are small functions with one signature each; `framework` runs them for one pod
//! over a snapshot of the nodes; `cycle` finds the work from the change log, binds through
//! `pods/binding` and writes kube-scheduler's events (`Scheduled`, `FailedScheduling` with its
//! exact summary, from `fit_error`) and the PodScheduled condition.
//!
//! Differences from kube-scheduler, on purpose: ties between equally scored nodes go to the
//! node whose name sorts first (kube-scheduler picks one at random), every feasible node is
//! scored (no sampling), and nothing is preempted (the message says no victims were found).

pub mod cycle;
pub mod filter;
pub mod fit_error;
pub mod framework;
pub mod model;
pub mod parse;
pub mod queue;
pub mod requests;
pub mod score;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
mod unbound;
mod usage;
pub mod volumes;

use crate::api::status::ApiError;
use crate::runtime::{Component, Context};

/// Places pods that have no node.
#[derive(Default)]
pub struct Scheduler {
    /// What the bound pods request, once read (kept up to date from the changes).
    usage: Option<usage::Usage>,
    /// The pods without a node, once read (kept up to date from the change log).
    unbound: Option<unbound::Unbound>,
}

impl Scheduler {
    pub fn new() -> Self {
        Scheduler::default()
    }
}

impl Component for Scheduler {
    fn name(&self) -> &'static str {
        "default-scheduler"
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        cycle::run(ctx, &mut self.usage, &mut self.unbound)
    }
}
