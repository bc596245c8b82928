#!/usr/bin/env python3
"""Minimal kube-apiserver stand-in for the table tests.

Usage: mock_apiserver.py ROUTES_JSON REQUEST_LOG
ROUTES_JSON maps a URL path (no query) to the JSON body to return (a Table); a key
`PATH#object` answers requests with includeObject=Object (kubectl's --sort-by).
Serves /version and aggregated discovery; prints the bound port on stdout, then serves
until killed. Every request line is appended to REQUEST_LOG.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = json.load(open(sys.argv[1]))
LOG = sys.argv[2]

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def res(name, kind, group, version, namespaced, short=(), all_category=False):
    entry = {
        "resource": name,
        "responseKind": {"group": group, "version": version, "kind": kind},
        "scope": "Namespaced" if namespaced else "Cluster",
        "singularResource": kind.lower(),
        "verbs": VERBS,
    }
    if short:
        entry["shortNames"] = list(short)
    if all_category:
        entry["categories"] = ["all"]
    return entry


CORE = [
    res("pods", "Pod", "", "v1", True, ["po"], True),
    res("services", "Service", "", "v1", True, ["svc"], True),
    res("nodes", "Node", "", "v1", False, ["no"]),
    res("namespaces", "Namespace", "", "v1", False, ["ns"]),
    res("endpoints", "Endpoints", "", "v1", True, ["ep"]),
    res("events", "Event", "", "v1", True, ["ev"]),
    res("configmaps", "ConfigMap", "", "v1", True, ["cm"]),
    res("secrets", "Secret", "", "v1", True),
    res("serviceaccounts", "ServiceAccount", "", "v1", True, ["sa"]),
]
GROUPS = [
    ("apps", "v1", [
        res("daemonsets", "DaemonSet", "apps", "v1", True, ["ds"], True),
        res("deployments", "Deployment", "apps", "v1", True, ["deploy"], True),
        res("replicasets", "ReplicaSet", "apps", "v1", True, ["rs"], True),
    ]),
    ("discovery.k8s.io", "v1", [res("endpointslices", "EndpointSlice", "discovery.k8s.io", "v1", True)]),
    ("coordination.k8s.io", "v1", [res("leases", "Lease", "coordination.k8s.io", "v1", True)]),
]

DISCOVERY_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def discovery_list(items):
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items}


def group_item(name, version, resources):
    return {"metadata": {"name": name} if name else {},
            "versions": [{"version": version, "resources": resources, "freshness": "Current"}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="application/json"):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with open(LOG, "a") as log:
            log.write(self.path + "\n")
        path = self.path.split("?", 1)[0]
        if path == "/version":
            return self.reply(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.2",
                                    "platform": "linux/amd64"})
        if path in ("/api", "/apis"):
            if "as=APIGroupDiscoveryList" not in self.headers.get("Accept", ""):
                return self.reply(406, {"kind": "Status", "status": "Failure", "code": 406})
            if path == "/api":
                body = discovery_list([group_item("", "v1", CORE)])
            else:
                body = discovery_list([group_item(g, v, r) for g, v, r in GROUPS])
            return self.reply(200, body, DISCOVERY_TYPE)
        if "includeObject=Object" in self.path and path + "#object" in ROUTES:
            return self.reply(200, ROUTES[path + "#object"], "application/json;as=Table;v=v1;g=meta.k8s.io")
        if path in ROUTES:
            return self.reply(200, ROUTES[path], "application/json;as=Table;v=v1;g=meta.k8s.io")
        self.reply(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                         "message": "the server could not find the requested resource",
                         "reason": "NotFound", "code": 404})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
