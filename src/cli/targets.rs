//! What a verb's arguments name: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME ...`, with
//! categories such as `all`.

use super::errors::CliError;
use crate::api::registry::{self, Resource};

/// One resource type and the names asked for (none: the whole collection).
#[derive(Debug, PartialEq)]
pub struct Target {
    pub resource: &'static Resource,
    pub names: Vec<String>,
}

/// Resolves the positional arguments of get, describe and delete.
pub fn resolve(args: &[String]) -> Result<Vec<Target>, CliError> {
    let Some(first) = args.first() else {
        return Ok(Vec::new());
    };
    if first.contains('/') {
        return resolve_slash_form(args);
    }
    let mut targets: Vec<Target> = Vec::new();
    for type_name in first.split(',').filter(|t| !t.is_empty()) {
        for resource in resources_named(type_name)? {
            if !targets.iter().any(|t| t.resource == resource) {
                targets.push(Target {
                    resource,
                    names: args[1..].to_vec(),
                });
            }
        }
    }
    Ok(targets)
}

fn resolve_slash_form(args: &[String]) -> Result<Vec<Target>, CliError> {
    let mut targets: Vec<Target> = Vec::new();
    for arg in args {
        let Some((type_name, name)) = arg.split_once('/') else {
            return Err(CliError::message(
                "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
            ));
        };
        if name.is_empty() {
            return Err(CliError::message(
                "arguments in resource/name form must have a single resource and name",
            ));
        }
        let resource = single_resource(type_name)?;
        match targets.iter_mut().find(|t| t.resource == resource) {
            Some(t) => t.names.push(name.to_string()),
            None => targets.push(Target {
                resource,
                names: vec![name.to_string()],
            }),
        }
    }
    Ok(targets)
}

/// The resources a type argument names: one resource, or a category's.
fn resources_named(type_name: &str) -> Result<Vec<&'static Resource>, CliError> {
    let category = registry::category(type_name);
    if !category.is_empty() {
        return Ok(category);
    }
    single_resource(type_name).map(|r| vec![r])
}

fn single_resource(type_name: &str) -> Result<&'static Resource, CliError> {
    registry::find(type_name).ok_or_else(|| {
        CliError::message(format!(
            "the server doesn't have a resource type \"{type_name}\""
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn type_and_names() {
        let t = resolve(&args(&["po", "a", "b"])).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].resource.kind, "Pod");
        assert_eq!(t[0].names, ["a", "b"]);
    }

    #[test]
    fn several_types_and_categories() {
        let t = resolve(&args(&["deploy,svc"])).unwrap();
        assert_eq!(
            t.iter().map(|t| t.resource.kind).collect::<Vec<_>>(),
            ["Deployment", "Service"]
        );
        let all = resolve(&args(&["all"])).unwrap();
        assert_eq!(all[0].resource.kind, "Pod");
    }

    #[test]
    fn slash_form_groups_by_type() {
        let t = resolve(&args(&["pod/a", "svc/b", "pods/c"])).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].names, ["a", "c"]);
    }

    #[test]
    fn unknown_type_is_kubectls_error() {
        let e = resolve(&args(&["nope"])).unwrap_err();
        assert!(
            matches!(e, CliError::Message(m) if m == "the server doesn't have a resource type \"nope\"")
        );
    }
}
