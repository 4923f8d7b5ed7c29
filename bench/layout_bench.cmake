# Streaming layout benchmark (bench/layout, native only): the per-token cost of
# append token -> incremental markdown -> layout of the changed blocks, for a streaming reply of
# 1 KB, 100 KB and 1 MB (a mixed document ending in an open code fence). Prints a table.
#   build/<dir>/bench/layout/layout_bench_native [--sizes 1024,102400,1048576] [--tokens N] [--runs N]
if(EMSCRIPTEN)
  return()
endif()
add_executable(layout_bench_native "${CMAKE_CURRENT_LIST_DIR}/layout/layout_bench.cpp")
target_link_libraries(layout_bench_native PRIVATE imchat_core)
set_target_properties(layout_bench_native PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/layout")
add_test(NAME "bench:layout_native" COMMAND layout_bench_native --sizes 1024,8192 --tokens 50 --runs 1)
set_tests_properties("bench:layout_native" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)
