# rtdp_unit_test(NAME SOURCES... LIBS ...): a cmocka test, plus a valgrind twin
# (label "valgrind") in plain builds. Unit tests carry the label "unit".
find_program(RTDP_VALGRIND valgrind)
function(rtdp_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CMOCKA rtdp_build_flags)
  target_compile_definitions(${name} PRIVATE
    RTDP_FIXTURES="${PROJECT_SOURCE_DIR}/tests/fixtures"
    RTDP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RTDP_BUILD_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 120)
  if(RTDP_VALGRIND AND NOT RTDP_SANITIZE)
    add_test(NAME ${name}_valgrind COMMAND ${RTDP_VALGRIND} --error-exitcode=99
             --leak-check=full --errors-for-leak-kinds=definite,indirect
             --show-leak-kinds=definite,indirect --track-fds=no -q $<TARGET_FILE:${name}>)
    set_tests_properties(${name}_valgrind PROPERTIES LABELS valgrind TIMEOUT 600)
  endif()
endfunction()
