//! The whole engine through its public interface.

use super::*;
use serde_json::json;

const P: &str = "spec.versions[0].schema.openAPIV3Schema";

fn strs(e: &[FieldError]) -> Vec<String> {
    e.iter().map(ToString::to_string).collect()
}

#[test]
fn schema_is_clone_send_sync() {
    fn assert_all<T: Clone + Send + Sync + 'static>() {}
    assert_all::<Schema>();
}

#[test]
fn non_structural_schemas_are_reported_apart() {
    let c = Schema::compile(
        &json!({"type":"object","properties":{"spec":{"properties":{}}}}),
        P,
    )
    .unwrap();
    assert_eq!(
        strs(&c.non_structural),
        [format!(
            "{P}.properties[spec].type: Required value: must not be empty for specified object fields"
        )]
    );
}

#[test]
fn bad_defaults_and_rules_refuse_the_crd() {
    let e = Schema::compile(
        &json!({"type":"object","properties":{"spec":{"type":"object","properties":{
            "replicas":{"type":"integer","default":"one"},
            "obj":{"type":"object","properties":{"a":{"type":"string"}},"default":{"a":"x","b":1}}}}}}),
        P,
    )
    .unwrap_err();
    assert_eq!(
        strs(&e),
        [
            format!(
                "{P}.properties[spec].properties[replicas].default: Invalid value: \"string\":  in body must be of type integer: \"string\""
            ),
            format!(
                "{P}.properties[spec].properties[obj].default: Invalid value: map[string]interface {{}}{{\"a\":\"x\", \"b\":1}}: must not have unknown fields"
            ),
        ]
    );
    let e = Schema::compile(
        &json!({"type":"object","x-kubernetes-validations":[{"rule":"self.spec.a =="}],
            "properties":{"spec":{"type":"object"}}}),
        P,
    )
    .unwrap_err();
    assert!(strs(&e)[0].starts_with(&format!(
        "{P}.x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{{"
    )));
    assert!(strs(&e)[0].contains("compilation failed: ERROR: <input>:1:"));
}

#[test]
fn a_custom_object_goes_through_prune_default_validate() {
    let c = Schema::compile(
        &json!({"type":"object","properties":{"spec":{"type":"object","required":["size"],
            "x-kubernetes-validations":[{"rule":"self.replicas <= 5","message":"too many"}],
            "properties":{
                "replicas":{"type":"integer","default":1},
                "size":{"type":"string","enum":["a","b"]},
                "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                    "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}},
                "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}}}),
        P,
    )
    .unwrap();
    assert!(c.non_structural.is_empty());
    let s = c.schema;
    let mut obj = json!({"apiVersion":"x/v1","kind":"K","metadata":{"name":"n"},
        "spec":{"size":"x","foo":1,"ports":[{"name":"a"},{"name":"a"}],"tags":["t","t"]}});
    assert_eq!(s.prune(&mut obj), ["spec.foo"]);
    s.default(&mut obj);
    assert_eq!(obj["spec"]["replicas"], json!(1));
    assert_eq!(
        strs(&s.validate(&obj, None)),
        [
            r#"spec.size: Unsupported value: "x": supported values: "a", "b""#,
            r#"spec.tags[1]: Duplicate value: "t""#,
            r#"spec.ports[1]: Duplicate value: map[string]interface {}{"name":"a"}"#,
            // An enum violation keeps the rules from running, as kube's hasBlockingErr.
            r#"<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"#,
        ]
    );
    let good = json!({"spec":{"size":"a","replicas":9}});
    assert_eq!(
        strs(&s.validate(&good, None)),
        [r#"spec: Invalid value: "object": too many"#]
    );
    let typed = json!({"spec":{"size":"a","replicas":"9"}});
    assert_eq!(
        strs(&s.validate(&typed, None)),
        [
            r#"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#.to_string(),
            format!("<nil>: Invalid value: \"null\": {RULES_NOT_CHECKED}"),
        ]
    );
    let mut empty = json!({"spec":{}});
    s.default(&mut empty);
    assert_eq!(
        strs(&s.validate(&empty, None)),
        [
            "spec.size: Required value",
            r#"<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"#,
        ]
    );
}

/// The shape controller-gen writes: descriptions, root metadata of type object, conditions
/// as a map list, quantities as int-or-string with a pattern, formats.
#[test]
fn a_kubebuilder_schema_compiles_and_validates() {
    let schema = json!({
        "description": "Widget is the Schema for the widgets API",
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string", "description": "APIVersion defines..."},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {"type": "object", "properties": {
                "replicas": {"type": "integer", "format": "int32", "minimum": 0},
                "resources": {"type": "object", "additionalProperties": {
                    "anyOf": [{"type": "integer"}, {"type": "string"}],
                    "pattern": "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
                    "x-kubernetes-int-or-string": true}}}},
            "status": {"type": "object", "properties": {
                "conditions": {"type": "array", "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["type"],
                    "items": {"type": "object", "required": ["lastTransitionTime", "status", "type"],
                        "properties": {
                            "lastTransitionTime": {"type": "string", "format": "date-time"},
                            "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
                            "type": {"type": "string", "maxLength": 316}}}}}}}
    });
    let c = Schema::compile(&schema, P).unwrap();
    assert!(c.non_structural.is_empty(), "{:?}", strs(&c.non_structural));
    let s = c.schema;
    let good = json!({"apiVersion":"x.io/v1","kind":"Widget","metadata":{"name":"w"},
        "spec":{"replicas":2,"resources":{"cpu":"500m","memory":1024}},
        "status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}]}});
    assert!(
        s.validate(&good, None).is_empty(),
        "{:?}",
        strs(&s.validate(&good, None))
    );
    let bad = json!({"spec":{"replicas":-1,"resources":{"cpu":"lots","gpu":true}},
        "status":{"conditions":[{"type":"Ready","status":"Maybe","lastTransitionTime":"today"}]}});
    let e = strs(&s.validate(&bad, None));
    assert!(e.contains(&"spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0".to_string()), "{e:?}");
    assert!(e.iter().any(|m| m.starts_with(r#"spec.resources.cpu: Invalid value: "lots": spec.resources.cpu in body should match '^(\+|-)?"#)), "{e:?}");
    assert!(e.contains(&r#"spec.resources.gpu: Invalid value: "boolean": spec.resources.gpu in body must be of type integer,string: "boolean""#.to_string()), "{e:?}");
    assert!(e.contains(&r#"status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown""#.to_string()), "{e:?}");
    assert!(e.contains(&r#"status.conditions[0].lastTransitionTime: Invalid value: "today": status.conditions[0].lastTransitionTime in body must be of type date-time: "today""#.to_string()), "{e:?}");
}
