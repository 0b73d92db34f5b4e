#!/usr/bin/env python3
"""Reference server for srctl's control-plane REST API.

Implements schemas/srctl-controlplane.openapi.yaml (python3 stdlib only) so
the http driver can be tested end to end on 127.0.0.1. Test tooling, not
product: state lives in memory, seeded from --seed.

Switches make it misbehave on purpose:
  --fail-500 N     answer the next N requests with 500 (-1: always)
  --slow-ms MS     sleep before every answer
  --token-file F   require "Authorization: Bearer <contents of F>"
  --log F          append one JSON line per request (method, path, query,
                   headers of interest, body) so tests can check the wire
  --port-file F    listen on a free port and write it to F
"""
import argparse
import http.server
import json
import socketserver
import threading
import time
import urllib.parse

LOCK = threading.Lock()
STATE = {}          # (service, target) -> edge dict
ETAGS = {}          # (service, target) -> int generation
IDEM = {}           # idempotency key -> (body, status, response, etag)
ARGS = None
FAILS = {"left": 0}


def etag_of(key):
    return '"%s-%s-%d"' % (key[0], key[1], ETAGS[key])


def edge_doc(key):
    e = STATE[key]
    doc = {"service": key[0], "target": key[1],
           "effective": {"request_timeout_ms": e["ms"]},
           "baseline": {"request_timeout_ms": e.get("baseline", e["ms"])},
           "override": e.get("override")}
    return doc


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _log(self, body):
        if not ARGS.log:
            return
        u = urllib.parse.urlsplit(self.path)
        auth = self.headers.get("Authorization")
        rec = {"method": self.command, "path": u.path,
               "query": urllib.parse.parse_qs(u.query),
               "if_match": self.headers.get("If-Match"),
               "if_none_match": self.headers.get("If-None-Match"),
               "idempotency_key": self.headers.get("Idempotency-Key"),
               "content_type": self.headers.get("Content-Type"),
               "has_auth": auth is not None,
               "body": body}
        with LOCK, open(ARGS.log, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def _send(self, status, doc, etag=None, ctype="application/json"):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data)

    def _problem(self, status, title, detail, **extra):
        doc = {"type": "about:blank", "title": title, "status": status,
               "detail": detail}
        doc.update(extra)
        self._send(status, doc, ctype="application/problem+json")

    def _pre(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else None
        self._log(body)
        if ARGS.slow_ms:
            time.sleep(ARGS.slow_ms / 1000.0)
        with LOCK:
            if FAILS["left"] != 0:
                if FAILS["left"] > 0:
                    FAILS["left"] -= 1
                self._problem(500, "Internal Server Error", "injected")
                return None, False
        if ARGS.token_file:
            with open(ARGS.token_file) as f:
                want = "Bearer " + f.read().strip()
            got = self.headers.get("Authorization")
            if got is None:
                self._problem(401, "Unauthorized", "bearer token required")
                return None, False
            if got != want:
                self._problem(403, "Forbidden", "token not accepted")
                return None, False
        return body, True

    def _route(self):
        u = urllib.parse.urlsplit(self.path)
        parts = [p for p in u.path.split("/") if p]
        q = urllib.parse.parse_qs(u.query)
        if parts == ["v1", "edges"]:
            return ("list", None, q)
        if len(parts) == 4 and parts[:2] == ["v1", "edges"]:
            return ("edge", (parts[2], parts[3]), q)
        return (None, None, q)

    def do_GET(self):
        body, ok = self._pre()
        if not ok:
            return
        kind, key, q = self._route()
        with LOCK:
            if kind == "list":
                items = [edge_doc(k) for k in sorted(STATE)]
                return self._send(200, {"items": items})
            if kind == "edge":
                if key not in STATE:
                    return self._problem(404, "Not Found", "no such edge")
                return self._send(200, edge_doc(key), etag_of(key))
        self._problem(404, "Not Found", "no such resource")

    def do_PUT(self):
        body, ok = self._pre()
        if not ok:
            return
        kind, key, q = self._route()
        if kind != "edge":
            return self._problem(404, "Not Found", "no such resource")
        try:
            req = json.loads(body or "")
            ms = req["timeouts"]["request_timeout_ms"]
            if not isinstance(ms, int) or ms < 1:
                raise ValueError("request_timeout_ms")
            for f in ("reason", "actor"):
                if not isinstance(req.get(f), str):
                    raise ValueError(f)
        except (ValueError, KeyError, TypeError) as e:
            return self._problem(400, "Bad Request", "bad body: %s" % e)
        ikey = self.headers.get("Idempotency-Key")
        if not ikey:
            return self._problem(400, "Bad Request", "Idempotency-Key missing")
        dry = q.get("dryRun", ["false"])[0] == "true"
        im = self.headers.get("If-Match")
        inm = self.headers.get("If-None-Match")
        with LOCK:
            if ikey in IDEM and not dry:
                pbody, st, doc, et = IDEM[ikey]
                if pbody != body:
                    return self._problem(422, "Unprocessable Entity",
                                         "Idempotency-Key reused")
                doc = dict(doc, replayed=True)
                return self._send(st, doc, et)
            exists = key in STATE
            if im is None and inm is None:
                return self._problem(428, "Precondition Required",
                                     "If-Match or If-None-Match required")
            if inm == "*" and exists:
                return self._problem(412, "Precondition Failed",
                                     "edge exists", current_etag=etag_of(key),
                                     current=edge_doc(key))
            if im is not None and (not exists or im != etag_of(key)):
                extra = {}
                if exists:
                    extra = {"current_etag": etag_of(key),
                             "current": edge_doc(key)}
                return self._problem(412, "Precondition Failed",
                                     "If-Match did not match", **extra)
            before = STATE[key]["ms"] if exists else None
            if dry:
                return self._send(200, {"dry_run": True, "diff": [
                    {"field": "request_timeout_ms", "from": before,
                     "to": ms}]})
            ov = {"timeouts": {"request_timeout_ms": ms},
                  "reason": req["reason"], "actor": req["actor"],
                  "change_id": req.get("change_id", ikey),
                  "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                              time.gmtime())}
            if req.get("expires_at"):
                ov["expires_at"] = req["expires_at"]
            e = STATE.setdefault(key, {"ms": ms})
            e["ms"] = ms
            e["override"] = ov
            ETAGS[key] = ETAGS.get(key, 0) + 1
            doc = {"dry_run": False, "change_id": ov["change_id"],
                   "edge": edge_doc(key),
                   "diff": [{"field": "request_timeout_ms", "from": before,
                             "to": ms}]}
            IDEM[ikey] = (body, 200, doc, etag_of(key))
            return self._send(200, doc, etag_of(key))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--seed", action="append", default=[],
                   help="service/target=ms")
    p.add_argument("--fail-500", type=int, default=0)
    p.add_argument("--slow-ms", type=int, default=0)
    p.add_argument("--token-file")
    p.add_argument("--log")
    ARGS = p.parse_args()
    FAILS["left"] = ARGS.fail_500
    for s in ARGS.seed:
        edge, ms = s.split("=")
        svc, tgt = edge.split("/")
        STATE[(svc, tgt)] = {"ms": int(ms), "baseline": int(ms),
                             "override": None}
        ETAGS[(svc, tgt)] = 1
    srv = Server(("127.0.0.1", ARGS.port), Handler)
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(srv.server_address[1]))
        import os
        os.rename(tmp, ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
