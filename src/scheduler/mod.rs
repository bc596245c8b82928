//! kube-scheduler: places pods that have no node.
//!
//! Built like the scheduling framework: filter plugins (`filter/`) and score plugins
//! (`score/`) are small functions with one signature each; `framework` runs them for one pod
//! over a snapshot of the nodes; `cycle` finds the work from the change log, binds through
//! `pods/binding` and writes kube-scheduler's events (`Scheduled`, `FailedScheduling` with its
//! exact summary, from `fit_error`) and the PodScheduled condition.
//!
//! A pod that fits nowhere may preempt pods of lower priority (`preemption`, kube's
//! DefaultPreemption); it is then nominated to the node and binds once its victims are gone.
//!
//! Differences from kube-scheduler, on purpose: ties between equally scored nodes go to the
//! node whose name sorts first (kube-scheduler picks one at random), and every feasible node
//! is scored and every node dry-run for preemption (no sampling).

mod candidate;
pub mod cycle;
pub mod filter;
pub mod fit_error;
pub mod framework;
pub mod model;
mod nominations;
pub mod parse;
pub mod placement;
pub mod preemption;
pub mod queue;
pub mod requests;
mod retries;
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
    state: cycle::State,
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
        cycle::run(ctx, &mut self.state)
    }

    fn next_due(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.state.retries.next_due()
    }
}
