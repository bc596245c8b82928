//! ControllerRevisions, as the StatefulSet and DaemonSet controllers keep them: one per
//! pod template the object has had, named `<owner>-<hash>`, its data a strategic merge
//! patch that puts that template back whole, numbered in the order the templates were
//! used (a template used again becomes the newest); the oldest pruned past
//! `revisionHistoryLimit`.

use super::common as c;
use crate::api::options::{DeleteOptions, PatchType, WriteOptions};
use crate::api::status::ApiError;
use crate::runtime::Context;
use serde_json::{Value, json};

pub const HASH_LABEL: &str = "controller-revision-hash";

/// What a revision of `owner`'s current template stores.
pub fn data_of(owner: &Value) -> Value {
    let mut template = owner
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    if let Some(m) = template.as_object_mut() {
        m.insert("$patch".into(), json!("replace"));
    }
    json!({"spec": {"template": template}})
}

/// The revisions `owner` (of `kind`) controls, oldest first, and the one of its current
/// template: found, renumbered as the newest (a rollback), or created as `name` with the
/// hash label `label`. The flag says whether it wrote.
pub fn ensure(
    ctx: &Context,
    owner: &Value,
    kind: &str,
    name: &str,
    label: &str,
    all: &[Value],
) -> Result<(Vec<Value>, Value, bool), ApiError> {
    let uid = c::uid(owner);
    let ns = c::namespace(owner);
    let mut owned: Vec<Value> = all
        .iter()
        .filter(|r| c::controller_uid(r, kind) == Some(uid))
        .cloned()
        .collect();
    owned.sort_by_key(|r| c::int_at(r, "/revision", 0));
    let data = data_of(owner);
    let newest = owned.last().map_or(0, |r| c::int_at(r, "/revision", 0));
    let r = ctx.resource("controllerrevisions")?;
    if let Some(i) = owned.iter().position(|r| r.get("data") == Some(&data)) {
        if c::int_at(&owned[i], "/revision", 0) == newest {
            let rev = owned[i].clone();
            return Ok((owned, rev, false));
        }
        let patch = json!({"revision": newest + 1});
        let rev = ctx.client.patch(
            r,
            Some(ns),
            c::name(&owned[i]),
            PatchType::Merge,
            &patch,
            &WriteOptions::default(),
        )?;
        owned[i] = rev.clone();
        owned.sort_by_key(|r| c::int_at(r, "/revision", 0));
        return Ok((owned, rev, true));
    }
    let mut labels = owner
        .pointer("/spec/template/metadata/labels")
        .cloned()
        .unwrap_or(json!({}));
    labels[HASH_LABEL] = json!(label);
    let api_version = "apps/v1";
    let rev = json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {
            "name": name,
            "namespace": ns,
            "labels": labels,
            "ownerReferences": [c::controller_owner_ref(owner, api_version, kind)],
        },
        "data": data,
        "revision": newest + 1,
    });
    let created = match ctx
        .client
        .create(r, Some(ns), rev, &WriteOptions::default())
    {
        Ok(v) => v,
        // Made by an earlier pass that did not see it yet.
        Err(e) if e.code == 409 => ctx.client.get(r, Some(ns), name)?,
        Err(e) => return Err(e),
    };
    owned.push(created.clone());
    Ok((owned, created, true))
}

/// Keeps `revisionHistoryLimit` revisions besides the live ones, deleting the oldest.
pub fn prune(
    ctx: &Context,
    owner: &Value,
    revisions: &[Value],
    live: &[&String],
) -> Result<bool, ApiError> {
    let limit = usize::try_from(c::int_at(owner, "/spec/revisionHistoryLimit", 10).max(0))
        .unwrap_or(usize::MAX);
    let old: Vec<&Value> = revisions
        .iter()
        .filter(|r| !live.iter().any(|l| c::name(r) == l.as_str()))
        .collect();
    let mut wrote = false;
    if old.len() > limit {
        for r in &old[..old.len() - limit] {
            wrote |= c::delete(
                ctx,
                "controllerrevisions",
                Some(c::namespace(owner)),
                c::name(r),
                &DeleteOptions::default(),
            )?;
        }
    }
    Ok(wrote)
}
