# Run by CTest when it reads the tests (see fuzz/CMakeLists.txt): one test per sequential mutant,
# which must diverge, and one for "impl", which must not, each fuzzed for IDEMCHECK_KILL_SECONDS
# (default 60) seconds from the target's corpora, as the fuzzer is deployed, or from nothing when
# IDEMCHECK_KILL_FROM_SCRATCH=1. Expects fuzz_sh, fuzzer, list_mutants, corpora and work.
if(DEFINED ENV{IDEMCHECK_KILL_SECONDS})
  set(seconds $ENV{IDEMCHECK_KILL_SECONDS})
else()
  set(seconds 60)
endif()
math(EXPR timeout "${seconds} + 60")
if("$ENV{IDEMCHECK_KILL_FROM_SCRATCH}" STREQUAL "1")
  set(corpora)
endif()

execute_process(COMMAND "${list_mutants}" OUTPUT_VARIABLE mutants RESULT_VARIABLE status)
string(REGEX MATCHALL "[^\n]+" mutants "${mutants}")
if(NOT status EQUAL 0 OR NOT mutants)
  # Nothing to kill is a failure of the check, not a pass.
  add_test(fuzz_kill/no_mutants_registered "${CMAKE_COMMAND}" -E false)
  set_tests_properties(fuzz_kill/no_mutants_registered PROPERTIES LABELS fuzz-mutants)
endif()

foreach(store IN LISTS mutants ITEMS impl)
  if(store STREQUAL "impl")
    set(expect survives)
  else()
    set(expect dies)
  endif()
  string(REGEX REPLACE "[^A-Za-z0-9_-]" "_" dir "${store}")
  add_test(fuzz_kill/${store} bash "${fuzz_sh}" ${expect} "${fuzzer}" "${work}/${dir}" ${corpora})
  set_tests_properties(fuzz_kill/${store} PROPERTIES
    LABELS fuzz-mutants ENVIRONMENT "IDEMCHECK_IMPL=${store}" TIMEOUT ${timeout})
endforeach()
