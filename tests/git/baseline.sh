#!/bin/sh
# srctl baseline and --baseline FILE.
# usage: baseline.sh SRCTL CASE
SRCTL=$1
CASE=$2
. "$(dirname "$0")/scope_lib.sh"

# A service with one baselined error in each file.
setup() {
	new_repo "$T/r"
	contract_bad >pay/timeout.yaml
	sed 's/port: http }/port: 9090 }/' pay/k8s/deploy.yaml >"$T/d"
	sed '1,18s/port: 9090 }/port: http }/' "$T/d" >pay/k8s/deploy.yaml
	commit "Alice" "2026-01-06T10:00:00Z" "findings to baseline"
}

case "$CASE" in
roundtrip)
	setup
	run 1 validate --format short
	expect_out <<'OUT'
pay/k8s/deploy.yaml:20:50: error: startupProbe port 9090 is not declared by container 'app' (it declares http) [probe/port]
pay/timeout.yaml:3:20: error: http.downstream.redis.base must be positive, got 0 [timeout/bounds]
OUT
	run 0 baseline
	expect_err <<'OUT'
srctl: wrote 2 findings in 2 files to .srctl-baseline.json
OUT
	expect_out </dev/null
	cat >"$T/want" <<'OUT'
{
  "version": 1,
  "findings": [
    {"rule": "probe/port", "file": "pay/k8s/deploy.yaml", "path": "/spec/template/spec/containers/0/startupProbe/httpGet/port", "count": 1},
    {"rule": "timeout/bounds", "file": "pay/timeout.yaml", "path": "/http/downstream/redis/base", "count": 1}
  ]
}
OUT
	expect_same "$T/want" .srctl-baseline.json "baseline file"
	run 0 validate --baseline .srctl-baseline.json
	expect_out <<'OUT'
no findings in 2 files (2 baselined)
OUT
	expect_err </dev/null
	# unrelated lines above a baselined finding: still baselined
	{ printf '# owner: team-pay\n# reviewed\n'; cat pay/timeout.yaml; } >"$T/c"
	mv "$T/c" pay/timeout.yaml
	sed 's/^metadata:/metadata:\n  labels: { app: pay }/' pay/k8s/deploy.yaml >"$T/d"
	mv "$T/d" pay/k8s/deploy.yaml
	run 0 validate --baseline .srctl-baseline.json --format short
	expect_out </dev/null
	# a new violation: only it fails
	sed 's/multiplier: 1.5/multiplier: 0.5/' pay/timeout.yaml >"$T/c"
	mv "$T/c" pay/timeout.yaml
	run 1 validate --baseline .srctl-baseline.json
	expect_out <<'OUT'
pay/timeout.yaml:5:35: error: http.downstream.redis.multiplier 0.5 is below 1: timeouts would shrink under load [timeout/bounds]
    5 |     redis: { base: 0, multiplier: 0.5, max: 2000 }
      |                                   ^
  fix: multiplier: 1.5
1 error, 0 warnings, 0 info in 2 files (2 baselined)
OUT
	;;
stale)
	# a fixed finding: a note, not a failure
	setup
	run 0 baseline -q
	expect_err </dev/null
	contract_ok >pay/timeout.yaml
	run 0 validate --baseline .srctl-baseline.json
	expect_out <<'OUT'
no findings in 2 files (1 baselined)
OUT
	expect_err <<'OUT'
srctl: note: pay/timeout.yaml: [timeout/bounds] at /http/downstream/redis/base is in the baseline but no longer found; 'srctl baseline' drops it
OUT
	# files not checked in this run are not stale; files are named
	# relative to the baseline, whatever PATH or directory srctl runs in
	run 0 validate --baseline .srctl-baseline.json pay/k8s
	expect_out <<'OUT'
no findings in 1 file (1 baselined)
OUT
	expect_err </dev/null
	cd pay
	run 0 validate --baseline ../.srctl-baseline.json k8s/deploy.yaml
	expect_out <<'OUT'
no findings in 1 file (1 baselined)
OUT
	expect_err </dev/null
	;;
count)
	# equal fingerprints are counted: a second identical violation is new
	git init -q "$T/r"
	cd "$T/r"
	deployment redis | sed 's/port: http }/port: 9090 }/' >one.yaml
	cp one.yaml k8s.yaml
	run 0 baseline k8s.yaml -o base.json
	{ cat one.yaml; echo ---; cat one.yaml; } >k8s.yaml
	run 1 validate --baseline base.json --format short k8s.yaml
	expect_out <<'OUT'
k8s.yaml:36:67: error: readinessProbe port 9090 is not declared by container 'app' (it declares http) [probe/port]
k8s.yaml:40:50: error: livenessProbe port 9090 is not declared by container 'app' (it declares http) [probe/port]
k8s.yaml:43:50: error: startupProbe port 9090 is not declared by container 'app' (it declares http) [probe/port]
OUT
	;;
formats)
	# every reporter says how many findings the baseline held
	setup
	run 0 baseline
	sed 's/multiplier: 1.5/multiplier: 0.5/' pay/timeout.yaml >"$T/c"
	mv "$T/c" pay/timeout.yaml
	run 1 validate --baseline .srctl-baseline.json --format json -q
	expect_out <<'OUT'
{"version":1,"findings":[{"rule":"timeout/bounds","severity":"error","file":"pay/timeout.yaml","line":3,"column":35,"message":"http.downstream.redis.multiplier 0.5 is below 1: timeouts would shrink under load","fix":"multiplier: 1.5","pointer":"/http/downstream/redis/multiplier"}],"summary":{"files":2,"error":1,"warning":0,"info":0,"suppressed":0,"baselined":2}}
OUT
	run 1 validate --baseline .srctl-baseline.json --format github -q
	expect_out <<'OUT'
::error file=pay/timeout.yaml,line=3,col=35,title=timeout/bounds::http.downstream.redis.multiplier 0.5 is below 1: timeouts would shrink under load
::notice::2 findings already in the baseline
OUT
	run 1 validate --baseline .srctl-baseline.json --format junit -q
	grep -q '<property name="baselined" value="2"/>' "$T/out" ||
		fail "junit: no baselined property"
	run 1 validate --baseline .srctl-baseline.json --format sarif -q
	grep -q '"srctlBaselined": 2' "$T/out" || fail "sarif: no count"
	grep -q '"srctlFingerprint/v1"' "$T/out" ||
		fail "sarif: no fingerprint"
	# without --baseline nothing changes
	run 1 validate --format json -q
	if grep -q baselined "$T/out"; then
		fail "json: baselined without --baseline"
	fi
	;;
staged)
	# --staged with a baseline: stale only among the staged files
	setup
	run 0 baseline -q
	contract_ok >pay/timeout.yaml
	printf '# touched\n' >>pay/k8s/deploy.yaml
	git add pay/k8s/deploy.yaml
	run 0 validate --staged --baseline .srctl-baseline.json
	expect_out <<'OUT'
no findings in 1 file (1 baselined)
OUT
	expect_err </dev/null
	;;
bad-file)
	setup
	run 3 validate --baseline missing.json
	expect_err <<'OUT'
cannot open 'missing.json': No such file or directory
srctl validate: cannot use baseline 'missing.json'
OUT
	expect_out </dev/null
	printf '{"version": 1, "findings": [{"rule": "x"}]}\n' >b.json
	run 2 validate --baseline b.json
	expect_err <<'OUT'
b.json:1:29: a baseline entry needs "rule" and "file" strings
srctl validate: cannot use baseline 'b.json'
OUT
	printf '{"version": 2, "findings": []}\n' >b.json
	run 2 validate --baseline b.json
	expect_err <<'OUT'
b.json:1:13: unsupported baseline version (this srctl reads version 1)
srctl validate: cannot use baseline 'b.json'
OUT
	printf '{"version": 1, "findings": [' >b.json
	run 2 validate --baseline b.json
	head -c 7 "$T/err" | grep -q '^b.json:' || fail "no position for a syntax error"
	# an unwritable destination leaves nothing behind
	run 3 baseline -o no/such/dir/base.json
	[ ! -e no ] || fail "baseline wrote something"
	;;
*)
	fail "unknown case '$CASE'"
	;;
esac
