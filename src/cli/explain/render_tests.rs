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

/// A document of `levels` schemas, each one's fields `a` and `b` both the next schema
/// (the last one's both itself): a walk that does not share work doubles at each level.
fn doubling(levels: usize) -> Value {
    let mut schemas = serde_json::Map::new();
    for i in 0..levels {
        let next = format!("#/components/schemas/s{}", (i + 1).min(levels - 1));
        let mut s = json!({"type": "object", "properties": {
            "a": {"$ref": next}, "b": {"$ref": next}}});
        if i == 0 {
            s["x-kubernetes-group-version-kind"] =
                json!([{"group": "x.io", "kind": "Thing", "version": "v1"}]);
        }
        schemas.insert(format!("s{i}"), s);
    }
    let mut d = doc();
    d["components"]["schemas"] = Value::Object(schemas);
    d
}

#[test]
fn a_document_too_large_to_walk_is_refused_not_walked() {
    // Refused by its size, not by a clock: a timed check fails on a busy machine.
    let e = render(&doubling(60), &gvr(), &[], true).unwrap_err();
    assert!(e.message.contains("too large"), "{}", e.message);
    assert!(e.printed.starts_with("GROUP:      x.io\n"), "{}", e.printed);
    // A path as deep as one likes through a schema that contains itself.
    let deep: Vec<String> = (0..5000).map(|_| "a".to_string()).collect();
    let e = render(&doubling(2), &gvr(), &deep, false).unwrap_err();
    assert!(e.message.contains("too large"), "{}", e.message);
    // A small one is still explained in full.
    let out = render(&doubling(3), &gvr(), &[], true).unwrap();
    assert!(out.contains("  a\t<s1>\n    a\t<s2>\n"), "{out}");
}
