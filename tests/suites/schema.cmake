# JSON Schema validator (srctl/schema): the official JSON-Schema-Test-Suite,
# copied into fixtures/json-schema-test-suite, one ctest per draft. The
# runner (tests/unit/test_schema_suite.c) fails below 98% of the required
# cases, or when a failing case is missing from known-failures.txt (or a
# listed one passes). unit.schema_suite, registered by the unit-test loop,
# runs both drafts with the directory compiled in.
set(SRCTL_SCHEMA_SUITE ${CMAKE_SOURCE_DIR}/fixtures/json-schema-test-suite)

if(TARGET test_schema_suite)
  target_compile_definitions(test_schema_suite PRIVATE
    SRCTL_SCHEMA_SUITE_DIR="${SRCTL_SCHEMA_SUITE}")
  if(TARGET test_schema_suite_asan)
    target_compile_definitions(test_schema_suite_asan PRIVATE
      SRCTL_SCHEMA_SUITE_DIR="${SRCTL_SCHEMA_SUITE}")
  endif()
  foreach(draft draft2020-12 draft7)
    add_test(NAME schema.suite.${draft}
      COMMAND test_schema_suite ${SRCTL_SCHEMA_SUITE} ${draft})
    set_tests_properties(schema.suite.${draft} PROPERTIES
      LABELS "unit;schema" TIMEOUT 120)
    if(SRCTL_SANITIZERS)
      add_test(NAME asan.schema.suite.${draft}
        COMMAND test_schema_suite_asan ${SRCTL_SCHEMA_SUITE} ${draft})
      set_tests_properties(asan.schema.suite.${draft} PROPERTIES
        LABELS "unit;schema;asan" TIMEOUT 600)
    endif()
  endforeach()
endif()
