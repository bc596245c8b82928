#!/usr/bin/env python3
"""A small kube-apiserver stand-in serving resources kubelite's static registry does not
know: a namespaced custom resource (widgets.example.com) and a cluster-scoped one
(gadgets.toys.example.org), plus pods and events, with aggregated discovery, Tables,
create (POST), JSON merge patch (PATCH) and DELETE. Plain HTTP on a free loopback port, printed on stdout; runs until killed.
Every request line is appended to the log file given as the first argument.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

LOG = sys.argv[1]
LOCK = threading.Lock()
VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
NOW = "2026-11-29T01:42:16Z"


def widget(name, color, size):
    return {"apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": {"name": name, "namespace": "default", "uid": "uid-" + name,
                         "resourceVersion": "7", "creationTimestamp": NOW,
                         "labels": {"app": "shop"}},
            "spec": {"color": color, "size": size}}


def gadget(name):
    return {"apiVersion": "toys.example.org/v1alpha1", "kind": "Gadget",
            "metadata": {"name": name, "uid": "uid-" + name, "resourceVersion": "8",
                         "creationTimestamp": NOW},
            "spec": {"batteries": True}}


STORE = {
    ("example.com", "v1", "widgets"): {"w1": widget("w1", "red", 3), "w2": widget("w2", "blue", 10)},
    ("toys.example.org", "v1alpha1", "gadgets"): {"g1": gadget("g1")},
}
KINDS = {"widgets": ("Widget", True), "gadgets": ("Gadget", False)}


def resource(name, kind, group, version, namespaced, short=(), categories=()):
    r = {"resource": name, "responseKind": {"group": group, "version": version, "kind": kind},
         "scope": "Namespaced" if namespaced else "Cluster", "singularResource": kind.lower(),
         "verbs": VERBS}
    if short:
        r["shortNames"] = list(short)
    if categories:
        r["categories"] = list(categories)
    return r


CORE = {"metadata": {"name": ""}, "versions": [{"version": "v1", "freshness": "Current", "resources": [
    resource("events", "Event", "", "v1", True, ["ev"]),
    resource("namespaces", "Namespace", "", "v1", False, ["ns"]),
    resource("pods", "Pod", "", "v1", True, ["po"], ["all"]),
]}]}
GROUPS = [
    {"metadata": {"name": "example.com"}, "versions": [{"version": "v1", "freshness": "Current", "resources": [
        resource("widgets", "Widget", "example.com", "v1", True, ["wd"], ["all", "shop"])]}]},
    {"metadata": {"name": "toys.example.org"}, "versions": [{"version": "v1alpha1", "freshness": "Current", "resources": [
        resource("gadgets", "Gadget", "toys.example.org", "v1alpha1", False, [], ["shop"])]}]},
]
DISCOVERY_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def table(kind, objs):
    cols = [{"name": "Name", "type": "string", "format": "name", "description": "name"}]
    if kind == "Widget":
        cols += [{"name": "Color", "type": "string", "format": "", "description": "color"},
                 {"name": "Size", "type": "integer", "format": "", "description": "size", "priority": 1}]
    cols += [{"name": "Age", "type": "date", "format": "", "description": "age"}]
    rows = []
    for o in objs:
        cells = [o["metadata"]["name"]]
        if kind == "Widget":
            cells += [o["spec"]["color"], o["spec"]["size"]]
        cells += ["5m"]
        rows.append({"cells": cells, "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                                "metadata": o["metadata"]}})
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "9"},
            "columnDefinitions": cols, "rows": rows}


def status(code, reason, message, name=None, kind=None, group=None):
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
         "reason": reason, "code": code}
    if name:
        s["details"] = {"name": name, "group": group, "kind": kind}
    return s


def merge(target, patch):
    """RFC 7386 JSON merge patch, in place."""
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        elif isinstance(v, dict) and isinstance(target.get(k), dict):
            merge(target[k], v)
        else:
            target[k] = v


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="application/json"):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self, method):
        with open(LOG, "a") as f:
            f.write(method + " " + self.path + " " + self.headers.get("Accept", "") + "\n")
        url = urlparse(self.path)
        path = url.path.rstrip("/")
        accept = self.headers.get("Accept", "")
        if path == "/version":
            return self.reply(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.2", "gitCommit": "mock",
                                    "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                                    "goVersion": "go1.23.6", "compiler": "gc", "platform": "linux/amd64"})
        if path in ("/api", "/apis") and "v=v2;" in accept:
            items = [CORE] if path == "/api" else GROUPS
            return self.reply(200, {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
                                    "metadata": {}, "items": items}, DISCOVERY_TYPE)
        parts = path.strip("/").split("/")
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 5 and parts[4] in ("events", "pods"):
            kind = "EventList" if parts[4] == "events" else "PodList"
            return self.reply(200, {"kind": kind, "apiVersion": "v1", "metadata": {"resourceVersion": "9"}, "items": []})
        if parts[:2] == ["api", "v1"] and len(parts) == 3 and parts[2] in ("events", "pods"):
            return self.reply(200, {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "9"}, "items": []})
        if parts[0] == "apis" and len(parts) >= 4:
            group, version = parts[1], parts[2]
            rest = parts[3:]
            if rest[0] == "namespaces":
                if len(rest) < 3 or rest[1] != "default":
                    return self.reply(200, {"kind": "List", "apiVersion": "v1", "metadata": {}, "items": []})
                rest = rest[2:]
            plural = rest[0]
            objs = STORE.get((group, version, plural))
            if objs is None:
                return self.reply(404, status(404, "NotFound", "the server could not find the requested resource"))
            kind, _ = KINDS[plural]
            as_table = "as=Table" in accept
            if len(rest) == 1 and method == "GET":
                with LOCK:
                    items = [objs[k] for k in sorted(objs)]
                if as_table:
                    return self.reply(200, table(kind, items))
                return self.reply(200, {"apiVersion": group + "/" + version, "kind": kind + "List",
                                        "metadata": {"resourceVersion": "9"}, "items": items})
            if len(rest) == 1 and method == "POST":
                return self.create(objs, group, plural, kind, KINDS[plural][1])
            name = rest[1]
            if method == "PATCH":
                return self.patch(objs, group, plural, name)
            with LOCK:
                obj = objs.get(name)
                if obj is not None and method == "DELETE":
                    del objs[name]
            if obj is None:
                return self.reply(404, status(404, "NotFound", '%s.%s "%s" not found' % (plural, group, name),
                                              name, plural, group))
            if as_table and method == "GET":
                return self.reply(200, table(kind, [obj]))
            return self.reply(200, obj)
        self.reply(404, status(404, "NotFound", "the server could not find the requested resource"))

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    def create(self, objs, group, plural, kind, namespaced):
        obj = self.body()
        name = obj.get("metadata", {}).get("name", "")
        meta = obj.setdefault("metadata", {})
        if namespaced:
            meta["namespace"] = "default"
        meta.update({"uid": "uid-" + name, "resourceVersion": "11", "creationTimestamp": NOW})
        with LOCK:
            if name in objs:
                return self.reply(409, status(409, "AlreadyExists", '%s.%s "%s" already exists' % (plural, group, name),
                                              name, plural, group))
            objs[name] = obj
        return self.reply(201, obj)

    def patch(self, objs, group, plural, name):
        if not self.headers.get("Content-Type", "").startswith("application/merge-patch+json"):
            return self.reply(415, status(415, "UnsupportedMediaType", "only merge patches here"))
        patch = self.body()
        with LOCK:
            obj = objs.get(name)
            if obj is None:
                return self.reply(404, status(404, "NotFound", '%s.%s "%s" not found' % (plural, group, name),
                                              name, plural, group))
            merge(obj, patch)
        return self.reply(200, obj)

    def do_POST(self):
        self.route("POST")

    def do_PATCH(self):
        self.route("PATCH")

    def do_GET(self):
        self.route("GET")

    def do_DELETE(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.route("DELETE")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
