//! The pods without a node, kept between passes: the scheduler retries every pending pod
//! whenever a node, a claim or a freed place may let one fit, and a StatefulSet whose
//! claims change every pass must not cost a read of every pod each time. The set is read
//! once (the same list a retry reads), then caught up with the change log since, so it is
//! always what that list would return now. Each pod is kept as what scheduling reads of it
//! (a `Candidate`, a tenth of its JSON tree), and only while it is pending. Bounded: past
//! `KEEP_MAX` pods it is not kept (a retry reads them a page at a time, as before).

use super::candidate::{Candidate, pending};
use crate::api::options::ListOptions;
use crate::api::status::ApiError;
use crate::runtime::Context;
use serde_json::Value;
use std::collections::BTreeMap;

/// Most pods without a node kept between passes.
const KEEP_MAX: usize = 4096;

/// Pending pods without a node by store key (`<namespace>/<name>`, the list's order), as of
/// `revision`.
pub struct Unbound {
    pods: BTreeMap<String, Candidate>,
    revision: i64,
}

/// An `Unbound` being filled from a list, given up past `KEEP_MAX`.
pub struct Collecting(Option<BTreeMap<String, Candidate>>);

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn key(pod: &Value) -> String {
    format!(
        "{}/{}",
        text(pod, "/metadata/namespace"),
        text(pod, "/metadata/name")
    )
}

impl Unbound {
    /// Starts filling a set from the pages of a list.
    pub fn collecting() -> Collecting {
        Collecting(Some(BTreeMap::new()))
    }

    /// The pending pods, in the list's order.
    pub(super) fn pods(&self) -> impl Iterator<Item = &Candidate> {
        self.pods.values()
    }

    /// Applies every change of pods since the set's revision; false when that history is
    /// compacted away (the caller lists again).
    pub fn catch_up(&mut self, ctx: &Context) -> Result<bool, ApiError> {
        let r = ctx.resource("pods")?;
        let (events, last) = match ctx
            .client
            .watch(r, None, &ListOptions::default(), self.revision)
        {
            Ok(read) => read,
            Err(e) if e.code == 410 => return Ok(false),
            Err(e) => return Err(e),
        };
        for e in events.iter() {
            let k = key(&e.object);
            // What `spec.nodeName=` selects and the scheduler may place.
            if e.kind == "DELETED" || !pending(&e.object) {
                self.pods.remove(&k);
            } else {
                self.pods.insert(k, Candidate::new(&e.object, false));
            }
        }
        self.revision = self.revision.max(last);
        if self.pods.len() > KEEP_MAX {
            return Ok(false);
        }
        Ok(true)
    }
}

impl Collecting {
    /// Adds the pending pods of a page of the list.
    pub(super) fn extend(&mut self, page: &[Candidate]) {
        if let Some(pods) = self.0.as_mut() {
            for c in page {
                pods.insert(format!("{}/{}", c.info.namespace, c.info.name), c.clone());
            }
            if pods.len() > KEEP_MAX {
                self.0 = None;
            }
        }
    }

    /// The set, if it stayed small enough, as of the list's revision.
    pub fn finish(self, revision: i64) -> Option<Unbound> {
        self.0.map(|pods| Unbound { pods, revision })
    }
}
