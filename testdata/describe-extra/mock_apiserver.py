# Minimal read-only mock kube-apiserver for comparing describe output with real kubectl.
import json, os, sys, glob, re

# kube-apiserver names group resources with their group in NotFound messages.
GROUP_QUALIFIED = {"leases": "leases.coordination.k8s.io"}
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

CORE = [  # name, kind, namespaced, shortnames
    ("pods","Pod",True,["po"]),("nodes","Node",False,["no"]),("services","Service",True,["svc"]),
    ("endpoints","Endpoints",True,["ep"]),("namespaces","Namespace",False,["ns"]),("events","Event",True,["ev"]),
    ("configmaps","ConfigMap",True,["cm"]),("secrets","Secret",True,[]),("serviceaccounts","ServiceAccount",True,["sa"]),
    ("resourcequotas","ResourceQuota",True,["quota"]),("limitranges","LimitRange",True,["limits"]),
    ("persistentvolumeclaims","PersistentVolumeClaim",True,["pvc"]),
]
GROUPS = {
    "apps/v1": [("deployments","Deployment",True,["deploy"]),("replicasets","ReplicaSet",True,["rs"]),("daemonsets","DaemonSet",True,["ds"]),("statefulsets","StatefulSet",True,["sts"])],
    "coordination.k8s.io/v1": [("leases","Lease",True,[])],
    "discovery.k8s.io/v1": [("endpointslices","EndpointSlice",True,[])],
}
KIND2RES = {k: n for lst in [CORE]+list(GROUPS.values()) for (n,k,_,_) in lst}
NAMESPACED = {n: ns for lst in [CORE]+list(GROUPS.values()) for (n,_,ns,_) in lst}

store = {}
def add(o):
    res = KIND2RES.get(o.get("kind"))
    if res is None: return
    key = (o["metadata"].get("namespace",""), o["metadata"]["name"])
    store.setdefault(res, {})[key] = o
for d in sys.argv[2:]:
    for f in sorted(glob.glob(os.path.join(d, "*.json"))):
        o = json.load(open(f))
        if o.get("kind","").endswith("List"):
            k = o["kind"][:-4]
            for it in o.get("items", []):
                it.setdefault("kind", k); add(it)
        else:
            add(o)

def rl(gv, lst):
    return {"kind":"APIResourceList","apiVersion":"v1","groupVersion":gv,"resources":[
        {"name":n,"singularName":k.lower(),"namespaced":ns,"kind":k,"verbs":["get","list"],"shortNames":sn} for (n,k,ns,sn) in lst]}

def field(o, path):
    cur = o
    for p in path.split("."):
        if isinstance(cur, dict) and p in cur: cur = cur[p]
        else: return ""
    if cur is None: return ""
    if isinstance(cur, bool): return "true" if cur else "false"
    return str(cur)

def split_terms(s):
    out, cur, esc = [], "", False
    for c in s:
        if esc: cur += c; esc = False
        elif c == "\\": esc = True
        elif c == ",": out.append(cur); cur = ""
        else: cur += c
    out.append(cur)
    return [t for t in out if t]

def fmatch(o, sel):
    for t in split_terms(sel):
        if "!=" in t:
            k, v = t.split("!=", 1)
            if field(o, k) == v: return False
        else:
            k, v = (t.split("==", 1) if "==" in t else t.split("=", 1))
            if field(o, k) != v: return False
    return True

def lmatch(o, sel):
    labels = o["metadata"].get("labels") or {}
    terms, cur, depth = [], "", 0
    for c in sel:
        if c == "(": depth += 1
        if c == ")": depth -= 1
        if c == "," and depth == 0: terms.append(cur); cur = ""; continue
        cur += c
    terms.append(cur)
    for t in terms:
        if not t: continue
        m = re.match(r"^(\S+) (in|notin) \((.*)\)$", t)
        if m:
            vals = m.group(3).split(",")
            has = m.group(1) in labels and labels[m.group(1)] in vals
            if (m.group(2) == "in") != has: return False
        elif "!=" in t:
            k, v = t.split("!=", 1)
            if labels.get(k) == v: return False
        elif "=" in t:
            k, v = t.split("=", 1)
            if k.endswith("="): k = k[:-1]
            if labels.get(k) != v: return False
        elif t.startswith("!"):
            if t[1:] in labels: return False
        elif t not in labels: return False
    return True

class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        with open("/tmp/mock/requests.log", "a") as f: f.write(self.path + "\n")
    def send(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def do_GET(self):
        u = urlparse(self.path); q = parse_qs(u.query); p = u.path.rstrip("/")
        if p == "/version": return self.send(200, {"major":"1","minor":"32","gitVersion":"v1.32.2","platform":"linux/amd64"})
        if p == "/api": return self.send(200, {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]})
        if p == "/apis":
            groups = []
            for gv in GROUPS:
                g, v = gv.split("/")
                groups.append({"name":g,"versions":[{"groupVersion":gv,"version":v}],"preferredVersion":{"groupVersion":gv,"version":v}})
            return self.send(200, {"kind":"APIGroupList","apiVersion":"v1","groups":groups})
        if p == "/api/v1": return self.send(200, rl("v1", CORE))
        for gv, lst in GROUPS.items():
            if p == "/apis/" + gv: return self.send(200, rl(gv, lst))
        m = re.match(r"^/(?:api/v1|apis/([^/]+/[^/]+))(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?$", p)
        if not m: return self.send(404, {"kind":"Status","apiVersion":"v1","status":"Failure","message":"not found","reason":"NotFound","code":404})
        gv, ns, res, name = m.groups()
        if res == "namespaces" and ns is not None and name is None:
            # /api/v1/namespaces/NAME
            res, name, ns = "namespaces", ns, None
        objs = store.get(res, {})
        if name is not None:
            key = (ns or "", name)
            if key in objs: return self.send(200, objs[key])
            return self.send(404, {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":f'{GROUP_QUALIFIED.get(res, res)} "{name}" not found',"reason":"NotFound","details":{"name":name,"kind":res},"code":404})
        items = [o for (k, o) in sorted(objs.items()) if ns is None or k[0] == ns]
        if "labelSelector" in q: items = [o for o in items if lmatch(o, q["labelSelector"][0])]
        if "fieldSelector" in q: items = [o for o in items if fmatch(o, q["fieldSelector"][0])]
        kind = {v: k for k, v in KIND2RES.items()}.get(res, "Unknown")
        return self.send(200, {"kind": kind + "List", "apiVersion": gv or "v1", "metadata": {"resourceVersion": "1"}, "items": items})

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
