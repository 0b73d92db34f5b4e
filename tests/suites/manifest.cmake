# Manifest parsers (srctl/manifest): unit.manifest, registered by the
# unit-test loop, compares every file under fixtures/manifest/<format>/
# with its .expected package list; the directory is compiled in here.
set(SRCTL_MANIFEST_FIXTURES ${CMAKE_SOURCE_DIR}/fixtures/manifest)
foreach(t test_manifest test_manifest_asan)
  if(TARGET ${t})
    target_compile_definitions(${t} PRIVATE
      SRCTL_MANIFEST_FIXTURES="${SRCTL_MANIFEST_FIXTURES}")
  endif()
endforeach()
