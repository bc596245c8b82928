#!/usr/bin/env python3
"""Regenerate the kubectl oracle corpus: objects with tricky strings/numbers printed by the
real kubectl 1.32 (`annotate --local` prints any object through kubectl's printers without a
server). Each case: NAME.json (input), NAME.yaml / NAME.jsonout (kubectl -o yaml / -o json),
and jsonpath cases NAME.jp-N.tmpl / .out / .err / .rc."""
import json, subprocess, os, random
K = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
here = os.path.dirname(os.path.abspath(__file__))

STRINGS = ["true", "True", "yes", "no", "on", "off", "y", "n", "null", "~", "", " ", "  x", "x ", "a  b",
    "1", "-1", "+1", "0", "00", "0755", "08", "0x1F", "0xZZ", "0o17", "0b101", "0b-1", "1_000", "1e3", "1E3",
    "1.5", "1.", ".5", ".5_0", ".git", ".inf", "-.inf", ".nan", "nan", "inf", "1e400", "1:20", "1:60", "12:30:45",
    "2026-11-29T01:00:07Z", "2026-11-29", "2026-11-29T01:00:07", "2026-11-29 01:00:07", "2026-11-29T01:00:07+01:00",
    "2023-02-29", "2024-02-29", "v1.32.2", "- x", "-x", "-", "--", "---", "--- x", "...", ". . .", "? x", "?x",
    ": x", ":x", "a:", "a: b", "a:b", "a #b", "a#b", "#x", ",x", "[x", "]x", "{x", "}x", "&x", "*x", "!x", "|x",
    ">x", "'x", "\"x", "%x", "@x", "`x", "x,y", "x[0]", "x{y}", "it's", "say \"hi\"", "back\\slash", "tab\there",
    "a\nb", "a\nb\n", "a\nb\n\n", "\n", "\n\n", "\nlead", " lead\nx", "trail \nx", "x\n trail", "x\n\ty", "x\r\ny",
    "é", "日本語", "😀", "a\u00a0b", "\u00a0", "a\u2028b", "a\u2029b", "\ufeffbom", "a\u0085b", "a \u0085 b",
    "a\u0085\u0085b", "\u0001", "\u001b[0m", "<a&b>", "<<", "=", "@", "%", "x%y", "C:\\dir", "/path/to:x",
    "http://x:80/y", "key=value", "a,b", "ok\t", "\t", "a\u000bb",
    ]

def long_strings():
    out = []
    w = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt "
    for n in (60, 70, 75, 78, 79, 80, 81, 82, 85, 90, 120, 200, 400):
        out.append((w * 6)[:n])
    out.append("word: " * 30)
    out.append("x\ty " * 30)
    out.append("'q' " * 40)
    out.append("a  b  " * 30)
    out.append("a" * 100 + " " + "b" * 100)
    out.append(("abc " * 30) + "\nsecond line " * 10)
    out.append("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")
    out.append(json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"annotations": {}, "name": "web", "namespace": "default"}, "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"image": "nginx:1.27", "name": "nginx", "ports": [{"containerPort": 80}]}]}}}}, separators=(",", ":")) + "\n")
    out.append("emoji 😀 " * 15)
    out.append("é " * 50)
    out.append("x  " + "y " * 60)
    out.append("a " * 38 + " b" * 10)
    return out

def case_objects():
    cases = {}
    strs = STRINGS + long_strings()
    data = {f"k{i:03d}": s for i, s in enumerate(strs)}
    cases["strings-top"] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "s", "annotations": {"foo": "bar"}}, "data": data}
    nested = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "n", "annotations": {"foo": "bar"}},
              "deep": {"list": [{"v": s, "w": [s]} for s in strs[-25:]], "m": {"a": {"b": {"c": {s[:5] + str(i): s for i, s in enumerate(strs[-25:])}}}}}}
    cases["strings-nested"] = nested
    cases["keys"] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "k", "annotations": {"foo": "bar"}},
                     # Keys starting with digits are left out: go-yaml's key comparison is not
                     # transitive for some of them ("08" < "0b-1" < "1" < "08"), and as Go
                     # iterates maps randomly kubectl's order for them changes from run to run.
                     "data": {s: "v" for s in STRINGS if "\n" not in s and s != "" and "\u0085" not in s and not s[0].isdigit()},
                     "order": {k: 1 for k in ["a10", "a9", "a-b", "ab", "A", "_x", "a", "B", "a0", "a00", "a01", "a1", "x10y", "x9y", "x009", "x9", "é", "z", "Z", "1", "10", "2", "-", ".", "~"]},
                     "longkey": {"k" * 130: "v", "k" * 128: "w", "multi\nline": "x", "ml2\n": ["a"]}}
    cases["numbers"] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "num", "annotations": {"foo": "bar"}},
                        "nums": [0, 1, -1, 1.5, -2.25, 1e21, 1e20, 1e-7, 1e-6, 0.000123, 123456.5, 1234567.5, 123456789.5, 3.0, -0.0,
                                 9223372036854775807, -9223372036854775808, 9223372036854775808, 12345678901234567890, 1.7976931348623157e308, 5e-324, 0.1, 100.0, 1e6, 2.5e-5],
                        "bools": [True, False, None], "empty": {"m": {}, "l": [], "lm": [{}], "ll": [[]]},
                        "nest": [[1, [2, [3]]], [{"a": [{"b": 1}]}], {"x": [[{"y": []}]]}]}
    random.seed(7)
    alphabet = ["a", "b", " ", ":", "#", "-", "'", "\"", "\n", "\t", "1", ".", "é", "😀", "{", ",", "\\", "x" * 30, "  "]
    rnd = {}
    for i in range(300):
        n = random.randint(0, 12)
        rnd[f"r{i:03d}"] = "".join(random.choice(alphabet) for _ in range(n))
    cases["random-strings"] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "r", "annotations": {"foo": "bar"}}, "data": rnd}
    return cases

JSONPATHS = ["{.data.k000}", "{.data}", "{.metadata}", "{.nums}", "{.nums[*]}", "{.nums[0]}", "{.nums[-1]}", "{.nums[1:3]}",
    "{.nums[::2]}", "{.nums[-3:]}", "{.bools[*]}", "{.empty}", "{.empty.m}", "{.empty.l}", "{.nest}", "{.nest[*]}",
    "{.nest[0][1]}", "{..b}", "{..a}", "{.missing}", "{.missing.x}", "{.nums[99]}", "{.data.k001}{\"\\n\"}",
    "{range .nest[*]}[{@}]{end}", "{.metadata.name} {.kind}", "kind={.kind}", "{$.kind}", "{.kind", "{.kind}}",
    "{{.kind}", "{.nums[?(@ > 1)]}", "{.deep.list[?(@.v==\"a: b\")].w}", "{.deep.list[*].v}", "{.order}",
    "{.order.a10}", "{.order['a-b']}", "{.metadata.annotations.foo}", "{['kind']}", "{.bools[0]}",
    "{.nums[1.5]}", "{.nums[a]}", "{range .nums[*]}{@}{\"\\t\"}{end}", "{range .x}{end}", "{end}",
    "{.data.k001,.kind}", "{.kind,.metadata.name}", "{.nums[0,1]}", "{.nest[*][*]}", "{.nums[?(@==1)]}",
    "{.deep.list[?(@.v)].v}", "{.deep.list[0]['v']}", "{.nums[2:1]}", "{.nums[-99:]}", "{.nums[:-99]}",
    "{.nums[0:10:0]}", "{.*}", "{.deep.*}", "{..v}", "{.metadata.name}x{.metadata.missing}y",
    "{.data.k000} {.data.k012}", "{.kind}\\n", "{\"a\"}", "{'a'}", "{\"\\u00e9\"}", "{\"\\x\"}", "{range .nums[*]}{end}",
    "{.deep.m.a.b.c}", "{.deep.m..c}", "{..nope}", "{.nums[?(@.x)]}", "{.order.a10 }", "{ .kind }", "{.kind}{.kind}",
    "{.data.k\\.x}", "{.metadata.annotations.foo\\.bar}", "{.nums[?(@<1)]}", "{.nums[?(@>=1.5)]}", "{.nums[?(@!=0)]}",
    "{.deep.list[?(@.v=='a: b')].v}", "{.bools[?(@==true)]}", "{.nums[?(@==\"1\")]}", "{.deep.list[?(@.w[0]==\"x\")].v}",
    "{@}", "{.}", "{..}", "{$}", "{range .nest[*]}{range @[*]}<{@}>{end}{end}", "{.nums.length}", "{.data.*}x",
    "{.nums[*]} {.bools[*]}", "{.nums[?(@ == 1)]}", "{.deep.list[?(@.v == \"a: b\")].v}", "{.kind}{\"\\r\"}"]

def run(args, stdin_file):
    p = subprocess.run([K] + args + ["-f", stdin_file, "--local", "--overwrite", "foo=bar"], capture_output=True)
    return p.stdout, p.stderr, p.returncode

def main():
    for name, obj in case_objects().items():
        jf = os.path.join(here, name + ".json")
        with open(jf, "w") as f:
            json.dump(obj, f, ensure_ascii=False)
        for fmt, ext in (("yaml", ".yaml"), ("json", ".jsonout")):
            out, err, rc = run(["annotate", "-o", fmt], jf)
            for _ in range(3):
                again = run(["annotate", "-o", fmt], jf)
                if again != (out, err, rc):
                    raise SystemExit(f"{name}: kubectl output is not deterministic")
            with open(os.path.join(here, name + ext), "wb") as f:
                f.write(out if rc == 0 else b"ERROR " + err)
    # jsonpath against the numbers/strings objects
    jp_obj = case_objects()["numbers"]
    jp_obj["data"] = {"k000": "true", "k001": "a: b", "k012": "x y", "k.x": "dotted"}
    jp_obj["metadata"]["annotations"]["foo.bar"] = "fb"
    jp_obj["deep"] = case_objects()["strings-nested"]["deep"]
    jp_obj["deep"]["list"][0]["v"] = "a: b"
    jp_obj["deep"]["list"][1]["w"] = ["x"]
    jp_obj["order"] = case_objects()["keys"]["order"]
    jf = os.path.join(here, "jsonpath-object.json")
    with open(jf, "w") as f:
        json.dump(jp_obj, f, ensure_ascii=False)
    lines = []
    for i, t in enumerate(JSONPATHS):
        out, err, rc = run(["annotate", "-o", "jsonpath=" + t], jf)
        lines.append({"template": t, "stdout": out.decode(), "stderr": err.decode(), "rc": rc})
    with open(os.path.join(here, "jsonpath-cases.json"), "w") as f:
        json.dump(lines, f, ensure_ascii=False, indent=1)

main()
