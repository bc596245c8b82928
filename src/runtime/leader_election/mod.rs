//! Leader election through coordination.k8s.io/v1 Leases, as client-go's leaderelection
//! package runs it for kube-controller-manager and kube-scheduler: several `kubelite serve`
//! on one etcd all serve the API, and each component runs only in the one that holds its
//! Lease. The Leases go through the API like any object.
//!
//! Held here: `kube-system/kube-controller-manager` (the controllers),
//! `kube-system/kube-scheduler` (the scheduler) and one `kube-system/kubelite-kubelet-<node>`
//! per node (that node's simulated kubelet). The kubelet's are not the node heartbeats of
//! `kube-node-lease/<node>`: those name the node as holder and are renewed by whichever
//! process runs its kubelet, and the node lifecycle controller reads them; ownership of the
//! kubelet is another question, asked among serve processes, so it gets Leases of its own
//! beside kube's other leader Leases in kube-system (the `kubelite-` prefix says kube has
//! no such Lease). Each goes with its Node (an owner reference).

mod config;
mod lock;

pub use config::{JITTER_FACTOR, Timing, parse_duration};
pub use lock::Candidate;

use crate::api::options::ListOptions;
use crate::client::Client;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const NAMESPACE: &str = "kube-system";
pub const CONTROLLER_MANAGER: &str = "kube-controller-manager";
pub const SCHEDULER: &str = "kube-scheduler";
const KUBELET_PREFIX: &str = "kubelite-kubelet-";

/// The Lease that decides which process runs `node`'s kubelet; `None` for a node whose
/// name leaves no room for the prefix (its kubelet follows the controller manager's Lease).
pub fn kubelet_lease(node: &str) -> Option<String> {
    let name = format!("{KUBELET_PREFIX}{node}");
    (name.len() <= 253).then_some(name)
}

/// Which Leases this process holds, read by the components before each pass.
pub struct Leadership {
    /// A process alone with its cluster (a store file) leads everything, with no Leases.
    everything: bool,
    /// Lease name → until when it counts as held (the last renewal + the renew deadline).
    held: Mutex<HashMap<String, Instant>>,
}

impl Leadership {
    /// Everything led, at once and for good.
    pub fn everything() -> Arc<Leadership> {
        Arc::new(Leadership {
            everything: true,
            held: Mutex::new(HashMap::new()),
        })
    }

    /// Nothing led until an `Elector` wins Leases.
    pub fn elected() -> Arc<Leadership> {
        Arc::new(Leadership {
            everything: false,
            held: Mutex::new(HashMap::new()),
        })
    }

    pub fn is_everything(&self) -> bool {
        self.everything
    }

    /// Whether the Lease `kube-system/<name>` is held now. A leader that could not renew
    /// within the renew deadline stops counting as one even if its elector is stuck.
    pub fn holds(&self, name: &str) -> bool {
        self.everything || self.lock().get(name).is_some_and(|t| *t > Instant::now())
    }

    /// Whether this process runs `node`'s kubelet.
    pub fn runs_kubelet(&self, node: &str) -> bool {
        match kubelet_lease(node) {
            Some(name) => self.holds(&name),
            None => self.holds(CONTROLLER_MANAGER),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The thread that contends for the Leases; dropping it releases those it holds.
pub struct Elector {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// kube's `<hostname>_<uuid>`: unique per process, readable by an operator.
pub fn identity() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    let mut b = [0u8; 16];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{host}_{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

struct Contended {
    candidate: Candidate,
    /// The last successful acquire or renewal while leading.
    renewed: Option<Instant>,
}

struct Round<C> {
    client: Arc<C>,
    timing: Timing,
    identity: String,
    leadership: Arc<Leadership>,
    leases: BTreeMap<String, Contended>,
    /// Whether gains and losses are logged on stderr (serve's log; a one-shot command's
    /// stderr is kubectl's).
    logs: bool,
}

impl<C: Client> Round<C> {
    fn contend(&mut self, name: &str, owners: Option<Value>) {
        if !self.leases.contains_key(name) {
            let candidate = Candidate::new(NAMESPACE, name, &self.identity, owners);
            self.leases.insert(
                name.to_string(),
                Contended {
                    candidate,
                    renewed: None,
                },
            );
        }
    }

    /// The kubelet Leases follow the nodes.
    fn follow_nodes(&mut self) {
        let Some(nodes) = crate::api::registry::find("nodes") else {
            return;
        };
        let Ok(list) = self.client.list(nodes, None, &ListOptions::default()) else {
            return;
        };
        let items = list["items"].as_array().cloned().unwrap_or_default();
        let mut wanted = Vec::new();
        for node in &items {
            let name = node["metadata"]["name"].as_str().unwrap_or("");
            let Some(lease) = kubelet_lease(name) else {
                continue;
            };
            let owners = json!([{
                "apiVersion": "v1", "kind": "Node", "name": name,
                "uid": node["metadata"]["uid"].as_str().unwrap_or(""),
            }]);
            self.contend(&lease, Some(owners));
            wanted.push(lease);
        }
        let gone: Vec<String> = self
            .leases
            .keys()
            .filter(|k| k.starts_with(KUBELET_PREFIX) && !wanted.contains(k))
            .cloned()
            .collect();
        for name in gone {
            self.leases.remove(&name);
            self.leadership.lock().remove(&name);
        }
    }

    /// One attempt at every Lease.
    fn run(&mut self) {
        self.follow_nodes();
        let names: Vec<String> = self.leases.keys().cloned().collect();
        for name in names {
            let Some(c) = self.leases.get_mut(&name) else {
                continue;
            };
            let was_leading = c.renewed.is_some();
            if let Some(renewed) = c.renewed
                && renewed.elapsed() > self.timing.renew_deadline
            {
                if self.logs {
                    eprintln!(
                        "kubelite serve: failed to renew lease {NAMESPACE}/{name}: timed out; \
                     leaderelection lost"
                    );
                }
                c.renewed = None;
                c.candidate.step_down();
                self.leadership.lock().remove(&name);
                continue;
            }
            let won = c
                .candidate
                .try_acquire_or_renew(self.client.as_ref(), self.timing.lease_seconds());
            if !won {
                continue;
            }
            let now = Instant::now();
            c.renewed = Some(now);
            self.leadership
                .lock()
                .insert(name.clone(), now + self.timing.renew_deadline);
            if !was_leading && self.logs {
                eprintln!(
                    "kubelite serve: successfully acquired lease {NAMESPACE}/{name} as {}",
                    self.identity
                );
            }
        }
    }

    fn release_all(&mut self) {
        self.leadership.lock().clear();
        for c in self.leases.values_mut() {
            if c.renewed.is_some() {
                c.candidate.release(self.client.as_ref());
            }
        }
    }
}

impl Elector {
    /// Contends for the controller manager's and the scheduler's Leases and the nodes'
    /// kubelet Leases. The first attempt is made before this returns, so a process alone
    /// on its cluster leads from its first settle.
    pub fn start<C: Client + Send + Sync + 'static>(
        client: Arc<C>,
        timing: Timing,
        identity: String,
        leadership: Arc<Leadership>,
    ) -> Elector {
        Self::start_logging(client, timing, identity, leadership, true)
    }

    /// `start` for a one-shot command: the same contest, nothing logged.
    pub fn start_quietly<C: Client + Send + Sync + 'static>(
        client: Arc<C>,
        timing: Timing,
        identity: String,
        leadership: Arc<Leadership>,
    ) -> Elector {
        Self::start_logging(client, timing, identity, leadership, false)
    }

    fn start_logging<C: Client + Send + Sync + 'static>(
        client: Arc<C>,
        timing: Timing,
        identity: String,
        leadership: Arc<Leadership>,
        logs: bool,
    ) -> Elector {
        let mut round = Round {
            client,
            timing,
            identity,
            leadership,
            leases: BTreeMap::new(),
            logs,
        };
        round.contend(CONTROLLER_MANAGER, None);
        round.contend(SCHEDULER, None);
        round.run();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                loop {
                    let wake = Instant::now() + timing.retry_period;
                    while Instant::now() < wake {
                        if stop.load(Ordering::SeqCst) {
                            round.release_all();
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(50).min(timing.retry_period));
                    }
                    round.run();
                }
            })
        };
        Elector {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Elector {
    /// A stopping process gives its Leases up (client-go's ReleaseOnCancel), so another
    /// takes over within a retry period instead of a lease duration.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
