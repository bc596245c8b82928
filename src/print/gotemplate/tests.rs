use super::*;
use serde_json::json;

fn run(t: &str, v: &Value) -> Result<String, String> {
    parse(t)?.render(v).map_err(|e| e.message)
}

#[test]
fn fields_variables_and_control() {
    let v = json!({"a": {"b": [1, 2.5, "x"]}, "m": {"z": 1, "y": 2}, "n": null, "t": true, "l": ["p", "q", "r"]});
    assert_eq!(
        run("{{.a.b}} {{$.a.b}}", &v).unwrap(),
        "[1 2.5 x] [1 2.5 x]"
    );
    assert_eq!(
        run("{{range $i, $e := .a.b}}{{$i}}={{$e}};{{end}}", &v).unwrap(),
        "0=1;1=2.5;2=x;"
    );
    assert_eq!(
        run("{{range $k, $v := .m}}{{$k}}{{$v}}{{end}}", &v).unwrap(),
        "y2z1"
    );
    assert_eq!(
        run("{{range .nope}}x{{else}}empty{{end}}", &v).unwrap(),
        "empty"
    );
    assert_eq!(
        run("{{if .n}}a{{else if .t}}b{{else}}c{{end}}", &v).unwrap(),
        "b"
    );
    assert_eq!(run("{{with .a}}{{.b | len}}{{end}}", &v).unwrap(), "3");
    assert_eq!(run("{{$x := 1}}{{$x = 2}}{{$x}}", &v).unwrap(), "2");
    assert_eq!(run("a  {{- /* c */ -}}  b", &v).unwrap(), "ab");
    assert_eq!(
        run("{{.n}} {{.nope}}", &v).unwrap(),
        "<no value> <no value>"
    );
    assert_eq!(
        run("{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .t}}", &v).unwrap(),
        "[true]"
    );
    assert_eq!(
        run(
            "{{range .l}}{{if eq . \"p\"}}{{continue}}{{end}}{{.}}{{break}}{{end}}",
            &v
        )
        .unwrap(),
        "q"
    );
}

#[test]
fn functions_and_printing() {
    let v = json!({"s": "aGk=", "l": ["a", "b"], "i": 3, "f": 1e21});
    assert_eq!(run("{{base64decode .s}}", &v).unwrap(), "hi");
    assert_eq!(
        run("{{printf \"%05d|%-3s|%q|%.1f\" .i \"a\" \"b\" 2.25}}", &v).unwrap(),
        "00003|a  |\"b\"|2.2"
    );
    assert_eq!(
        run("{{.f}} {{index .l 1}} {{slice .l 1}}", &v).unwrap(),
        "1e+21 b [b]"
    );
    assert_eq!(
        run(
            "{{print 1 2 \"a\"}} {{html \"<&>\"}} {{urlquery \"a b\"}}",
            &v
        )
        .unwrap(),
        "1 2a &lt;&amp;&gt; a+b"
    );
    assert_eq!(
        run("{{and 1 0}} {{or 0 \"\" \"x\"}} {{not .l}}", &v).unwrap(),
        "0 x false"
    );
}

#[test]
fn errors_name_the_place() {
    let v = json!({"l": ["a"], "n": null});
    assert_eq!(
        run("{{index .l 5}}", &v).unwrap_err(),
        "error executing template \"{{index .l 5}}\": template: output:1:2: executing \"output\" at <index .l 5>: error calling index: index out of range: 5"
    );
    assert_eq!(
        run("x\n {{.n.a}}", &v).unwrap_err(),
        "error executing template \"x\\n {{.n.a}}\": template: output:2:5: executing \"output\" at <.n.a>: nil pointer evaluating interface {}.a"
    );
    assert_eq!(
        run("{{.a", &v).unwrap_err(),
        "error parsing template {{.a, template: output:1: unclosed action"
    );
    assert_eq!(
        run("{{foo}}", &v).unwrap_err(),
        "error parsing template {{foo}}, template: output:1: function \"foo\" not defined"
    );
    let strict = parse("{{.x}}").unwrap().allow_missing_keys(false);
    assert!(
        strict
            .render(&v)
            .unwrap_err()
            .message
            .ends_with("map has no entry for key \"x\"")
    );
}
