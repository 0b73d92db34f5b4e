# Control-plane drivers "http" and "istio" (srctl/cp/drv_http.c,
# drv_istio.c) against servers started on 127.0.0.1 by the test scripts:
# the reference server of srctl's REST API (tests/tools/cp_ref_server.py),
# a real Caddy (Debian's caddy) for ETag/If-Match/412, and a loopback fake
# Kubernetes API server that answers like the real one and checks srctl's
# requests against the requests the real kubectl sent
# (fixtures/cp/k8s-contract). cp-probe drives a driver through
# cp/driver.h; the scripts pick free ports and stop what they start.
add_executable(cp-probe tools/cp_probe.c)
target_compile_options(cp-probe PRIVATE ${SRCTL_WARNINGS})
target_link_libraries(cp-probe PRIVATE srctl_core)

find_program(SRCTL_PYTHON3 python3)
find_program(SRCTL_CADDY caddy)
find_program(SRCTL_OPENSSL openssl)

if(SRCTL_PYTHON3)
  add_test(NAME cp.http.refserver
    COMMAND ${SRCTL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/cp_http_test.py
            --probe $<TARGET_FILE:cp-probe> --srctl $<TARGET_FILE:srctl>
            --tools ${CMAKE_CURRENT_SOURCE_DIR}/tools refserver)
  set_tests_properties(cp.http.refserver PROPERTIES LABELS "cp" TIMEOUT 120)
  if(SRCTL_CADDY)
    add_test(NAME cp.http.caddy
      COMMAND ${SRCTL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/cp_http_test.py
              --probe $<TARGET_FILE:cp-probe> --srctl $<TARGET_FILE:srctl>
              --tools ${CMAKE_CURRENT_SOURCE_DIR}/tools
              --caddy ${SRCTL_CADDY} caddy)
    set_tests_properties(cp.http.caddy PROPERTIES LABELS "cp" TIMEOUT 120)
  endif()
  if(SRCTL_OPENSSL)
    add_test(NAME cp.istio.contract
      COMMAND ${SRCTL_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/cp_istio_test.py
              --probe $<TARGET_FILE:cp-probe> --srctl $<TARGET_FILE:srctl>
              --tools ${CMAKE_CURRENT_SOURCE_DIR}/tools
              --contract ${CMAKE_SOURCE_DIR}/fixtures/cp/k8s-contract)
    set_tests_properties(cp.istio.contract PROPERTIES LABELS "cp" TIMEOUT 120)
  endif()
endif()
