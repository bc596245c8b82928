//! The compile checks of a ValidatingAdmissionPolicy's expressions when it is written (the
//! rest of its validation is `api::validation`, which has no CEL engine), with kube's
//! `compilation failed: ...` details. The `cel` crate parses without declarations, so the
//! references to variables are checked here against what kube declares for each kind of
//! expression (`params` only with a paramKind, `variables` only when there are any, no
//! `authorizer` in messageExpressions). Type checking (`must evaluate to bool`) is not
//! done.

use crate::api::crd_schema::{compile_condition, undeclared_references};
use crate::api::validation::FieldError;
use serde_json::{Value, json};

#[derive(Clone, Copy, PartialEq)]
enum Site {
    Condition,
    Validation,
    Message,
}

pub fn compile_errors(kind: &str, obj: &Value) -> Vec<FieldError> {
    if kind != "ValidatingAdmissionPolicy" {
        return Vec::new();
    }
    let Some(spec) = obj.get("spec") else {
        return Vec::new();
    };
    let has_params = spec.get("paramKind").is_some_and(Value::is_object);
    let has_variables = spec
        .get("variables")
        .and_then(Value::as_array)
        .is_some_and(|v| !v.is_empty());
    let mut errs = Vec::new();
    let mut check = |path: String, expr: &str, site: Site| {
        if expr.trim().is_empty() {
            return;
        }
        let problem = match compile_condition(expr) {
            Err(e) => Some(format!("compilation failed: {e}")),
            Ok(_) => undeclared(expr, site, has_params, has_variables),
        };
        if let Some(detail) = problem {
            errs.push(FieldError::invalid(&path, json!(expr), &detail));
        }
    };
    let list = |k: &str| -> Vec<Value> {
        spec.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    for (i, c) in list("matchConditions").iter().enumerate() {
        check(
            format!("spec.matchConditions[{i}].expression"),
            &text(c, "expression"),
            Site::Condition,
        );
    }
    for (i, v) in list("variables").iter().enumerate() {
        check(
            format!("spec.variables[{i}].expression"),
            &text(v, "expression"),
            Site::Validation,
        );
    }
    for (i, v) in list("validations").iter().enumerate() {
        check(
            format!("spec.validations[{i}].expression"),
            &text(v, "expression"),
            Site::Validation,
        );
        check(
            format!("spec.validations[{i}].messageExpression"),
            &text(v, "messageExpression"),
            Site::Message,
        );
    }
    for (i, a) in list("auditAnnotations").iter().enumerate() {
        check(
            format!("spec.auditAnnotations[{i}].valueExpression"),
            text(&a.clone(), "valueExpression").trim(),
            Site::Validation,
        );
    }
    errs
}

/// Puts the compile errors among the field errors where kube finds them: its validation
/// walks the spec in this order, compiling each expression as it meets it.
pub fn order_as_kube(errors: &mut [FieldError]) {
    const SECTIONS: &[&str] = &[
        "metadata",
        "spec.failurePolicy",
        "spec.paramKind",
        "spec.matchConstraints",
        "spec.matchConditions",
        "spec.variables",
        "spec.validations",
        "spec.auditAnnotations",
    ];
    const FIELDS: &[&str] = &[
        "expression",
        "messageExpression",
        "message",
        "reason",
        "key",
        "valueExpression",
    ];
    let rank = |field: &str| {
        let section = SECTIONS
            .iter()
            .position(|s| {
                field == *s
                    || field.starts_with(&format!("{s}."))
                    || field.starts_with(&format!("{s}["))
            })
            .unwrap_or(SECTIONS.len());
        let rest = field
            .get(SECTIONS.get(section).map_or(0, |s| s.len())..)
            .unwrap_or("");
        let item = rest
            .strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .unwrap_or(0);
        // matchConditions check the expression before the name, variables the name first.
        let leaf = rest.rsplit('.').next().unwrap_or("");
        let within = match (section, leaf) {
            (5, "name") => 0,
            (5, _) => 1,
            _ => FIELDS
                .iter()
                .position(|f| *f == leaf)
                .unwrap_or(FIELDS.len()),
        };
        (section, item, within)
    };
    errors.sort_by_key(|e| rank(&e.field));
}

fn declared(name: &str, site: Site, has_params: bool, has_variables: bool) -> bool {
    match name {
        "object" | "oldObject" | "request" | "namespaceObject" => true,
        "authorizer" => site != Site::Message,
        "params" => has_params,
        "variables" => has_variables && site != Site::Condition,
        _ => false,
    }
}

/// kube's compile error for the undeclared variables.
fn undeclared(src: &str, site: Site, has_params: bool, has_variables: bool) -> Option<String> {
    let program = compile_condition(src).ok()?;
    undeclared_references(src, &program, |n| {
        declared(n, site, has_params, has_variables)
    })
    .map(|e| format!("compilation failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(spec: Value) -> Vec<String> {
        compile_errors("ValidatingAdmissionPolicy", &json!({ "spec": spec }))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn syntax_and_undeclared_references() {
        let got = errors(json!({"validations": [
            {"expression": "object.spec.replicas <="},
            {"expression": "params.max > 1 && object.items.all(x, x > 0)"},
            {"expression": "object.spec.replicas < 5", "messageExpression": "'x' + string(foo)"}]}));
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("spec.validations[0].expression: Invalid value: \"object.spec.replicas <=\": compilation failed: ERROR: <input>:1:"), "{}", got[0]);
        assert_eq!(
            got[1],
            "spec.validations[1].expression: Invalid value: \"params.max > 1 && object.items.all(x, x > 0)\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.max > 1 && object.items.all(x, x > 0)\n | ^"
        );
        assert!(
            got[2].contains("undeclared reference to 'foo'")
                && got[2].contains("\n | .............^"),
            "{}",
            got[2]
        );
    }

    #[test]
    fn declared_names_pass() {
        assert!(errors(json!({"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
            "variables": [{"name": "n", "expression": "object.metadata.name"}],
            "matchConditions": [{"name": "c", "expression": "request.operation == 'CREATE'"}],
            "validations": [{"expression":
                "variables.n.startsWith(params.data.prefix) && namespaceObject.metadata.name != '' && oldObject == null && object.m.all(k, v, v != '') && type(1) == int"}]}))
            .is_empty());
        // `authorizer` everywhere but in messageExpressions.
        let authz = errors(json!({"validations": [{
            "expression": "authorizer.group('').resource('pods').check('get').allowed()",
            "messageExpression": "authorizer.path('/x').check('get').reason()"}]}));
        assert_eq!(authz.len(), 1, "{authz:?}");
        assert!(
            authz[0].starts_with("spec.validations[0].messageExpression")
                && authz[0].contains("undeclared reference to 'authorizer'"),
            "{authz:?}"
        );
    }
}
