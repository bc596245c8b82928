//! A settle checkpoint kept in this process only. Several serve processes on one etcd each
//! run some of the components (those whose Leases they hold) and each reads the change log
//! at its own pace: a shared record in the store would let one skip what another read. A
//! restarted process starts from nothing and lists everything, as a restarted kube
//! component does.

use super::settle::{Checkpoint, Settled};
use crate::api::status::ApiError;
use crate::apiserver::ApiServer;
use std::sync::{Arc, Mutex};

pub struct ProcessCheckpoint {
    server: Arc<ApiServer>,
    last: Mutex<Option<Settled>>,
}

impl ProcessCheckpoint {
    pub fn new(server: Arc<ApiServer>) -> Self {
        ProcessCheckpoint {
            server,
            last: Mutex::new(None),
        }
    }
}

impl Checkpoint for ProcessCheckpoint {
    fn revision(&self) -> Result<i64, ApiError> {
        self.server.current_revision()
    }

    fn load(&self) -> Result<Option<Settled>, ApiError> {
        Ok(self.last.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    /// `at` stays 0: the record is no write, so "nothing written since it" cannot be told
    /// from it, and each settle reads the log (the other processes write to it anyway).
    fn save(&self, settled: &Settled) -> Result<i64, ApiError> {
        let mut kept = settled.clone();
        kept.at = 0;
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(kept);
        self.server.current_revision()
    }

    fn defer_durability(&self, on: bool) -> Result<(), ApiError> {
        self.server.defer_durability(on)
    }
}
