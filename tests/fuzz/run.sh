#!/bin/sh
# Build tests/fuzz/fuzz_doc.c with libFuzzer + ASan + UBSan straight from
# the sources it needs and fuzz for FUZZ_SECONDS (default 60), seeded with
# every YAML file under fixtures/. Exit 0 when nothing was found. Crash
# reproducers are kept in FUZZ_ARTIFACTS (default tests/fuzz/artifacts/);
# copy one to tests/fuzz/regressions/ (replayed on every run) before
# fixing the bug.
#   tests/fuzz/run.sh [extra libFuzzer options]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CLANG:-clang}
seconds=${FUZZ_SECONDS:-60}
artifacts=${FUZZ_ARTIFACTS:-$here/artifacts}
work=$(mktemp -d "${TMPDIR:-/tmp}/srctl-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# FUZZ_TARGETS: which targets to run, "doc http schema" by default (ctest
# runs them as fuzz.doc, fuzz.http and fuzz.schema)
targets=${FUZZ_TARGETS:-doc http schema}
want() { case " $targets " in *" $1 "*) return 0;; esac; return 1; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$artifacts"

cd "$root"
if want doc; then
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_DEFAULT_SOURCE -std=c11 \
	-I srctl -I . -o "$work/fuzz_doc" tests/fuzz/fuzz_doc.c \
	srctl/doc/*.c srctl/base/*.c srctl/check/suppress.c -lyaml -lm

mkdir -p "$work/corpus"
n=0
find fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) -size -1M |
while IFS= read -r f; do
	n=$((n + 1))
	cp "$f" "$work/corpus/seed-$n"
done


# inputs that crashed once (tests/fuzz/regressions/) run first, then seed
if ls "$here"/regressions/* >/dev/null 2>&1; then
	"$work/fuzz_doc" "$here"/regressions/*
	cp "$here"/regressions/* "$work/corpus/"
fi
"$work/fuzz_doc" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 \
	-max_len=65536 -print_final_stats=1 \
	-artifact_prefix="$artifacts/" "$@" "$work/corpus"
fi

# srctl/cp/http1.c: tests/fuzz/fuzz_http1.c (input: what a server sends),
# FUZZ_HTTP_SECONDS (default 20), seeded with a few well-formed responses.
if want http; then
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_DEFAULT_SOURCE -std=c11 \
	-DSRCTL_CURL_SONAME='"libcurl.so.4"' \
	-I srctl -I . -o "$work/fuzz_http1" tests/fuzz/fuzz_http1.c \
	srctl/cp/http1.c srctl/cp/http.c srctl/base/*.c -lm -ldl
mkdir -p "$work/http-corpus"
printf 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nETag: "1"\r\n\r\nok' \
	>"$work/http-corpus/length"
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x\r\nhello\r\n0\r\nETag: t\r\n\r\n' \
	>"$work/http-corpus/chunked"
printf 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\nConnection: close\r\n\r\nnope' \
	>"$work/http-corpus/interim-eof"
if ls "$here"/regressions/http-* >/dev/null 2>&1; then
	"$work/fuzz_http1" "$here"/regressions/http-*
fi
"$work/fuzz_http1" -max_total_time="${FUZZ_HTTP_SECONDS:-20}" \
	-rss_limit_mb=1024 -timeout=10 -max_len=65536 -print_final_stats=1 \
	-artifact_prefix="$artifacts/" "$@" "$work/http-corpus"
fi

want schema || exit 0
# srctl/schema: tests/fuzz/fuzz_schema.c (input: a flags byte, a schema, a
# NUL, an instance), a shorter run of FUZZ_SCHEMA_SECONDS (default 20)
# seeded with the JSON-Schema-Test-Suite's remote schemas and the schemas
# srctl ships.
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_DEFAULT_SOURCE -std=c11 \
	-I srctl -I . -o "$work/fuzz_schema" tests/fuzz/fuzz_schema.c \
	srctl/schema/*.c srctl/engine/regex.c srctl/doc/*.c srctl/base/buf.c \
	srctl/base/xmalloc.c srctl/base/error.c srctl/base/utf8.c srctl/base/hash.c \
	-lyaml -lpcre2-8 -lm
mkdir -p "$work/schema-corpus"
n=0
for f in fixtures/json-schema-test-suite/remotes/*.json \
	fixtures/json-schema-test-suite/remotes/*/*.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	{ printf '\000'; cat "$f"; printf '\000{"foo": [1, "x"]}'; } \
		>"$work/schema-corpus/seed-$n"
done
for f in schemas/*.schema.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	{ printf '\000'; cat "$f"; printf '\000{"http": {"d": {"t": {"base": "2s"}}}}'; } \
		>"$work/schema-corpus/seed-$n"
done
if ls "$here"/regressions/schema-* >/dev/null 2>&1; then
	"$work/fuzz_schema" "$here"/regressions/schema-*
fi
"$work/fuzz_schema" -max_total_time="${FUZZ_SCHEMA_SECONDS:-20}" \
	-rss_limit_mb=1024 -timeout=10 -max_len=4096 -print_final_stats=1 \
	-artifact_prefix="$artifacts/" "$@" "$work/schema-corpus"

# srctl/manifest: tests/fuzz/fuzz_manifest.c parses each input as every
# manifest format; FUZZ_MANIFEST_SECONDS (default 20), seeded with the
# parser fixtures.
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_DEFAULT_SOURCE -std=c11 \
	-I srctl -I . -o "$work/fuzz_manifest" tests/fuzz/fuzz_manifest.c \
	srctl/manifest/*.c srctl/doc/*.c srctl/base/*.c srctl/deps/version*.c \
	-lyaml -lexpat -lm
mkdir -p "$work/manifest-corpus"
n=0
find fixtures/manifest -type f ! -name '*.expected' -size -1M |
while IFS= read -r f; do
	n=$((n + 1))
	cp "$f" "$work/manifest-corpus/seed-$n"
done
"$work/fuzz_manifest" -max_total_time="${FUZZ_MANIFEST_SECONDS:-20}" \
	-rss_limit_mb=1024 -timeout=10 -max_len=65536 -print_final_stats=1 \
	-artifact_prefix="$artifacts/" "$@" "$work/manifest-corpus"
