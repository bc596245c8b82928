//! kube's versioned attributes: a request's objects at the version a webhook's or policy's
//! rule matched. The pipeline runs at the stored version; under `matchPolicy: Equivalent` a
//! rule may name another version of the resource (or the request came through another),
//! and then the objects are converted to it, and a mutating webhook's patched object back.

use super::super::ApiServer;
use super::Attributes;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use serde_json::Value;
use std::borrow::Cow;

pub struct Versioned<'b> {
    /// The resource matched, at the version the objects are shown at.
    pub resource: &'b Resource,
    pub object: Option<Cow<'b, Value>>,
    pub old: Option<Cow<'b, Value>>,
    /// Whether the objects were converted from the stored version.
    converted: bool,
}

fn same_version(a: &Resource, b: &Resource) -> bool {
    (a.group, a.version, a.plural) == (b.group, b.version, b.plural)
}

impl<'b> Versioned<'b> {
    /// The request's objects at `matched` (through a CRD's conversion webhook if it has one).
    pub fn new(
        server: &ApiServer,
        attrs: &Attributes<'b>,
        matched: &'b Resource,
        obj: Option<&'b Value>,
    ) -> Result<Self, ApiError> {
        let converted = !same_version(matched, attrs.resource);
        let at = |o: &'b Value| -> Result<Cow<'b, Value>, ApiError> {
            Ok(if converted && !o.is_null() {
                Cow::Owned(server.convert_from_stored(matched, o.clone())?)
            } else {
                Cow::Borrowed(o)
            })
        };
        Ok(Versioned {
            resource: matched,
            object: obj.map(at).transpose()?,
            old: attrs.old.map(at).transpose()?,
            converted,
        })
    }

    /// An object at the matched version (a mutating webhook's result) at the stored one.
    pub fn to_stored(&self, server: &ApiServer, obj: Value) -> Result<Value, ApiError> {
        if self.converted {
            server.convert_to_stored(self.resource, obj)
        } else {
            Ok(obj)
        }
    }
}
