//! The objects one controller reads in one pass, listed once: a controller reconciling many
//! objects of a namespace (ReplicaSets and their pods, Services and theirs) reads the
//! namespace's pods once, not once per object. What the controller writes itself it keeps
//! track of, and it forgets a list its writes made stale (pods adopted or released).

use super::Context;
use crate::api::options::ListOptions;
use crate::api::status::ApiError;
use serde_json::Value;
use std::collections::HashMap;
use std::rc::Rc;

/// Lists by (resource, namespace), read at most once each until forgotten.
#[derive(Default)]
pub struct Cache {
    lists: HashMap<(&'static str, Option<String>), Rc<Vec<Value>>>,
}

impl Cache {
    /// Every object of `plural` in `namespace` (or all), read on first use.
    pub fn list(
        &mut self,
        ctx: &Context,
        plural: &'static str,
        namespace: Option<&str>,
    ) -> Result<Rc<Vec<Value>>, ApiError> {
        let key = (plural, namespace.map(str::to_string));
        if let Some(objects) = self.lists.get(&key) {
            return Ok(objects.clone());
        }
        let objects = Rc::new(ctx.list(plural, namespace, &ListOptions::default())?);
        self.lists.insert(key, objects.clone());
        Ok(objects)
    }

    /// Drops a list, so the next use reads it again.
    pub fn forget(&mut self, plural: &'static str, namespace: Option<&str>) {
        self.lists.remove(&(plural, namespace.map(str::to_string)));
    }
}
