# Writes FILE.gz and FILE.br (brotli, best) beside every compressible file of the bundle, each
# remade only when older than its source, so serve.py sends precompressed bytes without
# compressing per request. The .gz comes from zopfli where installed (scripts/setup installs it):
# the same gzip format every browser reads, ~5 % smaller than gzip -9 (docs/PERFORMANCE.md), at
# a second per MB once per build. Without zopfli gzip -9, without brotli only .gz.
find_program(ZOPFLI zopfli)
find_program(BROTLI brotli)
file(GLOB_RECURSE files "${DIR}/*.js" "${DIR}/*.wasm" "${DIR}/*.html" "${DIR}/*.css" "${DIR}/*.ttf")
foreach(f IN LISTS files)
  if(NOT EXISTS "${f}.gz" OR "${f}" IS_NEWER_THAN "${f}.gz")
    if(ZOPFLI)
      execute_process(COMMAND "${ZOPFLI}" --gzip "${f}" RESULT_VARIABLE rc)
    else()
      execute_process(COMMAND gzip -9 -n -k -f "${f}" RESULT_VARIABLE rc)
    endif()
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "compressing ${f} failed")
    endif()
  endif()
  if(BROTLI AND (NOT EXISTS "${f}.br" OR "${f}" IS_NEWER_THAN "${f}.br"))
    execute_process(COMMAND "${BROTLI}" -q 11 -k -f "${f}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "brotli failed on ${f}")
    endif()
  endif()
endforeach()
