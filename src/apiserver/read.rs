//! GET, LIST and WATCH.

use super::ApiServer;
use super::codec::{decode, decode_projected, store_error, strip_type};
use super::project::Keep;
use crate::api::conversion;
use crate::api::options::{ListOptions, WatchEvent};
use crate::api::registry::{self, Resource};
use crate::api::selector::{FieldSelector, LabelSelector};
use crate::api::status::ApiError;
use crate::store::{
    EventKind, KeyValue, RangeRequest, RangeResponse, prefix_range_end as prefix_end,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

/// The fewest keys a paged list reads from the store at a time.
const MIN_CHUNK: usize = 512;

/// Compiled `labelSelector` and `fieldSelector` of a request.
pub struct Filter {
    labels: Option<LabelSelector>,
    fields: Option<FieldSelector>,
}

impl Filter {
    pub fn new(r: &Resource, opts: &ListOptions) -> Result<Filter, ApiError> {
        let labels = match opts
            .label_selector
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(s) => Some(LabelSelector::parse(s).map_err(ApiError::bad_request)?),
            None => None,
        };
        let fields = match opts
            .field_selector
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(s) => {
                let f = FieldSelector::parse(s).map_err(ApiError::bad_request)?;
                f.validate_for(r.plural).map_err(ApiError::bad_request)?;
                Some(f)
            }
            None => None,
        };
        Ok(Filter { labels, fields })
    }

    /// A filter that lets everything pass (for key-values filtered already).
    pub fn everything() -> Filter {
        Filter {
            labels: None,
            fields: None,
        }
    }

    /// Whether the stored object passes, decoding a pod only in the parts its selectors
    /// read (most of a pod is skipped by the parser when most pods are filtered out).
    pub fn matches_stored(&self, r: &Resource, kv: &KeyValue) -> Result<bool, ApiError> {
        if self.labels.is_none() && self.fields.is_none() {
            return Ok(true);
        }
        let probe = if r.kind == "Pod" {
            decode_projected(kv, &super::project::POD_ROW)?
        } else {
            decode(kv)?
        };
        Ok(self.matches(&probe))
    }

    pub fn matches(&self, obj: &Value) -> bool {
        let labels_ok = self.labels.as_ref().is_none_or(|sel| {
            sel.matches(obj.pointer("/metadata/labels").and_then(Value::as_object))
        });
        labels_ok && self.fields.as_ref().is_none_or(|sel| sel.matches(obj))
    }
}

/// Where a paged list goes on: the revision it reads at and the next key; for a list
/// nothing filters, how many keys are left from there (kubelite's own field, so the next
/// page need not count the rest of the collection again).
struct ContinueToken {
    revision: i64,
    start: String,
    remaining: Option<usize>,
}

impl ContinueToken {
    fn encode(&self) -> String {
        let mut token = json!({"v": "meta.k8s.io/v1", "rv": self.revision, "start": self.start});
        if let Some(n) = self.remaining {
            token["remaining"] = json!(n);
        }
        BASE64.encode(token.to_string())
    }

    fn decode(token: &str) -> Result<ContinueToken, ApiError> {
        let bad = || ApiError::bad_request("continue key is not valid: illegal base64 data");
        let bytes = BASE64.decode(token).map_err(|_| bad())?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        match (v["rv"].as_i64(), v["start"].as_str()) {
            (Some(revision), Some(start)) => Ok(ContinueToken {
                revision,
                start: start.to_string(),
                remaining: v["remaining"].as_u64().map(|n| n as usize),
            }),
            _ => Err(bad()),
        }
    }
}

impl ApiServer {
    pub fn get(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Value, ApiError> {
        if registry::is_computed(r) {
            return self.computed_one(r, name);
        }
        if registry::is_create_only(r) {
            return Err(ApiError::method_not_allowed());
        }
        if let Some(stored) = registry::stored_version_of(r) {
            let obj = self.get(stored, namespace, name)?;
            return self.convert_from_stored(r, obj);
        }
        let kv = self.stored(r, &r.storage_key(namespace, name), name)?;
        decode(&kv)
    }

    /// The objects of a collection, in key order (namespace, then name), as a `<Kind>List`.
    pub fn list(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let mut items = Vec::new();
        let metadata = self.visit_list(r, namespace, opts, &mut |obj| items.push(obj))?;
        // Built by hand: `json!` would serialize every item into a copy.
        let mut list = serde_json::Map::new();
        list.insert("kind".into(), Value::String(format!("{}List", r.kind)));
        list.insert("apiVersion".into(), Value::String(r.api_version()));
        list.insert("metadata".into(), metadata);
        list.insert("items".into(), Value::Array(items));
        Ok(Value::Object(list))
    }

    /// Hands each listed object (as a list item) to `visit` as it is decoded, so a caller
    /// that turns objects into something smaller never holds them all; returns the list's
    /// metadata.
    pub fn visit_list(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        visit: &mut dyn FnMut(Value),
    ) -> Result<Value, ApiError> {
        if registry::is_create_only(r) {
            return Err(ApiError::method_not_allowed());
        }
        if registry::is_computed(r) {
            let filter = Filter::new(r, opts)?;
            for obj in self.computed(r) {
                if filter.matches(&obj) {
                    visit(strip_type(obj));
                }
            }
            return Ok(json!({}));
        }
        if let Some(stored) = registry::stored_version_of(r) {
            let Some(hook) = self.conversion_webhook(r)? else {
                return self.visit_list(stored, namespace, opts, &mut |obj| {
                    visit(conversion::from_stored(r, obj));
                });
            };
            // Converted together: a conversion webhook gets the list in one review.
            let mut items = Vec::new();
            let metadata = self.visit_list(stored, namespace, opts, &mut |obj| items.push(obj))?;
            for obj in self.convert_list(&hook, r, items)? {
                visit(obj);
            }
            return Ok(metadata);
        }
        let (kvs, metadata) = self.page_kvs(r, namespace, opts)?;
        for kv in kvs {
            visit(strip_type(decode(&kv)?));
        }
        Ok(metadata)
    }

    /// The stored key-values of one page of a collection (`limit`/`continue`; the whole
    /// collection without them) that pass its selectors, in key order, with the list's
    /// metadata (its `continue` and `remainingItemCount` for a page that has more).
    fn page_kvs(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<(Vec<KeyValue>, Value), ApiError> {
        let filter = Filter::new(r, opts)?;
        let prefix = key_prefix(r, namespace, opts);
        let (start, revision, known) =
            match opts.continue_token.as_deref().filter(|t| !t.is_empty()) {
                Some(t) => {
                    let token = ContinueToken::decode(t)?;
                    (token.start, token.revision, token.remaining)
                }
                None => (prefix.clone(), 0, None),
            };
        // The count of what is left is told only when nothing is filtered out, as in
        // kube-apiserver; the first page counts it, and the token carries it on.
        let unfiltered = opts.label_selector.is_none() && opts.field_selector.is_none();
        let mut total = known.filter(|_| unfiltered);
        let limit = opts.limit.filter(|l| *l > 0).map(|l| l as usize);
        // A page is read from the store in chunks a little bigger than the page, all at the
        // revision of the first, so a page costs its size, not the rest of the collection.
        let chunk = limit.map_or(0, |l| (l + 1).max(MIN_CHUNK) as i64);
        let end = prefix_end(prefix.as_bytes());
        let mut from = start.into_bytes();
        let mut list_revision = revision;
        let mut offset = 0;
        let mut visited = 0;
        let mut next = None;
        let mut page = Vec::new();
        loop {
            let resp = self
                .store
                .range(&RangeRequest {
                    key: from.clone(),
                    range_end: end.clone(),
                    revision: list_revision,
                    limit: chunk,
                    // Counted once: by the first read of the first page, if told at all.
                    uncounted: !unfiltered || total.is_some(),
                    ..Default::default()
                })
                .map_err(store_error)?;
            if list_revision <= 0 {
                list_revision = resp.header.revision;
            }
            if unfiltered {
                total.get_or_insert(resp.count.max(0) as usize);
            }
            let read = resp.kvs.len();
            let Some(last) = resp.kvs.last().map(|kv| kv.key.clone()) else {
                break;
            };
            for (j, kv) in resp.kvs.into_iter().enumerate() {
                if !filter.matches_stored(r, &kv)? {
                    continue;
                }
                if limit.is_some_and(|l| visited == l) {
                    next = Some((offset + j, kv.key));
                    break;
                }
                visited += 1;
                page.push(kv);
            }
            if next.is_some() || !resp.more {
                break;
            }
            offset += read;
            from = last;
            from.push(0);
        }
        let mut metadata = serde_json::Map::new();
        metadata.insert("resourceVersion".into(), json!(list_revision.to_string()));
        if let Some((i, key)) = next {
            let remaining = total.map(|t| t.saturating_sub(i));
            let token = ContinueToken {
                revision: list_revision,
                start: String::from_utf8_lossy(&key).into_owned(),
                remaining,
            };
            metadata.insert("continue".into(), json!(token.encode()));
            if let Some(n) = remaining {
                metadata.insert("remainingItemCount".into(), json!(n));
            }
        }
        Ok((page, Value::Object(metadata)))
    }

    /// A list (a page of it with limit/continue) with each object turned into something
    /// else (a table row) by `f`, decoding on every core: the cost of big lists is mostly
    /// decoding JSON.
    pub fn list_map<T: Send>(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        keep: Option<&'static Keep>,
        f: &(dyn Fn(Value) -> T + Sync),
    ) -> Result<(Vec<T>, Value), ApiError> {
        if registry::is_computed(r) || registry::is_create_only(r) {
            let mut out = Vec::new();
            let metadata = self.visit_list(r, namespace, opts, &mut |obj| out.push(f(obj)))?;
            return Ok((out, metadata));
        }
        if let Some(stored) = registry::stored_version_of(r) {
            if let Some(hook) = self.conversion_webhook(r)? {
                // One review for the list, so the objects are all decoded first.
                let (items, metadata) = self.list_map(stored, namespace, opts, None, &|o| o)?;
                let items = self.convert_list(&hook, r, items)?;
                return Ok((items.into_iter().map(f).collect(), metadata));
            }
            return self.list_map(stored, namespace, opts, keep, &|obj| {
                f(conversion::from_stored(r, obj))
            });
        }
        let decode = |kv: &KeyValue| match keep {
            Some(keep) => decode_projected(kv, keep),
            None => decode(kv),
        };
        if paged(opts) {
            // The page's key-values passed the selectors already.
            let (kvs, metadata) = self.page_kvs(r, namespace, opts)?;
            let out = par_map(&kvs, &|kv| Ok(Some(f(strip_type(decode(kv)?)))))?;
            return Ok((out, metadata));
        }
        let filter = Filter::new(r, opts)?;
        let resp = self.range_collection(r, namespace, opts)?;
        let out = par_map(&resp.kvs, &|kv| {
            let obj = decode(kv)?;
            Ok(filter.matches(&obj).then(|| f(strip_type(obj))))
        })?;
        let metadata = json!({"resourceVersion": resp.header.revision.to_string()});
        Ok((out, metadata))
    }

    /// The stored key-values of a list (a page of it with limit/continue) as the store hands
    /// them over, with the filter of its selectors (`Filter::matches_stored`) and the list's
    /// metadata: for callers that write stored bytes out without decoding them. None for
    /// a version other than the stored one and for computed resources.
    pub fn list_stored(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Option<(Vec<KeyValue>, Filter, Value)>, ApiError> {
        // Stored bytes are of the stored version: another version goes through `list_map`.
        if registry::stored_version_of(r).is_some()
            || registry::is_computed(r)
            || registry::is_create_only(r)
        {
            return Ok(None);
        }
        if paged(opts) {
            let (kvs, metadata) = self.page_kvs(r, namespace, opts)?;
            return Ok(Some((kvs, Filter::everything(), metadata)));
        }
        let filter = Filter::new(r, opts)?;
        let resp = self.range_collection(r, namespace, opts)?;
        let metadata = json!({"resourceVersion": resp.header.revision.to_string()});
        Ok(Some((resp.kvs, filter, metadata)))
    }

    /// Every stored key-value of the collection, in key order, at the current revision.
    fn range_collection(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<RangeResponse, ApiError> {
        let prefix = key_prefix(r, namespace, opts);
        self.store
            .range(&RangeRequest {
                key: prefix.clone().into_bytes(),
                range_end: prefix_end(prefix.as_bytes()),
                ..Default::default()
            })
            .map_err(store_error)
    }

    /// Changes to a collection since `from` (exclusive), with the revision to resume at.
    pub fn watch(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        from: i64,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError> {
        self.watch_until(r, namespace, opts, from, i64::MAX)
    }

    /// `watch`, stopping after revision `until`: the change log read in bounded pieces.
    pub fn watch_until(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        from: i64,
        until: i64,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError> {
        self.read_changes(r, namespace, opts, from, until, true)
    }

    /// The events of `watch_until` alone, for a reader that does not resume from where
    /// they end (a pass of the control plane reads up to a revision it already knows):
    /// the store's head is then not read.
    pub fn events_until(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        from: i64,
        until: i64,
    ) -> Result<Vec<WatchEvent>, ApiError> {
        Ok(self.read_changes(r, namespace, opts, from, until, false)?.0)
    }

    /// `watch_until`; with `resumes` false the revision returned is not meaningful.
    fn read_changes(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        opts: &ListOptions,
        from: i64,
        until: i64,
        resumes: bool,
    ) -> Result<(Vec<WatchEvent>, i64), ApiError> {
        if registry::is_computed(r) || registry::is_create_only(r) {
            return Err(ApiError::method_not_allowed());
        }
        if let Some(stored) = registry::stored_version_of(r) {
            let (events, last) =
                self.read_changes(stored, namespace, opts, from, until, resumes)?;
            let events = events
                .into_iter()
                .map(|e| {
                    Ok(WatchEvent {
                        kind: e.kind,
                        object: self.convert_from_stored(r, e.object)?,
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            return Ok((events, last));
        }
        let filter = Filter::new(r, opts)?;
        let prefix = key_prefix(r, namespace, opts);
        // The revision to resume from is read before the events: a write landing between
        // the two reads is then delivered by the next call instead of skipped.
        // (A revision the store's followed change log reached is one that exists: no need
        // to ask for the head when reading no further.)
        let read_at = match self.store.followed_revision() {
            Some(followed) if until <= followed => followed,
            _ if !resumes => until,
            _ => self.store.current_revision().map_err(store_error)?,
        };
        // Previous values are read for deletions only (the only events that show them).
        let events = self
            .store
            .events_between(
                prefix.as_bytes(),
                &prefix_end(prefix.as_bytes()),
                from + 1,
                until,
                false,
            )
            .map_err(store_error)?;
        let mut last = from;
        let mut out = Vec::new();
        for ev in events {
            last = ev.kv.mod_revision;
            let (kind, object) = match ev.kind {
                EventKind::Put if ev.kv.create_revision == ev.kv.mod_revision => {
                    ("ADDED", decode(&ev.kv)?)
                }
                EventKind::Put => ("MODIFIED", decode(&ev.kv)?),
                EventKind::Delete => match self.before(&ev.kv.key, ev.kv.mod_revision)? {
                    Some(prev) => {
                        let mut obj = decode(&prev)?;
                        super::codec::set_resource_version(&mut obj, ev.kv.mod_revision);
                        ("DELETED", obj)
                    }
                    None => continue,
                },
            };
            if filter.matches(&object) {
                out.push(WatchEvent { kind, object });
            }
        }
        let last = if until < read_at {
            last.max(until)
        } else {
            last.max(read_at)
        };
        Ok((out, last))
    }

    /// The key as it was just before `revision`; None if it did not exist then or that
    /// history is compacted away.
    fn before(&self, key: &[u8], revision: i64) -> Result<Option<KeyValue>, ApiError> {
        match self.store.range(&RangeRequest {
            key: key.to_vec(),
            revision: revision - 1,
            ..Default::default()
        }) {
            Ok(mut resp) => Ok(resp.kvs.pop()),
            Err(crate::store::StoreError::Compacted { .. }) => Ok(None),
            Err(e) => Err(store_error(e)),
        }
    }
}

/// Maps key-values on every core (`f` returns None for those left out), keeping their order.
fn par_map<T: Send>(
    kvs: &[KeyValue],
    f: &(dyn Fn(&KeyValue) -> Result<Option<T>, ApiError> + Sync),
) -> Result<Vec<T>, ApiError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    // Below a few hundred objects a thread costs more than it saves.
    let chunk = kvs.len().div_ceil(threads).max(128);
    if kvs.len() <= chunk {
        return Ok(kvs
            .iter()
            .map(f)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect());
    }
    let parts: Vec<Result<Vec<T>, ApiError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = kvs
            .chunks(chunk)
            .map(|kvs| {
                scope.spawn(move || {
                    let mut out = Vec::with_capacity(kvs.len());
                    for kv in kvs {
                        if let Some(t) = f(kv)? {
                            out.push(t);
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(ApiError::internal("list worker failed")))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(kvs.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// A request for one page (limit or continue), which is read in chunks instead of whole.
fn paged(opts: &ListOptions) -> bool {
    opts.limit.is_some_and(|l| l > 0)
        || opts
            .continue_token
            .as_deref()
            .is_some_and(|t| !t.is_empty())
}

/// The key prefix a list reads: the collection's, narrowed to a name prefix when one is
/// asked for (keys end in the object's name, so this is exact).
fn key_prefix(r: &Resource, namespace: Option<&str>, opts: &ListOptions) -> String {
    let mut prefix = r.storage_prefix_for(namespace);
    if let Some(p) = &opts.name_prefix
        && (namespace.is_some() || !r.namespaced)
    {
        prefix.push_str(p);
    }
    prefix
}
