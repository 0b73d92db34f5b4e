#!/usr/bin/env bash
# Benchmark: one `srctl timeout adjust` end to end against a local etcd
# (read the contract, read the live value, CAS txn with the audit record,
# append the audit log, update the metrics file), measured with hyperfine.
# Prints the median wall time, and that of `srctl version` (the cost of
# starting the process at all) for scale, then the same adjust in a
# generated 10 000-file git repository, with $SRCTL_USER and without it (the
# author then comes from git config); docs/performance.md "srctl timeout
# adjust" has the figures.
#
#   bench/timeout_adjust.sh [path/to/srctl]     (default build/srctl)
#
# Needs etcd, etcdctl (etcd-server, etcd-client) and hyperfine
# (ci/deps.sh --test installs them). Everything runs on 127.0.0.1 in a
# temporary directory that is removed on exit.
set -euo pipefail

srctl=$(realpath "${1:-build/srctl}")
here=$(cd "$(dirname "$0")" && pwd)
for b in etcd etcdctl hyperfine python3; do
  command -v "$b" >/dev/null || { echo "bench: $b not found (ci/deps.sh --test)" >&2; exit 2; }
done
work=$(mktemp -d)
etcd_pid=
cleanup() {
  [ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null && wait "$etcd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cport=$(port); pport=$(port)
etcd --name b --data-dir "$work/data" \
  --listen-client-urls "http://127.0.0.1:$cport" \
  --advertise-client-urls "http://127.0.0.1:$cport" \
  --listen-peer-urls "http://127.0.0.1:$pport" \
  --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
  --initial-cluster "b=http://127.0.0.1:$pport" \
  --logger=zap --log-outputs="$work/etcd.log" >/dev/null 2>&1 &
etcd_pid=$!
export ETCDCTL_API=3
for _ in $(seq 100); do
  etcdctl --endpoints "127.0.0.1:$cport" endpoint health >/dev/null 2>&1 && break
  sleep 0.1
done

repo="$work/repo"
mkdir -p "$repo/services/payment-gw"
cat >"$repo/services/payment-gw/timeout.yaml" <<'YAML'
http:
  downstream:
    redis: { base: 800, multiplier: 1.5, max: 2000 }
YAML
cat >"$repo/.srctl.yaml" <<YAML
control_planes:
  default: { driver: etcd, endpoint: "http://127.0.0.1:$cport" }
YAML
cd "$repo"
export SRCTL_USER=bench@example.com
# each run: live value absent -> CAS-create 1200 ms (a real write)
hyperfine -N --warmup 3 --runs "${RUNS:-40}" \
  --prepare "etcdctl --endpoints 127.0.0.1:$cport del /srctl/timeouts/payment-gw/redis" \
  --export-json "$work/h.json" \
  "$srctl timeout adjust -s payment-gw -t redis -m dynamic -r bench --yes" \
  "$srctl version"
python3 - "$work/h.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
for name, r in zip(("adjust", "version (process start, for scale)"), res):
    print("%s: median %.1f ms  (mean %.1f, min %.1f, user %.1f, system %.1f ms; %d runs)"
          % (name, r["median"] * 1e3, r["mean"] * 1e3, r["min"] * 1e3,
             r["user"] * 1e3, r["system"] * 1e3, len(r["times"])))
PY
lines=$(wc -l <"$repo/.srctl/timeout-audit.jsonl")
echo "audit lines written: $lines"

# The same adjust in a repository of realistic size: bench/gen.c's
# 10 000 files (1 648 services), committed to git, editing svc-0001's
# first downstream target. LARGE=0 skips this.
[ "${LARGE:-1}" = 0 ] && exit 0
"${CC:-cc}" -O2 -o "$work/bench-gen" "$here/gen.c"
large="$work/large"
"$work/bench-gen" "$large" "${LARGE_FILES:-10000}" 1 >/dev/null 2>&1
cp "$repo/.srctl.yaml" "$large/"
(cd "$large" && git init -q && git add -A &&
 git -c gc.auto=0 -c user.email=b@example.com -c user.name=b commit -q -m generated &&
 git gc -q)
target=$(awk '/^ +downstream:/ { d = 1; next }
	d && /^    [a-z0-9_-]+:/ { sub(/^ +/, ""); sub(/:.*/, ""); print; exit }' \
	"$large/services/svc-0001/timeout.yaml")
cd "$large"
hyperfine -N --warmup 3 --runs "${RUNS:-40}" \
  --prepare "etcdctl --endpoints 127.0.0.1:$cport del /srctl/timeouts/svc-0001/$target" \
  --export-json "$work/h2.json" \
  "$srctl timeout adjust -s svc-0001 -t $target -m dynamic -r bench --yes"
# ... and as an on-call engineer runs it: no $SRCTL_USER, so the audit's
# author is git's user.email
git config user.email oncall@example.com
env -u SRCTL_USER hyperfine -N --warmup 3 --runs "${RUNS:-40}" \
  --prepare "etcdctl --endpoints 127.0.0.1:$cport del /srctl/timeouts/svc-0001/$target" \
  --export-json "$work/h3.json" \
  "$srctl timeout adjust -s svc-0001 -t $target -m dynamic -r bench --yes"
python3 - "$work/h2.json" "$work/h3.json" "$(git ls-files | wc -l)" <<'PY'
import json, sys
for path, how in ((sys.argv[1], "$SRCTL_USER set"),
                  (sys.argv[2], "author from git config")):
    r = json.load(open(path))["results"][0]
    print("adjust in a %s-file git repository, %s: median %.1f ms  (mean %.1f, min %.1f ms; %d runs)"
          % (sys.argv[3], how, r["median"] * 1e3, r["mean"] * 1e3,
             r["min"] * 1e3, len(r["times"])))
PY
