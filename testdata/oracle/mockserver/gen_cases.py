#!/usr/bin/env python3
"""Record kubectl 1.32's custom-columns and jsonpath output for the pods in pods.json, served
by server.py (start it first: `python3 server.py 18931 &`)."""
import json, subprocess, os
K = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32"
here = os.path.dirname(os.path.abspath(__file__))
SERVER = "http://127.0.0.1:18931"
SPECS = [
    "N:.metadata.name,F:.x.f,I:.x.i,B:.x.b,NUL:.x.n,S:.x.s,L:.x.l,M:.x.m,E:.x.e,EL:.x.el,BIG:.x.big,SM:.x.small,G:.x.g",
    "A:.x.l[5]", "A:.x.l[0]", "A:{.x", "A:x.s", "A:{x.s}", "A:{.x.s}", "A:", "A", "", "A:.x.l[*]", "A:.x.l[?(@.k)]",
    "A:.metadata.name,B", "A:{range .x.l[*]}{@}{end}", "A:.x.l[0:2]", "A:.metadata.name,B:.x.missing",
    "A:{.a}{.b}", "NAME:.metadata.name,IMG:.spec.containers[*].image", "A:.x.l[?(@==1)]", "A:.x.m.a.q[*]",
    "A B:.metadata.name", ":.metadata.name", "A:.x.s:extra", "A:$.metadata.name", "A:@.metadata.name",
    "A:.metadata.labels.app,B:.x.l[-1]", "A:.x.el[0]", "A:.x.e.k", "A:.x.m['k.y']", "A:.spec.containers[0].name",
    "A:.x[", "A:.x.l[a]", "A:..", "A:.x.l[?(@.k)", "A:.metadata.name,B:.x[", "A:.x.l[*].k", "A:.x.nope[0]",
]

def run(args):
    p = subprocess.run([K, "--server=" + SERVER] + args, capture_output=True)
    return {"stdout": p.stdout.decode(), "stderr": p.stderr.decode(), "rc": p.returncode}

cases = []
for spec in SPECS:
    for target, extra in ((["pods"], []), (["pod", "a"], []), (["pods"], ["--no-headers"])):
        args = ["get"] + target + ["-o", "custom-columns=" + spec] + extra
        cases.append({"args": args, **run(args)})
for t in ["{.items[*].metadata.name}", "{.kind}", "{.metadata}", "{.items[0].x.l}", "{range .items[*]}{.x.s}{\"\\n\"}{end}",
          "{.items[?(@.x.i>=0)].metadata.name}", "{.items[*].x.missing}", "{.apiVersion}"]:
    for target in (["pods"], ["pod", "a"], ["pod", "a", "c"]):
        args = ["get"] + target + ["-o", "jsonpath=" + t]
        cases.append({"args": args, **run(args)})
json.dump(cases, open(os.path.join(here, "cases.json"), "w"), ensure_ascii=False, indent=1)
print(len(cases), "cases")
