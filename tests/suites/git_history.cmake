# Git integration owned by audit-log, init and the pre-commit framework:
# tests/git/*.sh build throwaway repositories in temporary directories
# with git (fixed authors and dates, so output is exact) and run srctl
# in them; nothing under tests/ is a repository. With sanitizers on,
# every case runs again with srctl-asan.
find_program(SRCTL_SH sh)
set(SRCTL_GIT_CASES five merge rename empty outside adjustments baseline)

foreach(bin srctl srctl-asan)
  if(bin STREQUAL "srctl-asan" AND NOT SRCTL_SANITIZERS)
    continue()
  endif()
  if(bin STREQUAL "srctl-asan")
    set(prefix "asan.")
  else()
    set(prefix "")
  endif()
  foreach(case IN LISTS SRCTL_GIT_CASES)
    set(name ${prefix}audit-log.${case})
    add_test(NAME git.${name}
      COMMAND ${SRCTL_SH} ${CMAKE_SOURCE_DIR}/tests/git/audit_log.sh
              $<TARGET_FILE:${bin}> ${case})
    set_tests_properties(git.${name} PROPERTIES LABELS "cli;git"
      TIMEOUT 120)
  endforeach()
  add_test(NAME git.${prefix}init
    COMMAND ${SRCTL_SH} ${CMAKE_SOURCE_DIR}/tests/git/init.sh
            $<TARGET_FILE:${bin}>)
  set_tests_properties(git.${prefix}init PROPERTIES LABELS "cli;git"
    TIMEOUT 120)
endforeach()

# The pre-commit framework (Debian package pre-commit; ci/deps.sh --test)
# installs the hooks of .pre-commit-hooks.yaml and runs them on commits.
# Exit 77 (skipped) when pre-commit is not installed.
add_test(NAME git.pre-commit
  COMMAND ${SRCTL_SH} ${CMAKE_SOURCE_DIR}/tests/git/pre_commit.sh
          $<TARGET_FILE:srctl> ${CMAKE_SOURCE_DIR})
set_tests_properties(git.pre-commit PROPERTIES LABELS "cli;git"
  TIMEOUT 300 SKIP_RETURN_CODE 77)

# The CI templates are well-formed YAML with the keys their hosts need.
add_test(NAME git.ci-templates
  COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/git/ci_templates.py
          $<TARGET_FILE:srctl> ${CMAKE_SOURCE_DIR})
set_tests_properties(git.ci-templates PROPERTIES LABELS "cli;git"
  TIMEOUT 60)
