//! etcd's request rules that do not depend on the backend: what a key range covers, how a
//! range's results are sorted and limited, when a compare holds, which txns are invalid.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::{
    Compare, CompareResult, CompareTarget, KeyValue, RangeRequest, RequestOp, SortOrder,
    SortTarget, StoreError, TxnRequest,
};

/// The keys a `key` + `range_end` pair selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bounds {
    Single(Vec<u8>),
    /// Every key >= this one.
    From(Vec<u8>),
    /// [start, end), with start < end.
    Between(Vec<u8>, Vec<u8>),
    /// An end at or before the start selects nothing.
    Nothing,
}

impl Bounds {
    pub(crate) fn new(key: &[u8], range_end: &[u8]) -> Bounds {
        if range_end.is_empty() {
            Bounds::Single(key.to_vec())
        } else if range_end == [0] {
            Bounds::From(key.to_vec())
        } else if range_end > key {
            Bounds::Between(key.to_vec(), range_end.to_vec())
        } else {
            Bounds::Nothing
        }
    }

    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        match self {
            Bounds::Single(k) => k.as_slice() == key,
            Bounds::From(start) => key >= start.as_slice(),
            Bounds::Between(start, end) => key >= start.as_slice() && key < end.as_slice(),
            Bounds::Nothing => false,
        }
    }
}

/// The order etcd applies: a non-key target with no order given sorts ascending.
pub(crate) fn effective_order(req: &RangeRequest) -> SortOrder {
    if req.sort_order == SortOrder::None && req.sort_target != SortTarget::Key {
        SortOrder::Ascend
    } else {
        req.sort_order
    }
}

/// How many kvs a backend must build, in ascending key order, for this request: the
/// rest only need counting. None means all of them.
///
/// etcd fetches everything only when an order was requested explicitly. With no order
/// and a limit it fetches limit + 1 kvs in key order, and only then sorts them (by a
/// non-key target, ascending) and truncates: the page is the first keys, not the smallest
/// values. The limit + 1 is what the sort sees, so it matters.
pub(crate) fn kvs_needed(req: &RangeRequest) -> Option<usize> {
    if req.count_only {
        return Some(0);
    }
    let key_order = req.sort_order == SortOrder::None
        || req.sort_order == SortOrder::Ascend && req.sort_target == SortTarget::Key;
    if key_order && req.limit > 0 {
        Some(usize::try_from(req.limit).map_or(usize::MAX, |n| n.saturating_add(1)))
    } else {
        None
    }
}

/// Whether a backend must keep values while collecting (it may drop them otherwise).
pub(crate) fn values_needed(req: &RangeRequest) -> bool {
    !req.keys_only
        || effective_order(req) != SortOrder::None && req.sort_target == SortTarget::Value
}

/// Sorts, limits and strips kvs collected in ascending key order (as many as
/// [`kvs_needed`] asked for); returns them and `more`.
pub(crate) fn finish_range(
    mut kvs: Vec<KeyValue>,
    count: i64,
    req: &RangeRequest,
) -> (Vec<KeyValue>, bool) {
    if req.count_only {
        return (Vec::new(), false);
    }
    let order = effective_order(req);
    if order != SortOrder::None {
        // A stable sort over key order keeps ties in ascending key order.
        kvs.sort_by(|a, b| {
            let ord = compare_by(a, b, req.sort_target);
            if order == SortOrder::Descend {
                ord.reverse()
            } else {
                ord
            }
        });
    }
    let mut more = false;
    if req.limit > 0 {
        let limit = usize::try_from(req.limit).unwrap_or(usize::MAX);
        if kvs.len() > limit {
            kvs.truncate(limit);
            more = true;
        } else if count > req.limit {
            // The backend built only `limit` kvs but counted more.
            more = true;
        }
    }
    if req.keys_only {
        for kv in &mut kvs {
            kv.value.clear();
        }
    }
    (kvs, more)
}

fn compare_by(a: &KeyValue, b: &KeyValue, target: SortTarget) -> Ordering {
    match target {
        SortTarget::Key => a.key.cmp(&b.key),
        SortTarget::Version => a.version.cmp(&b.version),
        SortTarget::Create => a.create_revision.cmp(&b.create_revision),
        SortTarget::Mod => a.mod_revision.cmp(&b.mod_revision),
        SortTarget::Value => a.value.cmp(&b.value),
    }
}

/// Whether a compare holds over the kvs currently in its range.
pub(crate) fn compare_holds(cmp: &Compare, kvs: &[KeyValue]) -> bool {
    if kvs.is_empty() {
        if matches!(cmp.target, CompareTarget::Value(_)) {
            return false;
        }
        return compare_one(cmp, &KeyValue::default());
    }
    kvs.iter().all(|kv| compare_one(cmp, kv))
}

fn compare_one(cmp: &Compare, kv: &KeyValue) -> bool {
    let ord = match &cmp.target {
        CompareTarget::Version(v) => kv.version.cmp(v),
        CompareTarget::Create(v) => kv.create_revision.cmp(v),
        CompareTarget::Mod(v) => kv.mod_revision.cmp(v),
        CompareTarget::Lease(v) => kv.lease.cmp(v),
        CompareTarget::Value(v) => kv.value.as_slice().cmp(v.as_slice()),
    };
    match cmp.result {
        CompareResult::Equal => ord == Ordering::Equal,
        CompareResult::NotEqual => ord != Ordering::Equal,
        CompareResult::Greater => ord == Ordering::Greater,
        CompareResult::Less => ord == Ordering::Less,
    }
}

/// etcd's request checks, made before anything runs: no empty keys; within each branch no
/// key put twice, and no key both put and deleted.
pub(crate) fn validate_txn(req: &TxnRequest) -> Result<(), StoreError> {
    validate_branch(&req.success)?;
    validate_branch(&req.failure)
}

fn validate_branch(ops: &[RequestOp]) -> Result<(), StoreError> {
    let mut puts: HashSet<&[u8]> = HashSet::new();
    let mut deletes = Vec::new();
    for op in ops {
        match op {
            RequestOp::Range(r) => require_key(&r.key)?,
            RequestOp::Put { key, .. } => {
                require_key(key)?;
                if !puts.insert(key.as_slice()) {
                    return Err(StoreError::DuplicateKey);
                }
            }
            RequestOp::Delete { key, range_end, .. } => {
                require_key(key)?;
                deletes.push((key.as_slice(), range_end.as_slice()));
            }
        }
    }
    // etcd checks the literal interval [key, range_end): a range_end of [0] ("to the end")
    // or one before the key covers nothing here, so such a delete may precede a put.
    let covers = |(start, end): &(&[u8], &[u8]), k: &[u8]| {
        if end.is_empty() {
            k == *start
        } else {
            k >= *start && k < *end
        }
    };
    if puts.iter().any(|k| deletes.iter().any(|d| covers(d, k))) {
        return Err(StoreError::DuplicateKey);
    }
    Ok(())
}

pub(crate) fn require_key(key: &[u8]) -> Result<(), StoreError> {
    if key.is_empty() {
        Err(StoreError::EmptyKey)
    } else {
        Ok(())
    }
}
