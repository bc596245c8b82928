//! Components that run only while this process holds their leader Lease (several serve
//! processes on one etcd): the controllers follow `kube-system/kube-controller-manager`, the
//! scheduler `kube-system/kube-scheduler`. A component that gains leadership starts afresh
//! and reads everything, as a newly elected kube-controller-manager lists before it watches;
//! one that loses it stops at its next pass.

use crate::api::status::ApiError;
use crate::runtime::leader_election::Leadership;
use crate::runtime::{Component, Context, sync_from_start};
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub type MakeOne = Box<dyn Fn() -> Box<dyn Component>>;

pub struct Led {
    name: &'static str,
    lease: &'static str,
    leadership: Arc<Leadership>,
    make: MakeOne,
    inner: Option<Box<dyn Component>>,
}

impl Led {
    pub fn new(lease: &'static str, leadership: Arc<Leadership>, make: MakeOne) -> Self {
        let name = make().name();
        Led {
            name,
            lease,
            leadership,
            make,
            inner: None,
        }
    }
}

impl Component for Led {
    fn name(&self) -> &'static str {
        self.name
    }

    fn sync(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        if !self.leadership.holds(self.lease) {
            self.inner = None;
            return Ok(false);
        }
        let Some(inner) = self.inner.as_mut() else {
            let inner = self.inner.insert((self.make)());
            if ctx.since == 0 {
                return inner.sync(ctx);
            }
            return sync_from_start(inner.as_mut(), ctx);
        };
        inner.sync(ctx)
    }

    fn next_due(&self) -> Option<DateTime<Utc>> {
        self.inner.as_ref().and_then(|c| c.next_due())
    }

    fn wants_pass(&mut self) -> bool {
        self.inner.as_mut().is_some_and(|c| c.wants_pass())
    }

    fn resync_next(&self) -> bool {
        self.inner.as_ref().is_none_or(|c| c.resync_next())
    }
}
