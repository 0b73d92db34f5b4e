# Run one golden case (see fixtures/README.md for the format).
#   -DSRCTL=binary -DRUNNER=srctl-test-run -DCASE=fixture dir -DWORK=name
#   [-DSANITIZED=1]
# SRCTL_UPDATE_GOLDEN=1 in the environment rewrites the expected files.
# A missing expected.out is written and the test fails, so a new case
# bootstraps itself (git t4013).

cmake_minimum_required(VERSION 3.25)
set(tmp "$ENV{TMPDIR}")
if(tmp STREQUAL "")
  set(tmp "/tmp")
endif()
get_filename_component(leaf "${WORK}" NAME)
# Outside any git work tree, so the project's own .gitignore and
# configuration cannot leak into the case. The hash of WORK keeps the
# golden and asan runs of a case (same leaf), and other build trees, apart
# when they run at the same time.
string(MD5 wid "${WORK}")
string(SUBSTRING "${wid}" 0 8 wid)
set(work "${tmp}/srctl-golden/${leaf}-${wid}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

set(run_dir "${work}")
if(IS_DIRECTORY "${CASE}/input")
  file(COPY "${CASE}/input" DESTINATION "${work}")
  set(run_dir "${work}/input")
endif()

set(GOLDEN_WRAPPER)
if(EXISTS "${CASE}/setup.cmake")
  # a case may build inputs that cannot be committed (huge or unreadable),
  # and may set GOLDEN_WRAPPER to a command that runs srctl (setpriv, ...)
  set(INPUT "${run_dir}")
  include("${CASE}/setup.cmake")
endif()

set(args validate --format=short .)
if(EXISTS "${CASE}/args")
  file(STRINGS "${CASE}/args" args)
endif()

set(env_args "NO_COLOR=1")
if(EXISTS "${CASE}/env")
  file(STRINGS "${CASE}/env" env_lines)
  list(APPEND env_args ${env_lines})
endif()
if(SANITIZED)
  list(APPEND env_args "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86"
       "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()

set(prefix)
if(EXISTS "${CASE}/max_rss_mb" AND NOT SANITIZED)
  file(READ "${CASE}/max_rss_mb" max_rss)
  string(STRIP "${max_rss}" max_rss)
  set(prefix "${RUNNER}" --max-rss-mb "${max_rss}" --)
endif()

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${env_args} ${prefix} ${GOLDEN_WRAPPER} "${SRCTL}" ${args}
  WORKING_DIRECTORY "${run_dir}"
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)

if(EXISTS "${CASE}/setup.cmake" AND COMMAND golden_cleanup)
  golden_cleanup()
endif()
file(REMOVE_RECURSE "${work}")

if(err MATCHES "AddressSanitizer|LeakSanitizer|runtime error:")
  message(FATAL_ERROR "sanitizer report:\n${err}")
endif()
if(prefix AND code EQUAL 125)
  message(FATAL_ERROR "peak RSS over ${max_rss} MB:\n${err}")
endif()

if("$ENV{SRCTL_UPDATE_GOLDEN}" STREQUAL "1" OR NOT EXISTS "${CASE}/expected.out")
  file(WRITE "${CASE}/expected.out" "${out}")
  file(WRITE "${CASE}/expected.exit" "${code}\n")
  if(NOT err STREQUAL "" OR EXISTS "${CASE}/expected.stderr")
    file(WRITE "${CASE}/expected.stderr" "${err}")
  endif()
  if(NOT "$ENV{SRCTL_UPDATE_GOLDEN}" STREQUAL "1")
    message(FATAL_ERROR "expected.out was missing and has been written; review it")
  endif()
  return()
endif()

set(failed "")
file(READ "${CASE}/expected.out" want_out)
if(NOT out STREQUAL want_out)
  string(APPEND failed "stdout differs.\n--- expected\n${want_out}--- got\n${out}")
endif()
set(want_code 0)
if(EXISTS "${CASE}/expected.exit")
  file(READ "${CASE}/expected.exit" want_code)
  string(STRIP "${want_code}" want_code)
endif()
if(NOT code STREQUAL want_code)
  string(APPEND failed "exit code ${code}, expected ${want_code}\n")
endif()
if(EXISTS "${CASE}/expected.stderr")
  file(READ "${CASE}/expected.stderr" want_err)
  if(NOT err STREQUAL want_err)
    string(APPEND failed "stderr differs.\n--- expected\n${want_err}--- got\n${err}")
  endif()
endif()
if(NOT failed STREQUAL "")
  message(FATAL_ERROR "${failed}stderr was:\n${err}")
endif()
