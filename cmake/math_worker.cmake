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
set(IMCHAT_MATH_LICENSE "${IMCHAT_BUNDLE_DIR}/licenses/mathjax-full.txt")
add_custom_command(OUTPUT "${IMCHAT_MATH_LICENSE}"
  COMMAND ${CMAKE_COMMAND} -E copy "${IMCHAT_MATHJAX}/LICENSE" "${IMCHAT_MATH_LICENSE}"
  DEPENDS "${IMCHAT_MATHJAX}/LICENSE" VERBATIM)
list(APPEND IMCHAT_BUNDLE_FILES "${IMCHAT_MATH_WORKER}" "${IMCHAT_MATH_LICENSE}")
