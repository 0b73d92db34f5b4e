#!/bin/sh
# Schema-validation benchmark (docs/performance.md, "Schema validation").
# Generates a 10 000-file repository with bench/gen.c (bench/run.sh's
# generator; bench/schema_gen.c where there is none) and times
# srctl on it with and without JSON Schema checks: the mean CPU time
# (user + sys) of RUNS (default 10) runs each, single-threaded.
#   bench/schema.sh [SRCTL] [FILES]
# SRCTL defaults to build/srctl; FILES to 10000. MODE=callgrind counts the
# instructions executed instead (millions; valgrind, about 50 times
# slower: use FILES=2000), which the other processes of a shared machine
# do not disturb.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
srctl=${1:-$root/build/srctl}
files=${2:-10000}
runs=${RUNS:-10}
cc=${CC:-cc}
work=$(mktemp -d "${TMPDIR:-/tmp}/srctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

srctl=$(cd "$(dirname "$srctl")" && pwd)/$(basename "$srctl")
# the repository of bench/run.sh (bench/gen.c) when there is one, else
# bench/schema_gen.c's
if [ -f "$here/gen.c" ]; then
	"$cc" -O2 -o "$work/gen" "$here/gen.c"
	"$work/gen" "$work/repo" "$files" "${SEED:-1}" >&2
	deploys='services/*/k8s/deployment.yaml'
else
	"$cc" -O2 -o "$work/gen" "$here/schema_gen.c"
	"$work/gen" "$work/repo" "$files" >&2
	deploys='services/*/deploy.yaml'
fi
mkdir -p "$work/user/ci"
cp -r "$work/repo/." "$work/user/"
# a user schema mapped to every Deployment, for the user-schema figure
cat >"$work/user/.srctl.yaml" <<YAML
schemas:
  - { files: "$deploys", schema: ci/deploy.schema.json }
YAML
cat >"$work/user/ci/deploy.schema.json" <<'JSON'
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["apiVersion", "kind", "metadata", "spec"],
  "properties": {
    "metadata": {
      "type": "object",
      "required": ["name", "labels"],
      "properties": {
        "name": { "type": "string", "pattern": "^[a-z][a-z0-9-]*$" },
        "labels": { "type": "object",
                    "additionalProperties": { "type": "string" } }
      }
    },
    "spec": {
      "type": "object",
      "properties": { "replicas": { "type": "integer", "minimum": 2 } }
    }
  }
}
JSON

# mean CPU seconds (user + sys) of $runs runs of: srctl ARGS (in directory
# $1). CPU time, not wall time: on a shared machine the wall clock mostly
# measures the other processes; the mean, since GNU time counts in 10 ms
# steps. Needs GNU time (Debian package "time").
best() {
	dir=$1
	shift
	if [ "${MODE:-cpu}" = callgrind ]; then
		# instructions executed: deterministic, one run is enough
		(cd "$dir" && valgrind --tool=callgrind \
			--callgrind-out-file=/dev/null "$srctl" "$@" \
			2>"$work/t" >/dev/null) || true
		awk '/Collected/ { printf "%.1f", $NF / 1e6 }' "$work/t"
		return
	fi
	sum=0
	i=0
	while [ $i -lt "$runs" ]; do
		(cd "$dir" && /usr/bin/time -f "%U %S" -o "$work/t" \
			"$srctl" "$@" >/dev/null 2>&1) || true
		sum=$(tail -n 1 "$work/t" | awk -v s="$sum" '{ print s + $1 + $2 }')
		i=$((i + 1))
	done
	awk -v s="$sum" -v n="$runs" 'BEGIN { printf "%.3f", s / n }'
}

v0=$(best "$work/repo" validate --no-schemas -q .)
v1=$(best "$work/repo" validate -q .)
l0=$(best "$work/repo" lint --no-schemas -q .)
l1=$(best "$work/repo" lint -q .)
u0=$(best "$work/user" validate --no-schemas -q .)
u1=$(best "$work/user" validate -q .)

pct() { awk "BEGIN { printf \"%.1f\", 100 * ($2 - $1) / $3 }"; }
if [ "${MODE:-cpu}" = callgrind ]; then
	echo "files: $files, millions of instructions (callgrind)"
else
	echo "files: $files, mean of $runs runs, CPU seconds (user + sys)"
fi
printf '%-48s %8s\n' "validate --no-schemas" "$v0"
printf '%-48s %8s  (+%s%% of validate)\n' "validate (shipped schemas of unvalidated kinds)" "$v1" "$(pct "$v0" "$v1" "$v0")"
printf '%-48s %8s\n' "lint --no-schemas (syntax only)" "$l0"
printf '%-48s %8s  (+%s%% of validate)\n' "lint (every shipped schema)" "$l1" "$(pct "$l0" "$l1" "$v0")"
printf '%-48s %8s\n' "validate --no-schemas, user schema repo" "$u0"
printf '%-48s %8s  (+%s%% of validate)\n' "validate, user schema on the Deployments" "$u1" "$(pct "$u0" "$u1" "$u0")"
full=$(awk "BEGIN { printf \"%.1f\", 100 * (($l1 - $l0) + ($u1 - $u0)) / $v0 }")
echo "all shipped schemas on every file + the user schema: +$full% of validate"
