//! `rollout history|undo` of a DaemonSet or a StatefulSet, from the ControllerRevisions it
//! owns, as kubectl reads them: the object again, then the revisions its selector matches,
//! kept when it controls them. A revision's data is a strategic merge patch that puts
//! its pod template back. Against a server the list is kubectl's request; the embedded
//! cluster answers it through the client (its StatefulSet controller keeps revisions).

use crate::api::options::{PatchType, WriteOptions};
use crate::api::registry::Resource;
use crate::api::selector::LabelSelector;
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use crate::print::tabwriter::TabWriter;
use serde_json::Value;

/// The DaemonSet as read again, and the revisions (number, object) it controls.
type History = (Value, Vec<(i64, Value)>);

/// The object as read again, and the revisions (number, object) it controls, oldest first.
fn read(client: &dyn Client, r: &Resource, ns: &str, name: &str) -> Result<History, CliError> {
    let ds = client.get(r, Some(ns), name).map_err(|e| {
        CliError::message(format!(
            "failed to retrieve {} {name}: {}",
            r.kind, e.message
        ))
    })?;
    let selector =
        LabelSelector::from_object(&ds["spec"]["selector"]).map_err(CliError::message)?;
    let path = format!(
        "/apis/apps/v1/namespaces/{ns}/controllerrevisions?labelSelector={}",
        escape(&selector.to_string())
    );
    let listed = if client.live() {
        client
            .get_path(&path, "application/json")
            .unwrap_or_else(|| Ok(Value::Null))
    } else {
        // The embedded cluster: the same list, through the client.
        match crate::api::registry::find("controllerrevisions.apps") {
            Some(cr) => client.list(
                cr,
                Some(ns),
                &crate::api::options::ListOptions::labels(Some(&selector.to_string())),
            ),
            None => Ok(Value::Null),
        }
    };
    let list = listed.map_err(|e| {
        CliError::message(format!(
            "unable to find history controlled by {} {name}: {}",
            r.kind, e.message
        ))
    })?;
    let uid = ds["metadata"]["uid"].clone();
    let mut owned: Vec<(i64, Value)> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|rev| {
            rev["metadata"]["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|o| o["controller"] == true && o["uid"] == uid)
        })
        .map(|rev| (rev["revision"].as_i64().unwrap_or(0), rev.clone()))
        .collect();
    owned.sort_by_key(|(n, _)| *n);
    Ok((ds, owned))
}

/// What a query value may not hold as it is.
fn escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('&', "%26")
        .replace('+', "%2B")
        .replace('#', "%23")
        .replace(' ', "%20")
}

/// The pod template a revision restores (its patch without the `$patch` directive).
fn template_of(revision: &Value) -> Value {
    let mut t = revision["data"]["spec"]["template"].clone();
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

/// `v` without null members and empty objects, recursively.
fn pruned(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), pruned(v)))
                .filter(|(_, v)| !v.is_null() && v.as_object().is_none_or(|o| !o.is_empty()))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(pruned).collect()),
        other => other.clone(),
    }
}

pub fn history(
    client: &dyn Client,
    r: &Resource,
    ns: &str,
    name: &str,
    revision: i64,
    io: &mut Io,
) -> Result<(), CliError> {
    let (_, revs) = read(client, r, ns, name)?;
    let what = format!("{}/{name}", r.qualified_singular());
    if revs.is_empty() {
        let _ = writeln!(io.out, "{what} \nNo rollout history found.");
        return Ok(());
    }
    if revision > 0 {
        let Some((_, rev)) = revs.iter().find(|(n, _)| *n == revision) else {
            return Err(CliError::message("unable to find the specified revision"));
        };
        let text = crate::print::describe::pod_template_text(Some(&template_of(rev)));
        let _ = write!(io.out, "{what} with revision #{revision}\n{text}\n");
        return Ok(());
    }
    let mut tw = TabWriter::new(0, 0, 2, ' ', 0);
    tw.write_str("REVISION\tCHANGE-CAUSE\n");
    for (n, rev) in &revs {
        let cause = rev
            .pointer("/metadata/annotations/kubernetes.io~1change-cause")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .unwrap_or("<none>");
        tw.write_str(&format!("{n}\t{cause}\n"));
    }
    let _ = write!(io.out, "{what} \n{}\n", tw.finish());
    Ok(())
}

pub fn undo(
    client: &dyn Client,
    r: &Resource,
    ns: &str,
    name: &str,
    to_revision: i64,
    io: &mut Io,
) -> Result<(), CliError> {
    let not_found = || {
        CliError::message(format!(
            "unable to find specified revision {to_revision} in history"
        ))
    };
    if to_revision < 0 {
        return Err(not_found());
    }
    let (ds, revs) = read(client, r, ns, name)?;
    if to_revision == 0 && revs.len() <= 1 {
        return Err(CliError::message("no last revision to roll back to"));
    }
    let chosen = if to_revision == 0 {
        revs.iter().rev().nth(1)
    } else {
        revs.iter().find(|(n, _)| *n == to_revision)
    };
    let Some((_, rev)) = chosen else {
        return Err(not_found());
    };
    let what = format!("{}/{name}", r.qualified_singular());
    // kubectl compares the DaemonSet's template, as a revision's patch, with the data.
    let mut current = ds["spec"]["template"].clone();
    if let Some(m) = current.as_object_mut() {
        m.insert("$patch".into(), Value::String("replace".into()));
    }
    // kubectl compares bytes of its typed encoding, which writes Go's empty values
    // (`creationTimestamp: null`, `resources: {}`): compared here without them.
    if pruned(&serde_json::json!({"spec": {"template": current}})) == pruned(&rev["data"]) {
        let _ = writeln!(
            io.out,
            "{what} skipped rollback (current template already matches revision {to_revision})"
        );
        return Ok(());
    }
    let body = serde_json::to_vec(&rev["data"]).unwrap_or_default();
    client
        .patch_raw(
            r,
            Some(ns),
            name,
            PatchType::Strategic,
            &body,
            &WriteOptions::default(),
        )
        .map_err(|e| {
            CliError::message(format!(
                "failed restoring revision {to_revision}: {}",
                e.message
            ))
        })?;
    let _ = writeln!(io.out, "{what} rolled back");
    Ok(())
}
