#!/usr/bin/env python3
"""Recorded-contract test of srctl's istio driver.

A real Kubernetes API server cannot run in the test environment, so the
driver talks to tests/tools/k8s_fake.py (HTTPS with a throwaway CA made
here with openssl, bearer token, documented Status bodies) and its
requests are compared with the ones the real kubectl v1.32.4 sent
(fixtures/cp/k8s-contract/requests.jsonl): method, path, query,
Content-Type, Accept and the JSON Patch itself.

Every case checks the SR_CP_* exit code of cp-probe (tests/tools/
cp_probe.c) and what it printed; servers are stopped by PID at the end.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

OK, CONFLICT, NOT_FOUND, AUTH, INVALID, UNAVAILABLE, TLS = range(7)
TOKEN = "test-token-7f3c9d1e-never-print-me"
VS_PATH = "/apis/networking.istio.io/v1/namespaces/payments/virtualservices/redis"

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


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_pki(d):
    """A CA, a server cert for 127.0.0.1, and a second unrelated CA."""
    for ca in ("ca", "otherca"):
        sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
           "-days", "2", "-subj", "/CN=srctl-test-" + ca,
           "-keyout", os.path.join(d, ca + ".key"),
           "-out", os.path.join(d, ca + ".crt"))
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj",
       "/CN=127.0.0.1", "-keyout", os.path.join(d, "server.key"),
       "-out", os.path.join(d, "server.csr"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    sh("openssl", "x509", "-req", "-in", os.path.join(d, "server.csr"),
       "-CA", os.path.join(d, "ca.crt"), "-CAkey", os.path.join(d, "ca.key"),
       "-CAcreateserial", "-days", "2", "-extfile", ext,
       "-out", os.path.join(d, "server.crt"))
    # A client certificate for kubeconfig client-certificate-data.
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj",
       "/CN=oncall/O=srctl", "-keyout", os.path.join(d, "client.key"),
       "-out", os.path.join(d, "client.csr"))
    sh("openssl", "x509", "-req", "-in", os.path.join(d, "client.csr"),
       "-CA", os.path.join(d, "ca.crt"), "-CAkey", os.path.join(d, "ca.key"),
       "-CAcreateserial", "-days", "2", "-out", os.path.join(d, "client.crt"))


def kubeconfig(d, name, port, ca, token=TOKEN, user_extra=""):
    with open(ca, "rb") as f:
        cadata = base64.b64encode(f.read()).decode()
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write("""apiVersion: v1
kind: Config
current-context: test
clusters:
- name: fake
  cluster:
    server: https://127.0.0.1:%d
    certificate-authority-data: %s
contexts:
- name: test
  context: {cluster: fake, user: oncall, namespace: payments}
users:
- name: oncall
  user:
%s""" % (port, cadata, user_extra or "    token: %s\n" % token))
    return path


class Fake:
    def __init__(self, tools, d, tag, *extra):
        self.d = d
        self.log = os.path.join(d, tag + ".log.jsonl")
        self.state = os.path.join(d, tag + ".state.json")
        portf = os.path.join(d, tag + ".port")
        tokf = os.path.join(d, "token")
        self.p = subprocess.Popen(
            [sys.executable, os.path.join(tools, "k8s_fake.py"),
             "--port-file", portf, "--log", self.log, "--state", self.state,
             "--tls-cert", os.path.join(d, "server.crt"),
             "--tls-key", os.path.join(d, "server.key"),
             "--token-file", tokf] + list(extra))
        for _ in range(100):
            if os.path.exists(portf):
                break
            time.sleep(0.05)
        with open(portf) as f:
            self.port = int(f.read())

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(l) for l in f]

    def obj(self):
        with open(self.state) as f:
            return json.load(f)["payments/redis"]

    def stop(self):
        self.p.kill()
        self.p.wait()


def probe(a, kc, *cmd, env=None):
    e = dict(os.environ)
    e.pop("KUBECONFIG", None)
    e.update(env or {})
    args = WRAP + [a.probe, "--driver", "istio"]
    if kc:
        args += ["--kubeconfig", kc]
    r = subprocess.run(args + list(cmd), capture_output=True, text=True,
                       env=e, timeout=60)
    out = r.stdout + r.stderr
    check(TOKEN not in out, "token printed by: %s" % " ".join(cmd))
    # ASan's exit code 1 would pass for a conflict: look at the text too.
    check("Sanitizer" not in out and "runtime error:" not in out and
          "== ERROR SUMMARY" not in out,
          "sanitizer/valgrind report from: %s\n%s" % (" ".join(cmd), out))
    return r.returncode, r.stdout


def recorded(contract):
    with open(os.path.join(contract, "requests.jsonl")) as f:
        recs = [json.loads(l) for l in f]
    get = [r for r in recs if r["method"] == "GET" and r["path"] == VS_PATH]
    jp = [r for r in recs if r["method"] == "PATCH" and
          r["content_type"] == "application/json-patch+json" and
          len(json.loads(r["body"])) == 4]
    dry = [r for r in recs if r["method"] == "PATCH" and
           r["query"].get("dryRun")]
    return get[0], jp[0], dry[0]


def same_shape(mine, rec, what, field_manager="srctl"):
    check(mine["method"] == rec["method"], what + ": method")
    check(mine["path"] == rec["path"], what + ": path %s" % mine["path"])
    q = dict(rec["query"])
    if "fieldManager" in q:
        q["fieldManager"] = [field_manager]
    check(mine["query"] == q, what + ": query %r vs %r" % (mine["query"], q))
    check(mine["content_type"] == rec["content_type"],
          what + ": content-type %r" % mine["content_type"])
    check(mine["accept"] == rec["accept"], what + ": accept %r" %
          mine["accept"])
    check(mine["authorization"] == "Bearer test-t...",
          what + ": bearer token")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", required=True)
    ap.add_argument("--srctl")
    ap.add_argument("--tools", required=True)
    ap.add_argument("--contract", required=True)
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="srctl-istio-")
    fakes = []
    try:
        make_pki(d)
        with open(os.path.join(d, "token"), "w") as f:
            f.write(TOKEN + "\n")
        rec_get, rec_patch, rec_dry = recorded(a.contract)

        # 1. get, put, get against the recorded contract.
        f1 = Fake(a.tools, d, "main")
        fakes.append(f1)
        kc = kubeconfig(d, "kc", f1.port, os.path.join(d, "ca.crt"))
        rc, out = probe(a, kc, "get", "payment-gw", "redis")
        check(rc == OK and "ms=800 version=1000 " in out, "get: " + out)
        rc, out = probe(a, kc, "put", "payment-gw", "redis", "1000", "1200")
        check(rc == OK and "ok version=1001" in out, "put: %d %s" % (rc, out))
        o = f1.obj()
        check(o["spec"]["http"][0]["timeout"] == "1200ms", "stored timeout")
        check(o["spec"]["http"][0]["retries"]["perTryTimeout"] == "600ms",
              "perTryTimeout = timeout / attempts")
        check(o["spec"]["http"][1] == {"name": "default", "route": [
            {"destination": {"host": "redis.payments.svc.cluster.local"}}]},
              "other route untouched")
        ann = o["metadata"].get("annotations", {}).get(
            "srctl.io/timeout.payment-gw-to-redis")
        check(ann is not None and json.loads(ann)["change_id"] ==
              "probe-change-1", "audit annotation %r" % ann)
        rc, out = probe(a, kc, "get", "payment-gw", "redis")
        check(rc == OK and "ms=1200 version=1001 change_id=probe-change-1"
              in out, "get after put: " + out)
        reqs = f1.requests()
        gets = [r for r in reqs if r["method"] == "GET"]
        patches = [r for r in reqs if r["method"] == "PATCH"]
        check(len(patches) == 1, "one PATCH, got %d" % len(patches))
        same_shape(gets[0], rec_get, "GET vs recorded kubectl GET")
        if patches:
            p = patches[0]
            same_shape(p, rec_patch, "PATCH vs recorded kubectl json patch")
            mine = json.loads(p["body"])
            want = json.loads(rec_patch["body"])
            check(mine[:4] == want, "patch ops = recorded kubectl ops:\n"
                  "  %s\n  %s" % (json.dumps(mine[:4]), json.dumps(want)))
            check(len(mine) == 5 and mine[4]["op"] == "add" and
                  mine[4]["path"] == "/metadata/annotations",
                  "5th op records the change: %r" % mine[4:])

        # 2. a stale version is refused before any PATCH is sent.
        n = len(f1.requests())
        rc, out = probe(a, kc, "put", "payment-gw", "redis", "1000", "1500")
        check(rc == CONFLICT and "resourceVersion 1000, now 1001" in out,
              "stale put: %d %s" % (rc, out))
        check(not [r for r in f1.requests()[n:] if r["method"] == "PATCH"],
              "stale put sent no PATCH")

        # 3. server-side dry run: dryRun=All, nothing stored.
        n = len(f1.requests())
        rc, out = probe(a, kc, "--dry-run", "put", "payment-gw", "redis",
                        "1001", "1800")
        check(rc == OK and "ok version=-" in out, "dry run: " + out)
        check(f1.obj()["metadata"]["resourceVersion"] == "1001" and
              f1.obj()["spec"]["http"][0]["timeout"] == "1200ms",
              "dry run stored nothing")
        dp = [r for r in f1.requests()[n:] if r["method"] == "PATCH"]
        check(len(dp) == 1, "dry run sent one PATCH")
        if dp:
            check(dp[0]["query"] == {"dryRun": ["All"],
                                     "fieldManager": ["srctl"]},
                  "dry-run query %r" % dp[0]["query"])
            check(rec_dry["query"]["dryRun"] == ["All"], "recorded dryRun")

        # 4. list, missing objects and routes.
        rc, out = probe(a, kc, "list")
        check(rc == OK and "edge payment-gw redis ms=1200 "
              "change_id=probe-change-1" in out, "list: " + out)
        rc, out = probe(a, kc, "get", "payment-gw", "memcached")
        check(rc == NOT_FOUND and "not found" in out, "missing VS: " + out)
        rc, out = probe(a, kc, "get", "checkout", "redis")
        check(rc == NOT_FOUND and "checkout-to-redis" in out,
              "missing route: " + out)

        # 5. credentials: wrong token -> auth, other CA -> TLS, exec -> no.
        kbad = kubeconfig(d, "kc-badtoken", f1.port,
                          os.path.join(d, "ca.crt"), token="wrong")
        rc, out = probe(a, kbad, "get", "payment-gw", "redis")
        check(rc == AUTH and "401" in out, "bad token: %d %s" % (rc, out))
        kca = kubeconfig(d, "kc-otherca", f1.port,
                         os.path.join(d, "otherca.crt"))
        rc, out = probe(a, kca, "get", "payment-gw", "redis")
        check(rc == TLS, "other CA: %d %s" % (rc, out))
        kex = kubeconfig(d, "kc-exec", f1.port, os.path.join(d, "ca.crt"),
                         user_extra="    exec: {command: gcloud}\n")
        rc, out = probe(a, kex, "get", "payment-gw", "redis")
        check(rc == INVALID and "exec" in out, "exec plugin: " + out)

        # 5b. client certificate from the kubeconfig (mTLS, no token).
        fm = Fake(a.tools, d, "mtls", "--client-ca", os.path.join(d, "ca.crt"))
        fakes.append(fm)

        def b64(name):
            with open(os.path.join(d, name), "rb") as f:
                return base64.b64encode(f.read()).decode()
        kcert = kubeconfig(d, "kc-cert", fm.port, os.path.join(d, "ca.crt"),
                           user_extra="    client-certificate-data: %s\n"
                           "    client-key-data: %s\n    token: %s\n"
                           % (b64("client.crt"), b64("client.key"), TOKEN))
        rc, out = probe(a, kcert, "get", "payment-gw", "redis")
        check(rc == OK and "ms=800" in out, "client cert: %d %s" % (rc, out))
        knocert = kubeconfig(d, "kc-nocert", fm.port,
                             os.path.join(d, "ca.crt"))
        rc, out = probe(a, knocert, "get", "payment-gw", "redis")
        check(rc in (TLS, UNAVAILABLE) and rc != OK,
              "no client cert refused: %d %s" % (rc, out))
        fm.stop()

        # 6. in-cluster service account.
        sa = os.path.join(d, "sa")
        os.mkdir(sa)
        shutil.copy(os.path.join(d, "ca.crt"), os.path.join(sa, "ca.crt"))
        with open(os.path.join(sa, "token"), "w") as f:
            f.write(TOKEN)
        with open(os.path.join(sa, "namespace"), "w") as f:
            f.write("payments")
        rc, out = probe(a, None, "get", "payment-gw", "redis", env={
            "HOME": d, "KUBERNETES_SERVICE_HOST": "127.0.0.1",
            "KUBERNETES_SERVICE_PORT": str(f1.port),
            "SRCTL_K8S_SA_DIR": sa})
        check(rc == OK and "ms=1200" in out, "in-cluster: %d %s" % (rc, out))
        f1.stop()

        # 7. races: a writer between srctl's GET and PATCH, failed `test`
        #    answered with 422 (current servers) and 500 (old servers).
        for st in ("422", "500"):
            f = Fake(a.tools, d, "race" + st, "--bump-after-get", "2",
                     "--test-fail-status", st)
            fakes.append(f)
            k = kubeconfig(d, "kc-race" + st, f.port,
                           os.path.join(d, "ca.crt"))
            rc, out = probe(a, k, "get", "payment-gw", "redis")
            check(rc == OK and "version=1000" in out, "race get " + out)
            rc, out = probe(a, k, "put", "payment-gw", "redis", "1000",
                            "1200")
            check(rc == CONFLICT and "now 1001" in out,
                  "race with test failing as %s: %d %s" % (st, rc, out))
            check(f.obj()["spec"]["http"][0]["timeout"] == "999ms",
                  "the other writer's value survived (%s)" % st)
            f.stop()

        # 8. Status answers without a race: 409 is a conflict; 422 and
        #    500 on an unchanged object are not (invalid / unavailable).
        for st, want in (("409", CONFLICT), ("422", INVALID),
                         ("500", UNAVAILABLE)):
            f = Fake(a.tools, d, "status" + st, "--next-patch", st)
            fakes.append(f)
            k = kubeconfig(d, "kc-st" + st, f.port, os.path.join(d, "ca.crt"))
            rc, out = probe(a, k, "put", "payment-gw", "redis", "1000",
                            "1200")
            check(rc == want and ("HTTP %s" % st) in out,
                  "PATCH answered %s: %d %s" % (st, rc, out))
            check(f.obj()["metadata"]["resourceVersion"] == "1000",
                  "nothing stored on %s" % st)
            f.stop()
    finally:
        for f in fakes:
            if f.p.poll() is None:
                f.stop()
        shutil.rmtree(d, ignore_errors=True)
    print("%d checks, %d failed" % (CHECKS[0], len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
