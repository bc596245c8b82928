//! The components of the embedded control plane and the settle that runs them.

use super::{gate, leading};
use crate::client::Embedded;
use crate::runtime::leader_election::{CONTROLLER_MANAGER, Leadership, SCHEDULER};
use crate::runtime::{Component, MakeComponents, Outcome, Settler};
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

/// How much CPU time a one-shot command lets the control plane work before (and again after)
/// its verb; what is left, the next command continues (a Deployment of millions of replicas
/// must not hold a command for minutes).
const SETTLE_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// Every component of the embedded control plane. With the cluster's `home`, the control-plane
/// node's kubelet runs its static pods from their manifest files, and the scheduler and the
/// controller manager run only while their static pods do, with their flags (`gate`).
pub fn components(home: Option<&Path>) -> Vec<Box<dyn Component>> {
    components_led(home, &Leadership::everything())
}

/// `components` for a process that shares its cluster with others: the controllers, the
/// scheduler and each node's kubelet run only while `leadership` holds their Lease (a
/// cluster without a home has no such sharing and runs everything).
pub fn components_led(
    home: Option<&Path>,
    leadership: &Arc<Leadership>,
) -> Vec<Box<dyn Component>> {
    let mut kubelets = crate::kubelet::Kubelets::with_node_files(home);
    if !leadership.is_everything() {
        kubelets = kubelets.run_only_owned(leadership.clone());
    }
    let kubelets = Box::new(kubelets);
    let Some(home) = home else {
        let mut all: Vec<Box<dyn Component>> =
            vec![Box::new(crate::scheduler::Scheduler::new()), kubelets];
        all.extend(crate::controllers::all());
        return all;
    };
    let led = |lease: &'static str, make: Box<dyn Fn() -> Box<dyn Component>>| {
        if leadership.is_everything() {
            make()
        } else {
            Box::new(leading::Led::new(lease, leadership.clone(), make)) as Box<dyn Component>
        }
    };
    let seen = Rc::new(RefCell::new(gate::Seen::new(home)));
    let scheduler = {
        let seen = seen.clone();
        Box::new(move || {
            Box::new(gate::Gated::new(
                "scheduler",
                "kube-scheduler",
                seen.clone(),
                Rc::new(|_| Some(String::new())),
                Rc::new(|_| {
                    Some(Box::new(crate::scheduler::Scheduler::new()) as Box<dyn Component>)
                }),
            )) as Box<dyn Component>
        })
    };
    let mut all: Vec<Box<dyn Component>> = vec![led(SCHEDULER, scheduler), kubelets];
    for (i, c) in crate::controllers::all().into_iter().enumerate() {
        let name = c.name();
        if crate::controllers::IN_API_SERVER.contains(&name) {
            all.push(c);
            continue;
        }
        let settings: gate::Settings =
            Rc::new(|command: &[String]| Some(format!("{:?}", controller_settings(command)?)));
        let make: gate::Make = Rc::new(move |command: &[String]| {
            let settings = controller_settings(command)?;
            crate::controllers::all_with(&settings).into_iter().nth(i)
        });
        let seen = seen.clone();
        let gated = Box::new(move || {
            Box::new(gate::Gated::new(
                name,
                "kube-controller-manager",
                seen.clone(),
                settings.clone(),
                make.clone(),
            )) as Box<dyn Component>
        });
        all.push(led(CONTROLLER_MANAGER, gated));
    }
    all
}

/// The controller manager's settings from its command line; `None` when a flag kubelite
/// models does not parse (the real process exits at start).
fn controller_settings(command: &[String]) -> Option<crate::controllers::Settings> {
    let mut settings = crate::controllers::Settings::default();
    if let Some(v) = crate::kubelet::static_pods::flag(command, "node-monitor-grace-period") {
        let seconds = crate::go::duration::seconds(v)?;
        settings.node_monitor_grace_seconds = (seconds.ceil() as i64).max(1);
    }
    Some(settings)
}

/// `components` as the settler remakes them.
pub fn make_components(home: Option<&Path>) -> MakeComponents {
    make_components_led(home, Leadership::everything())
}

/// `components_led` as the settler remakes them.
pub fn make_components_led(home: Option<&Path>, leadership: Arc<Leadership>) -> MakeComponents {
    let home = home.map(Path::to_path_buf);
    Rc::new(move || components_led(home.as_deref(), &leadership))
}

/// Runs the control plane of an open embedded cluster until it is quiescent at the
/// cluster's current time. Returns notes for the user: components that failed (they are
/// restarted and resync in the next command), or work left for the next command.
pub fn settle(client: &Embedded) -> Result<Vec<String>, String> {
    if let Some(shared) = client.shared_settle() {
        return shared.settle(client);
    }
    let make = make_components(client.home());
    let mut settler = Settler::restartable(make, i64::MAX).with_budget(SETTLE_BUDGET);
    let outcome = settle_with(&mut settler, client)?;
    Ok(notes(&outcome))
}

/// `settle` for a one-shot command on a cluster shared with other processes: the
/// components run only where `leadership` holds their Lease, reading from where this
/// process got to (`checkpoint`, its own).
pub fn settle_shared(
    client: &Embedded,
    leadership: &Arc<Leadership>,
    checkpoint: &dyn crate::runtime::Checkpoint,
) -> Result<Vec<String>, String> {
    let make = make_components_led(client.home(), leadership.clone());
    let mut settler = Settler::restartable(make, i64::MAX).with_budget(SETTLE_BUDGET);
    let outcome = settle_on(&mut settler, client, checkpoint)?;
    Ok(notes(&outcome))
}

/// `settle` with components that live on between settles (a long-running process keeps
/// what they have read instead of reading it again every time).
pub fn settle_with(settler: &mut Settler, client: &Embedded) -> Result<Outcome, String> {
    settle_on(settler, client, client.server().as_ref())
}

/// `settle_with`, recording where it got to in `checkpoint` (a process's own, when several
/// share the cluster).
pub fn settle_on(
    settler: &mut Settler,
    client: &Embedded,
    checkpoint: &dyn crate::runtime::Checkpoint,
) -> Result<Outcome, String> {
    let server = client.server().clone();
    let now = server.clock().now();
    // Expired Events, old history and free pages go before the components run; a failure
    // (a store opened read-only) is reported and tried again by the next settle. They are
    // the control plane's own writes, redone if a crash loses them: made durable with the
    // settle's (one commit, where each would cost its own fsyncs, every five minutes of
    // cluster time).
    let deferred = server.defer_durability(true);
    let housekept = deferred.and_then(|_| server.housekeeping(now));
    let checkpoint = Mending {
        inner: checkpoint,
        server: &server,
    };
    let settled = crate::apiserver::webhooks::warnings::discarding(|| {
        settler.settle(client, &checkpoint, now)
    });
    // The settle made them durable, unless it found nothing to do.
    let committed = server.defer_durability(false);
    let settled = settled.and_then(|o| committed.map(|_| o));
    let mut outcome = match settled {
        Ok(outcome) => outcome,
        // Under etcd's NOSPACE alarm the components cannot write, but reads must keep
        // working (they are how an operator looks around before freeing space): a note.
        Err(e) if crate::apiserver::codec::is_store_full(&e) => Outcome {
            failing: vec![("control plane", e.message)],
            ..Outcome::default()
        },
        Err(e) => return Err(format!("the control plane failed: {}", e.message)),
    };
    if let Err(e) = housekept {
        outcome.failing.push(("housekeeping", e.message));
    }
    Ok(outcome)
}

/// A settle's checkpoint that carries the start's "nothing to mend" forward before each
/// record (`cluster::carry_mended`), so that what the settle itself wrote of kube-apiserver's
/// own state does not send every later idle read through the start's whole check.
struct Mending<'a> {
    inner: &'a dyn crate::runtime::Checkpoint,
    server: &'a crate::apiserver::ApiServer,
}

impl crate::runtime::Checkpoint for Mending<'_> {
    fn revision(&self) -> Result<i64, crate::api::status::ApiError> {
        self.inner.revision()
    }

    fn load(&self) -> Result<Option<crate::runtime::Settled>, crate::api::status::ApiError> {
        self.inner.load()
    }

    fn save(&self, settled: &crate::runtime::Settled) -> Result<i64, crate::api::status::ApiError> {
        crate::cluster::carry_mended(self.server);
        self.inner.save(settled)
    }

    fn defer_durability(&self, on: bool) -> Result<(), crate::api::status::ApiError> {
        self.inner.defer_durability(on)
    }
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
