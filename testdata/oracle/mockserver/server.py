#!/usr/bin/env python3
"""A tiny read-only API server for kubectl oracles: serves pods from pods.json (a JSON list of
Pod objects) under namespace "default", with legacy (non-aggregated) discovery."""
import json, sys, os
from http.server import BaseHTTPRequestHandler, HTTPServer

here = os.path.dirname(os.path.abspath(__file__))
PODS = json.load(open(sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "pods.json")))

def send(h, code, obj):
    body = json.dumps(obj).encode()
    h.send_response(code)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)

class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/version":
            return send(self, 200, {"major": "1", "minor": "32", "gitVersion": "v1.32.2"})
        if path == "/api":
            return send(self, 200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if path == "/apis":
            return send(self, 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if path == "/api/v1":
            return send(self, 200, {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
                {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": ["get", "list"], "shortNames": ["po"]}]})
        pre = "/api/v1/namespaces/default/pods"
        if path == pre or path == "/api/v1/pods":
            items = []
            for p in PODS:
                q = dict(p); q.pop("apiVersion", None); q.pop("kind", None); items.append(q)
            return send(self, 200, {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items})
        if path.startswith(pre + "/"):
            name = path[len(pre) + 1:]
            for p in PODS:
                if p["metadata"]["name"] == name:
                    return send(self, 200, p)
            return send(self, 404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": f'pods "{name}" not found', "reason": "NotFound", "details": {"name": name, "kind": "pods"}, "code": 404})
        send(self, 404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404, "reason": "NotFound", "message": "not found"})

HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
