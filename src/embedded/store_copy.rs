//! `kubelite store copy`: a cluster moved between where clusters live, a store file in a
//! home (`kubelite:///dir`) and an etcd (`etcd://host:port[/prefix]`), in either direction.
//! What is copied is what kube-apiserver keeps (every key under `/registry`, or under the
//! etcd prefix), read at one revision of the source, so the copy is a state the source was
//! in; each key keeps its lease's remaining time on a lease of the target. kubelite's own
//! keys (the settle record, the compactor's tick) name the source's revisions and stay.
//! Revisions (resourceVersions) are the target's own afterwards, as after any restore.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::clock::Clock;
use crate::store::prefixed::{Prefixed, REGISTRY};
use crate::store::redb::RedbStore;
use crate::store::{RangeRequest, RequestOp, Store, StoreError, TxnRequest, prefix_range_end};

/// Keys read from the source at a time (memory stays bounded whatever the cluster's size).
const PAGE: i64 = 500;
/// etcd's default `--max-txn-ops`.
const TXN_OPS: usize = 128;
/// Bytes of values per transaction, below etcd's default request limit (1.5 MiB).
const TXN_BYTES: usize = 1 << 20;

/// Where a cluster lives.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// The store file of the home `dir`.
    Home(PathBuf),
    /// An etcd reached at `servers` (plain http), the cluster under `prefix`.
    Etcd {
        servers: Vec<String>,
        prefix: String,
    },
}

impl Place {
    /// `kubelite:///dir` (`kubelite://` for `$KUBELITE_HOME`) or
    /// `etcd://host:port[,host:port...][/prefix]` (default prefix `/registry`).
    pub fn parse(text: &str) -> Result<Place, String> {
        if let Some(dir) = text.strip_prefix("kubelite://") {
            if dir.is_empty() {
                return Ok(Place::Home(crate::cluster::home()));
            }
            if !dir.starts_with('/') {
                return Err(format!(
                    "{text:?}: a kubelite:// URL names an absolute directory (kubelite:///dir)"
                ));
            }
            return Ok(Place::Home(PathBuf::from(dir)));
        }
        if let Some(rest) = text.strip_prefix("etcd://") {
            let (hosts, prefix) = match rest.find('/') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, REGISTRY),
            };
            let servers: Vec<String> = hosts
                .split(',')
                .filter(|h| !h.is_empty())
                .map(|h| format!("http://{h}"))
                .collect();
            if servers.is_empty() {
                return Err(format!("{text:?} names no etcd server (etcd://host:port)"));
            }
            let prefix = crate::store::prefixed::normalize(prefix)?;
            return Ok(Place::Etcd { servers, prefix });
        }
        Err(format!(
            "{text:?} is not a place a cluster lives: give kubelite:///DIR or \
             etcd://HOST:PORT[/PREFIX]"
        ))
    }

    /// How the summary names it.
    pub fn describe(&self) -> String {
        match self {
            Place::Home(dir) => format!("kubelite://{}", dir.display()),
            Place::Etcd { servers, prefix } => {
                let hosts: Vec<&str> = servers
                    .iter()
                    .map(|s| s.strip_prefix("http://").unwrap_or(s))
                    .collect();
                format!("etcd://{}{prefix}", hosts.join(","))
            }
        }
    }
}

/// What a copy did, for its summary line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Copied {
    pub keys: usize,
    /// Keys that went with a lease, and the leases granted for them.
    pub leased_keys: usize,
    pub leases: usize,
    /// The source's revision the copy was read at.
    pub revision: i64,
}

impl Copied {
    pub fn summary(&self, from: &Place, to: &Place) -> String {
        format!(
            "copied {} keys ({} on {} leases) at revision {} from {} to {}",
            self.keys,
            self.leased_keys,
            self.leases,
            self.revision,
            from.describe(),
            to.describe()
        )
    }
}

/// A store opened for the copy, with the clock its leases count on.
struct Opened {
    store: Arc<dyn Store>,
    now: i64,
}

fn open(place: &Place, create: bool) -> Result<Opened, String> {
    match place {
        Place::Home(dir) => {
            let path = super::store_file(dir)?;
            let clock = Clock::from_env()?.with_saved_step(&dir.join(crate::clock::STEP_FILE))?;
            let now = clock.now().timestamp();
            let store = if create {
                crate::cluster::create_private_dir(dir)?;
                let store = RedbStore::open(&path, super::LOCK_WAIT)
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                crate::cluster::restrict_to_owner(&path)?;
                store
            } else {
                if !path.is_file() {
                    return Err(format!(
                        "no cluster in {}: {} does not exist",
                        dir.display(),
                        path.display()
                    ));
                }
                // Read-only where it can be: a serve may hold the file, and a past revision
                // is all the copy reads.
                RedbStore::open_read_only(&path)
                    .or_else(|_| RedbStore::open(&path, super::LOCK_WAIT))
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))?
            };
            Ok(Opened {
                store: Arc::new(store),
                now,
            })
        }
        Place::Etcd { servers, prefix } => {
            let opts = super::EtcdOptions {
                servers: servers.clone(),
                prefix: prefix.clone(),
                ..Default::default()
            };
            let etcd = super::etcd::connect(&opts)?;
            Ok(Opened {
                store: Arc::new(Prefixed::new(etcd, prefix)),
                now: chrono::Utc::now().timestamp(),
            })
        }
    }
}

fn registry() -> (Vec<u8>, Vec<u8>) {
    let key = format!("{REGISTRY}/").into_bytes();
    let end = prefix_range_end(&key);
    (key, end)
}

/// Copies the cluster kept at `from` to `to`, which must hold none unless `overwrite` (its
/// cluster is then deleted first).
pub fn copy(from: &Place, to: &Place, overwrite: bool) -> Result<Copied, String> {
    if from == to {
        return Err(format!("--from and --to both name {}", from.describe()));
    }
    let source = open(from, false)?;
    let target = open(to, true)?;
    let (key, end) = registry();
    let held = target
        .store
        .range(&RangeRequest {
            key: key.clone(),
            range_end: end.clone(),
            count_only: true,
            ..Default::default()
        })
        .map_err(|e| format!("cannot read {}: {e}", to.describe()))?
        .count;
    if held > 0 && !overwrite {
        return Err(format!(
            "{} already holds a cluster ({held} keys under {REGISTRY}/): copy into an empty \
             place, or give --overwrite to replace it",
            to.describe()
        ));
    }
    let revision = source
        .store
        .current_revision()
        .map_err(|e| format!("cannot read {}: {e}", from.describe()))?;
    let mut copied = Copied {
        revision,
        ..Copied::default()
    };
    if held > 0 {
        let wrote = |e: StoreError| format!("cannot clear {}: {e}", to.describe());
        target
            .store
            .delete_range(&key, &end, false)
            .map_err(wrote)?;
        // The settle record names revisions of the cluster that is gone.
        target
            .store
            .delete_range(b"kubelite/", &prefix_range_end(b"kubelite/"), false)
            .map_err(wrote)?;
    }
    // Source lease → the target's lease for it (0: the source's lease has run out).
    let mut leases: BTreeMap<i64, i64> = BTreeMap::new();
    let mut next = key;
    loop {
        let page = source
            .store
            .range(&RangeRequest {
                key: next.clone(),
                range_end: end.clone(),
                limit: PAGE,
                revision,
                ..Default::default()
            })
            .map_err(|e| match e {
                StoreError::Compacted { .. } => format!(
                    "{} was compacted past revision {revision} while it was copied: copy again",
                    from.describe()
                ),
                e => format!("cannot read {}: {e}", from.describe()),
            })?;
        let mut ops = Vec::new();
        let mut bytes = 0;
        for kv in &page.kvs {
            let lease = match kv.lease {
                0 => 0,
                id => target_lease(&source, &target, &mut leases, id, from, to)?,
            };
            if kv.lease != 0 && lease == 0 {
                // Its lease ran out in the source: the key is as good as gone there.
                continue;
            }
            if !ops.is_empty() && (ops.len() == TXN_OPS || bytes + kv.value.len() > TXN_BYTES) {
                write(&target, std::mem::take(&mut ops), to)?;
                bytes = 0;
            }
            bytes += kv.value.len();
            ops.push(RequestOp::Put {
                key: kv.key.clone(),
                value: kv.value.clone(),
                prev_kv: false,
                lease,
            });
            copied.keys += 1;
            if lease != 0 {
                copied.leased_keys += 1;
            }
        }
        if !ops.is_empty() {
            write(&target, ops, to)?;
        }
        match page.kvs.last() {
            Some(last) if page.more => {
                next = last.key.clone();
                next.push(0);
            }
            _ => break,
        }
    }
    copied.leases = leases.values().filter(|id| **id != 0).count();
    Ok(copied)
}

/// The target's lease for the source's lease `id`, granted on first use with the time it
/// has left in the source; 0 when it has none left.
fn target_lease(
    source: &Opened,
    target: &Opened,
    leases: &mut BTreeMap<i64, i64>,
    id: i64,
    from: &Place,
    to: &Place,
) -> Result<i64, String> {
    if let Some(granted) = leases.get(&id) {
        return Ok(*granted);
    }
    let status = source
        .store
        .lease_time_to_live(id, false, source.now)
        .map_err(|e| format!("cannot read lease {id:x} of {}: {e}", from.describe()))?;
    let granted = if status.ttl <= 0 {
        0
    } else {
        target
            .store
            .lease_grant(0, status.ttl, target.now)
            .map_err(|e| format!("cannot grant a lease in {}: {e}", to.describe()))?
            .id
    };
    leases.insert(id, granted);
    Ok(granted)
}

fn write(target: &Opened, ops: Vec<RequestOp>, to: &Place) -> Result<(), String> {
    target
        .store
        .txn(&TxnRequest {
            compare: Vec::new(),
            success: ops,
            failure: Vec::new(),
        })
        .map(|_| ())
        .map_err(|e| format!("cannot write to {}: {e}", to.describe()))
}
