# Shared by staged.sh and baseline.sh: lib.sh's throwaway git setup, a
# small service to check, and exact comparisons of srctl's output.
# Sourced with SRCTL set to the binary under test.
. "$(dirname "$0")/lib.sh"

# run WANT_EXIT ARGS...: run srctl, keep stdout in $T/out and stderr in
# $T/err, and fail unless it exits with WANT_EXIT.
run() {
	want=$1
	shift
	set +e
	"$SRCTL" "$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		cat "$T/out" "$T/err" >&2
		fail "srctl $*: exit $got, expected $want"
	fi
}

# expect_out / expect_err: stdout / stderr must be exactly standard input.
expect_out() {
	cat >"$T/want"
	expect_same "$T/want" "$T/out" "stdout"
}
expect_err() {
	cat >"$T/want"
	expect_same "$T/want" "$T/err" "stderr"
}

# new_repo DIR: a repository with one clean service, pay/, committed.
new_repo() {
	git init -q "$1"
	cd "$1"
	mkdir -p pay/k8s
	contract_ok >pay/timeout.yaml
	deployment redis >pay/k8s/deploy.yaml
	commit "Alice" "2026-01-05T10:00:00Z" "pay: contract and deployment"
}

contract_ok() {
	cat <<'YAML'
http:
  downstream:
    redis: { base: 800, multiplier: 1.5, max: 2000 }
YAML
}

# base: 0 is a timeout/bounds error on line 3
contract_bad() {
	cat <<'YAML'
http:
  downstream:
    redis: { base: 0, multiplier: 1.5, max: 2000 }
YAML
}

# deployment INCLUDE: a clean workload whose readiness probe checks INCLUDE
deployment() {
	cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pay
spec:
  template:
    spec:
      containers:
        - name: app
          image: pay:1
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe:
            httpGet: { path: "/health/ready?include=$1", port: http }
            periodSeconds: 5
            timeoutSeconds: 3
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 10
          startupProbe:
            httpGet: { path: /health/live, port: http }
            failureThreshold: 30
            periodSeconds: 2
YAML
}
