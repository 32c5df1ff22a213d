# A bounded, reproducible libFuzzer run that never writes into the source tree: new inputs go
# to a fresh work directory in the build tree (the first corpus directory), the committed
# corpus is only read (the second), and any crash/leak/timeout file is written to WORK.
#   cmake -DFUZZER=<binary> -DCORPUS=<source corpus dir> -DWORK=<build dir> [-DRUNS=N]
#         [-DMAX_LEN=N] [-DSEED=N] [-DDICT=<libFuzzer dictionary>] -P run_fuzz.cmake
foreach(var FUZZER CORPUS WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT DEFINED RUNS)
  set(RUNS 30000)
endif()
if(NOT DEFINED MAX_LEN)
  set(MAX_LEN 4096)
endif()
if(NOT DEFINED SEED)
  set(SEED 1)
endif()

set(dict_arg)
if(DEFINED DICT AND NOT DICT STREQUAL "")
  set(dict_arg "-dict=${DICT}")
endif()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")
execute_process(
  COMMAND "${FUZZER}" -seed=${SEED} -runs=${RUNS} -max_len=${MAX_LEN} -timeout=20
          -print_final_stats=1 ${dict_arg} "-artifact_prefix=${WORK}/" "${WORK}/corpus" "${CORPUS}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer exited with ${rc}; reproducer (if any) in ${WORK}/")
endif()
