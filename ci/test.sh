#!/usr/bin/env bash
# The whole test suite: unit tests, golden cases (with srctl and with the
# ASan+UBSan build srctl-asan), CLI checks, valgrind and a short fuzz run,
# all under ctest. Extra arguments go to ctest (e.g. -L golden, -LE slow).
set -euo pipefail
cd "$(dirname "$0")/.."

ci/deps.sh --test
cmake -S . -B build -DSRCTL_SANITIZERS=ON -DSRCTL_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
