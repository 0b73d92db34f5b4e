#!/usr/bin/env python3
"""Tests of `srctl timeout` against real servers on 127.0.0.1.

Servers (started by the ctest fixtures, see tests/suites/timeout.cmake):
  start-etcd STATE [--tls]   etcd (Debian etcd-server); --tls: a throwaway
                             CA, server TLS, client certificates (mTLS) and
                             user/password auth
  start-prom STATE           a python3 http.server serving a metrics file
                             whose p99 the test controls, Prometheus
                             scraping it, and a Pushgateway
  stop STATE                 stop whatever STATE's pid files name
Cases:
  case NAME --state STATE --srctl BIN
Every server listens on a free port of 127.0.0.1; STATE holds the ports,
pids, data and logs. A case prints what it checks and exits 1 on the
first failed check.
"""
import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PASSWORD = "s3cret-Pa55-for-tests"
ROOT_PASSWORD = "root-Pa55-for-tests"


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def need(binary):
    path = shutil.which(binary)
    if not path:
        fail("%s not found: install it (ci/deps.sh --test)" % binary)
    return path


def wait_http(url, timeout=20, ctx=None):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=ctx) as r:
                return r.read()
        except Exception as e:  # not up yet
            last = e
            time.sleep(0.1)
    fail("%s did not come up: %s" % (url, last))


def spawn(state, name, argv, log):
    with open(log, "ab") as out:
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL,
                             start_new_session=True)
    with open(os.path.join(state, name + ".pid"), "w") as f:
        f.write(str(p.pid))
    return p.pid


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


# ---------------------------------------------------------------- etcd

def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", name + ".key", "-out", name + ".crt",
            "-subj", "/CN=srctl test " + name, cwd=d)


def make_cert(d, ca, name, subj, ext):
    write(os.path.join(d, name + ".ext"), ext)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout",
            name + ".key", "-out", name + ".csr", "-subj", subj, cwd=d)
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt",
            "-CAkey", ca + ".key", "-CAcreateserial", "-days", "2",
            "-out", name + ".crt", "-extfile", name + ".ext", cwd=d)


def make_pki(state):
    d = os.path.join(state, "pki")
    os.makedirs(d, exist_ok=True)
    make_ca(d, "ca")
    make_ca(d, "otherca")  # for the bad-CA case
    # the gateway dials etcd's own listener with the server cert, so it
    # needs clientAuth too (control-plane.md pitfall 1)
    make_cert(d, "ca", "server", "/CN=localhost",
              "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
              "extendedKeyUsage=serverAuth,clientAuth\n")
    # no CN: with auth on, the gateway refuses client certs with a CN
    # (control-plane.md pitfall 2)
    make_cert(d, "ca", "client", "/O=srctl",
              "extendedKeyUsage=clientAuth\n")
    return d


def start_etcd(state, tls, data=None, ports=None):
    etcd = need("etcd")
    os.makedirs(state, exist_ok=True)
    cport, pport = ports or (free_port(), free_port())
    scheme = "https" if tls else "http"
    data = data or os.path.join(state, "data")
    argv = [etcd, "--name", "s1", "--data-dir", data,
            "--listen-client-urls", "%s://127.0.0.1:%d" % (scheme, cport),
            "--advertise-client-urls", "%s://127.0.0.1:%d" % (scheme, cport),
            "--listen-peer-urls", "http://127.0.0.1:%d" % pport,
            "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % pport,
            "--initial-cluster", "s1=http://127.0.0.1:%d" % pport,
            "--unsafe-no-fsync", "--logger=zap",
            "--log-outputs", os.path.join(state, "etcd.log")]
    if tls:
        pki = os.path.join(state, "pki")
        if not os.path.exists(os.path.join(pki, "ca.crt")):
            make_pki(state)
        argv += ["--cert-file", os.path.join(pki, "server.crt"),
                 "--key-file", os.path.join(pki, "server.key"),
                 "--client-cert-auth",
                 "--trusted-ca-file", os.path.join(pki, "ca.crt")]
    spawn(state, "etcd", argv, os.path.join(state, "etcd.out"))
    endpoint = "%s://127.0.0.1:%d" % (scheme, cport)
    write(os.path.join(state, "endpoint"), endpoint)
    write(os.path.join(state, "ports"), "%d %d" % (cport, pport))
    deadline = time.time() + 30
    while time.time() < deadline:
        if etcdctl(state, "endpoint", "health", check_rc=False,
                   user=False).returncode == 0:
            break
        time.sleep(0.1)
    else:
        fail("etcd did not become healthy; see %s/etcd.log" % state)
    if tls and not os.path.exists(os.path.join(state, "auth-enabled")):
        setup_auth(state)
    return endpoint


def etcdctl(state, *args, check_rc=True, user=True, value_input=None):
    endpoint = read(os.path.join(state, "endpoint"))
    argv = [shutil.which("etcdctl"), "--endpoints", endpoint,
            "--command-timeout=5s"]
    if endpoint.startswith("https"):
        pki = os.path.join(state, "pki")
        argv += ["--cacert", os.path.join(pki, "ca.crt"),
                 "--cert", os.path.join(pki, "client.crt"),
                 "--key", os.path.join(pki, "client.key")]
        if user and os.path.exists(os.path.join(state, "auth-enabled")):
            argv += ["--user", "root:" + ROOT_PASSWORD]
    p = subprocess.run(argv + list(args), capture_output=True, text=True,
                       env=dict(os.environ, ETCDCTL_API="3"),
                       input=value_input)
    if check_rc and p.returncode != 0:
        fail("etcdctl %s: %s" % (" ".join(args), p.stderr.strip()))
    return p


def setup_auth(state):
    etcdctl(state, "user", "add", "root:" + ROOT_PASSWORD)
    etcdctl(state, "user", "add", "srctl:" + PASSWORD)
    etcdctl(state, "role", "add", "srctl-timeouts")
    etcdctl(state, "role", "grant-permission", "srctl-timeouts",
            "readwrite", "/srctl/", "--prefix=true")
    etcdctl(state, "user", "grant-role", "srctl", "srctl-timeouts")
    etcdctl(state, "auth", "enable")
    write(os.path.join(state, "auth-enabled"), "1")


def etcd_get(state, key):
    p = etcdctl(state, "get", key, "--print-value-only")
    return p.stdout.strip()


def etcd_rev(state):
    p = etcdctl(state, "endpoint", "status", "-w", "json")
    return json.loads(p.stdout)[0]["Status"]["header"]["revision"]


# ---------------------------------------------------------------- prometheus

METRICS = """# TYPE redis_request_duration_seconds histogram
redis_request_duration_seconds_bucket{le="0.5"} 900
redis_request_duration_seconds_bucket{le="1"} 990
redis_request_duration_seconds_bucket{le="1.5"} 1000
redis_request_duration_seconds_bucket{le="+Inf"} 1000
redis_request_duration_seconds_sum 500
redis_request_duration_seconds_count 1000
"""


def start_prom(state):
    prom = need("prometheus")
    pgw = need("prometheus-pushgateway")
    os.makedirs(os.path.join(state, "www"), exist_ok=True)
    write(os.path.join(state, "www", "metrics"), METRICS)
    tport, pport, gport = free_port(), free_port(), free_port()
    spawn(state, "target", [sys.executable, "-m", "http.server",
                            "--bind", "127.0.0.1", str(tport),
                            "--directory", os.path.join(state, "www")],
          os.path.join(state, "target.log"))
    write(os.path.join(state, "prometheus.yml"),
          "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
          "scrape_configs:\n"
          "  - job_name: redis\n"
          "    static_configs: [{targets: ['127.0.0.1:%d']}]\n" % tport)
    spawn(state, "prometheus",
          [prom, "--config.file", os.path.join(state, "prometheus.yml"),
           "--storage.tsdb.path", os.path.join(state, "tsdb"),
           "--web.listen-address", "127.0.0.1:%d" % pport],
          os.path.join(state, "prometheus.log"))
    spawn(state, "pushgateway",
          [pgw, "--web.listen-address", "127.0.0.1:%d" % gport],
          os.path.join(state, "pushgateway.log"))
    write(os.path.join(state, "prometheus"), "http://127.0.0.1:%d" % pport)
    write(os.path.join(state, "pushgateway"), "http://127.0.0.1:%d" % gport)
    wait_http("http://127.0.0.1:%d/-/ready" % pport, 60)
    wait_http("http://127.0.0.1:%d/-/ready" % gport, 30)
    # wait for a scrape to land
    q = ("http://127.0.0.1:%d/api/v1/query?query=" % pport +
         "redis_request_duration_seconds_count")
    deadline = time.time() + 60
    while time.time() < deadline:
        body = json.loads(wait_http(q))
        if body["data"]["result"]:
            return
        time.sleep(0.3)
    fail("Prometheus did not scrape the target")


def stop(state):
    for name in ("etcd", "prometheus", "pushgateway", "target"):
        pidfile = os.path.join(state, name + ".pid")
        if not os.path.exists(pidfile):
            continue
        pid = int(read(pidfile))
        try:
            os.killpg(pid, signal.SIGCONT)
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.unlink(pidfile)


# ---------------------------------------------------------------- helpers

CONTRACT = """http:
  downstream:
    redis: { base: 800, multiplier: 1.5, max: 2000 }
    kafka: { base: 100, multiplier: 1.1, max: 100000 }
"""


class Repo:
    """A throwaway repository with a contract and a .srctl.yaml."""

    def __init__(self, srctl, cp_yaml, extra_env=None):
        self.dir = tempfile.mkdtemp(prefix="srctl-timeout-")
        self.srctl = srctl
        os.makedirs(os.path.join(self.dir, "services", "payment-gw"))
        write(os.path.join(self.dir, "services", "payment-gw",
                           "timeout.yaml"), CONTRACT)
        write(os.path.join(self.dir, ".srctl.yaml"), cp_yaml)
        self.env = dict(os.environ, SRCTL_USER="oncall@example.com")
        self.env.pop("NO_COLOR", None)
        if extra_env:
            self.env.update(extra_env)
        self.outputs = []

    def run(self, *args, env=None, stdin=subprocess.DEVNULL):
        t0 = time.time()
        p = subprocess.run([self.srctl, "timeout"] + list(args),
                           cwd=self.dir, capture_output=True, text=True,
                           env=env or self.env, stdin=stdin, timeout=120)
        p.elapsed = time.time() - t0
        self.outputs.append(p.stdout + p.stderr)
        print("$ srctl timeout %s -> %d (%.2fs)" %
              (" ".join(args), p.returncode, p.elapsed), flush=True)
        for line in (p.stdout + p.stderr).splitlines():
            print("    " + line)
        return p

    def adjust(self, *args, **kw):
        return self.run("adjust", "-s", "payment-gw", "-t", "redis",
                        "--reason", "p99 alert INC-1", "--yes", *args, **kw)

    def audit(self):
        path = os.path.join(self.dir, ".srctl", "timeout-audit.jsonl")
        if not os.path.exists(path):
            return []
        return [json.loads(line) for line in read(path).splitlines()]

    def metrics(self):
        return read(os.path.join(self.dir, ".srctl",
                                 "timeout-metrics.prom"))

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def etcd_yaml(state, extra=""):
    endpoint = read(os.path.join(state, "endpoint"))
    return ("control_planes:\n  default:\n    driver: etcd\n"
            "    endpoints: [\"%s\"]\n    prefix: /srctl/timeouts\n%s"
            % (endpoint, extra))


def tls_yaml(state, ca="ca.crt", password_env="SRCTL_ETCD_PASSWORD"):
    pki = os.path.join(state, "pki")
    return etcd_yaml(state,
                     "    ca_file: %s\n    cert_file: %s\n"
                     "    key_file: %s\n    user: srctl\n"
                     "    password_env: %s\n"
                     % (os.path.join(pki, ca), os.path.join(pki, "client.crt"),
                        os.path.join(pki, "client.key"), password_env))


def live(state, edge="payment-gw/redis"):
    v = etcd_get(state, "/srctl/timeouts/" + edge)
    return json.loads(v) if v else None


# ---------------------------------------------------------------- cases

def case_steps(a):
    """adjust/show/revert, dynamic steps, set above max, reset, dry run."""
    r = Repo(a.srctl, etcd_yaml(a.state))
    try:
        etcdctl(a.state, "del", "/srctl/timeouts/", "--prefix")
        p = r.run("show", "-s", "payment-gw", "-t", "redis")
        check(p.returncode == 0 and "800 ms (no override" in p.stdout,
              "show before any change: base 800, no override")
        rev = etcd_rev(a.state)
        p = r.adjust("--mode", "dynamic", "--dry-run")
        check(p.returncode == 0 and "dry run: nothing written" in p.stdout
              and "-> 1200 ms" in p.stdout,
              "--dry-run shows 800 -> 1200 and exits 0")
        check(etcd_rev(a.state) == rev and live(a.state) is None,
              "--dry-run wrote nothing to etcd")
        check(r.audit() == [], "--dry-run wrote no audit line")
        for want in (1200, 1800, 2000):
            p = r.adjust("--mode", "dynamic")
            check(p.returncode == 0, "dynamic step exits 0")
            v = live(a.state)
            check(v and v["timeout_ms"] == want,
                  "etcd holds %d ms after the step" % want)
            check(v["changed_by"] == "oncall@example.com" and
                  v["reason"] == "p99 alert INC-1" and v["change_id"],
                  "the value carries who, why and a change id")
            chg = etcd_get(a.state, "/srctl/timeouts/_changes/" +
                           v["change_id"])
            check(chg and json.loads(chg)["new_ms"] == want and
                  json.loads(chg)["outcome"] == "ok",
                  "the audit record is in etcd under _changes/<id> "
                  "(same txn)")
        p = r.adjust("--mode", "dynamic")
        check(p.returncode == 4 and "already at the contract's max 2000 ms"
              in p.stderr, "a 4th dynamic step is refused at max (exit 4)")
        check(live(a.state)["timeout_ms"] == 2000, "value stays 2000")
        p = r.adjust("--mode", "set", "--value", "2500")
        check(p.returncode == 4 and "above the contract's max 2000 ms"
              in p.stderr and "timeout.yaml:3:5" in p.stderr,
              "set 2500 refused, naming max 2000 and the contract line")
        p = r.adjust("--mode", "set", "--value", "500")
        check(p.returncode == 4 and "below the contract's base 800 ms"
              in p.stderr, "set 500 refused, naming base 800")
        p = r.run("show", "-s", "payment-gw", "-t", "redis")
        check(p.returncode == 0 and "2000 ms on 'default' (etcd)" in p.stdout
              and "by oncall@example.com" in p.stdout,
              "show: live 2000 next to the contract")
        p = r.adjust("--mode", "reset")
        check(p.returncode == 0 and live(a.state)["timeout_ms"] == 800,
              "reset goes back to base 800")
        p = r.adjust("--mode", "set", "--value", "1500", "--ttl", "1s")
        check(p.returncode == 0 and live(a.state)["expires_at"],
              "set 1500 with --ttl records expires_at")
        p = r.run("drift")
        check(p.returncode in (0, 1), "drift runs")
        time.sleep(2.1)
        p = r.run("drift")
        check(p.returncode == 1 and "expired" in p.stdout,
              "drift reports the expired adjustment (exit 1)")
        p = r.run("revert", "--expired", "--yes")
        check(p.returncode == 0 and live(a.state)["timeout_ms"] == 800,
              "revert --expired puts it back to base")
        p = r.adjust("--mode", "set", "--value", "1600", "--ttl", "1s")
        v = live(a.state)
        # someone edits the value by hand after srctl's write
        etcdctl(a.state, "put", "/srctl/timeouts/payment-gw/redis",
                json.dumps({"timeout_ms": 1700, "expires_at":
                            v["expires_at"], "change_id": "by-hand"}))
        time.sleep(2.1)
        p = r.run("revert", "--expired", "--yes")
        check(live(a.state)["timeout_ms"] == 1700 and "skipped" in p.stderr,
              "revert --expired leaves a value that is not srctl's own")
        p = r.run("revert", "-s", "payment-gw", "-t", "redis", "--reason",
                  "incident over", "--yes")
        check(p.returncode == 0 and live(a.state)["timeout_ms"] == 800,
              "revert of a named edge goes back to base")
        p = r.run("drift")
        check(p.returncode == 0 and "no drift" in p.stdout, "no drift now")
        etcdctl(a.state, "put", "/srctl/timeouts/payment-gw/redis",
                json.dumps({"timeout_ms": 5000}))
        p = r.run("drift")
        check(p.returncode == 1 and "outside the contract's [800, 2000]"
              in p.stdout, "drift finds a hand-set 5000 ms")
        p = r.run("history", "-s", "payment-gw")
        check(p.returncode == 0 and p.stdout.count("\n") == len(r.audit()),
              "history prints one line per audit record")
        outcomes = [x["outcome"] for x in r.audit()]
        check(outcomes.count("refused") == 3, "refusals are audited too")
        m = r.metrics()
        check('sre_timeout_adjustment_count_total{service="payment-gw",'
              'target="redis",outcome="refused"} 3' in m and
              "sre_timeout_current_ms" in m, "metrics file counts outcomes")
        p = r.adjust("--mode", "reset")
        check(p.returncode == 0 and live(a.state)["timeout_ms"] == 800,
              "reset from a hand-set 5000 ms back to base")
        p = r.adjust("--mode", "reset")
        check(p.returncode == 0 and "nothing to write" in p.stdout and
              r.audit()[-1]["outcome"] == "unchanged",
              "reset at base: nothing written, audited as unchanged")
        # a cooldown refuses a second adjustment of the edge too soon
        write(os.path.join(r.dir, ".srctl.yaml"),
              etcd_yaml(a.state, "    cooldown: 30s\n"))
        p = r.adjust("--mode", "set", "--value", "900")
        check(p.returncode == 4 and "cooldown" in p.stderr,
              "the reset just before counts for the cooldown")
        etcdctl(a.state, "del", "/srctl/timeouts/payment-gw/redis")
        p = r.adjust("--mode", "set", "--value", "900")
        check(p.returncode == 0, "first adjustment inside a cooldown: ok")
        p = r.adjust("--mode", "set", "--value", "1000")
        check(p.returncode == 4 and "cooldown" in p.stderr and
              "oncall@example.com" in p.stderr and
              live(a.state)["timeout_ms"] == 900,
              "second adjustment within the 30s cooldown refused (exit 4)")
        p = r.adjust("--mode", "set", "--value", "1000", "--dry-run")
        check(p.returncode == 4, "--dry-run reports the cooldown too")
        p = r.run("revert", "-s", "payment-gw", "-t", "redis", "-r",
                  "undo", "--yes")
        check(p.returncode == 0 and live(a.state)["timeout_ms"] == 800,
              "revert is not held back by the cooldown")
        write(os.path.join(r.dir, ".srctl.yaml"), etcd_yaml(a.state))
        rr = subprocess.run([a.srctl, "timeout", "adjust", "-s", "payment-gw",
                             "-t", "redis", "-m", "set", "--value", "900",
                             "-r", "x"], cwd=r.dir, env=r.env,
                            stdin=subprocess.DEVNULL, capture_output=True,
                            text=True)
        check(rr.returncode == 4 and "confirm with --yes" in rr.stderr,
              "no terminal and no --yes: refused (exit 4)")
    finally:
        r.cleanup()


def case_concurrency(a):
    """20 adjust processes at once on one edge: no lost update."""
    for driver in ("etcd", "file"):
        yaml = (etcd_yaml(a.state) if driver == "etcd" else
                "control_planes:\n  default: {driver: file}\n")
        r = Repo(a.srctl, yaml)
        try:
            if driver == "etcd":
                etcdctl(a.state, "del", "/srctl/timeouts/", "--prefix")
            procs = [subprocess.Popen(
                [a.srctl, "timeout", "adjust", "-s", "payment-gw",
                 "-t", "kafka", "-m", "dynamic", "-r", "load %d" % i, "--yes",
                 "--timeout", "30s"], cwd=r.dir, env=r.env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for i in range(20)]
            res = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in procs]
            for p in procs:
                p.stdout.close()
                p.stderr.close()
            codes = sorted(x[0] for x in res)
            print("%s: exit codes %s" % (driver, codes))
            check(all(c in (0, 5) for c in codes),
                  "%s: every process succeeded or reported a conflict"
                  % driver)
            check(all("conflict" in e for c, _, e in res if c == 5),
                  "%s: each loser says 'conflict'" % driver)
            audit = r.audit()
            check(len(audit) == 20, "%s: 20 attempts, 20 audit lines"
                  % driver)
            ok = [x for x in audit if x["outcome"] == "ok"]
            check(len(ok) == codes.count(0), "%s: one ok line per exit 0"
                  % driver)
            check(all(x["outcome"] in ("ok", "conflict") for x in audit),
                  "%s: outcomes are ok or conflict" % driver)
            check(all(100 <= x["new_ms"] <= 100000 for x in ok),
                  "%s: no value outside [base, max]" % driver)
            chain = sorted(ok, key=lambda x: x["new_ms"])
            prev = 100
            for x in chain:
                if x["old_ms"] != prev:
                    fail("%s: lost update: %s wrote %d from %d, but the "
                         "value before was %d" % (driver, x["change_id"],
                                                  x["new_ms"], x["old_ms"],
                                                  prev))
                prev = x["new_ms"]
            check(True, "%s: the %d successful writes form one chain "
                  "(each read the previous one's value)" % (driver, len(ok)))
            if driver == "etcd":
                final = live(a.state, "payment-gw/kafka")["timeout_ms"]
            else:
                f = json.loads(read(os.path.join(
                    r.dir, ".srctl", "timeout-overrides.json")))
                final = f["edges"]["payment-gw/kafka"]["timeout_ms"]
            check(final == chain[-1]["new_ms"],
                  "%s: final value %d is the last successful write"
                  % (driver, final))
            check(any(x["retries"] > 0 for x in ok) or len(ok) == 20,
                  "%s: some winners needed a re-read (a successful retry)"
                  % driver)
        finally:
            r.cleanup()


def case_identity(a):
    """Who the audit names without $SRCTL_USER: git's user.email (asked of
    the git program, or of libgit2 when git cannot be run), else the login
    name."""
    r = Repo(a.srctl, "control_planes:\n  default: {driver: file}\n")
    home = tempfile.mkdtemp(prefix="srctl-home-")
    try:
        env = dict(r.env, HOME=home, XDG_CONFIG_HOME=home,
                   GIT_CONFIG_NOSYSTEM="1")
        env.pop("SRCTL_USER")
        subprocess.run(["git", "init", "-q", r.dir], check=True, env=env)
        subprocess.run(["git", "-C", r.dir, "config", "user.email",
                        "git-user@example.com"], check=True, env=env)
        check(r.adjust("-m", "set", "--value", "900",
                       env=env).returncode == 0, "adjust with git config")
        check(r.audit()[-1]["user"] == "git-user@example.com",
              "the audit names git's user.email")
        # no git program on PATH: libgit2 reads the same configuration
        nogit = dict(env, PATH="/nonexistent")
        check(r.adjust("-m", "set", "--value", "1000",
                       env=nogit).returncode == 0, "adjust without git")
        check(r.audit()[-1]["user"] == "git-user@example.com",
              "without the git program libgit2 finds user.email")
        # nothing configured: the login name
        subprocess.run(["git", "-C", r.dir, "config", "--unset",
                        "user.email"], check=True, env=env)
        check(r.adjust("-m", "set", "--value", "1100",
                       env=env).returncode == 0, "adjust, no user.email")
        login = pwd.getpwuid(os.getuid()).pw_name
        check(r.audit()[-1]["user"] == login,
              "no user.email: the login name (%s)" % login)
        # $SRCTL_USER wins over git
        subprocess.run(["git", "-C", r.dir, "config", "user.email",
                        "git-user@example.com"], check=True, env=env)
        check(r.adjust("-m", "set", "--value", "1200",
                       env=dict(env, SRCTL_USER="pager@example.com")
                       ).returncode == 0, "adjust with SRCTL_USER")
        check(r.audit()[-1]["user"] == "pager@example.com",
              "$SRCTL_USER is preferred to git's user.email")
    finally:
        shutil.rmtree(home, ignore_errors=True)
        r.cleanup()


def case_tls(a):
    """TLS + mTLS + user/password; wrong password; bad CA; no secrets."""
    env = {"SRCTL_ETCD_PASSWORD": PASSWORD}
    r = Repo(a.srctl, tls_yaml(a.state), env)
    try:
        # the fixture's server is shared with the other run of this case
        etcdctl(a.state, "del", "/srctl/timeouts/", "--prefix")
        p = r.adjust("--mode", "dynamic")
        check(p.returncode == 0 and live(a.state)["timeout_ms"] == 1200,
              "adjust over TLS + client cert + auth token")
        p = r.run("show", "-s", "payment-gw")
        check(p.returncode == 0 and "1200 ms" in p.stdout, "show over TLS")
        p = r.adjust("--mode", "dynamic",
                     env=dict(r.env, SRCTL_ETCD_PASSWORD="wrong-password"))
        check(p.returncode == 7 and "authentication failed" in p.stderr,
              "wrong password: exit 7 (denied), etcd's reason shown")
        check(live(a.state)["timeout_ms"] == 1200,
              "wrong password: nothing written")
        check(r.audit()[-1]["outcome"] == "denied",
              "wrong password: audit line says denied")
        p = r.adjust("--mode", "dynamic",
                     env={k: v for k, v in r.env.items()
                          if k != "SRCTL_ETCD_PASSWORD"})
        check(p.returncode == 7 and "SRCTL_ETCD_PASSWORD is not set"
              in p.stderr, "password variable unset: exit 7, named")
        write(os.path.join(r.dir, ".srctl.yaml"),
              tls_yaml(a.state, ca="otherca.crt"))
        p = r.adjust("--mode", "dynamic")
        check(p.returncode == 7 and "certificate" in p.stderr.lower(),
              "bad CA: exit 7, certificate error")
        check(live(a.state)["timeout_ms"] == 1200, "bad CA: nothing written")
        check(r.audit()[-1]["outcome"] == "denied",
              "bad CA: audit line says denied")
        # plain http against the TLS port
        write(os.path.join(r.dir, ".srctl.yaml"),
              tls_yaml(a.state).replace("https://", "http://"))
        p = r.adjust("--mode", "dynamic", "--timeout", "2s")
        check(p.returncode in (6, 7), "plain HTTP to a TLS port fails")
        write(os.path.join(r.dir, ".srctl.yaml"),
              tls_yaml(a.state).replace("https://127.0.0.1",
                                        "http://192.0.2.1"))
        p = r.adjust("--mode", "dynamic", "--timeout", "2s")
        check(p.returncode == 2 and "refusing to send credentials over "
              "plain HTTP" in p.stderr, "a password is never sent over "
              "plain HTTP to a remote host (exit 2)")
        everything = "\n".join(r.outputs)
        everything += read(os.path.join(r.dir, ".srctl",
                                        "timeout-audit.jsonl"))
        everything += r.metrics()
        check(PASSWORD not in everything and "wrong-password"
              not in everything, "no password in any output, audit, metrics")
        check("Authorization" not in everything, "no auth header printed")
        toks = [x for x in everything.split() if len(x) > 12 and "." in x
                and x.split(".")[-1].isdigit() and
                x.split(".")[0].isalpha()]
        check(not toks, "no etcd simple token printed: %s" % toks)
    finally:
        r.cleanup()


def case_faults(a):
    """etcd stopped mid-run, a server too slow for --timeout."""
    state = tempfile.mkdtemp(prefix="srctl-etcd-fault-")
    try:
        start_etcd(state, False)
        r = Repo(a.srctl, etcd_yaml(state))
        try:
            p = r.adjust("--mode", "dynamic")
            check(p.returncode == 0 and live(state)["timeout_ms"] == 1200,
                  "first adjust ok")
            pid = int(read(os.path.join(state, "etcd.pid")))
            os.kill(pid, signal.SIGSTOP)  # accepts, never answers: slow
            p = r.adjust("--mode", "dynamic", "--timeout", "1500ms")
            os.kill(pid, signal.SIGCONT)
            check(p.returncode == 6, "server slower than --timeout: exit 6")
            check(p.elapsed < 5, "gave up within the budget (%.2fs)"
                  % p.elapsed)
            check("timed out" in p.stderr.lower() or "timeout" in
                  p.stderr.lower(), "the message says it timed out")
            check(r.audit()[-1]["outcome"] == "unreachable",
                  "audit line says unreachable")
            check(live(state)["timeout_ms"] == 1200,
                  "nothing half-written: still 1200")
            # etcd killed while a write is in flight
            os.kill(pid, signal.SIGSTOP)
            inflight = subprocess.Popen(
                [a.srctl, "timeout", "adjust", "-s", "payment-gw", "-t",
                 "redis", "-m", "dynamic", "-r", "in flight", "--yes",
                 "--timeout", "3s"], cwd=r.dir, env=r.env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            os.kill(pid, signal.SIGKILL)
            out, err = inflight.communicate(timeout=30)
            print("    " + err.strip())
            check(inflight.returncode == 6,
                  "etcd killed mid-request: exit 6 (unreachable)")
            check(r.audit()[-1]["outcome"] == "unreachable" and
                  r.audit()[-1]["reason"] == "in flight",
                  "its audit line says unreachable")
            stop(state)
            # a run of adjusts while etcd goes away in the middle
            ports = [int(x) for x in read(os.path.join(state, "ports"))
                     .split()]
            start_etcd(state, False, ports=ports)
            check(live(state)["timeout_ms"] == 1200,
                  "after restart: still 1200, nothing half-written")
            procs = []
            for i in range(8):
                procs.append(subprocess.Popen(
                    [a.srctl, "timeout", "adjust", "-s", "payment-gw",
                     "-t", "kafka", "-m", "dynamic", "-r", "run %d" % i,
                     "--yes", "--timeout", "2s"], cwd=r.dir, env=r.env,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                if i == 4:
                    stop(state)
                procs[-1].wait() if i < 3 else time.sleep(0.05)
            codes = [p.wait() for p in procs]
            print("exit codes, etcd stopped after the 5th start: %s" % codes)
            check(codes[:3] == [0, 0, 0], "the runs before the stop: ok")
            check(codes[-1] == 6, "the runs after the stop: exit 6")
            check(set(codes) <= {0, 5, 6}, "only ok/conflict/unreachable")
            p = r.adjust("--mode", "dynamic", "--timeout", "1s")
            check(p.returncode == 6 and "127.0.0.1" in p.stderr,
                  "etcd down: exit 6 naming the endpoint")
            audit = r.audit()
            check(audit[-1]["outcome"] == "unreachable",
                  "audit line for the failed attempt says unreachable")
            check(len([x for x in audit if x["target"] == "kafka"]) == 8,
                  "every attempt of the run is in the audit log")
            check(audit[-1]["retries"] > 0,
                  "it retried (%d times) before giving up"
                  % audit[-1]["retries"])
            # etcd comes back while srctl is retrying: the change lands
            before = [x for x in audit if x["outcome"] == "ok" and
                      x["target"] == "redis"]
            waiting = subprocess.Popen(
                [a.srctl, "timeout", "adjust", "-s", "payment-gw", "-t",
                 "redis", "-m", "dynamic", "-r", "retry", "--yes",
                 "--timeout", "60s"], cwd=r.dir, env=r.env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            start_etcd(state, False, ports=ports)
            out, err = waiting.communicate(timeout=90)
            last = r.audit()[-1]
            check(waiting.returncode == 0 and last["outcome"] == "ok" and
                  last["retries"] > 0 and live(state)["timeout_ms"] ==
                  last["new_ms"] == 1800,
                  "etcd back within --timeout: written after %d retries"
                  % last["retries"])
            check(len(before) == 1, "(one earlier redis write)")
            ok = [x for x in audit if x["outcome"] == "ok" and
                  x["target"] == "kafka"]
            v = live(state, "payment-gw/kafka")
            if ok:
                last = max(ok, key=lambda x: x["new_ms"])
                check(v and v["timeout_ms"] == last["new_ms"],
                      "after restart etcd holds the last audited write")
            else:
                check(v is None, "no write audited, none in etcd")
        finally:
            r.cleanup()
    finally:
        stop(state)
        shutil.rmtree(state, ignore_errors=True)


def case_prometheus(a):
    """--prometheus URL --query Q on a real Prometheus; Pushgateway."""
    prom = read(os.path.join(a.state, "prometheus"))
    pgw = read(os.path.join(a.state, "pushgateway"))
    r = Repo(a.srctl, "control_planes:\n  default: {driver: file}\n"
             "timeout:\n  pushgateway: %s\n" % pgw)
    try:
        q = ('histogram_quantile(0.99, sum by (le) '
             '(redis_request_duration_seconds_bucket))')
        p = r.adjust("--mode", "dynamic", "--prometheus", prom, "--query", q)
        check(p.returncode == 0 and "observed p99 from Prometheus: 1000 ms"
              in p.stdout, "p99 read from Prometheus: 1.0 s = 1000 ms")
        check("-> 1500 ms" in p.stdout, "1000 ms x 1.5 = 1500 ms written")
        body = wait_http(pgw + "/metrics").decode()
        line = [x for x in body.splitlines() if x.startswith(
            "sre_timeout_adjustment_count_total{") and 'outcome="ok"' in x]
        check(line and 'job="srctl"' in line[0] and
              line[0].endswith(" 1"), "pushed to the Pushgateway: %s"
              % (line[0] if line else None))
        check('sre_timeout_current_ms{' in body, "gauge pushed too")
        p = r.adjust("--mode", "dynamic", "--prometheus", prom, "--query",
                     "redis_request_duration_seconds_bucket")
        check(p.returncode == 3 and "expected exactly 1" in p.stderr,
              "a query returning several series is an error")
        p = r.adjust("--mode", "dynamic", "--prometheus", prom, "--query",
                     "nonexistent_metric")
        check(p.returncode == 3 and "no data" in p.stderr,
              "a query returning nothing is an error")
        p = r.adjust("--mode", "dynamic", "--prometheus",
                     "http://127.0.0.1:%d" % free_port(), "--query", q,
                     "--timeout", "1s")
        check(p.returncode == 6, "Prometheus unreachable: exit 6")
    finally:
        r.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what")
    ap.add_argument("name", nargs="?")
    ap.add_argument("--state")
    ap.add_argument("--srctl")
    ap.add_argument("--tls", action="store_true")
    a = ap.parse_intermixed_args()
    if a.what == "start-etcd":
        stop(a.name)
        shutil.rmtree(a.name, ignore_errors=True)
        print(start_etcd(a.name, a.tls))
    elif a.what == "start-prom":
        stop(a.name)
        shutil.rmtree(a.name, ignore_errors=True)
        os.makedirs(a.name)
        start_prom(a.name)
    elif a.what == "stop":
        stop(a.name)
    elif a.what == "case":
        globals()["case_" + a.name](a)
        print("PASS")
    else:
        fail("unknown action " + a.what)


if __name__ == "__main__":
    main()
