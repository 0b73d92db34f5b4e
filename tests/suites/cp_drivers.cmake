# Control-plane drivers "http" and "istio" (srctl/cp/drv_http.c,
# drv_istio.c) against servers started on 127.0.0.1 by the test scripts:
# the reference server of srctl's REST API (tests/tools/cp_ref_server.py),
# a real Caddy (Debian's caddy) for ETag/If-Match/412, and a loopback fake
# Kubernetes API server that answers like the real one and checks srctl's
# requests against the requests the real kubectl sent
# (fixtures/cp/k8s-contract). cp-probe drives a driver through
# cp/driver.h, cp.timeout.* drive `srctl timeout` end to end; the scripts
# pick free ports and stop what they start.
# Each runs three ways: cp.*, asan.cp.* (cp-probe-asan) and
# valgrind.cp.* (cp-probe under valgrind; errors and leaks fail).
add_executable(cp-probe tools/cp_probe.c)
target_compile_options(cp-probe PRIVATE ${SRCTL_WARNINGS})
target_link_libraries(cp-probe PRIVATE srctl_core)
if(SRCTL_SANITIZERS)
  add_executable(cp-probe-asan tools/cp_probe.c)
  target_compile_options(cp-probe-asan PRIVATE ${SRCTL_WARNINGS}
                         ${SRCTL_SAN_FLAGS})
  target_link_libraries(cp-probe-asan PRIVATE srctl_core_asan
                        ${SRCTL_SAN_FLAGS})
endif()

find_program(SRCTL_PYTHON3 python3)
find_program(SRCTL_CADDY caddy)
find_program(SRCTL_OPENSSL openssl)
find_program(SRCTL_CP_VALGRIND valgrind)

set(SRCTL_CP_TOOLS ${CMAKE_CURRENT_SOURCE_DIR}/tools)

# srctl_cp_test(<name> <script> <args>...): cp.<name> and its variants.
# The scripts get both cp-probe (--probe) and srctl (--srctl).
function(srctl_cp_test name script)
  set(cmd ${SRCTL_PYTHON3} ${SRCTL_CP_TOOLS}/${script} --tools ${SRCTL_CP_TOOLS})
  add_test(NAME cp.${name}
    COMMAND ${cmd} --probe $<TARGET_FILE:cp-probe>
            --srctl $<TARGET_FILE:srctl> ${ARGN})
  set_tests_properties(cp.${name} PROPERTIES LABELS "cp" TIMEOUT 180)
  if(SRCTL_SANITIZERS)
    add_test(NAME asan.cp.${name}
      COMMAND ${cmd} --probe $<TARGET_FILE:cp-probe-asan>
              --srctl $<TARGET_FILE:srctl-asan> ${ARGN})
    set_tests_properties(asan.cp.${name} PROPERTIES LABELS "cp;asan"
      TIMEOUT 300)
  endif()
  if(SRCTL_CP_VALGRIND)
    add_test(NAME valgrind.cp.${name}
      COMMAND ${cmd} --probe $<TARGET_FILE:cp-probe>
              --srctl $<TARGET_FILE:srctl> ${ARGN})
    set_tests_properties(valgrind.cp.${name} PROPERTIES
      LABELS "cp;valgrind" TIMEOUT 900
      ENVIRONMENT "CP_PROBE_WRAP=${SRCTL_CP_VALGRIND} -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect")
  endif()
endfunction()

if(SRCTL_PYTHON3)
  srctl_cp_test(http.refserver cp_http_test.py refserver)
  if(SRCTL_CADDY)
    srctl_cp_test(http.caddy cp_http_test.py --caddy ${SRCTL_CADDY} caddy)
  endif()
  if(SRCTL_OPENSSL)
    srctl_cp_test(istio.contract cp_istio_test.py
                  --contract ${CMAKE_SOURCE_DIR}/fixtures/cp/k8s-contract)
  endif()
  # srctl timeout end to end through the two drivers.
  if(SRCTL_CADDY)
    srctl_cp_test(timeout.http cp_timeout_e2e.py --caddy ${SRCTL_CADDY} http)
  else()
    srctl_cp_test(timeout.http cp_timeout_e2e.py http)
  endif()
  if(SRCTL_OPENSSL)
    srctl_cp_test(timeout.istio cp_timeout_e2e.py
                  --contract ${CMAKE_SOURCE_DIR}/fixtures/cp/k8s-contract istio)
  endif()
endif()

# fuzz.http: libFuzzer on the HTTP/1.1 response reader (srctl/cp/http1.c),
# tests/fuzz/run.sh with FUZZ_TARGETS=http, 20 s; the forked-server cases
# are unit.http1.
if(CLANG)
  add_test(NAME fuzz.http COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run.sh)
  set_tests_properties(fuzz.http PROPERTIES LABELS fuzz TIMEOUT 300
    ENVIRONMENT "CLANG=${CLANG};FUZZ_TARGETS=http;FUZZ_HTTP_SECONDS=20;FUZZ_ARTIFACTS=${CMAKE_CURRENT_BINARY_DIR}/fuzz-artifacts")
endif()
