# The shipped schemas (schemas/) against the files they describe, and the
# libFuzzer run of the schema validator.
#
# schema.shipped.rules: every rule file of the catalogue matches
#   schemas/rule.schema.json.
# schema.shipped.config: every .srctl.yaml of the golden cases that srctl
#   loads matches schemas/srctl-config.schema.json; the two that srctl
#   rejects for their shape (unknown key, wrong type) must not
#   (schema.shipped.config-*, which expect a violation).
# fuzz.schema: tests/fuzz/run.sh with FUZZ_TARGETS=schema, 20 s.
file(GLOB SRCTL_RULE_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rules/*/*.yaml)
add_test(NAME schema.shipped.rules
  COMMAND srctl schema check ${SRCTL_RULE_FILES} --schema rule --format short)
set_tests_properties(schema.shipped.rules PROPERTIES LABELS "cli;schema"
  TIMEOUT 60)

file(GLOB_RECURSE SRCTL_CONFIG_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/fixtures/*/.srctl.yaml)
set(SRCTL_GOOD_CONFIGS)
set(SRCTL_BAD_CONFIGS)
foreach(f IN LISTS SRCTL_CONFIG_FILES)
  # input/.srctl.yaml of a case: its expected.exit says whether srctl
  # accepted the configuration (2 is a configuration error)
  get_filename_component(case "${f}" DIRECTORY)
  get_filename_component(case "${case}" DIRECTORY)
  set(code 0)
  if(EXISTS "${case}/expected.exit")
    file(READ "${case}/expected.exit" code)
    string(STRIP "${code}" code)
  endif()
  if(case MATCHES "config-(unknown-key|wrong-type)$")
    list(APPEND SRCTL_BAD_CONFIGS "${f}")
  elseif(NOT code STREQUAL "2")
    list(APPEND SRCTL_GOOD_CONFIGS "${f}")
  endif()
endforeach()
add_test(NAME schema.shipped.config
  COMMAND srctl schema check ${SRCTL_GOOD_CONFIGS} --schema srctl-config
          --format short)
set_tests_properties(schema.shipped.config PROPERTIES LABELS "cli;schema"
  TIMEOUT 60)
foreach(f IN LISTS SRCTL_BAD_CONFIGS)
  get_filename_component(case "${f}" DIRECTORY)
  get_filename_component(case "${case}" DIRECTORY)
  get_filename_component(name "${case}" NAME)
  add_test(NAME schema.shipped.${name}
    COMMAND srctl schema check ${f} --schema srctl-config --format short)
  set_tests_properties(schema.shipped.${name} PROPERTIES
    LABELS "cli;schema" TIMEOUT 60
    PASS_REGULAR_EXPRESSION "is not allowed|expected .*, got")
endforeach()

find_program(CLANG clang)
if(CLANG)
  add_test(NAME fuzz.schema
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run.sh)
  set_tests_properties(fuzz.schema PROPERTIES LABELS fuzz TIMEOUT 300
    ENVIRONMENT "CLANG=${CLANG};FUZZ_TARGETS=schema;FUZZ_SCHEMA_SECONDS=20;FUZZ_ARTIFACTS=${CMAKE_CURRENT_BINARY_DIR}/fuzz-artifacts")
endif()
