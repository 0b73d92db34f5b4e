# Version ordering (srctl/deps/version): the upstream projects' test
# vectors in fixtures/version-ordering. The automatic unit.version_vectors
# entry runs without a directory and only says it skipped; these run the
# vectors, with the ASan/UBSan twin when sanitizers are on.
add_test(NAME unit.version_vectors.upstream
  COMMAND test_version_vectors ${CMAKE_SOURCE_DIR}/fixtures/version-ordering)
set_tests_properties(unit.version_vectors.upstream PROPERTIES
  LABELS unit TIMEOUT 120)
if(SRCTL_SANITIZERS)
  add_test(NAME asan.unit.version_vectors.upstream
    COMMAND test_version_vectors_asan
            ${CMAKE_SOURCE_DIR}/fixtures/version-ordering)
  set_tests_properties(asan.unit.version_vectors.upstream PROPERTIES
    LABELS "unit;asan" TIMEOUT 600)
endif()

# fuzz.version: libFuzzer on every comparator (tests/fuzz/fuzz_version.c
# checks reflexivity, antisymmetry and transitivity), built with clang
# straight from the sources like fuzz.doc; FUZZ_SECONDS, default 60.
find_program(CLANG clang)
if(CLANG)
  set(SRCTL_FUZZ_VERSION_DIR ${CMAKE_CURRENT_BINARY_DIR}/fuzz-version)
  add_test(NAME fuzz.version
    COMMAND sh -c "set -eu
mkdir -p \"$1/corpus\" \"$1/artifacts\"
\"$2\" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -D_DEFAULT_SOURCE -std=c11 -I srctl -I . \
  -o \"$1/fuzz_version\" tests/fuzz/fuzz_version.c srctl/deps/version*.c
exec \"$1/fuzz_version\" -max_total_time=\${FUZZ_SECONDS:-60} -max_len=512 \
  -timeout=10 -print_final_stats=1 -artifact_prefix=\"$1/artifacts/\" \
  \"$1/corpus\""
      sh ${SRCTL_FUZZ_VERSION_DIR} ${CLANG}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(fuzz.version PROPERTIES LABELS fuzz TIMEOUT 300)
endif()
