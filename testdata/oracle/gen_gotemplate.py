#!/usr/bin/env python3
"""Regenerate the go-template oracle corpus: templates run by the real kubectl 1.32 over one
object (`annotate --local` prints through kubectl's printers without a server). Writes
gotemplate-object.json (input) and gotemplate-cases.json (template, flags, stdout, stderr, rc)."""
import json, subprocess, os
K = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
here = os.path.dirname(os.path.abspath(__file__))

OBJ = {"apiVersion": "v1", "kind": "ConfigMap",
       "metadata": {"name": "tmpl", "namespace": "ns1", "labels": {"b": "2", "a": "1", "app.kubernetes.io/name": "web"}},
       "data": {"k1": "v1", "k2": "a: b", "enc": "aGVsbG8gd29ybGQ=", "html": "<a href='x'>&</a>", "empty": ""},
       "spec": {"replicas": 3, "ratio": 1.5, "big": 1e21, "small": 1e-7, "mid": 1e6, "neg": -2, "zero": 0, "whole": 3.0,
                "huge": 9223372036854775808, "null": None, "t": True, "f": False,
                "list": ["a", "b", "c"], "nums": [3, 1, 2], "mixed": [1, "x", None, {"k": "v"}, [1, 2]], "emptyl": [], "emptym": {},
                "containers": [{"name": "app", "image": "nginx:1.27", "ports": [{"containerPort": 80}, {"containerPort": 443}]},
                               {"name": "side", "image": "busybox", "ports": []}],
                "nested": {"m": {"z": 1, "y": {"x": "deep"}}}, "unicode": "héllo 😀", "quote": "say \"hi\"\n"}}

T = [
    "{{.kind}}", "{{.metadata.name}}/{{.metadata.namespace}}", "{{.metadata.labels}}", "{{.spec.list}}", "{{.spec.mixed}}",
    "{{.spec.replicas}} {{.spec.ratio}} {{.spec.big}} {{.spec.small}} {{.spec.mid}} {{.spec.neg}} {{.spec.whole}} {{.spec.huge}}",
    "{{.spec.null}}|{{.nope}}|{{.nope.deeper}}|{{.spec.t}}|{{.spec.f}}", "{{.spec.null.x}}", "{{.spec.replicas.x}}", "{{.}}",
    "{{.spec.emptyl}} {{.spec.emptym}}", "{{range .spec.list}}[{{.}}]{{end}}", "{{range $i, $e := .spec.list}}{{$i}}:{{$e}} {{end}}",
    "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}", "{{range .spec.emptyl}}x{{else}}none{{end}}", "{{range .nope}}x{{else}}missing{{end}}",
    "{{range .spec.containers}}{{.name}}:{{range .ports}}{{.containerPort}},{{end}}\n{{end}}", "{{range $c := .spec.containers}}{{$c.image}} {{end}}",
    "{{range .spec.list}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", "{{range .spec.list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}",
    "{{range 3}}x{{end}}", "{{range .kind}}x{{end}}",
    "{{if .spec.t}}yes{{end}}", "{{if .spec.f}}yes{{else}}no{{end}}", "{{if .nope}}a{{else if .spec.zero}}b{{else if .spec.list}}c{{else}}d{{end}}",
    "{{if and .spec.t .spec.list}}both{{end}} {{or .spec.zero .data.empty \"fallback\"}} {{and 1 0 2}} {{not .spec.emptyl}}",
    "{{with .spec.nested.m}}{{.z}} {{.y.x}}{{end}}", "{{with .nope}}x{{else}}none{{end}}", "{{with $x := .spec.list}}{{$x}} {{len $x}}{{end}}",
    "{{$n := .metadata.name}}{{$n}}{{$n = \"changed\"}} {{$n}}", "{{$.kind}} {{with .spec}}{{$.metadata.name}}{{end}}",
    "a  {{- .kind -}}  b", "a {{- /* comment */ -}} b", "{{/* just a comment */}}", "x\n  {{- .kind}}\n  {{- .apiVersion -}}\n  y",
    "{{len .spec.list}} {{len .metadata.labels}} {{len .spec.unicode}}", "{{len .nope}}", "{{len .spec.null}}", "{{len 3}}",
    "{{index .spec.list 1}} {{index .metadata.labels \"a\"}} {{index .spec.mixed 3 \"k\"}} {{index .data \"zz\"}}", "{{index .spec.list 9}}",
    "{{index .spec.unicode 1}}", "{{index .nope 1}}", "{{slice .spec.list 1}} {{slice .spec.list 1 2}} {{slice .spec.unicode 0 3}}", "{{slice .spec.list 2 1}}",
    "{{eq .spec.replicas 3}} {{eq .kind \"ConfigMap\" \"Pod\"}} {{ne .kind \"x\"}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge .spec.ratio 1.5}}",
    "{{eq .spec.ratio 1}}", "{{lt .spec.list 1}}", "{{eq .nope \"x\"}}", "{{eq .spec.list .spec.list}}", "{{lt .spec.t .spec.f}}",
    "{{print 1 2 \"a\" \"b\" 3 .spec.t}}", "{{println .kind 1}}", "{{printf \"%s-%d-%v-%q-%5.2f|%-6s|%06d|%x|%X|%t|%c\" .kind .spec.replicas .spec.list .kind .spec.ratio \"ab\" 42 255 \"hi\" true 65}}",
    "{{printf \"%d\"}}", "{{printf \"%d\" .kind}}", "{{printf \"%s\" 1 2}}", "{{printf \"%T %T %T %T %T %T\" .spec.replicas .spec.ratio .kind .spec.list .metadata 1}}",
    "{{printf \"%v %v\" .nope .spec.null}}", "{{printf \"%e %g %.3e\" .spec.ratio .spec.big 1234.5678}}", "{{printf \"%+d % d %3d|%-3d|\" 5 5 5 5}}",
    "{{printf \"%s\" .data.k2 | printf \"<%s>\"}}", "{{.kind | printf \"%s-%s\" \"x\"}}", "{{.spec.list | len | printf \"%03d\"}}",
    "{{html .data.html}} {{js .spec.quote}} {{urlquery \"a b&c=d/é\"}}", "{{html 1 \"<\"}}",
    "{{base64decode .data.enc}}", "{{base64decode \"!!\"}}", "{{base64decode .spec.replicas}}",
    "{{exists . \"spec\" \"list\"}} {{exists . \"spec\" \"nope\"}} {{exists .spec.list 1}} {{exists .spec.list 5}} {{exists . \"spec\" \"null\"}}",
    "{{(index .spec.containers 0).name}} {{(len .spec.list)}}", "{{\"str\"}} {{`raw\\n`}} {{1}} {{1.5}} {{1e3}} {{0x1F}} {{'a'}} {{true}} {{-3}}",
    "{{define \"row\"}}<{{.name}}>{{end}}{{range .spec.containers}}{{template \"row\" .}}{{end}}", "{{template \"missing\"}}",
    "{{block \"b\" .kind}}[{{.}}]{{end}}", "{{.kind}} {{index .spec.list 9}}",
    "{{.kind", "{{.kind}", "{{end}}", "{{if .kind}}x", "{{range}}{{end}}", "{{else}}", "{{foo 1}}", "{{$x}}", "{{.kind | 1}}",
    "{{index}}", "{{not 1 2}}", "{{eq 1}}", "{{nil}}", "{{.kind 1}}", "{{\"unterminated}}", "{{.kind}}{{.spec.list.x}}", "{{.metadata.labels.app.kubernetes.io/name}}",
    "{{index .metadata.labels \"app.kubernetes.io/name\"}}", "{{ .kind }}\n{{ .apiVersion }}\n", "{{with .spec}}{{with .nested}}{{.m.y.x}}{{end}}{{end}}",
    "{{range $i, $c := .spec.containers}}{{if $i}},{{end}}{{$c.name}}{{end}}", "{{len .spec.emptym}}{{if .spec.emptym}}x{{end}}",
    "{{.spec.unicode}} {{printf \"%q\" .spec.unicode}} {{printf \"%.3s\" .spec.unicode}}",
]

# Parse errors and the corners of the lexer and parser.
T += [
    "{{", "}}", "{{}}", "{{ }}", "{{-.kind-}}", "{{- .kind}}", "{{.kind -}}", "a\n\n{{- .kind -}}\n\nb", "{{/* unclosed", "{{/* x */ .kind}}",
    "{{.kind | }}", "{{| .kind}}", "{{(.kind}}", "{{.kind)}}", "{{()}}", "{{if}}{{end}}", "{{if .kind}}{{else}}{{else}}{{end}}", "{{end}}{{if 1}}",
    "{{with .kind}}{{else with .nope}}b{{else}}c{{end}}", "{{range $i, $v, $w := .spec.list}}{{end}}", "{{$x := 1}}{{$x.y}}", "{{$x = 1}}",
    "{{\"a\" | printf}}", "{{1 | printf \"%d-%d\" 2}}", "{{.kind | .apiVersion}}", "{{true | not}}", "{{3 .kind}}", "{{\"x\" 1}}",
    "{{'ab'}}", "{{0x}}", "{{1e}}", "{{08}}", "{{1_000}} {{0b101}} {{0o17}} {{017}} {{-0x10}} {{+5}}", "{{.0}}", "{{\"\\z\"}}",
    "{{break}}", "{{continue}}", "{{range .spec.list}}{{break 1}}{{end}}", "{{define \"a\"}}x{{end}}", "{{define \"a\"}}x{{end}}{{template \"a\"}}{{template \"a\" .kind}}",
    "{{define \"a\"}}{{.}}{{end}}{{define \"a\"}}y{{end}}{{template \"a\" 1}}", "{{template .kind}}", "{{block \"b\"}}x{{end}}",
    "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .kind}}", "{{.spec.list | index 1}}", "{{index .spec.list 1 | len}}",
    "{{printf \"%v|%s|%d\" .spec.mixed .spec.mixed .spec.nums}}", "{{printf \"%5.1f|%-8.3f|%08.2f|%x|%X|%o|%b|%U\" 3.14159 2.5 -1.5 \"hi\" 3054 8 5 65}}",
    "{{printf \"%#v %#v %#v\" .spec.list .kind .spec.replicas}}", "{{printf \"%6.2v|%-5t|%5q\" .spec.ratio true \"a\"}}", "{{printf \"%!\" 1}}", "{{printf \"%z\" 1}}",
    "{{printf \"%s %s\" .nope .spec.null}}", "{{printf \"%d %v\" .spec.big .spec.small}}", "{{print .nope .spec.null \"a\" nil}}", "{{println}}", "{{print}}",
    "{{len \"\"}} {{len .data}} {{len .data.k2}}", "{{index .spec.nested \"m\" \"y\" \"x\"}}", "{{index .spec.list -1}}", "{{index .spec.list \"a\"}}", "{{index .metadata.labels 1}}",
    "{{index 1 1}}", "{{index .spec.list}}", "{{slice .spec.list}}", "{{slice .kind 1 3 4}}", "{{slice .spec.list 0 1 2}}", "{{slice .spec.list 5}}", "{{slice 3 1}}",
    "{{not .nope}} {{not .spec.null}} {{and}} ", "{{or .nope .spec.null}}", "{{and .spec.t .nope.x}}", "{{eq .spec.t true}} {{eq .spec.t 1}}", "{{ne .spec.null nil}}",
    "{{eq .nope nil}}", "{{lt .kind .apiVersion}} {{lt 1.5 2.5}} {{lt 1 .spec.ratio}}", "{{eq (index .spec.nums 0) 3}}", "{{le .nope 1}}",
    "{{html .spec.unicode}} {{js \"\\u0001é\\t'\"}} {{urlquery .spec.unicode}} {{js 1 2}} {{urlquery .nope}}", "{{html .nope}}", "{{base64decode .nope}}",
    "{{base64decode \"aGk\"}}", "{{base64decode \"\"}}", "{{exists}}", "{{exists .spec}}", "{{exists .spec \"nums\" 0}} {{exists .spec.list \"x\"}} {{exists .nope \"a\"}}",
    "{{range $i, $e := .spec.mixed}}{{$i}}{{printf \"%T\" $e}};{{end}}", "{{range $k, $v := .data}}{{$k}} {{end}}{{$k := 1}}{{$k}}", "{{range .spec.emptym}}x{{else}}e{{end}}",
    "{{range $v := .spec.nums}}{{$v}}{{end}} {{range $i, $v := .spec.nums}}{{$i}}{{end}}", "{{range .spec.list}}{{$.kind}}{{end}}", "{{range .spec.null}}x{{else}}n{{end}}",
    "{{$x := 0}}{{range .spec.list}}{{$x = .}}{{end}}{{$x}}", "{{with $x := .nope}}{{else}}{{$x}}{{end}}", "{{if $x := .spec.list}}{{$x}}{{end}}",
    "{{(.spec.nested).m.z}} {{(index .spec.containers 1).ports}}", "{{.spec.containers.name}}", "{{$.spec.list}} {{$}}", "{{ . | len }}", "{{ .kind | len | printf \"%d\" | len }}",
    "x\n{{.kind", "x\n{{if 1}}\ny", "a\n\n{{foo}}", "{{/*\n*/}}{{.kind}}\n  {{index 1 2}}", "{{if\n.kind}}\n{{.nope.x.y | len}}{{end}}", "a\n{{\"x\ny\"}}",
    "{{.kind}}\n{{else}}", "l1\nl2 {{range .spec.list}}\n{{end}}{{end}}", "{{define \"d\"}}\n{{index .x 1}}{{end}}{{template \"d\" .spec}}",
    "{{ /* x */ }}", "{{- /* x */ -}}", "{{/* x */ }}", "{{/* x */-}}", "{{/*x*/}}y", "{{\"}}\"}}", "{{.kind  -}}  x", "{{-  .kind}}", "{{.kind /}}",
    "{{.kind#}}", "{{$#}}", "{{len#}}", "{{.kind é}}", "{{#}}", "{{if #}}{{end}}", "{{(#)}}", "{{.kind}}{{ /* c */ .kind}}", "{{.kind}x}}", "{{a.b}}",
    "line1\n{{.kind}}\nline3 {{index .spec.list 7}}", "{{.kind}}\r\n{{.nope}}", "\t{{- \"x\" -}}\t", "{{\"a\"}}{{- \" b \" -}}{{\"c\"}}",
]

STRICT = ["{{index .nope 1}}", "{{.spec.list | len}}", "{{exists . \"nope\"}}", "{{with .nope}}a{{else}}b{{end}}", "{{if .spec.null}}a{{else}}b{{end}}", "{{.spec.null.x}}", "{{$.nope}}", "{{.nope}}", "{{.nope.x}}", "{{.spec.null}}", "{{.kind}} {{.metadata.nope}}", "{{index .data \"zz\"}}", "{{range .nope}}x{{end}}", "{{with .spec}}{{.nope}}{{end}}"]

def run(args, jf):
    p = subprocess.run([K, "annotate", "-f", jf, "--local", "--overwrite", "foo=bar"] + args, capture_output=True)
    return p.stdout.decode(), p.stderr.decode(), p.returncode

def main():
    jf = os.path.join(here, "gotemplate-object.json")
    with open(jf, "w") as f:
        json.dump(OBJ, f, ensure_ascii=False)
    cases = []
    for t in T:
        out, err, rc = run(["-o", "go-template=" + t], jf)
        cases.append({"template": t, "strict": False, "stdout": out, "stderr": err, "rc": rc})
    for t in STRICT:
        out, err, rc = run(["-o", "go-template=" + t, "--allow-missing-template-keys=false"], jf)
        cases.append({"template": t, "strict": True, "stdout": out, "stderr": err, "rc": rc})
    with open(os.path.join(here, "gotemplate-cases.json"), "w") as f:
        json.dump(cases, f, ensure_ascii=False, indent=1)

main()
