#!/bin/sh
# Benchmark of 'srctl validate --staged' (docs/performance.md, section
# "validate --staged"): in generated repositories of N files, time
# --staged with a few staged files against the repository's size and
# against the number of staged files, with hyperfine (Debian package
# hyperfine). The repositories are bench/gen.c's realistic corpus (the
# one bench/run.sh measures), committed with git; one deployment.yaml
# per service is edited and staged; CORPUS=simple uses a uniform corpus of
# ten small files per service instead. Nothing is left behind.
#
# usage: bench/staged.sh SRCTL [SIZES [STAGED]]
#   SIZES   repository sizes in files (default "1000 10000 40000")
#   STAGED  staged-file counts for the 10 000-file repository
#           (default "3 30 300")
set -eu

SRCTL=$(realpath "$1")
SIZES=${2:-"1000 10000 40000"}
STAGED=${3:-"3 30 300"}
command -v hyperfine >/dev/null ||
	{ echo "bench/staged.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/srctl-bench-staged.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
[ "${CORPUS:-gen}" = simple ] ||
	${CC:-cc} -O2 -o "$T/bench-gen" "$(dirname "$0")/gen.c"
export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
git config --global gc.auto 0

# measure LABEL RUNS COMMAND...: hyperfine in the current directory; one
# line with wall time (mean, sd, min) and CPU time (user + system), since
# on a busy machine wall time is mostly waiting for a core.
measure() {
	label=$1 runs=$2
	shift 2
	hyperfine -N -i -w 3 -r "$runs" --export-json "$T/h.json" -n "$label" \
		"$*" >/dev/null
	python3 - "$T/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
ms = lambda v: v * 1000
print("%-22s wall %7.1f ms +- %5.1f (min %6.1f)   cpu %6.1f ms" % (
    r["command"], ms(r["mean"]), ms(r["stddev"] or 0), ms(r["min"]),
    ms(r["user"] + r["system"])))
PY
}

# gen DIR FILES: bench/gen.c's repository of FILES files, committed.
gen() {
	"$T/bench-gen" "$1" "$2" 1 2>/dev/null
	(cd "$1" && git init -q && nice git add -A &&
	 nice git commit -q -m "generated" && settle)
}

# settle: pack the objects now, in the foreground. (A commit of thousands
# of loose objects would start 'git gc --auto' in the background, competing
# with the measurement for the cores: gc.auto is 0 in this HOME.)
settle() {
	nice git gc -q
}

# gen_simple DIR FILES: FILES/10 services, each a timeout contract and nine
# Kubernetes manifests, committed.
gen_simple() {
	git init -q "$1"
	awk -v dir="$1" -v n="$2" 'BEGIN {
		for (s = 0; s < n / 10; s++) {
			svc = sprintf("%s/services/svc%05d", dir, s)
			system("mkdir -p " svc "/k8s")
			f = svc "/timeout.yaml"
			print "http:\n  downstream:" > f
			print "    redis: { base: 800, multiplier: 1.5, max: 2000 }" > f
			print "    ledger: { base: 300, multiplier: 1.5, max: 900 }" > f
			close(f)
			for (k = 0; k < 9; k++) {
				f = sprintf("%s/k8s/deploy%d.yaml", svc, k)
				print "apiVersion: apps/v1\nkind: Deployment" > f
				printf "metadata:\n  name: svc%05d-%d\n", s, k > f
				print "spec:\n  template:\n    spec:\n      containers:" > f
				print "        - name: app\n          image: app:1" > f
				print "          ports: [{ name: http, containerPort: 8080 }]" > f
				print "          readinessProbe:" > f
				print "            httpGet: { path: \"/health/ready?include=redis,ledger\", port: http }" > f
				print "            timeoutSeconds: 3" > f
				print "          livenessProbe:" > f
				print "            httpGet: { path: /health/live, port: http }" > f
				print "          startupProbe:" > f
				print "            httpGet: { path: /health/live, port: http }" > f
				print "            failureThreshold: 30\n            periodSeconds: 2" > f
				close(f)
			}
		}
	}'
	(cd "$1" && nice git add -A && nice git commit -q -m "generated" &&
	 settle)
}

# the corpus: bench/gen.c's, or with CORPUS=simple the small uniform one
# (ten files per service) that shows the cost of the git part alone
if [ "${CORPUS:-gen}" = simple ]; then
	gen() { gen_simple "$@"; }
	manifest='services/svc%05d/k8s/deploy0.yaml'
	first=0
else
	manifest='services/svc-%04d/k8s/deployment.yaml'
	first=1
fi

# stage DIR K: modify and stage one manifest in each of K services
stage() {
	(cd "$1" && git reset -q &&
	 git checkout -q -- . &&
	 for s in $(seq "$first" $((first + $2 - 1))); do
		f=$(printf "$manifest" "$s")
		printf '# touched\n' >>"$f"
		git add "$f"
	 done)
}

echo "== repository size, 3 staged files"
for n in $SIZES; do
	gen "$T/r$n" "$n"
	stage "$T/r$n" 3
	(cd "$T/r$n" && measure "$n files" 30 "$SRCTL" validate --staged -q)
done

echo "== 10000 files, staged files"
[ -d "$T/r10000" ] || gen "$T/r10000" 10000
for k in $STAGED; do
	stage "$T/r10000" "$k"
	(cd "$T/r10000" && measure "$k staged" 30 "$SRCTL" validate --staged -q)
done

echo "== for scale: the whole 10000-file repository"
(cd "$T/r10000" && measure "all 10000 files" 5 "$SRCTL" validate -q)
