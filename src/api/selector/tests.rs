use super::*;
use serde_json::{Map, Value, json};

fn labels(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn parse(s: &str) -> LabelSelector {
    LabelSelector::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn equality_terms() {
    let l = labels(json!({"app": "web", "tier": "front"}));
    assert!(parse("app=web").matches(Some(&l)));
    assert!(parse("app==web").matches(Some(&l)));
    assert!(!parse("app!=web").matches(Some(&l)));
    assert!(parse("app!=db").matches(Some(&l)));
    assert!(parse("missing!=x").matches(Some(&l)));
    assert!(parse("app=web,tier=front").matches(Some(&l)));
    assert!(!parse("app=web,tier=back").matches(Some(&l)));
}

#[test]
fn set_terms_and_existence() {
    let l = labels(json!({"env": "prod", "app": "api"}));
    assert!(parse("env in (prod,qa)").matches(Some(&l)));
    assert!(!parse("env in (qa)").matches(Some(&l)));
    assert!(parse("env notin (qa)").matches(Some(&l)));
    assert!(parse("other notin (qa)").matches(Some(&l)));
    assert!(parse("env").matches(Some(&l)));
    assert!(!parse("!env").matches(Some(&l)));
    assert!(parse("!canary").matches(Some(&l)));
    assert!(!parse("canary").matches(None));
}

#[test]
fn whitespace_is_allowed_between_tokens() {
    let l = labels(json!({"env": "prod", "app": "api"}));
    assert!(parse("  env in ( prod , qa ) ,  app = api ").matches(Some(&l)));
    assert!(parse("env in (prod, qa)").matches(Some(&l)));
}

#[test]
fn empty_selector_matches_everything() {
    let s = parse("");
    assert!(s.is_empty());
    assert!(s.matches(None));
    assert_eq!(s.to_string(), "");
}

#[test]
fn printing_sorts_keys_and_values() {
    assert_eq!(
        parse("tier=x,app in (b,a)").to_string(),
        "app in (a,b),tier=x"
    );
    assert_eq!(parse("!b,a").to_string(), "a,!b");
    assert_eq!(parse("a==b,c!=d").to_string(), "a==b,c!=d");
    assert_eq!(parse("x notin (z,y,z)").to_string(), "x notin (y,z)");
}

#[test]
fn keywords_are_values_inside_sets() {
    let l = labels(json!({"x": "in"}));
    assert!(parse("x in (in,notin)").matches(Some(&l)));
}

#[test]
fn parse_errors_are_worded_as_the_apiserver() {
    let err = |s: &str| LabelSelector::parse(s).expect_err(s);
    assert_eq!(
        err("a in b"),
        "unable to parse requirement: found 'b' expected: '('"
    );
    assert_eq!(err("a=b c"), "found 'c', expected: ',' or 'end of string'");
    assert_eq!(err("a,"), "found '', expected: identifier after ','");
    assert_eq!(
        err("=a"),
        "found '=', expected: !, identifier, or 'end of string'"
    );
    assert_eq!(
        err("a b"),
        "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
    );
    assert_eq!(
        err("a in (b c)"),
        "unable to parse requirement: found 'c', expected: ',' or ')'"
    );
    assert!(err("-ltier=x").starts_with(
        "unable to parse requirement: <nil>: Invalid value: \"-ltier\": name part must consist of alphanumeric characters"
    ));
    assert!(err("a=b@d").starts_with(
        "unable to parse requirement: values[0][a]: Invalid value: \"b@d\": a valid label must be an empty string"
    ));
    assert_eq!(err("!a=b"), "found '=', expected: ',' or 'end of string'");
}

#[test]
fn from_object_and_describe_format() {
    let sel = json!({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["b", "a"]},
        {"key": "canary", "operator": "DoesNotExist"}
    ]});
    let s = LabelSelector::from_object(&sel).expect("valid");
    assert_eq!(s.to_string(), "app=web,!canary,tier in (a,b)");
    let l = labels(json!({"app": "web", "tier": "a"}));
    assert!(s.matches(Some(&l)));
    assert_eq!(
        format_label_selector(&json!({"matchLabels": {"app": "web"}})),
        "app=web"
    );
    assert_eq!(format_label_selector(&json!({})), "<none>");
    assert_eq!(
        format_label_selector(&json!({"matchExpressions": [{"key": "a", "operator": "Bad"}]})),
        "<error>"
    );
    let nothing = LabelSelector::from_object(&Value::Null).expect("null selector");
    assert!(!nothing.matches(Some(&l)));
    assert!(!nothing.is_empty());
    let bad =
        LabelSelector::from_object(&json!({"matchExpressions": [{"key": "a", "operator": "Foo"}]}));
    assert_eq!(
        bad.expect_err("bad op"),
        "\"Foo\" is not a valid label selector operator"
    );
    let empty_in =
        LabelSelector::from_object(&json!({"matchExpressions": [{"key": "a", "operator": "In"}]}));
    assert_eq!(
        empty_in.expect_err("empty in"),
        "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"
    );
}

#[test]
fn field_selector_parse_match_and_print() {
    let pod = json!({"metadata": {"name": "p", "namespace": "default"},
        "spec": {"nodeName": "node01"}, "status": {"phase": "Running"}});
    let s = FieldSelector::parse("status.phase!=Failed,spec.nodeName=node01").expect("valid");
    assert!(s.matches(&pod));
    assert_eq!(s.to_string(), "spec.nodeName=node01,status.phase!=Failed");
    assert!(
        FieldSelector::parse("spec.nodeName==node01")
            .expect("valid")
            .matches(&pod)
    );
    assert!(
        !FieldSelector::parse("spec.nodeName=node02")
            .expect("valid")
            .matches(&pod)
    );
    // A missing field reads as "".
    assert!(
        FieldSelector::parse("spec.schedulerName=")
            .expect("valid")
            .matches(&pod)
    );
    assert!(FieldSelector::parse("").expect("valid").is_empty());
}

#[test]
fn field_selector_escapes_and_errors() {
    let s = FieldSelector::parse(r"metadata.name=a\,b").expect("escaped comma");
    assert_eq!(s.terms[0].value, "a,b");
    assert_eq!(s.to_string(), r"metadata.name=a\,b");
    assert_eq!(
        FieldSelector::parse("foo").expect_err("no operator"),
        "invalid selector: 'foo'; can't understand 'foo'"
    );
    assert_eq!(
        FieldSelector::parse(r"a=b\x").expect_err("bad escape"),
        r"invalid field selector: invalid escape sequence: \x"
    );
    assert_eq!(
        FieldSelector::parse("a=b=c").expect_err("unescaped ="),
        "invalid field selector: unescaped character in value: 61"
    );
}

#[test]
fn supported_field_labels_per_resource() {
    let s = FieldSelector::parse("spec.unschedulable=true").expect("valid");
    assert!(s.validate_for("nodes").is_ok());
    assert_eq!(
        s.validate_for("pods").expect_err("pods"),
        "field label not supported: spec.unschedulable"
    );
    let host = FieldSelector::parse("spec.host=n1").expect("valid");
    assert_eq!(
        host.normalized_for("Pod").expect("legacy").to_string(),
        "spec.nodeName=n1"
    );
    assert!(
        FieldSelector::parse("metadata.name=x")
            .expect("valid")
            .validate_for("configmaps")
            .is_ok()
    );
    assert!(
        FieldSelector::parse("type=Opaque")
            .expect("valid")
            .validate_for("secrets")
            .is_ok()
    );
    assert!(supported_field_labels("events").contains(&"involvedObject.uid"));
    let replicas = FieldSelector::parse("status.replicas=0").expect("valid");
    assert_eq!(
        replicas
            .validate_for("replicasets")
            .expect_err("generic conversion"),
        "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
    );
    let svc = FieldSelector::parse("spec.type=NodePort,spec.foo=x").expect("valid");
    assert_eq!(
        svc.validate_for("services").expect_err("sorted first"),
        "field label not supported: spec.foo"
    );
}

#[test]
fn field_values() {
    let node = json!({"metadata": {"name": "n"}, "spec": {}});
    assert_eq!(field_value(&node, "spec.unschedulable"), "false");
    let ev = json!({"involvedObject": {"kind": "Pod"}, "source": {}, "reportingComponent": "default-scheduler"});
    assert_eq!(field_value(&ev, "source"), "default-scheduler");
    assert_eq!(field_value(&ev, "involvedObject.kind"), "Pod");
    assert_eq!(field_value(&ev, "involvedObject.namespace"), "");
    let rs = json!({"status": {"replicas": 3}});
    assert_eq!(field_value(&rs, "status.replicas"), "3");
}
