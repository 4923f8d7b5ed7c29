# Writes FILE.gz beside every compressible file of the bundle (gzip -9, kept only when newer
# than its source), so serve.py sends precompressed bytes without compressing per request.
file(GLOB_RECURSE files "${DIR}/*.js" "${DIR}/*.wasm" "${DIR}/*.html" "${DIR}/*.css" "${DIR}/*.ttf")
foreach(f IN LISTS files)
  if(NOT EXISTS "${f}.gz" OR "${f}" IS_NEWER_THAN "${f}.gz")
    execute_process(COMMAND gzip -9 -n -k -f "${f}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "gzip failed on ${f}")
    endif()
  endif()
endforeach()
