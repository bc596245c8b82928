//! Structural schemas of CustomResourceDefinitions (`spec.versions[].schema.openAPIV3Schema`):
//! the structural check kube-apiserver makes when a CRD is written, and, for custom objects,
//! defaulting, pruning of unknown fields and validation (types, formats, enums, bounds,
//! `x-kubernetes-*` extensions and CEL `x-kubernetes-validations`) with its messages.
//!
//! The API server calls this module for every custom object it writes, in this order:
//! `prune` (unknown fields dropped, reported for strict field validation), `default`, then
//! `validate` (with the stored object as `old` on update, for transition rules). kube also
//! defaults objects read from storage, so `default` belongs on reads too.

mod cel;
pub mod cel_authz;
mod cel_format;
mod cel_library;
mod cel_lists;
mod cel_net;
mod cel_quantity;
mod cel_sets;
mod cel_urls;
mod crd_checks;
mod default_checks;
mod defaulting;
mod expression;
mod formats;
mod node;
mod object_checks;
mod prune;
mod rule;
mod rule_types;
mod structural;
mod undeclared;
mod validate;

use crate::api::validation::ErrorType;
use crate::api::validation::FieldError;
use serde_json::Value;
use std::sync::Arc;

pub use cel::RUNTIME_BUDGET as CEL_RUNTIME_BUDGET;
pub use expression::{
    Outcome as CelOutcome, PolicyInput, compile_condition, evaluate as evaluate_expression,
    evaluate_policy,
};
pub use rule::{MAX_NESTING as CEL_MAX_NESTING, MAX_RULE_LEN as CEL_MAX_RULE_LEN};
pub use undeclared::undeclared_references;

/// One version's compiled schema.
#[derive(Debug, Clone)]
pub struct Schema {
    root: Arc<node::Node>,
}

/// kube's error when type, required, enum or size errors keep CEL rules from running.
const RULES_NOT_CHECKED: &str = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

impl Schema {
    /// Checks an `openAPIV3Schema` as kube-apiserver does when a CRD is created or updated.
    /// `field` is the schema's path in the CRD (`spec.versions[0].schema.openAPIV3Schema`),
    /// the prefix of every error's field. Errors are the CRD's own validation errors
    /// (invalid CEL rules included), with the structural violations first when there are
    /// any. When the structural violations are all that is wrong they are returned apart in
    /// `non_structural`: kube 1.32 refuses such a v1 CRD with exactly these errors (and
    /// reports them in the `NonStructuralSchema` condition of CRDs stored before).
    pub fn compile(schema: &Value, field: &str) -> Result<Compiled, Vec<FieldError>> {
        let root = Arc::new(node::Node::parse(schema));
        let non_structural = structural::check(schema, field);
        let mut errors = Vec::new();
        if non_structural.is_empty() {
            errors.extend(default_checks::check(schema, &root, field));
        }
        let found = crd_checks::check(schema, field);
        let schema_clean = found.schema_errors.is_empty();
        errors.extend(found.schema_errors);
        if schema_clean && non_structural.is_empty() {
            for site in &found.rules {
                errors.extend(crd_checks::compile_errors(site));
            }
        }
        if !errors.is_empty() {
            let mut all = non_structural;
            all.extend(errors);
            return Err(all);
        }
        Ok(Compiled {
            schema: Schema { root },
            non_structural,
        })
    }

    /// The extra rule for CRDs whose version enables the status subresource: the root of the
    /// schema may only use the fields kube lists, and its type must be `object`. The bad
    /// value of the second error is abbreviated (kube prints the whole Go struct).
    pub fn check_status_root(schema: &Value, field: &str) -> Vec<FieldError> {
        crd_checks::status_root(schema, field)
    }

    /// Fills in `default`s (and the defaults of what they create) where fields are absent,
    /// or null where the field is not nullable.
    pub fn default(&self, obj: &mut Value) {
        defaulting::default(&self.root, obj, 0);
    }

    /// Removes fields the schema does not know (below `x-kubernetes-preserve-unknown-fields`
    /// nothing is removed; `apiVersion`, `kind` and `metadata` at the top and in embedded
    /// resources are kept, the top `metadata` reduced to ObjectMeta's fields). Returns the
    /// paths removed, sorted, as kube's strict field validation names them (`spec.foo`,
    /// `spec.list[0].bar`).
    pub fn prune(&self, obj: &mut Value) -> Vec<String> {
        prune::prune_object(&self.root, obj)
    }

    /// Validates an object (after pruning and defaulting). `old` is the stored object on an
    /// update (CEL transition rules see it as `oldSelf`), `None` on create.
    pub fn validate(&self, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
        let mut out = Vec::new();
        validate::validate(&self.root, obj, "", &mut out);
        object_checks::check(&self.root, obj, "", &mut out, 0);
        // kube's hasBlockingErr: the object is not of the shape the rules were written for.
        let blocking = |t: ErrorType| {
            matches!(
                t,
                ErrorType::NotSupported
                    | ErrorType::Required
                    | ErrorType::TooLong
                    | ErrorType::TooMany
                    | ErrorType::TypeInvalid
            )
        };
        if self.root.has_rules() && out.iter().any(|e| blocking(e.error_type)) {
            out.push(FieldError::invalid(
                "<nil>",
                Value::from("null"),
                RULES_NOT_CHECKED,
            ));
            return out;
        }
        if self.root.has_rules() {
            let root = self.root.clone();
            let (obj, old) = (obj.clone(), old.cloned());
            let ran = rule::on_cel_thread(move || {
                let mut runner = cel::Runner::new();
                runner.run(&root, &obj, old.as_ref(), "", 0);
                runner.out
            });
            match ran {
                Some(errs) => out.extend(errs),
                None => {
                    let mut e = FieldError::forbidden("<nil>", "could not run validation rules");
                    e.error_type = ErrorType::Internal;
                    out.push(e);
                }
            }
        }
        out
    }
}

/// A schema that passed `compile`, with what made it non-structural, if anything (messages
/// as kube lists them, sorted).
#[derive(Debug, Clone)]
pub struct Compiled {
    pub schema: Schema,
    pub non_structural: Vec<FieldError>,
}

#[cfg(test)]
mod tests;
