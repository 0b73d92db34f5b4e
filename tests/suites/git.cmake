# validate/lint --staged and --changed-since, srctl baseline and
# --baseline: tests/git/staged.sh and baseline.sh build throwaway
# repositories in temporary directories with git and compare srctl's
# output exactly; nothing under tests/ is a repository. With sanitizers
# on, every case runs again with srctl-asan.
find_program(SRCTL_SH sh)
set(SRCTL_STAGED_CASES staged-not-worktree worktree-not-staged
    context-from-index deleted-contract deleted-file rename merge detached
    shallow no-commits outside paths lint changed-since reset-soft many-dirs deps)
set(SRCTL_BASELINE_CASES roundtrip stale count formats staged bad-file)

foreach(bin srctl srctl-asan)
  if(bin STREQUAL "srctl-asan" AND NOT SRCTL_SANITIZERS)
    continue()
  endif()
  if(bin STREQUAL "srctl-asan")
    set(prefix "asan.")
  else()
    set(prefix "")
  endif()
  foreach(script staged baseline)
    string(TOUPPER ${script} up)
    foreach(case IN LISTS SRCTL_${up}_CASES)
      set(name git.${prefix}${script}.${case})
      add_test(NAME ${name}
        COMMAND ${SRCTL_SH} ${CMAKE_SOURCE_DIR}/tests/git/${script}.sh
                $<TARGET_FILE:${bin}> ${case})
      set_tests_properties(${name} PROPERTIES LABELS "cli;git" TIMEOUT 120)
    endforeach()
  endforeach()
endforeach()

# The same --staged cases through libgit2's index reader and diff instead
# of srctl's own cache-tree reading (gitx.c): both must agree exactly.
foreach(case IN LISTS SRCTL_STAGED_CASES)
  set(name git.staged-libgit2.${case})
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env SRCTL_GIT_SLOW_INDEX=1
            ${SRCTL_SH} ${CMAKE_SOURCE_DIR}/tests/git/staged.sh
            $<TARGET_FILE:srctl> ${case})
  set_tests_properties(${name} PROPERTIES LABELS "cli;git" TIMEOUT 120)
endforeach()
