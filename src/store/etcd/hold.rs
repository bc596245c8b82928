//! The boot lock of a cluster in etcd: a serve booting a cluster (writing its first state)
//! holds a key under an etcd lease it keeps alive, so two serves starting at once do not
//! both boot it. The key goes with the lease when the holder lets go, or `HOLD_TTL` after
//! it died. Which serve runs the components is decided by leader election
//! (`runtime::leader_election`), not here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::EtcdStore;
use crate::store::{
    Compare, CompareResult, CompareTarget, RangeRequest, RequestOp, ResponseOp, Store, StoreError,
    TxnRequest,
};

/// Seconds the hold outlives a holder that died (kube's leader-election lease duration).
pub const HOLD_TTL: i64 = 15;
/// How often the lease is renewed (kube's retry period).
const RENEW_EVERY: Duration = Duration::from_secs(2);

/// Held until dropped; dropping it gives the cluster up (revokes the lease).
pub struct Hold {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    etcd: Arc<EtcdStore>,
    lease: Arc<Mutex<i64>>,
}

/// Takes `key` for this process (with `value`, saying who holds it), or says who has it.
pub fn take(etcd: Arc<EtcdStore>, key: &[u8], value: &[u8]) -> Result<Hold, String> {
    let lease = acquire(&etcd, key, value).map_err(|e| e.to_string())??;
    let stop = Arc::new(AtomicBool::new(false));
    let lease = Arc::new(Mutex::new(lease));
    let thread = {
        let (etcd, stop, lease) = (etcd.clone(), stop.clone(), lease.clone());
        let (key, value) = (key.to_vec(), value.to_vec());
        std::thread::spawn(move || renew(&etcd, &key, &value, &stop, &lease))
    };
    Ok(Hold {
        stop,
        thread: Some(thread),
        etcd,
        lease,
    })
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let lease = *lock(&self.lease);
        if lease != 0 {
            let _ = self.etcd.revoke_lease(lease);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A lease with the key on it, or who holds the key (inside); etcd's failure outside.
fn acquire(etcd: &EtcdStore, key: &[u8], value: &[u8]) -> Result<Result<i64, String>, StoreError> {
    let lease = etcd.grant_lease(0, HOLD_TTL)?.id;
    let resp = etcd.txn(&TxnRequest {
        compare: vec![Compare {
            key: key.to_vec(),
            range_end: vec![],
            target: CompareTarget::Create(0),
            result: CompareResult::Equal,
        }],
        success: vec![RequestOp::Put {
            key: key.to_vec(),
            value: value.to_vec(),
            prev_kv: false,
            lease,
        }],
        failure: vec![RequestOp::Range(RangeRequest::single(key))],
    })?;
    if resp.succeeded {
        return Ok(Ok(lease));
    }
    let _ = etcd.revoke_lease(lease);
    let holder = match resp.responses.first() {
        Some(ResponseOp::Range(r)) => r
            .kvs
            .first()
            .map(|kv| String::from_utf8_lossy(&kv.value).into_owned())
            .unwrap_or_default(),
        _ => String::new(),
    };
    Ok(Err(format!(
        "another kubelite serve holds this cluster's boot lock ({holder}); if that server \
         died, the lock ({}) expires within {HOLD_TTL}s",
        String::from_utf8_lossy(key)
    )))
}

/// Keeps the lease alive; takes the key again if the lease expired while etcd was away (or
/// the key was deleted) and nobody else took it, and gives up if somebody did.
fn renew(etcd: &EtcdStore, key: &[u8], value: &[u8], stop: &AtomicBool, lease: &Mutex<i64>) {
    let mut next = Instant::now() + RENEW_EVERY;
    while !stop.load(Ordering::SeqCst) {
        // Short naps so that a stopping server is not held up by a renewal period.
        if Instant::now() < next {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        }
        next = Instant::now() + RENEW_EVERY;
        let id = *lock(lease);
        let alive = match etcd.keep_lease_alive(id) {
            Ok(granted) => granted.ttl > 0,
            // etcd is away: try again; the lease may outlive the outage.
            Err(StoreError::Io(_)) => continue,
            Err(_) => false,
        };
        // The key must still be on this lease: someone may have deleted or taken it.
        let ours = match etcd.range(&RangeRequest::single(key)) {
            Ok(r) => r.kvs.first().is_some_and(|kv| kv.lease == id),
            Err(_) => continue,
        };
        if alive && ours {
            continue;
        }
        if alive {
            let _ = etcd.revoke_lease(id);
        }
        match acquire(etcd, key, value) {
            Ok(Ok(new)) => *lock(lease) = new,
            Ok(Err(_)) => {
                *lock(lease) = 0;
                return;
            }
            // etcd went away again: try again.
            Err(_) => {}
        }
    }
}
