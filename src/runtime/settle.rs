//! Running the components until the cluster is quiescent: every pass hands each component
//! the changes since the previous pass; the cluster has settled when a whole pass writes
//! nothing. Where it settled (a revision) and when timed work is next due are recorded, so
//! the next command that finds neither changed nor due does no work at all.

use super::{Component, Context};
use crate::api::status::ApiError;
use crate::client::Client;
use chrono::{DateTime, Utc};

/// A pass bound: a cluster that never settles (a component fighting another) must not hang
/// a command. Passes that are still catching up with the change log do not count.
const MAX_PASSES: usize = 200;
/// Most revisions of the change log one pass of a long-running server reads: components
/// then hold a bounded number of changes however many objects were written since the last
/// settle. A one-shot command reads all of them at once (fewer passes, so faster).
pub const WINDOW: i64 = 1024;
/// A bound on all passes, catching up or not.
const MAX_ALL_PASSES: u64 = 20_000;

/// Where the last settle ended, kept by whoever runs the components.
pub trait Checkpoint {
    /// The store's current revision.
    fn revision(&self) -> Result<i64, ApiError>;
    /// The revision the cluster last settled at, and when timed work is next due.
    fn load(&self) -> Result<(i64, Option<DateTime<Utc>>), ApiError>;
    /// Records a settle; returns the revision after recording it.
    fn save(&self, next_due: Option<DateTime<Utc>>) -> Result<i64, ApiError>;
    /// Batches the components' writes into one durable commit at the end of the settle
    /// (`false` commits them). Their writes are recomputed if a crash loses them.
    fn defer_durability(&self, on: bool) -> Result<(), ApiError>;
}

/// The components of a cluster, run together.
pub struct Settler {
    components: Vec<Box<dyn Component>>,
    /// Most revisions of the change log a pass reads.
    window: i64,
}

impl Settler {
    /// Components whose passes read every change since the last pass.
    pub fn new(components: Vec<Box<dyn Component>>) -> Self {
        Settler {
            components,
            window: i64::MAX,
        }
    }

    /// Components whose passes read at most `window` revisions of the change log each.
    pub fn windowed(components: Vec<Box<dyn Component>>, window: i64) -> Self {
        Settler {
            components,
            window: window.max(1),
        }
    }

    /// Runs every component until nothing is left to do at `now`. Returns the number of
    /// passes that wrote something.
    pub fn settle(
        &mut self,
        client: &dyn Client,
        checkpoint: &dyn Checkpoint,
        now: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let (since, due) = checkpoint.load()?;
        let nothing_changed = since > 0 && checkpoint.revision()? == since;
        if nothing_changed && due.is_none_or(|d| now < d) {
            return Ok(0);
        }
        checkpoint.defer_durability(true)?;
        let outcome = self.run_passes(client, checkpoint, now, since);
        let committed = checkpoint.defer_durability(false);
        let busy = outcome?;
        committed?;
        Ok(busy)
    }

    fn run_passes(
        &mut self,
        client: &dyn Client,
        checkpoint: &dyn Checkpoint,
        now: DateTime<Utc>,
        mut since: i64,
    ) -> Result<usize, ApiError> {
        let mut busy = 0;
        let mut caught_up_busy = 0;
        for pass in 0..MAX_ALL_PASSES {
            let start = checkpoint.revision()?;
            // A full resync (since 0) lists everything; otherwise a window of the log.
            let upto = if since == 0 {
                start
            } else {
                start.min(since.saturating_add(self.window))
            };
            let ctx = Context {
                client,
                now,
                since,
                pass,
                shared: super::PassShared::upto(upto),
            };
            let mut wrote = false;
            for c in &mut self.components {
                wrote |= c.sync(&ctx)?;
                wrote |= super::events::flush(&ctx)?;
            }
            since = upto;
            if wrote {
                busy += 1;
            }
            if upto < start {
                continue;
            }
            if !wrote {
                // Writes of others (a server's clients) that landed during this pass are
                // read by one more pass: the checkpoint must not skip them.
                if checkpoint.revision()? == start {
                    break;
                }
                continue;
            }
            caught_up_busy += 1;
            if caught_up_busy >= MAX_PASSES {
                break;
            }
        }
        let next_due = self.components.iter().filter_map(|c| c.next_due()).min();
        checkpoint.save(next_due)?;
        Ok(busy)
    }
}

/// One component's single pass, for tests and benchmarks of that component alone.
pub fn settle_once(
    component: &mut dyn Component,
    client: &dyn Client,
    now: DateTime<Utc>,
    since: i64,
) -> Result<bool, ApiError> {
    let ctx = Context {
        client,
        now,
        since,
        pass: 0,
        shared: Default::default(),
    };
    let wrote = component.sync(&ctx)?;
    Ok(super::events::flush(&ctx)? || wrote)
}

#[cfg(test)]
#[path = "settle_tests.rs"]
mod tests;
