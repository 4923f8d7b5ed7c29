# Browser benchmarks (bench/browser/run.mjs): the whole app in headless Chromium — load, idle,
# per-token cost against a markdown-it DOM client, frame time against history length, memory,
# transport throughput. Prints tables; docs/PERFORMANCE.md has the full command and results.
#   node bench/browser/run.mjs --bundle <web build>/bundle
# CTest runs it once with tiny inputs (--quick) only to prove it still works.
if(NOT EMSCRIPTEN)
  return()
endif()
add_test(NAME "bench:browser" COMMAND node "${CMAKE_CURRENT_LIST_DIR}/browser/run.mjs" --quick
         --bundle "${CMAKE_BINARY_DIR}/bundle")
set_tests_properties("bench:browser" PROPERTIES LABELS "bench-smoke" TIMEOUT 300
                     ENVIRONMENT "IMCHAT_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
