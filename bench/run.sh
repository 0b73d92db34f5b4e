#!/usr/bin/env bash
# bench/run.sh [NFILES]: srctl validate against the libyaml parse floor.
#
# Builds bench-gen, bench-floor and bench-rss into bench/out/ (git-ignored),
# generates a repository of NFILES (default 10000) YAML files into
# bench/out/repo and one of NFILES/10 into bench/out/repo-small (both
# reused when already generated with the same size, seed and generator),
# builds srctl in build-bench/ (Release, no sanitizers, no tests) unless
# SRCTL=path is given, then measures with hyperfine:
#
#   floor: bench/out/bench-floor bench/out/repo
#   srctl: srctl validate --format json --quiet bench/out/repo
#
# and prints time and peak RSS of each, srctl's ratios to the floor, and
# srctl's peak RSS on the small and the large repository (it must not
# grow with the number of files).
#
# Environment: SRCTL (prebuilt binary), SEED (generator seed, default 1),
# RUNS (hyperfine runs, default 5), CC (default cc).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."	# every path below is relative to the repository root

N=${1:-10000}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
CC=${CC:-cc}

die() {
	echo "bench/run.sh: $*" >&2
	exit 2
}

if ! [[ $N =~ ^[0-9]+$ ]] || ((N == 0)); then
	die "NFILES must be a positive number, not '$N'"
fi
SMALL=$((N / 10))
if ((SMALL < 1)); then
	SMALL=1
fi
out=bench/out
repo=$out/repo
small=$out/repo-small
warn=(-std=c11 -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Werror)

need() {
	command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"
}

need "$CC" "a C compiler"
need pkg-config "apt-get install pkg-config"
need hyperfine "apt-get install hyperfine"
need jq "apt-get install jq"

# --- tools -------------------------------------------------------------
mkdir -p "$out"
"$CC" "${warn[@]}" -o "$out/bench-gen" bench/gen.c
# shellcheck disable=SC2046
"$CC" "${warn[@]}" -o "$out/bench-floor" bench/floor.c \
	$(pkg-config --cflags --libs yaml-0.1)
"$CC" "${warn[@]}" -o "$out/bench-rss" bench/rss.c

# --- repositories ------------------------------------------------------
gen_repo() {
	local dir=$1 n=$2 stamp
	stamp="files=$n seed=$SEED gen=$(cksum <bench/gen.c | cut -d' ' -f1)"
	if [[ -f $dir/.bench-stamp && $(cat "$dir/.bench-stamp") == "$stamp" ]]; then
		echo "bench: reusing $dir ($stamp)"
		return
	fi
	rm -rf "$dir"
	"$out/bench-gen" "$dir" "$n" "$SEED"
	echo "$stamp" >"$dir/.bench-stamp"
}
gen_repo "$repo" "$N"
gen_repo "$small" "$SMALL"

# --- srctl -------------------------------------------------------------
if [[ -z ${SRCTL:-} ]]; then
	echo "bench: building srctl (Release) in build-bench/"
	if ! { cmake -S . -B build-bench -DSRCTL_SANITIZERS=OFF -DSRCTL_TESTS=OFF \
		-DCMAKE_BUILD_TYPE=Release &&
		cmake --build build-bench --target srctl -j"$(nproc)"; } \
		>"$out/build.log" 2>&1; then
		tail -n 30 "$out/build.log" >&2
		die "building srctl failed (log: $out/build.log)"
	fi
	SRCTL=build-bench/srctl
fi
command -v "$SRCTL" >/dev/null 2>&1 || die "no srctl at '$SRCTL'"

# single-threaded: pass -j 1 once srctl has a jobs option
jobs=()
if "$SRCTL" validate --help 2>&1 | grep -qE -- '(^|[ ,])--jobs([ =,]|$)'; then
	jobs=(--jobs 1)
elif "$SRCTL" validate --help 2>&1 | grep -qE -- '(^|[ ,])-j([ ,]|$)'; then
	jobs=(-j 1)
fi
srctl_cmd=("$SRCTL" validate --format json --quiet ${jobs[@]+"${jobs[@]}"})

# --- sanity: what both programs see ------------------------------------
"$out/bench-floor" "$repo" 2>"$out/floor.txt" || die "bench-floor failed: $(cat "$out/floor.txt")"
read -r f_files f_events f_bytes f_errors < <(
	sed -E 's/^bench-floor: ([0-9]+) files, ([0-9]+) events, ([0-9]+) bytes, ([0-9]+) parse errors$/\1 \2 \3 \4/' "$out/floor.txt")
rc=0
"${srctl_cmd[@]}" "$repo" >"$out/srctl.json" 2>"$out/srctl.err" || rc=$?
if ((rc != 0 && rc != 1)); then
	cat "$out/srctl.err" >&2
	die "srctl validate exited $rc (0 or 1 expected)"
fi
findings=$(jq '.findings | length' "$out/srctl.json")
[[ $f_files == "$N" ]] || echo "bench: warning: the floor parsed $f_files files, not $N" >&2

# --- time --------------------------------------------------------------
hyperfine -N --warmup 1 --runs "$RUNS" --ignore-failure \
	--export-json "$out/hyperfine.json" \
	-n floor "$out/bench-floor $repo" \
	-n srctl "${srctl_cmd[*]} $repo"

# per command: mean, stddev, min wall time; mean user + system CPU time
read -r t_floor s_floor m_floor c_floor t_srctl s_srctl m_srctl c_srctl < <(jq -r '
	[(.results[] | select(.command == "floor") | .mean, .stddev, .min, .user + .system),
	 (.results[] | select(.command == "srctl") | .mean, .stddev, .min, .user + .system)]
	| @tsv' "$out/hyperfine.json")

# --- peak RSS (KiB, the largest of 3 runs) and CPU time (the least) ----
peak() {
	local best=0 cpu="" kib _code c _
	for _ in 1 2 3; do
		read -r kib _code c < <("$out/bench-rss" "$@")
		if ((kib > best)); then
			best=$kib
		fi
		if [[ -z $cpu ]] || awk -v a="$c" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then
			cpu=$c
		fi
	done
	echo "$best $cpu"
}
read -r r_floor u_floor < <(peak "$out/bench-floor" "$repo")
read -r r_srctl u_srctl < <(peak "${srctl_cmd[@]}" "$repo")
read -r r_floor_small u_floor_small < <(peak "$out/bench-floor" "$small")
read -r r_srctl_small u_srctl_small < <(peak "${srctl_cmd[@]}" "$small")

# --- report ------------------------------------------------------------
model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
{
	echo
	echo "srctl benchmark: $f_files files, $f_bytes bytes, $f_events libyaml events," \
		"$f_errors not YAML; seed $SEED; $RUNS runs after 1 warm-up (warm cache)"
	echo "machine: $(nproc) CPUs, ${model:-unknown CPU}, $(uname -sr)"
	echo "srctl: $("$SRCTL" --version 2>/dev/null | head -n 1)," \
		"exit $rc, $findings findings${jobs[*]:+, ${jobs[*]}}"
	awk -v tf="$t_floor" -v sf="$s_floor" -v mf="$m_floor" -v cf="$c_floor" \
		-v ts="$t_srctl" -v ss="$s_srctl" -v ms="$m_srctl" -v cs="$c_srctl" \
		-v rf="$r_floor" -v rs="$r_srctl" -v rfs="$r_floor_small" \
		-v rss="$r_srctl_small" -v n="$N" -v ns="$SMALL" -v bytes="$f_bytes" \
		-v uf="$u_floor" -v us="$u_srctl" -v ufs="$u_floor_small" \
		-v uss="$u_srctl_small" '
	function mib(k) { return sprintf("%.1f MiB", k / 1024) }
	function row(name, a, b, c, d, e) {
		printf "%-20s %-20s %-9s %-10s %-11s %s\n", name, a, b, c, d, e
	}
	BEGIN {
		print ""
		row("", "wall (mean +/- sd)", "wall min", "user+sys", "throughput", "peak RSS")
		row("libyaml parse floor", sprintf("%.3f s +/- %.3f", tf, sf),
		    sprintf("%.3f s", mf), sprintf("%.3f s", cf),
		    sprintf("%.1f MB/s", bytes / tf / 1e6), mib(rf))
		row("srctl validate", sprintf("%.3f s +/- %.3f", ts, ss),
		    sprintf("%.3f s", ms), sprintf("%.3f s", cs),
		    sprintf("%.1f MB/s", bytes / ts / 1e6), mib(rs))
		row("srctl / floor", sprintf("%.2fx", ts / tf), sprintf("%.2fx", ms / mf),
		    sprintf("%.2fx", cs / cf), "", sprintf("%.2fx", rs / rf))
		printf "\nsrctl time / floor: %.2fx wall (mean), %.2fx wall (min), %.2fx CPU;" \
			" acceptance: at most 2x -> %s\n", ts / tf, ms / mf, cs / cf,
			ts / tf <= 2 ? "PASS" : "FAIL"
		g = rs / rss
		printf "srctl peak RSS: %s at %d files, %s at %d files: %.2fx, %+.0f bytes per" \
			" extra file (floor: %s, %s) -> %s\n", mib(rss), ns, mib(rs), n, g,
			(rs - rss) * 1024 / (n - ns > 0 ? n - ns : 1), mib(rfs), mib(rf),
			g <= 1.10 ? "flat (within 10%)" : "GROWS"
		printf "CPU time against the number of files (%.0fx the files): srctl %.3f s -> %.3f s" \
			" (%.1fx), floor %.3f s -> %.3f s (%.1fx)\n", n / ns, uss, us,
			(uss > 0 ? us / uss : 0), ufs, uf, (ufs > 0 ? uf / ufs : 0)
	}'
} | tee "$out/results.txt"
