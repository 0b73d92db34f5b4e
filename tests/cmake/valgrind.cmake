# Run srctl under valgrind: fail on a memory error or a definite/indirect
# leak (valgrind exits 99), or on an exit code other than EXPECT.
#   -DVALGRIND=valgrind -DSRCTL=srctl -DNAME=test -DARGS="validate;." -DEXPECT=1
#   [-DINPUT=dir: copied outside the source tree and used as the working
#    directory, so the repository's .gitignore and .srctl.yaml stay out]
cmake_minimum_required(VERSION 3.25)
set(tmp "$ENV{TMPDIR}")
if(tmp STREQUAL "")
  set(tmp "/tmp")
endif()
string(MD5 wid "${SRCTL}")
string(SUBSTRING "${wid}" 0 8 wid)
set(work "${tmp}/srctl-valgrind/${NAME}-${wid}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")
set(dir "${work}")
if(INPUT)
  file(COPY "${INPUT}/" DESTINATION "${work}/input")
  set(dir "${work}/input")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1
          ${VALGRIND} -q --error-exitcode=99 --leak-check=full
          --errors-for-leak-kinds=definite,indirect "${SRCTL}" ${ARGS}
  WORKING_DIRECTORY "${dir}"
  OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE code)
file(REMOVE_RECURSE "${work}")
if(code EQUAL 99)
  message(FATAL_ERROR "valgrind found errors:\n${err}")
endif()
if(NOT code STREQUAL "${EXPECT}")
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECT}:\n${err}")
endif()
