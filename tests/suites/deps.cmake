# srctl deps (srctl/cmd_deps.c, srctl/advisory): golden cases live in
# fixtures/deps/ and register themselves; unit.advisory covers the
# advisory module. Here: every machine-readable format is valid.
add_test(NAME cli.deps.formats COMMAND ${CMAKE_COMMAND}
         -DSRCTL=$<TARGET_FILE:srctl> -DROOT=${CMAKE_SOURCE_DIR}
         -DCASE=${SRCTL_FIXTURES}/deps/format-json
         -DWORK=${CMAKE_CURRENT_BINARY_DIR}/deps-formats
         -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/deps_formats.cmake)
set_tests_properties(cli.deps.formats PROPERTIES LABELS cli TIMEOUT 60)

# valgrind.deps-*: srctl deps under valgrind (memory errors and definite
# or indirect leaks fail), over the advisory, list, ignore and parse paths.
find_program(SRCTL_DEPS_VALGRIND valgrind)
if(SRCTL_DEPS_VALGRIND)
  set(adv ${SRCTL_FIXTURES}/deps/_data/advisories)
  function(srctl_deps_valgrind name expect input)
    add_test(NAME valgrind.deps-${name} COMMAND ${CMAKE_COMMAND}
             -DVALGRIND=${SRCTL_DEPS_VALGRIND} -DSRCTL=$<TARGET_FILE:srctl>
             -DNAME=deps-${name} -DEXPECT=${expect}
             -DINPUT=${SRCTL_FIXTURES}/deps/${input}/input "-DARGS=${ARGN}"
             -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/valgrind.cmake)
    set_tests_properties(valgrind.deps-${name} PROPERTIES LABELS valgrind
                         TIMEOUT 300)
  endfunction()
  srctl_deps_valgrind(acceptance 1 lodash-npm-yarn deps --format=sarif
                      --advisories ${adv} .)
  srctl_deps_valgrind(formats 1 format-json deps --advisories ${adv} .)
  srctl_deps_valgrind(ignores 1 ignore-expired deps --format=json
                      --advisories ${adv} .)
  srctl_deps_valgrind(no-reason 0 ignore-no-reason deps --format=junit
                      --advisories ${adv} .)
  srctl_deps_valgrind(malformed 0 advisory-malformed deps --format=github
                      --advisories osv .)
  srctl_deps_valgrind(git-note 1 git-range-note deps --advisories osv .)
  srctl_deps_valgrind(custom-list 0 known-bad-custom deps .)
  srctl_deps_valgrind(invalid-list 2 known-bad-invalid deps .)
  srctl_deps_valgrind(config-error 2 config-bad deps .)
  srctl_deps_valgrind(parse-error 1 manifest-parse deps .)
  srctl_deps_valgrind(pom 1 log4shell-pom-osv deps --advisories ${adv} .)
  srctl_deps_valgrind(missing-adv 3 advisories-missing deps
                      --advisories no-such-dir .)
endif()
