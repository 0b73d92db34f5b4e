#!/usr/bin/env python3
"""Tests of srctl's http control-plane driver against servers on 127.0.0.1.

  refserver  tests/tools/cp_ref_server.py, the reference implementation of
             schemas/srctl-controlplane.openapi.yaml, with its fault
             switches (500s, slow answers, required token)
  caddy      a real Caddy (Debian's caddy 2.6.2) admin API: ETag as an HTTP
             trailer, If-Match, 412 on a stale ETag

cp-probe (tests/tools/cp_probe.c) drives the driver through cp/driver.h and
exits with the SR_CP_* code. Ports are picked free; every server started
here is stopped by PID.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

OK, CONFLICT, NOT_FOUND, AUTH, INVALID, UNAVAILABLE, TLS = range(7)
TOKEN = "cp-secret-5d2e8a-never-print-me"
FAILURES = []
CHECKS = [0]
# e.g. "valgrind -q --error-exitcode=99 ..." (valgrind.cp.* tests): an
# error or leak changes the exit code, which every case checks.
WRAP = os.environ.get("CP_PROBE_WRAP", "").split()


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Proc:
    def __init__(self, args, env=None, port_file=None, port=None,
                 log=None):
        self.log = log
        self.p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        for _ in range(200):
            if port_file and os.path.exists(port_file):
                with open(port_file) as f:
                    self.port = int(f.read())
                return
            if port:
                try:
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    self.port = port
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("server did not start: %r" % args)

    def requests(self):
        if not self.log or not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(l) for l in f]

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def probe(a, endpoint, *cmd, env=None, opts=()):
    e = dict(os.environ)
    e.update(env or {})
    args = WRAP + [a.probe, "--driver", "http", "--endpoint", endpoint] + list(opts)
    t = time.monotonic()
    r = subprocess.run(args + list(cmd), capture_output=True, text=True,
                       env=e, timeout=60)
    out = r.stdout + r.stderr
    check(TOKEN not in out, "token printed by: %s" % " ".join(cmd))
    # ASan's exit code 1 would pass for a conflict: look at the text too.
    check("Sanitizer" not in out and "runtime error:" not in out and
          "== ERROR SUMMARY" not in out,
          "sanitizer/valgrind report from: %s\n%s" % (" ".join(cmd), out))
    return r.returncode, r.stdout, time.monotonic() - t


def ref_server(a, d, tag, *extra):
    pf = os.path.join(d, tag + ".port")
    log = os.path.join(d, tag + ".log.jsonl")
    return Proc([sys.executable, os.path.join(a.tools, "cp_ref_server.py"),
                 "--port-file", pf, "--log", log,
                 "--seed", "payment-gw/redis=800"] + list(extra),
                port_file=pf, log=log)


def test_refserver(a, d, procs):
    s = ref_server(a, d, "main")
    procs.append(s)
    ep = "http://127.0.0.1:%d" % s.port

    # Round trip.
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    check(rc == OK and 'ms=800 version="payment-gw-redis-1" change_id=-'
          in out, "get: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "put", "payment-gw", "redis",
                       '"payment-gw-redis-1"', "1200")
    check(rc == OK and 'ok version="payment-gw-redis-2"' in out,
          "put: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    check(rc == OK and 'ms=1200 version="payment-gw-redis-2" '
          'change_id=probe-change-1 changed_by=probe reason=cp-probe test '
          'expires=1700001800' in out, "get after put: " + out)
    put = [r for r in s.requests() if r["method"] == "PUT"][0]
    check(put["path"] == "/v1/edges/payment-gw/redis", "PUT path")
    check(put["if_match"] == '"payment-gw-redis-1"', "If-Match sent")
    check(put["idempotency_key"] == "probe-change-1", "Idempotency-Key")
    check(put["content_type"] == "application/json", "Content-Type")
    check(json.loads(put["body"]) == {
        "timeouts": {"request_timeout_ms": 1200}, "reason": "cp-probe test",
        "actor": "probe", "change_id": "probe-change-1",
        "expires_at": "2023-11-14T22:43:20Z"}, "PUT body %s" % put["body"])

    # A stale ETag: 412 -> conflict, value unchanged.
    rc, out, _ = probe(a, ep, "put", "payment-gw", "redis",
                       '"payment-gw-redis-1"', "1500",
                       opts=("--change-id", "second"))
    check(rc == CONFLICT and "HTTP 412" in out, "stale put: %d %s" %
          (rc, out))
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    check("ms=1200" in out, "value kept after 412: " + out)

    # Create-only ("" version): If-None-Match: *, twice -> conflict.
    rc, out, _ = probe(a, ep, "put", "checkout", "redis", "", "900",
                       opts=("--change-id", "create-1"))
    check(rc == OK, "create: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "put", "checkout", "redis", "", "950",
                       opts=("--change-id", "create-2"))
    check(rc == CONFLICT, "second create: %d %s" % (rc, out))
    creates = [r for r in s.requests() if r["method"] == "PUT" and
               r["path"] == "/v1/edges/checkout/redis"]
    check(all(r["if_none_match"] == "*" and r["if_match"] is None
              for r in creates), "create sends If-None-Match: *")

    # Server-side dry run.
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    ver = out.split("version=")[1].split(" ")[0]
    rc, out, _ = probe(a, ep, "put", "payment-gw", "redis", ver, "1800",
                       opts=("--dry-run", "--change-id", "dry-1"))
    check(rc == OK and "ok version=-" in out, "dry run: %d %s" % (rc, out))
    dry = [r for r in s.requests() if r["idempotency_key"] == "dry-1"]
    check(len(dry) == 1 and dry[0]["query"] == {"dryRun": ["true"]},
          "dryRun=true sent")
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    check("ms=1200 version=%s" % ver in out, "dry run stored nothing")

    # List and a missing edge.
    rc, out, _ = probe(a, ep, "list")
    check(rc == OK and "edge checkout redis ms=900 change_id=create-1"
          in out and "edge payment-gw redis ms=1200" in out, "list: " + out)
    rc, out, _ = probe(a, ep, "get", "payment-gw", "postgres")
    check(rc == NOT_FOUND and "HTTP 404" in out, "missing edge: " + out)

    # Concurrency: 8 writers with the same ETag, exactly one wins.
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    ver = out.split("version=")[1].split(" ")[0]
    ps = [subprocess.Popen(WRAP + [a.probe, "--driver", "http", "--endpoint", ep,
                            "--change-id", "race-%d" % i, "put",
                            "payment-gw", "redis", ver, str(1300 + i)],
                           stdout=subprocess.PIPE, text=True)
          for i in range(8)]
    rcs = [p.wait() for p in ps]
    for p in ps:
        p.stdout.close()
    check(rcs.count(OK) == 1 and rcs.count(CONFLICT) == 7,
          "8 racing writers: %r" % rcs)
    winner = 1300 + rcs.index(OK) if OK in rcs else -1
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    check("ms=%d " % winner in out, "winner's value stored: " + out)
    s.stop()

    # 500s: the driver reports them as unavailable (the command retries).
    s = ref_server(a, d, "failall", "--fail-500", "-1")
    procs.append(s)
    rc, out, _ = probe(a, "http://127.0.0.1:%d" % s.port, "get",
                       "payment-gw", "redis")
    check(rc == UNAVAILABLE and "HTTP 500: injected" in out,
          "500: %d %s" % (rc, out))
    rc, out, _ = probe(a, "http://127.0.0.1:%d" % s.port, "put",
                       "payment-gw", "redis", '"payment-gw-redis-1"', "900")
    check(rc == UNAVAILABLE, "put on 500s: %d %s" % (rc, out))
    check(len(s.requests()) == 2, "one request each, got %d" %
          len(s.requests()))
    s.stop()

    # Slow server past the timeout: unavailable, and quickly.
    s = ref_server(a, d, "slow", "--slow-ms", "5000")
    procs.append(s)
    rc, out, took = probe(a, "http://127.0.0.1:%d" % s.port, "get",
                          "payment-gw", "redis", opts=("--timeout-ms", "300"))
    check(rc == UNAVAILABLE and "timed out" in out, "slow: %d %s" % (rc, out))
    check(took < (4.0 if not WRAP else 12.0),
          "slow server gave up in %.2fs" % took)
    s.stop()

    # Bearer token from an environment variable or a file.
    tf = os.path.join(d, "token")
    with open(tf, "w") as f:
        f.write(TOKEN + "\n")
    s = ref_server(a, d, "auth", "--token-file", tf)
    procs.append(s)
    ep = "http://127.0.0.1:%d" % s.port
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis",
                       opts=("--token-env", "SRCTL_TEST_CP_TOKEN"),
                       env={"SRCTL_TEST_CP_TOKEN": TOKEN})
    check(rc == OK and "ms=800" in out, "token from env: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis",
                       opts=("--token-file", tf))
    check(rc == OK, "token from file: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis",
                       opts=("--token-env", "SRCTL_TEST_CP_TOKEN"),
                       env={"SRCTL_TEST_CP_TOKEN": "wrong-token"})
    check(rc == AUTH and "HTTP 403" in out and "wrong-token" not in out,
          "bad token: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis")
    check(rc == AUTH and "HTTP 401" in out, "no token: %d %s" % (rc, out))
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis",
                       opts=("--token-env", "SRCTL_TEST_UNSET_TOKEN"))
    check(rc == AUTH and "SRCTL_TEST_UNSET_TOKEN is not set" in out,
          "unset token env: %d %s" % (rc, out))
    s.stop()

    # Nothing listens: unavailable.
    rc, out, _ = probe(a, "http://127.0.0.1:%d" % free_port(), "get",
                       "payment-gw", "redis", opts=("--timeout-ms", "1000"))
    check(rc == UNAVAILABLE, "connection refused: %d %s" % (rc, out))


def test_caddy(a, d, procs):
    admin, web = free_port(), free_port()
    conf = {"admin": {"listen": "127.0.0.1:%d" % admin,
                      "config": {"persist": False}},
            "apps": {"http": {"servers": {"gw": {
                "listen": ["127.0.0.1:%d" % web],
                "routes": [{"handle": [{
                    "@id": "payment-gw-redis", "handler": "reverse_proxy",
                    "upstreams": [{"dial": "127.0.0.1:%d" % free_port()}],
                    "transport": {"protocol": "http",
                                  "dial_timeout": "800ms",
                                  "response_header_timeout": "800ms"}}]}]}}}}}
    cf = os.path.join(d, "caddy.json")
    with open(cf, "w") as f:
        json.dump(conf, f)
    env = dict(os.environ, HOME=d, XDG_DATA_HOME=d, XDG_CONFIG_HOME=d)
    c = Proc([a.caddy, "run", "--config", cf], env=env, port=admin)
    procs.append(c)
    ep = "http://127.0.0.1:%d" % admin
    opts = ("--prefix",
            "/id/{service}-{target}/transport/response_header_timeout")

    def live():
        with urllib.request.urlopen(ep + "/id/payment-gw-redis/transport") \
                as r:
            return json.load(r)["response_header_timeout"]

    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis", opts=opts)
    check(rc == OK and "ms=800 version=\"/config/apps/http/servers/gw/"
          "routes/0/handle/0/transport/response_header_timeout " in out,
          "caddy get (ETag from the trailer): %d %s" % (rc, out))
    ver = out.split("version=")[1].split(" change_id")[0]
    rc, out, _ = probe(a, ep, "put", "payment-gw", "redis", ver, "1200",
                       opts=opts)
    check(rc == OK, "caddy put: %d %s" % (rc, out))
    check(live() == "1200ms", "caddy holds 1200ms: %s" % live())
    # The same, now stale, ETag: Caddy's own 412.
    rc, out, _ = probe(a, ep, "put", "payment-gw", "redis", ver, "1500",
                       opts=opts)
    check(rc == CONFLICT and "HTTP 412" in out and "If-Match header did "
          "not match" in out, "caddy stale ETag: %d %s" % (rc, out))
    check(live() == "1200ms", "caddy kept 1200ms: %s" % live())
    # Racing writers with one ETag: one wins, the rest get 412. Caddy
    # replaces its admin listener on every config load, so a request that
    # arrives during the winner's reload may have its connection closed
    # unanswered (caddyserver/caddy#5984); the driver must report that as
    # unavailable (never as a success), and the command retries it.
    rc, out, _ = probe(a, ep, "get", "payment-gw", "redis", opts=opts)
    ver = out.split("version=")[1].split(" change_id")[0]
    ps = [subprocess.Popen(WRAP + [a.probe, "--driver", "http", "--endpoint", ep]
                           + list(opts) + ["put", "payment-gw", "redis", ver,
                                           str(1300 + i)],
                           stdout=subprocess.PIPE, text=True)
          for i in range(6)]
    rcs = [p.wait() for p in ps]
    outs = [p.stdout.read() for p in ps]
    for p in ps:
        p.stdout.close()
    dropped = [o for rc, o in zip(rcs, outs) if rc == UNAVAILABLE]
    check(rcs.count(OK) == 1 and
          rcs.count(CONFLICT) + len(dropped) == 5 and
          all("closed the connection without a response" in o
              for o in dropped),
          "6 racing writers on caddy: %r %r" % (rcs, outs))
    if OK in rcs:
        check(live() == "%dms" % (1300 + rcs.index(OK)),
              "caddy holds the winner's value: %s" % live())
    rc, out, _ = probe(a, ep, "get", "payment-gw", "postgres", opts=opts)
    check(rc in (NOT_FOUND, INVALID) and rc != OK,
          "caddy unknown id: %d %s" % (rc, out))
    c.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", required=True)
    ap.add_argument("--srctl")
    ap.add_argument("--tools", required=True)
    ap.add_argument("--caddy")
    ap.add_argument("which", choices=["refserver", "caddy"])
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="srctl-cphttp-")
    procs = []
    try:
        if a.which == "refserver":
            test_refserver(a, d, procs)
        else:
            test_caddy(a, d, procs)
    finally:
        for p in procs:
            p.stop()
        shutil.rmtree(d, ignore_errors=True)
    print("%d checks, %d failed" % (CHECKS[0], len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
