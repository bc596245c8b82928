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

#[test]
fn lexer_and_parser_corners() {
    let v = json!({"k": "v"});
    // Trim markers need a space; without one `-` starts a number.
    assert_eq!(run("a \n{{- .k -}}\t b", &v).unwrap(), "avb");
    assert!(
        run("{{-.k}}", &v)
            .unwrap_err()
            .ends_with("bad number syntax: \"-.k\"")
    );
    assert_eq!(
        run(
            "{{0x1F}} {{0o17}} {{017}} {{1_000}} {{'a'}} {{1e3}} {{-2}}",
            &v
        )
        .unwrap(),
        "31 15 15 1000 97 1000 -2"
    );
    assert!(
        run("{{08}}", &v)
            .unwrap_err()
            .ends_with("integer overflow: \"08\"")
    );
    assert!(
        run("{{99999999999999999999}}", &v)
            .unwrap_err()
            .ends_with("integer overflow: \"99999999999999999999\"")
    );
    assert_eq!(run("{{`a\\n`}}{{\"\\t\"}}", &v).unwrap(), "a\\n\t");
    assert!(
        run("{{if .k}}x", &v)
            .unwrap_err()
            .ends_with("unexpected EOF")
    );
    assert!(
        run("{{else}}", &v)
            .unwrap_err()
            .ends_with("unexpected {{else}}")
    );
    assert!(
        run("{{range .k}}{{break 1}}{{end}}", &v)
            .unwrap_err()
            .ends_with("unexpected \"1\" in {{break}}")
    );
    assert!(
        run("{{break}}", &v)
            .unwrap_err()
            .ends_with("{{break}} outside {{range}}")
    );
    assert!(
        run("{{$x}}", &v)
            .unwrap_err()
            .ends_with("undefined variable \"$x\"")
    );
    assert!(
        run("{{.k | 1}}", &v)
            .unwrap_err()
            .ends_with("non executable command in pipeline stage 2")
    );
    assert!(
        run("{{()}}", &v)
            .unwrap_err()
            .ends_with("missing value for parenthesized pipeline")
    );
}

#[test]
fn printf_verbs() {
    let v = json!({"l": [1, "x", null], "m": {"b": 2, "a": 1}, "f": 2.5});
    assert_eq!(
        run("{{printf \"%s|%d|%v\" .l .m .m}}", &v).unwrap(),
        "[%!s(int64=1) x <nil>]|map[%!d(string=a):1 %!d(string=b):2]|map[a:1 b:2]"
    );
    assert_eq!(
        run(
            "{{printf \"%6.2f|%-6v|%+d|%x|%U|%c|%T\" .f .f 3 \"hi\" 65 66 .l}}",
            &v
        )
        .unwrap(),
        "  2.50|2.5   |+3|6869|U+0041|B|[]interface {}"
    );
    assert_eq!(
        run("{{printf \"%d %d\" 1}}|{{printf \"%d\" 1 2}}", &v).unwrap(),
        "1 %!d(MISSING)|1%!(EXTRA int=2)"
    );
    assert_eq!(
        run("{{printf \"%#v\" .l}}", &v).unwrap(),
        "[]interface {}{1, \"x\", interface {}(nil)}"
    );
    assert_eq!(
        run("{{js \"<'\\\"=&>\"}}", &v).unwrap(),
        "\\u003C\\'\\\"\\u003D\\u0026\\u003E"
    );
    assert_eq!(
        run("{{html .nope}} {{urlquery \"a/b c\"}}", &v).unwrap(),
        "&lt;no value&gt; a%2Fb+c"
    );
}

#[test]
fn execution_errors_dump_the_object() {
    let v = json!({"n": 1.0, "l": []});
    let e = parse("a{{index .l 0}}").unwrap().render(&v).unwrap_err();
    assert_eq!(
        e.printed,
        "aError executing template: template: output:1:3: executing \"output\" at <index .l 0>: error calling index: index out of range: 0. Printing more information for debugging the template:\n\ttemplate was:\n\t\ta{{index .l 0}}\n\traw data was:\n\t\t{\"l\":[],\"n\":1}\n\tobject given to template engine was:\n\t\tmap[l:[] n:1]\n\n"
    );
    // Integral floats are int64s to templates, as kubectl decodes them.
    assert_eq!(run("{{printf \"%T\" .n}}", &v).unwrap(), "int64");
    let deep = "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" 1}}";
    assert!(
        run(deep, &v)
            .unwrap_err()
            .ends_with("exceeded maximum template depth (100000)")
    );
}
