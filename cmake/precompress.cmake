# Writes FILE.gz (gzip -9) and FILE.br (brotli, best) beside every compressible file of the
# bundle, each remade only when older than its source, so serve.py sends precompressed bytes
# without compressing per request. Without the brotli tool (scripts/setup installs it) only .gz.
find_program(BROTLI brotli)
file(GLOB_RECURSE files "${DIR}/*.js" "${DIR}/*.wasm" "${DIR}/*.html" "${DIR}/*.css" "${DIR}/*.ttf")
foreach(f IN LISTS files)
  if(NOT EXISTS "${f}.gz" OR "${f}" IS_NEWER_THAN "${f}.gz")
    execute_process(COMMAND gzip -9 -n -k -f "${f}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "gzip failed on ${f}")
    endif()
  endif()
  if(BROTLI AND (NOT EXISTS "${f}.br" OR "${f}" IS_NEWER_THAN "${f}.br"))
    execute_process(COMMAND "${BROTLI}" -q 11 -k -f "${f}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "brotli failed on ${f}")
    endif()
  endif()
endforeach()
