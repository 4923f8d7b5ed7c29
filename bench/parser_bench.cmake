# SSE parser benchmark (bench/parser): our SseParser against npm eventsource-parser on one
# generated 64 MB OpenAI-style stream, read 16 KiB at a time.
#   native build: parser_bench_native (side c)
#   web build:    parser_bench_wasm.js, a Node module that bench/parser/run.mjs drives (a, b),
#                 running the native program too when given --native.
# Full run: node bench/parser/run.mjs --wasm <web>/bench/parser/parser_bench_wasm.js \
#                --native <native>/bench/parser/parser_bench_native
set(PARSER_BENCH_DIR "${CMAKE_CURRENT_LIST_DIR}/parser")
set(PARSER_BENCH_OUT "${CMAKE_CURRENT_BINARY_DIR}/parser")
set(PARSER_BENCH_SOURCES "${PARSER_BENCH_DIR}/stream_gen.cpp" "${PARSER_BENCH_DIR}/bench_sides.cpp")

if(EMSCRIPTEN)
  add_executable(parser_bench_wasm ${PARSER_BENCH_SOURCES} "${PARSER_BENCH_DIR}/wasm_exports.cpp")
  target_link_libraries(parser_bench_wasm PRIVATE imchat_core)
  # The Node flags of wasm/CMakeLists.txt (IMCHAT_NODE_LINK_FLAGS lives in that folder's scope),
  # minus embind, plus a factory run.mjs can require().
  target_link_options(parser_bench_wasm PRIVATE -sDYNAMIC_EXECUTION=0 -sALLOW_MEMORY_GROWTH=1
    -sTOTAL_STACK=1048576 -sINITIAL_MEMORY=33554432 -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0
    -sMODULARIZE=1 -sEXPORT_NAME=createParserBench)
  set_target_properties(parser_bench_wasm PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PARSER_BENCH_OUT}")
  # The repository's package.json says "type": "module"; Emscripten's output is CommonJS.
  file(WRITE "${PARSER_BENCH_OUT}/package.json" "{\"type\": \"commonjs\"}\n")
  add_test(NAME "bench:parser" COMMAND node "${PARSER_BENCH_DIR}/run.mjs" --mb 1 --runs 1
           --wasm "$<TARGET_FILE:parser_bench_wasm>")
  set_tests_properties("bench:parser" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)
else()
  add_executable(parser_bench_native ${PARSER_BENCH_SOURCES} "${PARSER_BENCH_DIR}/native_bench.cpp")
  target_link_libraries(parser_bench_native PRIVATE imchat_core)
  set_target_properties(parser_bench_native PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PARSER_BENCH_OUT}")
  add_test(NAME "bench:parser_native" COMMAND parser_bench_native --mb 1 --runs 1)
  set_tests_properties("bench:parser_native" PROPERTIES LABELS "bench-smoke" TIMEOUT 300)
endif()
