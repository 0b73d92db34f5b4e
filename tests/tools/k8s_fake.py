#!/usr/bin/env python3
"""A loopback fake of the Kubernetes API server for the istio driver.

No real API server can run in the test environment, so the istio driver
is tested against a recorded contract: fixtures/cp/k8s-contract/
requests.jsonl holds the requests the real kubectl v1.32.4 sent (see
SOURCES.md there). This fake answers like the API server does for the
calls srctl makes (GET and JSON-Patch PATCH of a VirtualService) with
documented Status bodies, and logs every request in the same shape as the
recording so the test can compare srctl's requests with kubectl's.

The VirtualService served is the object from the recorded server-side
apply body, with metadata.resourceVersion "1000" and the route's timeout
at 800ms (perTryTimeout 400ms, 2 attempts), so that srctl's change to
1200ms must produce exactly the recorded JSON Patch.

Switches:
  --tls-cert/--tls-key   serve HTTPS (the test makes a throwaway CA)
  --token-file F         require "Authorization: Bearer <F>" (else 401)
  --client-ca F          require a client certificate signed by F
  --next-patch STATUS    answer the next PATCH with this Status (409,
                         422, 500) without applying it; repeatable
  --bump-after-get N     after the Nth GET, another writer changes the
                         object (resourceVersion +1), so srctl's `test`
                         op fails like in a real race
  --test-fail-status S   status for a failed `test` op: 422 (current
                         servers, default) or 500 (old servers)
  --log F                one JSON line per request (recording format)
  --state F              write the stored object here after each change
  --port-file F          listen on a free port and write it here
"""
import argparse
import copy
import http.server
import json
import os
import socketserver
import ssl
import threading
import urllib.parse

LOCK = threading.Lock()
ARGS = None
OBJS = {}
COUNT = {"get": 0}
NEXT = []

RECORDED_SPEC = {
    "hosts": ["redis.payments.svc.cluster.local"],
    "http": [
        {"match": [{"sourceLabels": {"app": "payment-gw"}}],
         "name": "payment-gw-to-redis",
         "retries": {"attempts": 2, "perTryTimeout": "400ms",
                     "retryOn": "connect-failure,reset"},
         "route": [{"destination":
                    {"host": "redis.payments.svc.cluster.local"}}],
         "timeout": "800ms"},
        {"name": "default",
         "route": [{"destination":
                    {"host": "redis.payments.svc.cluster.local"}}]}]}


def status(code, reason, message, details=None):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "message": message, "reason": reason,
            "details": details or {}, "code": code}


def conflict_status(name):
    return status(409, "Conflict",
                  'Operation cannot be fulfilled on virtualservices.'
                  'networking.istio.io "%s": the object has been modified; '
                  'please apply your changes to the latest version and try '
                  'again' % name,
                  {"name": name, "group": "networking.istio.io",
                   "kind": "virtualservices"})


class PatchFailed(Exception):
    pass


def ptr_parts(path):
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchFailed("bad pointer %r" % path)
    return [p.replace("~1", "/").replace("~0", "~")
            for p in path[1:].split("/")]


def ptr_parent(doc, parts):
    cur = doc
    for p in parts[:-1]:
        if isinstance(cur, list):
            cur = cur[int(p)]
        elif isinstance(cur, dict) and p in cur:
            cur = cur[p]
        else:
            raise PatchFailed("missing path")
    return cur


def json_patch(doc, ops):
    """RFC 6902 test/replace/add/remove, as the API server applies it."""
    doc = copy.deepcopy(doc)
    for op in ops:
        parts = ptr_parts(op["path"])
        parent = ptr_parent(doc, parts)
        last = parts[-1]
        kind = op["op"]
        if isinstance(parent, list):
            idx = len(parent) if last == "-" else int(last)
            if kind == "test":
                if idx >= len(parent) or parent[idx] != op["value"]:
                    raise PatchFailed("testing value %s failed: test failed"
                                      % op["path"])
            elif kind == "replace":
                parent[idx] = op["value"]
            elif kind == "add":
                parent.insert(idx, op["value"])
            elif kind == "remove":
                del parent[idx]
            continue
        if kind == "test":
            if parent.get(last) != op["value"]:
                raise PatchFailed("testing value %s failed: test failed"
                                  % op["path"])
        elif kind == "replace":
            if last not in parent:
                raise PatchFailed("replace operation does not apply: doc "
                                  "is missing key: %s" % op["path"])
            parent[last] = op["value"]
        elif kind == "add":
            parent[last] = op["value"]
        elif kind == "remove":
            if last not in parent:
                raise PatchFailed("remove: missing key %s" % op["path"])
            del parent[last]
        else:
            raise PatchFailed("unsupported op %s" % kind)
    return doc


def save_state():
    if not ARGS.state:
        return
    tmp = ARGS.state + ".tmp"
    with open(tmp, "w") as f:
        json.dump(OBJS, f, sort_keys=True)
    os.rename(tmp, ARGS.state)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n).decode() if n else None

    def _log(self, body):
        if not ARGS.log:
            return
        u = urllib.parse.urlsplit(self.path)
        auth = self.headers.get("Authorization")
        rec = {"method": self.command, "path": u.path,
               "query": urllib.parse.parse_qs(u.query),
               "content_type": self.headers.get("Content-Type"),
               "accept": self.headers.get("Accept"),
               "authorization": (auth[:13] + "...") if auth else None,
               "user_agent": self.headers.get("User-Agent"),
               "body": body}
        with open(ARGS.log, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def _send(self, code, doc):
        data = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _auth(self):
        if not ARGS.token_file:
            return True
        with open(ARGS.token_file) as f:
            want = "Bearer " + f.read().strip()
        if self.headers.get("Authorization") != want:
            self._send(401, status(401, "Unauthorized", "Unauthorized"))
            return False
        return True

    def _key(self):
        u = urllib.parse.urlsplit(self.path)
        p = u.path.split("/")
        if (len(p) == 7 and p[1] == "apis" and p[2] == "networking.istio.io"
                and p[3] in ("v1", "v1beta1") and p[4] == "namespaces"
                and p[6] == "virtualservices"):
            return "LIST:" + p[5], urllib.parse.parse_qs(u.query)
        # /apis/networking.istio.io/<ver>/namespaces/<ns>/virtualservices/<n>
        if (len(p) == 8 and p[1] == "apis" and p[2] == "networking.istio.io"
                and p[3] in ("v1", "v1beta1", "v1alpha3")
                and p[4] == "namespaces" and p[6] == "virtualservices"):
            return "%s/%s" % (p[5], p[7]), urllib.parse.parse_qs(u.query)
        return None, urllib.parse.parse_qs(u.query)

    def do_GET(self):
        body = self._body()
        self._log(body)
        if not self._auth():
            return
        key, q = self._key()
        if key and key.startswith("LIST:"):
            ns = key[5:]
            with LOCK:
                items = [copy.deepcopy(o) for k, o in sorted(OBJS.items())
                         if k.split("/")[0] == ns]
            return self._send(200, {"apiVersion": "networking.istio.io/v1",
                                    "kind": "VirtualServiceList",
                                    "metadata": {"resourceVersion": "1000"},
                                    "items": items})
        with LOCK:
            if key is None or key not in OBJS:
                name = key.split("/")[1] if key else ""
                return self._send(404, status(
                    404, "NotFound", 'virtualservices.networking.istio.io '
                    '"%s" not found' % name,
                    {"name": name, "group": "networking.istio.io",
                     "kind": "virtualservices"}))
            COUNT["get"] += 1
            doc = copy.deepcopy(OBJS[key])
            if ARGS.bump_after_get and COUNT["get"] == ARGS.bump_after_get:
                o = OBJS[key]
                o["metadata"]["resourceVersion"] = str(
                    int(o["metadata"]["resourceVersion"]) + 1)
                o["spec"]["http"][0]["timeout"] = "999ms"
                save_state()
        self._send(200, doc)

    def do_PATCH(self):
        body = self._body()
        self._log(body)
        if not self._auth():
            return
        key, q = self._key()
        ctype = self.headers.get("Content-Type")
        with LOCK:
            if key is None or key not in OBJS:
                return self._send(404, status(404, "NotFound", "not found"))
            if NEXT:
                code = NEXT.pop(0)
                name = key.split("/")[1]
                if code == 409:
                    return self._send(409, conflict_status(name))
                if code == 422:
                    return self._send(422, status(
                        422, "Invalid", "the server rejected our request "
                        "due to an error in our request"))
                return self._send(code, status(
                    code, "InternalError", "Internal error occurred"))
            if ctype != "application/json-patch+json":
                return self._send(415, status(
                    415, "UnsupportedMediaType", "the body of the request "
                    "was in an unknown format - accepted media types "
                    "include: application/json-patch+json, "
                    "application/merge-patch+json, "
                    "application/apply-patch+yaml"))
            try:
                ops = json.loads(body)
                new = json_patch(OBJS[key], ops)
            except PatchFailed as e:
                sc = ARGS.test_fail_status
                if sc == 500:
                    return self._send(500, status(500, "InternalError",
                                                  str(e)))
                return self._send(422, status(
                    422, "Invalid", "the server rejected our request due "
                    "to an error in our request"))
            except (ValueError, KeyError, IndexError, TypeError) as e:
                return self._send(400, status(400, "BadRequest", str(e)))
            dry = q.get("dryRun") == ["All"]
            if not dry:
                new["metadata"]["resourceVersion"] = str(
                    int(OBJS[key]["metadata"]["resourceVersion"]) + 1)
                OBJS[key] = new
                save_state()
        self._send(200, new)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--client-ca")
    p.add_argument("--token-file")
    p.add_argument("--next-patch", type=int, action="append", default=[])
    p.add_argument("--bump-after-get", type=int, default=0)
    p.add_argument("--test-fail-status", type=int, default=422)
    p.add_argument("--log")
    p.add_argument("--state")
    ARGS = p.parse_args()
    NEXT.extend(ARGS.next_patch)
    OBJS["payments/redis"] = {
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "redis", "namespace": "payments",
                     "resourceVersion": "1000", "generation": 1,
                     "uid": "6d1b9f5e-0000-4000-8000-000000000001"},
        "spec": copy.deepcopy(RECORDED_SPEC)}
    save_state()
    srv = Server(("127.0.0.1", ARGS.port), Handler)
    if ARGS.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.tls_cert, ARGS.tls_key)
        if ARGS.client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(ARGS.client_ca)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(srv.server_address[1]))
        os.rename(tmp, ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
