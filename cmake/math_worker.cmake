# The math engine's lazy chunk: wasm/platform/math_worker.mjs and the MathJax modules it imports
# (npm `dependencies`: the only npm code that ships) bundled by esbuild (a devDependency) into
# bundle/math_worker.js, which the page loads only when the first formula appears. The licence of
# what ships goes beside it. Appends both to IMCHAT_BUNDLE_FILES (compressed like the rest).
set(IMCHAT_ESBUILD "${CMAKE_SOURCE_DIR}/node_modules/.bin/esbuild")
set(IMCHAT_MATHJAX "${CMAKE_SOURCE_DIR}/node_modules/mathjax-full")
if(NOT EXISTS "${IMCHAT_ESBUILD}" OR NOT EXISTS "${IMCHAT_MATHJAX}/package.json")
  message(FATAL_ERROR "esbuild and mathjax-full are missing from node_modules: run scripts/setup (npm ci)")
endif()
set(IMCHAT_MATH_WORKER "${IMCHAT_BUNDLE_DIR}/math_worker.js")
add_custom_command(OUTPUT "${IMCHAT_MATH_WORKER}"
  COMMAND "${IMCHAT_ESBUILD}" "${CMAKE_SOURCE_DIR}/wasm/platform/math_worker.mjs" --bundle --minify
          --format=iife --target=es2020 --legal-comments=none --log-level=error
          "--outfile=${IMCHAT_MATH_WORKER}"
  DEPENDS "${CMAKE_SOURCE_DIR}/wasm/platform/math_worker.mjs" "${IMCHAT_MATHJAX}/package.json"
          "${CMAKE_SOURCE_DIR}/package-lock.json"
  WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" VERBATIM)
# What esbuild takes into the chunk (its --metafile says): mathjax-full and mhchemparser, both
# Apache-2.0.
set(IMCHAT_MATH_LICENSES "")
foreach(pair IN ITEMS "mathjax-full/LICENSE" "mhchemparser/LICENSE.txt")
  string(REGEX REPLACE "/.*" "" package "${pair}")
  set(out "${IMCHAT_BUNDLE_DIR}/licenses/${package}.txt")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_SOURCE_DIR}/node_modules/${pair}" "${out}"
    DEPENDS "${CMAKE_SOURCE_DIR}/node_modules/${pair}" VERBATIM)
  list(APPEND IMCHAT_MATH_LICENSES "${out}")
endforeach()
list(APPEND IMCHAT_BUNDLE_FILES "${IMCHAT_MATH_WORKER}" ${IMCHAT_MATH_LICENSES})
