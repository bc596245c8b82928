//! The components of the embedded control plane and the settle that runs them.

use crate::client::Embedded;
use crate::runtime::{Component, Outcome, Settler};

/// How long a one-shot command lets the control plane work before (and again after) its
/// verb; what is left, the next command continues (a Deployment of millions of replicas
/// must not hold a command for minutes).
const SETTLE_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// Every component of the embedded control plane.
pub fn components() -> Vec<Box<dyn Component>> {
    let mut all: Vec<Box<dyn Component>> = vec![
        Box::new(crate::scheduler::Scheduler::new()),
        Box::new(crate::kubelet::Kubelets::new()),
    ];
    all.extend(crate::controllers::all());
    all
}

/// Runs the control plane of an open embedded cluster until it is quiescent at the
/// cluster's current time. Returns notes for the user: components that failed (they are
/// restarted and resync in the next command), or work left for the next command.
pub fn settle(client: &Embedded) -> Result<Vec<String>, String> {
    let mut settler = Settler::restartable(components, i64::MAX).with_budget(SETTLE_BUDGET);
    let outcome = settle_with(&mut settler, client)?;
    Ok(notes(&outcome))
}

/// `settle` with components that live on between settles (a long-running process keeps
/// what they have read instead of reading it again every time).
pub fn settle_with(settler: &mut Settler, client: &Embedded) -> Result<Outcome, String> {
    let server = client.server().clone();
    let now = server.clock().now();
    // Expired Events, old history and free pages go before the components run; a failure
    // (a store opened read-only) is reported and tried again by the next settle.
    let housekept = server.housekeeping(now);
    let mut outcome = settler
        .settle(client, server.as_ref(), now)
        .map_err(|e| format!("the control plane failed: {}", e.message))?;
    if let Err(e) = housekept {
        outcome.failing.push(("housekeeping", e.message));
    }
    Ok(outcome)
}

/// What a settle's outcome tells the user, a line each.
pub fn notes(outcome: &Outcome) -> Vec<String> {
    let mut notes: Vec<String> = outcome
        .failing
        .iter()
        .map(|(component, why)| format!("{component} failed: {why} (it is restarted)"))
        .collect();
    if outcome.unfinished {
        notes.push(
            "the control plane is still working; the next command continues where it stopped"
                .to_string(),
        );
    }
    notes
}
