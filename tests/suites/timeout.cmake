# srctl timeout (docs/timeout.md) against real servers on 127.0.0.1,
# started and stopped by ctest fixtures through tests/tools/timeout_test.py
# (free ports, state under the build directory):
#   timeout_etcd      etcd (Debian etcd-server), plain HTTP
#   timeout_etcd_tls  etcd with a throwaway CA: TLS, client certificates,
#                     user/password auth
#   timeout_prom      Prometheus scraping a metrics file whose p99 the test
#                     sets, and a Pushgateway
# timeout.etcd.faults starts (and kills) an etcd of its own. The servers
# are installed by ci/deps.sh --test; a missing one fails the test with
# the package to install, it does not skip.
find_program(SRCTL_PYTHON3_T python3 REQUIRED)
set(SRCTL_TIMEOUT_TOOL ${CMAKE_CURRENT_SOURCE_DIR}/tools/timeout_test.py)
set(SRCTL_TIMEOUT_STATE ${CMAKE_CURRENT_BINARY_DIR}/timeout-state)

function(srctl_timeout_fixture name start_args)
  add_test(NAME timeout.${name}.start
    COMMAND ${SRCTL_PYTHON3_T} ${SRCTL_TIMEOUT_TOOL} ${start_args}
            ${SRCTL_TIMEOUT_STATE}/${name})
  set_tests_properties(timeout.${name}.start PROPERTIES
    FIXTURES_SETUP timeout_${name} LABELS "timeout" TIMEOUT 120)
  add_test(NAME timeout.${name}.stop
    COMMAND ${SRCTL_PYTHON3_T} ${SRCTL_TIMEOUT_TOOL} stop
            ${SRCTL_TIMEOUT_STATE}/${name})
  set_tests_properties(timeout.${name}.stop PROPERTIES
    FIXTURES_CLEANUP timeout_${name} LABELS "timeout" TIMEOUT 60)
endfunction()

srctl_timeout_fixture(etcd "start-etcd")
srctl_timeout_fixture(etcd_tls "start-etcd;--tls")
srctl_timeout_fixture(prom "start-prom")

# name, case, fixture ("" for none), srctl target, label prefix
function(srctl_timeout_case name case fixture bin prefix)
  set(state ${SRCTL_TIMEOUT_STATE}/${fixture})
  add_test(NAME ${prefix}timeout.${name}
    COMMAND ${SRCTL_PYTHON3_T} ${SRCTL_TIMEOUT_TOOL} case ${case}
            --state ${state} --srctl $<TARGET_FILE:${bin}>)
  set(labels "timeout")
  if(prefix)
    set(labels "timeout;asan")
  endif()
  set_tests_properties(${prefix}timeout.${name} PROPERTIES
    LABELS "${labels}" TIMEOUT 300)
  if(fixture)
    # cases share the fixture's server: one at a time
    set_tests_properties(${prefix}timeout.${name} PROPERTIES
      FIXTURES_REQUIRED timeout_${fixture} RESOURCE_LOCK timeout_${fixture})
  endif()
endfunction()

set(SRCTL_TIMEOUT_BINS srctl "")
if(TARGET srctl-asan)
  list(APPEND SRCTL_TIMEOUT_BINS srctl-asan "asan.")
endif()
list(LENGTH SRCTL_TIMEOUT_BINS n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET SRCTL_TIMEOUT_BINS ${i} bin)
  if(j LESS n)
    list(GET SRCTL_TIMEOUT_BINS ${j} prefix)
  else()
    set(prefix "")
  endif()
  srctl_timeout_case(etcd.steps steps etcd ${bin} "${prefix}")
  srctl_timeout_case(etcd.concurrency concurrency etcd ${bin} "${prefix}")
  srctl_timeout_case(etcd.tls tls etcd_tls ${bin} "${prefix}")
  srctl_timeout_case(etcd.faults faults "" ${bin} "${prefix}")
  srctl_timeout_case(identity identity "" ${bin} "${prefix}")
  # plain http:// goes through srctl's own HTTP/1.1 (cp/http1.c); the
  # same steps and faults through libcurl keep that path tested too
  srctl_timeout_case(etcd.steps.curl steps etcd ${bin} "${prefix}")
  srctl_timeout_case(etcd.faults.curl faults "" ${bin} "${prefix}")
  set_tests_properties(${prefix}timeout.etcd.steps.curl
    ${prefix}timeout.etcd.faults.curl PROPERTIES
    ENVIRONMENT "SRCTL_HTTP_CLIENT=curl")
  srctl_timeout_case(prometheus prometheus prom ${bin} "${prefix}")
endforeach()
