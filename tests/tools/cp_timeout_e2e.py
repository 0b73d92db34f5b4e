#!/usr/bin/env python3
"""`srctl timeout` end to end through the http and istio drivers.

  http   the reference server of the REST API (tests/tools/
         cp_ref_server.py) and, when --caddy is given, a real Caddy
  istio  the loopback fake Kubernetes API server (tests/tools/
         k8s_fake.py), with srctl's PATCH compared with the recorded
         kubectl one (fixtures/cp/k8s-contract)

Each case runs srctl in a throwaway repository holding a timeout
contract (redis: base 800, multiplier 1.5, max 2000) and a .srctl.yaml
naming the control plane, and checks exit codes, output, the server's
state and the audit log. Servers get free ports and are stopped by PID.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cp_http_test as H  # noqa: E402
import cp_istio_test as K  # noqa: E402

EXIT_OK, EXIT_USAGE, EXIT_REFUSED, EXIT_CONFLICT = 0, 2, 4, 5
EXIT_UNREACHABLE, EXIT_DENIED = 6, 7
CONTRACT = """http:
  downstream:
    redis: { base: 800, multiplier: 1.5, max: 2000 }
"""
FAILURES = []
CHECKS = [0]
SECRETS = [H.TOKEN, K.TOKEN]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr)


class Repo:
    def __init__(self, srctl, base, cp_yaml):
        self.srctl = srctl
        self.dir = tempfile.mkdtemp(prefix="repo-", dir=base)
        os.makedirs(os.path.join(self.dir, "services", "payment-gw"))
        with open(os.path.join(self.dir, "services", "payment-gw",
                               "timeout.yaml"), "w") as f:
            f.write(CONTRACT)
        with open(os.path.join(self.dir, ".srctl.yaml"), "w") as f:
            f.write(cp_yaml)

    def run(self, *args, env=None, wait=True):
        e = dict(os.environ, SRCTL_USER="oncall@example.com")
        e.pop("KUBECONFIG", None)
        e.update(env or {})
        args = list(args)
        if H.WRAP:
            # valgrind is slow: stretch every deadline (10s default) x6.
            if "--timeout" in args:
                i = args.index("--timeout") + 1
                args[i] = "%ds" % (int(args[i].rstrip("s")) * 6)
            else:
                args += ["--timeout", "60s"]
        argv = H.WRAP + [self.srctl, "timeout"] + args
        if not wait:
            return subprocess.Popen(argv, cwd=self.dir, env=e, text=True,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
        t = time.monotonic()
        p = subprocess.run(argv, cwd=self.dir, env=e, capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, timeout=120)
        p.elapsed = time.monotonic() - t
        p.out = p.stdout + p.stderr
        for s in SECRETS:
            check(s not in p.out, "secret printed by: %s" % " ".join(args))
        check("Sanitizer" not in p.out and "runtime error:" not in p.out,
              "sanitizer report from: %s\n%s" % (" ".join(args), p.out))
        return p

    def adjust(self, *args, env=None, wait=True):
        return self.run("adjust", "-s", "payment-gw", "-t", "redis",
                        "--reason", "p99 alert INC-7", "--yes", *args,
                        env=env, wait=wait)

    def audit(self):
        p = os.path.join(self.dir, ".srctl", "timeout-audit.jsonl")
        if not os.path.exists(p):
            return []
        with open(p) as f:
            text = f.read()
        for s in SECRETS:
            check(s not in text, "secret in the audit log")
        return [json.loads(l) for l in text.splitlines()]


def live_ref(ep):
    import urllib.request
    with urllib.request.urlopen(ep + "/v1/edges/payment-gw/redis") as r:
        return json.load(r)


def test_http(a, d, procs):
    s = H.ref_server(a, d, "e2e")
    procs.append(s)
    ep = "http://127.0.0.1:%d" % s.port
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: http\n"
             "    endpoint: %s\n" % ep)

    # Steps 800 -> 1200 -> 1800 -> 2000, then refused at max.
    for want in (1200, 1800, 2000):
        p = r.adjust("--mode", "dynamic")
        check(p.returncode == EXIT_OK and "-> %d ms on control plane "
              "'default'" % want in p.out, "dynamic to %d: %d %s" %
              (want, p.returncode, p.out))
        check(live_ref(ep)["effective"]["request_timeout_ms"] == want,
              "server holds %d" % want)
    n = len(s.requests())
    p = r.adjust("--mode", "set", "--value", "1500", "--dry-run")
    dry = [x for x in s.requests()[n:] if x["method"] == "PUT"]
    check(p.returncode == EXIT_OK and len(dry) == 1 and
          dry[0]["query"] == {"dryRun": ["true"]} and
          live_ref(ep)["effective"]["request_timeout_ms"] == 2000,
          "--dry-run: one PUT ?dryRun=true, nothing stored: %d %s" %
          (p.returncode, p.out))
    p = r.adjust("--mode", "dynamic")
    check(p.returncode == EXIT_REFUSED and "max 2000" in p.out,
          "refused at max: %d %s" % (p.returncode, p.out))
    p = r.adjust("--mode", "set", "--value", "2500")
    check(p.returncode == EXIT_REFUSED and "2000" in p.out,
          "set above max: %d %s" % (p.returncode, p.out))
    ov = live_ref(ep)["override"]
    au = r.audit()
    oks = [x for x in au if x["outcome"] == "ok"]
    check(len(oks) == 3 and ov["change_id"] == oks[-1]["change_id"] and
          ov["actor"] == "oncall@example.com" and
          ov["reason"] == "p99 alert INC-7",
          "server's override is srctl's last write: %r" % ov)
    puts = [x for x in s.requests() if x["method"] == "PUT" and
            not x["query"]]
    check(len(puts) == 3 and all(x["if_match"] for x in puts) and
          [x["idempotency_key"] for x in puts] ==
          [x["change_id"] for x in oks], "PUTs carry If-Match and the "
          "change id as Idempotency-Key")
    p = r.run("revert", "-s", "payment-gw", "-t", "redis", "--reason",
              "recovered", "--yes")
    check(p.returncode == EXIT_OK and
          live_ref(ep)["effective"]["request_timeout_ms"] == 800,
          "revert to base: %d %s" % (p.returncode, p.out))

    # Racing on-call engineers: no lost update, value = last ok write.
    ps = [r.adjust("--mode", "dynamic", wait=False) for _ in range(8)]
    outs = [(p.wait(), p.stdout.read()) for p in ps]
    for p in ps:
        p.stdout.close()
    codes = [c for c, _ in outs]
    check(all(c in (EXIT_OK, EXIT_CONFLICT, EXIT_REFUSED) for c in codes),
          "racing adjusts: %r" % codes)
    au = [x for x in r.audit() if x["command"] == "adjust"][-8:]
    oks = [x for x in au if x["outcome"] == "ok"]
    final = live_ref(ep)["effective"]["request_timeout_ms"]
    check(len(au) == 8, "every racing attempt audited")
    # Audit lines are appended after each write, so their order need not
    # be the commit order; the ok writes must form one chain from 800
    # (each replaced exactly what the previous one wrote: no lost
    # update) that ends at the live value.
    chain, cur, left = [], 800, list(oks)
    while True:
        nxt = [x for x in left if x["old_ms"] == cur]
        if len(nxt) != 1:
            break
        left.remove(nxt[0])
        chain.append(nxt[0])
        cur = nxt[0]["new_ms"]
    check(oks and not left and cur == final and 800 <= final <= 2000,
          "ok writes %r chain from 800 to the live %d" %
          ([(x["old_ms"], x["new_ms"]) for x in oks], final))
    check(chain and live_ref(ep)["override"]["change_id"] ==
          chain[-1]["change_id"], "server's change id is the last write's")
    s.stop()

    # 500s: two, then retried to success; always: unreachable, audited.
    s = H.ref_server(a, d, "e2e-500x2", "--fail-500", "2")
    procs.append(s)
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: http\n"
             "    endpoint: http://127.0.0.1:%d\n" % s.port)
    p = r.adjust("--mode", "set", "--value", "1000")
    check(p.returncode == EXIT_OK, "retried past two 500s: %d %s" %
          (p.returncode, p.out))
    s.stop()
    s = H.ref_server(a, d, "e2e-500", "--fail-500", "-1")
    procs.append(s)
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: http\n"
             "    endpoint: http://127.0.0.1:%d\n" % s.port)
    p = r.adjust("--mode", "set", "--value", "1000", "--timeout", "1s")
    check(p.returncode == EXIT_UNREACHABLE and "HTTP 500" in p.out,
          "always 500: %d %s" % (p.returncode, p.out))
    au = r.audit()
    check(au and au[-1]["outcome"] not in ("ok",) and au[-1]["new_ms"]
          in (None, 1000), "audit says it failed: %r" % au[-1:])
    check(len(s.requests()) > 1, "the command retried (%d requests)" %
          len(s.requests()))
    s.stop()

    # A slow server past --timeout.
    s = H.ref_server(a, d, "e2e-slow", "--slow-ms",
                     "8000" if not H.WRAP else "30000")
    procs.append(s)
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: http\n"
             "    endpoint: http://127.0.0.1:%d\n" % s.port)
    p = r.adjust("--mode", "set", "--value", "1000", "--timeout", "1s")
    check(p.returncode == EXIT_UNREACHABLE and "timed out" in p.out,
          "slow server: %d %s" % (p.returncode, p.out))
    check(p.elapsed < (5 if not H.WRAP else 25), "gave up after %.1fs" %
          p.elapsed)
    s.stop()

    # Bearer token: from the environment; wrong -> denied, never shown.
    tf = os.path.join(d, "e2e-token")
    with open(tf, "w") as f:
        f.write(H.TOKEN + "\n")
    s = H.ref_server(a, d, "e2e-auth", "--token-file", tf)
    procs.append(s)
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: http\n"
             "    endpoint: http://127.0.0.1:%d\n"
             "    token_env: SRCTL_CP_TOKEN\n" % s.port)
    p = r.adjust("--mode", "set", "--value", "1000",
                 env={"SRCTL_CP_TOKEN": H.TOKEN})
    check(p.returncode == EXIT_OK, "right token: %d %s" %
          (p.returncode, p.out))
    p = r.adjust("--mode", "set", "--value", "1100",
                 env={"SRCTL_CP_TOKEN": H.TOKEN[:-3] + "bad"})
    check(p.returncode == EXIT_DENIED and "403" in p.out and
          H.TOKEN[:-3] not in p.out, "wrong token: %d %s" %
          (p.returncode, p.out))
    r.audit()
    s.stop()

    if a.caddy:
        test_caddy(a, d, procs)


def test_caddy(a, d, procs):
    admin = H.free_port()
    conf = {"admin": {"listen": "127.0.0.1:%d" % admin,
                      "config": {"persist": False}},
            "apps": {"http": {"servers": {"gw": {
                "listen": ["127.0.0.1:%d" % H.free_port()],
                "routes": [{"handle": [{
                    "@id": "payment-gw-redis", "handler": "reverse_proxy",
                    "upstreams": [{"dial": "127.0.0.1:%d" % H.free_port()}],
                    "transport": {"protocol": "http",
                                  "response_header_timeout": "800ms"}}]}]}}}}}
    cf = os.path.join(d, "caddy-e2e.json")
    with open(cf, "w") as f:
        json.dump(conf, f)
    env = dict(os.environ, HOME=d, XDG_DATA_HOME=d, XDG_CONFIG_HOME=d)
    c = H.Proc([a.caddy, "run", "--config", cf], env=env, port=admin)
    procs.append(c)
    r = Repo(a.srctl, d, "control_planes:\n  proxy:\n    driver: http\n"
             "    endpoint: http://127.0.0.1:%d\n    prefix: /id/{service}-"
             "{target}/transport/response_header_timeout\n" % admin)
    p = r.adjust("--control-plane", "proxy", "--mode", "dynamic")
    check(p.returncode == EXIT_OK and "800 ms -> 1200 ms" in p.out,
          "caddy dynamic: %d %s" % (p.returncode, p.out))
    import urllib.request
    with urllib.request.urlopen("http://127.0.0.1:%d/id/payment-gw-redis/"
                                "transport" % admin) as resp:
        t = json.load(resp)["response_header_timeout"]
    check(t == "1200ms", "caddy holds 1200ms: %s" % t)
    c.stop()


def test_istio(a, d, procs):
    K.make_pki(d)
    with open(os.path.join(d, "token"), "w") as f:
        f.write(K.TOKEN + "\n")
    _, rec_patch, _ = K.recorded(a.contract)
    f1 = K.Fake(a.tools, d, "e2e")
    procs.append(f1)
    kc = K.kubeconfig(d, "kc-e2e", f1.port, os.path.join(d, "ca.crt"))
    r = Repo(a.srctl, d, "control_planes:\n  mesh:\n    driver: istio\n"
             "    kubeconfig: %s\n    namespace: payments\n" % kc)
    p = r.run("show", "-s", "payment-gw", "-t", "redis", "--control-plane",
              "mesh")
    check(p.returncode == EXIT_OK and "800 ms on 'mesh' (istio)" in p.out,
          "show: %d %s" % (p.returncode, p.out))
    p = r.adjust("--control-plane", "mesh", "--mode", "dynamic")
    check(p.returncode == EXIT_OK and "800 ms -> 1200 ms" in p.out,
          "dynamic: %d %s" % (p.returncode, p.out))
    o = f1.obj()
    route = o["spec"]["http"][0]
    check(route["timeout"] == "1200ms" and
          route["retries"]["perTryTimeout"] == "600ms",
          "VirtualService holds 1200ms/600ms: %r" % route)
    patches = [x for x in f1.requests() if x["method"] == "PATCH"]
    check(len(patches) == 1 and json.loads(patches[0]["body"])[:4] ==
          json.loads(rec_patch["body"]), "srctl's PATCH = kubectl's")
    ok = [x for x in r.audit() if x["outcome"] == "ok"]
    ann = json.loads(o["metadata"]["annotations"][
        "srctl.io/timeout.payment-gw-to-redis"])
    check(ok and ann["change_id"] == ok[-1]["change_id"] and
          ann["changed_by"] == "oncall@example.com",
          "annotation records the change: %r" % ann)
    p = r.run("revert", "-s", "payment-gw", "-t", "redis", "--reason",
              "recovered", "--yes", "--control-plane", "mesh")
    route = f1.obj()["spec"]["http"][0]
    check(p.returncode == EXIT_OK and route["timeout"] == "800ms" and
          route["retries"]["perTryTimeout"] == "400ms",
          "revert: %d %s %r" % (p.returncode, p.out, route))
    n = len(f1.requests())
    p = r.adjust("--control-plane", "mesh", "--mode", "set", "--value",
                 "1500", "--dry-run")
    dry = [x for x in f1.requests()[n:] if x["method"] == "PATCH"]
    check(p.returncode == EXIT_OK and
          f1.obj()["spec"]["http"][0]["timeout"] == "800ms",
          "dry run leaves the object: %d %s" % (p.returncode, p.out))
    check(len(dry) == 1 and dry[0]["query"] == {
        "dryRun": ["All"], "fieldManager": ["srctl"]} and
        json.loads(dry[0]["body"])[2]["value"] == "1500ms",
        "--dry-run sends the PATCH with dryRun=All: %r" % dry)
    f1.stop()

    # Another writer between srctl's read and its patch: the failed
    # `test` (422) is a conflict; srctl re-reads, recomputes, succeeds.
    f2 = K.Fake(a.tools, d, "e2e-race", "--bump-after-get", "1")
    procs.append(f2)
    kc2 = K.kubeconfig(d, "kc-e2e-race", f2.port, os.path.join(d, "ca.crt"))
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: istio\n"
             "    kubeconfig: %s\n" % kc2)
    p = r.adjust("--mode", "dynamic")
    route = f2.obj()["spec"]["http"][0]
    check(p.returncode == EXIT_OK and route["timeout"] == "1499ms",
          "re-read after the race, 999ms x 1.5: %d %s %r" %
          (p.returncode, p.out, route))
    f2.stop()

    # Wrong token: denied, not printed.
    f3 = K.Fake(a.tools, d, "e2e-auth")
    procs.append(f3)
    kc3 = K.kubeconfig(d, "kc-e2e-bad", f3.port, os.path.join(d, "ca.crt"),
                       token="wrong-" + K.TOKEN)
    r = Repo(a.srctl, d, "control_planes:\n  default:\n    driver: istio\n"
             "    kubeconfig: %s\n" % kc3)
    p = r.adjust("--mode", "dynamic")
    check(p.returncode == EXIT_DENIED and "401" in p.out,
          "wrong token: %d %s" % (p.returncode, p.out))
    r.audit()
    f3.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--srctl", required=True)
    ap.add_argument("--tools", required=True)
    ap.add_argument("--probe")
    ap.add_argument("--caddy")
    ap.add_argument("--contract")
    ap.add_argument("which", choices=["http", "istio"])
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="srctl-cpe2e-")
    procs = []
    try:
        if a.which == "http":
            test_http(a, d, procs)
        else:
            test_istio(a, d, procs)
    finally:
        for p in procs:
            p.stop()
        shutil.rmtree(d, ignore_errors=True)
    print("%d checks, %d failed" % (CHECKS[0], len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
