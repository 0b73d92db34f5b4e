#!/bin/sh
# srctl audit-log against scripted histories. Usage: audit_log.sh SRCTL CASE
SRCTL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASE=$2
. "$(dirname "$0")/lib.sh"

# A service with a timeout contract, a Deployment with probes, Spring
# resilience4j settings and Istio objects: the state before the changes.
seed() {
	mkdir -p "$1/pay/k8s" "$1/pay/mesh" "$1/pay/src/main/resources"
	cat > "$1/pay/timeout.yaml" <<'YAML'
# Timeout contract of the payment gateway.
service: payment-gw
http:
  outbound:
    redis: { base: 800, multiplier: 1.5, max: 2000 }
    ledger: { base: 300, multiplier: 2, max: 1200 }
YAML
	cat > "$1/pay/k8s/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payment-gw
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: payment-gw:1.0
          readinessProbe:
            httpGet: { path: /health/ready, port: 8080 }
            periodSeconds: 10
          livenessProbe:
            httpGet: { path: /health/live, port: 8080 }
YAML
	cat > "$1/pay/src/main/resources/application.yml" <<'YAML'
spring:
  application:
    name: payment-gw
resilience4j:
  circuitbreaker:
    instances:
      ledger:
        failureRateThreshold: 50
        slidingWindowSize: 20
YAML
	cat > "$1/pay/mesh/ledger-dr.yaml" <<'YAML'
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: ledger
spec:
  host: ledger.pay.svc.cluster.local
  trafficPolicy:
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
YAML
	cat > "$1/pay/mesh/ledger-vs.yaml" <<'YAML'
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ledger
spec:
  hosts: [ledger]
  http:
    - name: primary
      route:
        - destination: { host: ledger.pay.svc.cluster.local }
      timeout: 2s
YAML
	echo "# payments" > "$1/README.md"
}

# sub FILE FROM TO: replace one exact line fragment (must be there).
sub() {
	grep -qF -- "$2" "$1" || fail "test bug: '$2' not in $1"
	sed -i "s|$2|$3|" "$1"
}

case_five() {
	mkdir "$T/r" && cd "$T/r" && git init -q .
	seed .
	commit "Olivia Owner" "2026-01-05T09:00:00Z" "initial"
	base=$(git rev-parse HEAD)

	sub pay/timeout.yaml "max: 2000" "max: 3000"
	commit "Bob Builder" "2026-01-06T10:00:00Z" "redis: more room"
	c1=$(short HEAD)
	# must not appear: comments, replicas, image, an unrelated file
	sub pay/timeout.yaml "# Timeout contract" "# The timeout contract"
	sub pay/k8s/deployment.yaml "replicas: 2" "replicas: 3"
	sub pay/k8s/deployment.yaml "payment-gw:1.0" "payment-gw:1.1"
	echo "more" >> README.md
	commit "Mallory Noise" "2026-01-06T11:00:00Z" "scale up, docs"
	sub pay/k8s/deployment.yaml "periodSeconds: 10" "periodSeconds: 5"
	commit "Carol Prober" "2026-01-07T10:00:00+02:00" "faster readiness"
	c2=$(short HEAD)
	sub pay/src/main/resources/application.yml "failureRateThreshold: 50" \
		"failureRateThreshold: 40"
	commit "Dave Breaker" "2026-01-08T10:00:00-05:00" "trip earlier"
	c3=$(short HEAD)
	sub pay/mesh/ledger-dr.yaml "consecutive5xxErrors: 5" \
		"consecutive5xxErrors: 3"
	commit "Erin Outlier" "2026-01-09T10:00:00Z" "eject sooner"
	c4=$(short HEAD)
	sub pay/mesh/ledger-vs.yaml "timeout: 2s" "timeout: 1500ms"
	commit "Frank Router" "2026-01-10T10:00:00Z" "route timeout"
	c5=$(short HEAD)

	cat > "$T/expected" <<OUT
commit $c1  2026-01-06 10:00:00 +0000  Bob Builder <bob.builder@example.com>
    payment-gw  http.outbound.redis  max: 2000 -> 3000  (pay/timeout.yaml)

commit $c2  2026-01-07 10:00:00 +0200  Carol Prober <carol.prober@example.com>
    payment-gw  Deployment/payment-gw/app  readinessProbe.periodSeconds: 10 -> 5  (pay/k8s/deployment.yaml)

commit $c3  2026-01-08 10:00:00 -0500  Dave Breaker <dave.breaker@example.com>
    payment-gw  ledger  circuitbreaker.failureRateThreshold: 50 -> 40  (pay/src/main/resources/application.yml)

commit $c4  2026-01-09 10:00:00 +0000  Erin Outlier <erin.outlier@example.com>
    payment-gw  ledger.pay.svc.cluster.local  outlierDetection.consecutive5xxErrors: 5 -> 3  (pay/mesh/ledger-dr.yaml)

commit $c5  2026-01-10 10:00:00 +0000  Frank Router <frank.router@example.com>
    payment-gw  ledger.pay.svc.cluster.local  http[primary].timeout: 2s -> 1500ms  (pay/mesh/ledger-vs.yaml)
OUT
	"$SRCTL" audit-log --since "$base" > "$T/out"
	expect_same "$T/expected" "$T/out" "audit-log --since REV"
	grep -q "Mallory" "$T/out" && fail "a non-policy commit was reported"

	# the whole history also lists the initial values, added
	"$SRCTL" audit-log > "$T/all"
	n=$(grep -c -- "(none) -> " "$T/all")
	[ "$n" -eq 16 ] || fail "expected 16 initial values, got $n"
	grep -q "Olivia Owner" "$T/all" || fail "initial commit missing"

	# a date: from Carol's commit (08:00 UTC) on
	"$SRCTL" audit-log --since 2026-01-07 > "$T/date"
	sed -n '4,$p' "$T/expected" > "$T/expected-date"
	expect_same "$T/expected-date" "$T/date" "audit-log --since DATE"

	# one service only; another service has nothing
	"$SRCTL" audit-log --since "$base" --service payment-gw > "$T/svc"
	expect_same "$T/expected" "$T/svc" "audit-log --service payment-gw"
	"$SRCTL" audit-log --service other > "$T/none"
	[ ! -s "$T/none" ] || fail "--service other printed something"

	# a PATH limits the files
	"$SRCTL" audit-log --since "$base" pay/mesh > "$T/mesh"
	sed -n '10,$p' "$T/expected" > "$T/expected-mesh"
	expect_same "$T/expected-mesh" "$T/mesh" "audit-log PATH"

	# JSON: same five, with full ids and ISO dates
	"$SRCTL" audit-log --since "$base" --format json > "$T/json"
	python3 - "$T/json" "$(git rev-parse HEAD)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["changes"]
assert d["version"] == 1 and d["baseline"] is None, d
assert [x["author"] for x in c] == ["Bob Builder", "Carol Prober",
    "Dave Breaker", "Erin Outlier", "Frank Router"], c
assert [(x["old"], x["new"]) for x in c] == [("2000", "3000"), ("10", "5"),
    ("50", "40"), ("5", "3"), ("2s", "1500ms")], c
assert c[4]["commit"] == sys.argv[2], c[4]
assert c[2]["date"] == "2026-01-08T10:00:00-05:00", c[2]
assert all(x["source"] == "git" and x["service"] == "payment-gw" for x in c)
PY
}

case_merge() {
	mkdir "$T/r" && cd "$T/r" && git init -q .
	seed .
	commit "Olivia Owner" "2026-02-01T09:00:00Z" "initial"
	base=$(git rev-parse HEAD)
	git checkout -q -b feature
	sub pay/timeout.yaml "max: 1200" "max: 1500"
	commit "Bob Branch" "2026-02-02T09:00:00Z" "ledger max on a branch"
	b=$(short HEAD)
	git checkout -q main
	sub pay/mesh/ledger-vs.yaml "timeout: 2s" "timeout: 3s"
	commit "Molly Main" "2026-02-03T09:00:00Z" "route timeout on main"
	m=$(short HEAD)
	GIT_AUTHOR_NAME="Mia Merger" GIT_AUTHOR_EMAIL="mia.merger@example.com" \
	GIT_AUTHOR_DATE="2026-02-04T09:00:00Z" \
	GIT_COMMITTER_DATE="2026-02-04T09:00:00Z" \
		git merge -q --no-ff -m "merge feature" feature
	mg=$(short HEAD)

	# all commits: each change where it was made, the merge skipped
	cat > "$T/expected" <<OUT
commit $b  2026-02-02 09:00:00 +0000  Bob Branch <bob.branch@example.com>
    payment-gw  http.outbound.ledger  max: 1200 -> 1500  (pay/timeout.yaml)

commit $m  2026-02-03 09:00:00 +0000  Molly Main <molly.main@example.com>
    payment-gw  ledger.pay.svc.cluster.local  http[primary].timeout: 2s -> 3s  (pay/mesh/ledger-vs.yaml)
OUT
	"$SRCTL" audit-log --since "$base" > "$T/out"
	expect_same "$T/expected" "$T/out" "merge: all commits"

	# first parent: the branch's change arrives with the merge
	cat > "$T/expected-fp" <<OUT
commit $m  2026-02-03 09:00:00 +0000  Molly Main <molly.main@example.com>
    payment-gw  ledger.pay.svc.cluster.local  http[primary].timeout: 2s -> 3s  (pay/mesh/ledger-vs.yaml)

commit $mg  2026-02-04 09:00:00 +0000  Mia Merger <mia.merger@example.com>
    payment-gw  http.outbound.ledger  max: 1200 -> 1500  (pay/timeout.yaml)
OUT
	"$SRCTL" audit-log --first-parent --since "$base" > "$T/fp"
	expect_same "$T/expected-fp" "$T/fp" "merge: --first-parent"
}

case_rename() {
	mkdir "$T/r" && cd "$T/r" && git init -q .
	seed .
	commit "Olivia Owner" "2026-03-01T09:00:00Z" "initial"
	base=$(git rev-parse HEAD)
	# a pure rename changes no policy
	git mv pay/k8s/deployment.yaml pay/k8s/payment-gw.yaml
	commit "Rita Renamer" "2026-03-02T09:00:00Z" "rename"
	# a rename with an edit reports only the edit
	git mv pay/mesh/ledger-dr.yaml pay/mesh/destination-rule.yaml
	sub pay/mesh/destination-rule.yaml "interval: 10s" "interval: 30s"
	commit "Sam Shifter" "2026-03-03T09:00:00Z" "rename and edit"
	s=$(short HEAD)
	cat > "$T/expected" <<OUT
commit $s  2026-03-03 09:00:00 +0000  Sam Shifter <sam.shifter@example.com>
    payment-gw  ledger.pay.svc.cluster.local  outlierDetection.interval: 10s -> 30s  (pay/mesh/destination-rule.yaml)
OUT
	"$SRCTL" audit-log --since "$base" > "$T/out"
	expect_same "$T/expected" "$T/out" "renames"
}

case_empty() {
	mkdir "$T/r" && cd "$T/r" && git init -q .
	seed .
	rc=0
	"$SRCTL" audit-log > "$T/out" 2> "$T/err" || rc=$?
	[ "$rc" -eq 0 ] || fail "no commits: exit $rc, want 0"
	[ ! -s "$T/out" ] || fail "no commits: printed something"
	grep -q "has no commits yet" "$T/err" || fail "no commits: no note"
}

case_outside() {
	mkdir "$T/plain"
	rc=0
	"$SRCTL" audit-log "$T/plain" > "$T/out" 2> "$T/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "outside a repository: exit $rc, want 2"
	grep -q "is not inside a git work tree" "$T/err" ||
		fail "outside a repository: message: $(cat "$T/err")"
	rc=0
	"$SRCTL" audit-log "$T/missing" 2> "$T/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "missing path: exit $rc, want 2"
	grep -q "cannot read '.*missing': No such file or directory" "$T/err" ||
		fail "missing path: message: $(cat "$T/err")"
	mkdir "$T/r" && cd "$T/r" && git init -q . && seed . &&
		commit "Olivia Owner" "2026-01-05T09:00:00Z" "initial"
	rc=0
	"$SRCTL" audit-log --since no-such-rev 2> "$T/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "bad --since: exit $rc, want 2"
	grep -q "unknown revision 'no-such-rev'" "$T/err" ||
		fail "bad --since: message: $(cat "$T/err")"
	rc=0
	"$SRCTL" audit-log --format yaml 2> "$T/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "bad --format: exit $rc, want 2"
}

case_adjustments() {
	mkdir "$T/r" && cd "$T/r" && git init -q .
	seed .
	commit "Olivia Owner" "2026-01-05T09:00:00Z" "initial"
	base=$(git rev-parse HEAD)
	sub pay/timeout.yaml "max: 2000" "max: 3000"
	commit "Bob Builder" "2026-01-06T10:00:00Z" "redis: more room"
	c1=$(short HEAD)
	sub pay/timeout.yaml "max: 3000" "max: 2500"
	commit "Bob Builder" "2026-01-08T10:00:00Z" "redis: less"
	c2=$(short HEAD)
	# what 'srctl timeout' appends: one object per line
	cat > "$T/adjust.jsonl" <<'JSONL'
{"who":"oncall@example.com","when":"2026-01-07T03:15:00Z","service":"payment-gw","target":"http.outbound.redis","old":{"base":800,"max":3000},"new":{"base":800,"max":4000},"reason":"redis failover","outcome":"applied"}
{"who":"oncall@example.com","when":"2026-01-04T03:15:00Z","service":"payment-gw","target":"http.outbound.redis","old":2000,"new":2200,"reason":"before --since","outcome":"applied"}
this is not json
{"who":"bot","when":"2026-01-09T00:00:00+01:00","service":"other","target":"x","old":1,"new":2,"outcome":"rejected"}
{"who":"bot","when":"2026-01-09T12:00:00Z","service":"payment-gw","target":"http.outbound.ledger","field":"max","old":1200,"new":900,"reason":"shed load","outcome":"rejected"}

{"who":"bot","service":"payment-gw"}
JSONL
	cat > "$T/expected" <<OUT
commit $c1  2026-01-06 10:00:00 +0000  Bob Builder <bob.builder@example.com>
    payment-gw  http.outbound.redis  max: 2000 -> 3000  (pay/timeout.yaml)

adjustment  2026-01-07 03:15:00 +0000  oncall@example.com  applied: redis failover
    payment-gw  http.outbound.redis  max: 3000 -> 4000

commit $c2  2026-01-08 10:00:00 +0000  Bob Builder <bob.builder@example.com>
    payment-gw  http.outbound.redis  max: 3000 -> 2500  (pay/timeout.yaml)

adjustment  2026-01-09 12:00:00 +0000  bot  rejected: shed load
    payment-gw  http.outbound.ledger  max: 1200 -> 900
OUT
	"$SRCTL" audit-log --since "$base" --service payment-gw \
		--adjustments "$T/adjust.jsonl" > "$T/out" 2> "$T/err"
	expect_same "$T/expected" "$T/out" "adjustments merged"
	cat > "$T/expected-err" <<OUT
$T/adjust.jsonl:3: not a JSON object
$T/adjust.jsonl:7: needs 'service', 'target' and 'when'
OUT
	expect_same "$T/expected-err" "$T/err" "adjustment warnings"
	# the same log named in .srctl.yaml (relative to it)
	cp "$T/adjust.jsonl" ops-adjustments.jsonl
	printf 'audit:\n  adjustments: ops-adjustments.jsonl\n' > .srctl.yaml
	"$SRCTL" audit-log --since "$base" --service payment-gw \
		> "$T/out" 2> /dev/null
	expect_same "$T/expected" "$T/out" "adjustments from .srctl.yaml"
	# configured but not written yet: the history alone, no error
	rm ops-adjustments.jsonl
	"$SRCTL" audit-log --since "$base" > "$T/out" ||
		fail "a configured, missing adjustment log is an error"
	grep -q adjustment "$T/out" && fail "adjustments from a missing log"
	[ "$(grep -c '^commit' "$T/out")" -eq 2 ] || fail "commits missing"
	# a wrong configuration is reported with its position
	printf 'audit:\n  adjustment: x\n' > .srctl.yaml
	rc=0
	"$SRCTL" audit-log 2> "$T/err" > /dev/null || rc=$?
	[ "$rc" -eq 2 ] || fail "bad audit config: exit $rc, want 2"
	grep -q "srctl.yaml:2:3: .*adjustment" "$T/err" ||
		fail "bad audit config: message: $(cat "$T/err")"
	rm .srctl.yaml
	rc=0
	"$SRCTL" audit-log --adjustments "$T/nope.jsonl" 2> "$T/err" || rc=$?
	[ "$rc" -eq 3 ] || fail "missing adjustment log: exit $rc, want 3"
	grep -q "cannot open '.*nope.jsonl'" "$T/err" ||
		fail "missing adjustment log: message: $(cat "$T/err")"
}

case_baseline() {
	mkdir "$T/r" && cd "$T/r" && git init -q .
	seed .
	commit "Olivia Owner" "2026-01-05T09:00:00Z" "initial"
	sub pay/timeout.yaml "max: 2000" "max: 3000"
	commit "Bob Builder" "2026-01-06T10:00:00Z" "redis: more room"
	# uncommitted: a probe edit, a new contract target, a comment
	sub pay/k8s/deployment.yaml "periodSeconds: 10" "periodSeconds: 15"
	sub pay/timeout.yaml "# Timeout contract" "# Contract"
	printf '    es: { base: 100, max: 400 }\n' >> pay/timeout.yaml
	cat > "$T/expected" <<OUT
Differences between HEAD~1 and the work tree:

    payment-gw  Deployment/payment-gw/app  readinessProbe.periodSeconds: 10 -> 15  (pay/k8s/deployment.yaml)
    payment-gw  http.outbound.redis  max: 2000 -> 3000  (pay/timeout.yaml)
    payment-gw  http.outbound.es  base: (none) -> 100  (pay/timeout.yaml)
    payment-gw  http.outbound.es  max: (none) -> 400  (pay/timeout.yaml)
OUT
	"$SRCTL" audit-log --baseline HEAD~1 > "$T/out"
	expect_same "$T/expected" "$T/out" "--baseline"
	git checkout -q -- .
	"$SRCTL" audit-log --baseline HEAD > "$T/out"
	printf 'Differences between HEAD and the work tree:\n\n    (none)\n' \
		> "$T/expected"
	expect_same "$T/expected" "$T/out" "--baseline, nothing differs"
	rc=0
	"$SRCTL" audit-log --baseline nope 2> "$T/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "--baseline nope: exit $rc, want 2"
}

"case_$CASE"
echo "ok: audit-log $CASE"
