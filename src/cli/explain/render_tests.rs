use super::*;
use serde_json::json;

fn doc() -> Value {
    json!({
        "paths": {"/apis/x.io/v1/namespaces/{namespace}/things/{name}": {"patch": {
            "x-kubernetes-group-version-kind": {"group": "x.io", "kind": "Thing", "version": "v1"}}}},
        "components": {"schemas": {
            "io.x.v1.Thing": {
                "description": "A thing.",
                "type": "object",
                "required": ["spec"],
                "properties": {
                    "spec": {"allOf": [{"$ref": "#/components/schemas/io.x.v1.Spec"}], "description": "What it is."},
                    "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "x-kubernetes-group-version-kind": [{"group": "x.io", "kind": "Thing", "version": "v1"}]
            },
            "io.x.v1.Spec": {
                "description": "The spec.",
                "type": "object",
                "properties": {
                    "mode": {"type": "string", "enum": ["", "A", "B", "C", "D"], "description": "The mode."},
                    "parts": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/io.x.v1.Spec"}]}},
                    "size": {"type": "integer", "format": "int32"}
                }
            }
        }}
    })
}

fn gvr() -> Gvr<'static> {
    Gvr {
        group: "x.io",
        version: "v1",
        resource: "things",
    }
}

fn path(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_kind_lists_its_fields_with_descriptions() {
    let out = render(&doc(), &gvr(), &[], false).unwrap();
    assert_eq!(
        out,
        "GROUP:      x.io\nKIND:       Thing\nVERSION:    v1\n\nDESCRIPTION:\n    A thing.\n    \nFIELDS:\n  spec\t<Spec> -required-\n    What it is.\n\n  tags\t<map[string]string>\n    <no description>\n\n\n"
    );
}

#[test]
fn a_field_shows_its_type_enum_and_the_descriptions_it_is_made_of() {
    let out = render(&doc(), &gvr(), &path(&["spec", "mode"]), false).unwrap();
    assert_eq!(
        out,
        "GROUP:      x.io\nKIND:       Thing\nVERSION:    v1\n\nFIELD: mode <string>\nENUM:\n    \"\"\n    A\n    B\n    C\n    D\n\nDESCRIPTION:\n    The mode.\n    \n\n"
    );
    let spec = render(&doc(), &gvr(), &path(&["spec"]), false).unwrap();
    assert!(spec.contains("DESCRIPTION:\n    What it is.\n    The spec.\n    \nFIELDS:\n  mode\t<string>\n  enum: \"\", A, B, C, ....\n"), "{spec}");
}

#[test]
fn recursion_stops_at_a_type_that_contains_itself() {
    let out = render(&doc(), &gvr(), &[], true).unwrap();
    assert_eq!(
        out,
        "GROUP:      x.io\nKIND:       Thing\nVERSION:    v1\n\nDESCRIPTION:\n    A thing.\n    \nFIELDS:\n  spec\t<Spec> -required-\n    mode\t<string>\n    enum: \"\", A, B, C, ....\n    parts\t<[]Spec>\n    size\t<integer>\n  tags\t<map[string]string>\n\n"
    );
}

#[test]
fn unknown_fields_and_resources_are_kubectls_errors() {
    let e = render(&doc(), &gvr(), &path(&["spec", "nope", "deeper"]), false).unwrap_err();
    assert_eq!(
        e.printed,
        "GROUP:      x.io\nKIND:       Thing\nVERSION:    v1\n\n"
    );
    assert_eq!(e.message, "error: field \"deeper\" does not exist");
    let other = Gvr {
        group: "y.io",
        version: "v1",
        resource: "things",
    };
    let e = render(&doc(), &other, &[], false).unwrap_err();
    assert_eq!(
        e.message,
        "error: GVR (y.io/v1, Resource=things) not found in OpenAPI schema"
    );
    assert_eq!(e.printed, "");
}
