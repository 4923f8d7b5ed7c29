# Writes FILE.gz and FILE.br (brotli, best) beside one file of the bundle, so serve.py sends
# precompressed bytes without compressing per request. Ninja runs this only when FILE is newer
# than its copies (each file is its own build edge, see wasm/CMakeLists.txt); the content hash
# kept in HASH_FILE (outside the bundle, so it is never served) then skips the work when a relink or a copy rewrote the same bytes (a C++
# change relinks imchat.js too, byte for byte the same). The .gz comes from zopfli where installed
# (scripts/setup installs it): the gzip format every browser reads, ~5 % smaller than gzip -9
# (docs/PERFORMANCE.md), at about a second per MB. Without zopfli gzip -9, without brotli only .gz.
#   cmake -DFILE=path -DHASH_FILE=path [-DBROTLI=path] [-DZOPFLI=path] -P compress_one.cmake
file(SHA256 "${FILE}" hash)
set(outputs "${FILE}.gz")
if(BROTLI)
  list(APPEND outputs "${FILE}.br")
endif()
set(fresh TRUE)
foreach(out IN LISTS outputs)
  if(NOT EXISTS "${out}")
    set(fresh FALSE)
  endif()
endforeach()
if(fresh AND EXISTS "${HASH_FILE}")
  file(READ "${HASH_FILE}" stored)
  if(stored STREQUAL hash)
    # Same bytes as last time: only tell Ninja the copies are current.
    file(TOUCH_NOCREATE ${outputs})
    return()
  endif()
endif()
get_filename_component(name "${FILE}" NAME)
message(STATUS "precompress: ${name}")
if(ZOPFLI)
  execute_process(COMMAND "${ZOPFLI}" --gzip "${FILE}" RESULT_VARIABLE rc)
else()
  execute_process(COMMAND gzip -9 -n -k -f "${FILE}" RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compressing ${FILE} failed")
endif()
if(BROTLI)
  execute_process(COMMAND "${BROTLI}" -q 11 -k -f "${FILE}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "brotli failed on ${FILE}")
  endif()
endif()
# The compressors copy FILE's time stamp onto their output: make the copies newer than FILE,
# or Ninja would see them as stale on every build.
file(TOUCH_NOCREATE ${outputs})
file(WRITE "${HASH_FILE}" "${hash}")
