//! What etcdctl talks to: a [`Store`] plus the cluster identity etcd puts in every response
//! header and shows in `endpoint status` / `member list`.

use crate::store::etcd::EtcdStore;
pub use crate::store::member::ClusterInfo;
use crate::store::{Store, StoreError};

impl ClusterInfo {
    /// Stable made-up identity of the embedded single-member cluster.
    pub fn embedded() -> Self {
        ClusterInfo {
            cluster_id: 0x6b75_6265_6c69_7465, // "kubelite"
            member_id: 0x8e9e_05c5_2164_694d,
            raft_term: 2,
            member_name: "default".to_string(),
            peer_urls: vec!["http://localhost:2380".to_string()],
            client_urls: vec!["http://localhost:2379".to_string()],
            version: "3.4.23".to_string(),
            db_size: 0,
            db_size_in_use: 0,
            leader: 0x8e9e_05c5_2164_694d,
            raft_index: 0,
            raft_applied_index: 0,
            is_learner: false,
        }
    }
}

/// A store together with the identity of the cluster serving it.
pub trait Backend: Send + Sync {
    fn store(&self) -> &dyn Store;
    /// Current identity and status; for a real etcd this asks the server.
    fn cluster_info(&self) -> Result<ClusterInfo, StoreError>;

    /// cluster_id, member_id and raft_term for response headers; may be cached.
    fn header_identity(&self) -> Result<(u64, u64, u64), StoreError> {
        let info = self.cluster_info()?;
        Ok((info.cluster_id, info.member_id, info.raft_term))
    }

    /// The id a new lease asks for; 0 lets the store choose (a real etcd draws its own).
    fn new_lease_id(&self) -> i64 {
        0
    }

    /// "Now" for leases, in unix seconds: the cluster's clock. A real etcd keeps its own.
    fn now(&self) -> i64 {
        0
    }

    /// Revokes the leases that expired by [`Backend::now`] before a command runs, as a real
    /// etcd has done by then on its own; nothing to do for a real etcd.
    fn expire_leases(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Most keys one command's expiry pass deletes (as the API server's housekeeping).
const EXPIRE_BUDGET: usize = 20_000;

/// The embedded store with the made-up identity. `db_size` comes from the caller (the store
/// file's size) since the Store trait does not expose it.
pub struct EmbeddedBackend<S: Store> {
    pub store: S,
    pub info: ClusterInfo,
    /// Returns the current database size in bytes (the store file's length).
    pub db_size: Box<dyn Fn() -> i64 + Send + Sync>,
    /// The cluster's clock in unix seconds (leases expire on it).
    pub now: Box<dyn Fn() -> i64 + Send + Sync>,
}

impl<S: Store> EmbeddedBackend<S> {
    pub fn new(store: S) -> Self {
        EmbeddedBackend {
            store,
            info: ClusterInfo::embedded(),
            db_size: Box::new(|| 0),
            now: Box::new(|| chrono::Utc::now().timestamp()),
        }
    }
}

impl<S: Store> Backend for EmbeddedBackend<S> {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    fn cluster_info(&self) -> Result<ClusterInfo, StoreError> {
        let mut info = self.info.clone();
        let size = (self.db_size)();
        info.db_size = size;
        info.db_size_in_use = size;
        // A single member applies every write it accepts: let the raft index follow the
        // store revision so `endpoint status` moves as etcd's does.
        let rev = self.store.current_revision()?;
        info.raft_index = rev.max(0) as u64;
        info.raft_applied_index = info.raft_index;
        Ok(info)
    }

    fn header_identity(&self) -> Result<(u64, u64, u64), StoreError> {
        Ok((
            self.info.cluster_id,
            self.info.member_id,
            self.info.raft_term,
        ))
    }

    /// An id drawn as etcd's request-id generator draws one: the member id's low 16 bits,
    /// then the clock's milliseconds, kept positive. Wide like etcd's ids, and deterministic
    /// on a fixed clock; one taken already makes the caller try the next.
    fn new_lease_id(&self) -> i64 {
        let prefix = (self.info.member_id & 0xffff) << 48;
        let millis = (self.now().max(0) as u64).wrapping_mul(1000) & ((1 << 40) - 1);
        ((prefix | (millis << 8)) & (i64::MAX as u64)) as i64 | 1
    }

    fn now(&self) -> i64 {
        (self.now)()
    }

    fn expire_leases(&self) -> Result<(), StoreError> {
        match self.store.expire_leases(self.now(), EXPIRE_BUDGET) {
            Ok(_) | Err(StoreError::LeasesUnsupported) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// A real etcd: its identity comes from its maintenance API.
impl Backend for EtcdStore {
    fn store(&self) -> &dyn Store {
        self
    }

    fn cluster_info(&self) -> Result<ClusterInfo, StoreError> {
        EtcdStore::cluster_info(self)
    }

    fn header_identity(&self) -> Result<(u64, u64, u64), StoreError> {
        EtcdStore::header_identity(self)
    }
}

/// Lets a caller that keeps one open backend hand it to several runs:
/// `connect` can return `Box::new(Arc::clone(&shared))`.
impl<B: Backend + ?Sized> Backend for std::sync::Arc<B> {
    fn store(&self) -> &dyn Store {
        (**self).store()
    }

    fn cluster_info(&self) -> Result<ClusterInfo, StoreError> {
        (**self).cluster_info()
    }

    fn header_identity(&self) -> Result<(u64, u64, u64), StoreError> {
        (**self).header_identity()
    }

    fn new_lease_id(&self) -> i64 {
        (**self).new_lease_id()
    }

    fn now(&self) -> i64 {
        (**self).now()
    }

    fn expire_leases(&self) -> Result<(), StoreError> {
        (**self).expire_leases()
    }
}
