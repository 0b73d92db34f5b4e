# srctl deps (srctl/cmd_deps.c, srctl/advisory): golden cases live in
# fixtures/deps/ and register themselves; unit.advisory covers the
# advisory module. Here: every machine-readable format is valid.
add_test(NAME cli.deps.formats COMMAND ${CMAKE_COMMAND}
         -DSRCTL=$<TARGET_FILE:srctl> -DROOT=${CMAKE_SOURCE_DIR}
         -DCASE=${SRCTL_FIXTURES}/deps/format-json
         -DWORK=${CMAKE_CURRENT_BINARY_DIR}/deps-formats
         -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/deps_formats.cmake)
set_tests_properties(cli.deps.formats PROPERTIES LABELS cli TIMEOUT 60)
