#!/bin/sh
# Benchmark of 'srctl deps' (docs/performance.md, section "srctl deps").
#
#   bench/deps.sh [BUILD_DIR]        (default: build)
#
# Generates a package-lock.json with N packages and a directory of M OSV
# advisories, PCT percent of which name a package of the lockfile, then
# measures, best of ROUNDS runs each:
#   floor      bench/deps_floor: read + parse the lockfile with srctl's
#              parser (sr_manifest_parse), nothing else
#   deps       srctl deps on the lockfile (bundled known-bad list only)
#   deps+osv   srctl deps --advisories DIR on the lockfile
# CPU time is user + system (steadier than wall time on a shared machine;
# both are printed), peak RSS from GNU time. The ratio deps+osv / floor
# is the figure the issue asks for (target: at most 2). Then peak RSS of
# deps+osv at N/4, N/2 and N packages, to show it grows linearly.
#
# Environment: N (100000), M (50000), PCT (10), ROUNDS (3), WORK (a
# temporary directory, removed afterwards unless KEEP=1).
set -eu

build=$(cd "${1:-build}" && pwd)
N=${N:-100000}
M=${M:-50000}
PCT=${PCT:-10}
ROUNDS=${ROUNDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
srctl=$build/srctl
[ -x "$srctl" ] || { echo "bench/deps.sh: no $srctl; build first" >&2; exit 2; }
[ -f "$build/libsrctl_core.a" ] || { echo "bench/deps.sh: no $build/libsrctl_core.a" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/deps.sh: needs GNU time (apt-get install time)" >&2; exit 2; }

work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

cc -O2 -o "$work/deps_gen" "$here/deps_gen.c"
# shellcheck disable=SC2046
cc -O2 -D_DEFAULT_SOURCE -I"$root/srctl" -I"$root" -o "$work/deps_floor" \
   "$here/deps_floor.c" "$build/libsrctl_core.a" \
   $(pkg-config --libs yaml-0.1 libcurl libpcre2-8 libgit2 expat) -lm

echo "generating: $N packages, $M advisories ($PCT% name a package of the lockfile)"
"$work/deps_gen" lock "$N" "$work/package-lock.json"
"$work/deps_gen" osv "$M" "$N" "$PCT" "$work/osv"
echo "lockfile $(du -k "$work/package-lock.json" | cut -f1) KiB," \
     "advisories $(du -sk --apparent-size "$work/osv" | cut -f1) KiB"

# best of ROUNDS: prints "cpu wall rss"
measure() {
	best=""
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		/usr/bin/time -f "%U %S %e %M" -o "$work/t" "$@" >/dev/null 2>&1 || true
		line=$(tail -n 1 "$work/t")
		cur=$(echo "$line" | awk '{ printf "%.2f %.2f %d", $1 + $2, $3, $4 }')
		if [ -z "$best" ] || [ "$(echo "$cur $best" | awk '{ print ($1 < $4) }')" = 1 ]; then
			best=$cur
		fi
		i=$((i + 1))
	done
	echo "$best"
}

cd "$work"
floor=$(measure ./deps_floor package-lock.json)
deps=$(measure "$srctl" deps --format=short package-lock.json)
osv=$(measure "$srctl" deps --format=short --advisories osv package-lock.json)
findings=$("$srctl" deps --format=short --advisories osv package-lock.json 2>/dev/null | wc -l || true)

printf '%-10s %8s %8s %10s\n' run "cpu s" "wall s" "rss MiB"
for r in "floor $floor" "deps $deps" "deps+osv $osv"; do
	echo "$r" | awk '{ printf "%-10s %8.2f %8.2f %10.1f\n", $1, $2, $3, $4 / 1024 }'
done
echo "findings: $findings"
echo "$floor $osv" | awk '{ printf "ratio deps+osv / floor: %.2f (cpu), %.2f (wall)\n", $4 / $1, $5 / $2 }'

echo "peak RSS of deps+osv by lockfile size:"
for n in $((N / 4)) $((N / 2)) "$N"; do
	"$work/deps_gen" lock "$n" "$work/lock-$n.json"
	mkdir -p "$work/l$n"
	mv "$work/lock-$n.json" "$work/l$n/package-lock.json"
	r=$(ROUNDS=1 measure "$srctl" deps --format=short --advisories osv "l$n/package-lock.json")
	echo "$n $r" | awk '{ printf "  %7d packages: %7.1f MiB, %.0f bytes per package\n", $1, $4 / 1024, $4 * 1024 / $1 }'
done
