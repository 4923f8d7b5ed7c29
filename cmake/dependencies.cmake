# Third-party code, none of it committed: scripts/setup puts Dear ImGui and md4c sources
# (Debian source packages) in .cache/, RapidJSON and GoogleTest come from Debian packages.
set(IMCHAT_CACHE "${CMAKE_SOURCE_DIR}/.cache" CACHE PATH "Where scripts/setup unpacks sources")
set(IMGUI_DIR "${IMCHAT_CACHE}/imgui")
set(MD4C_DIR "${IMCHAT_CACHE}/md4c")
set(UTF8PROC_DIR "${IMCHAT_CACHE}/utf8proc")
foreach(dir IN ITEMS "${IMGUI_DIR}" "${MD4C_DIR}" "${UTF8PROC_DIR}")
  if(NOT EXISTS "${dir}/.unpacked")
    message(FATAL_ERROR "${dir} is missing: run scripts/setup first")
  endif()
endforeach()

# RapidJSON is header-only. Adding /usr/include itself to an em++ include path would pull in
# glibc's headers, so the build sees it through a folder holding only a link to it.
set(IMCHAT_DEPS_INCLUDE "${CMAKE_BINARY_DIR}/deps/include")
file(MAKE_DIRECTORY "${IMCHAT_DEPS_INCLUDE}")
if(NOT EXISTS "${IMCHAT_DEPS_INCLUDE}/rapidjson")
  file(CREATE_LINK /usr/include/rapidjson "${IMCHAT_DEPS_INCLUDE}/rapidjson" SYMBOLIC)
endif()
add_library(rapidjson INTERFACE)
target_include_directories(rapidjson SYSTEM INTERFACE "${IMCHAT_DEPS_INCLUDE}")
# SSE4.2/NEON paths are off for wasm; RapidJSON's std::string support is used by the core.
target_compile_definitions(rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)

# md4c: one C file turns markdown into callbacks (md4c-html is not needed).
add_library(md4c STATIC "${MD4C_DIR}/src/md4c.c")
target_include_directories(md4c SYSTEM PUBLIC "${MD4C_DIR}/src")
set_target_properties(md4c PROPERTIES C_STANDARD 99)

# utf8proc: grapheme cluster boundaries (UAX #29) for the core. Its one C file includes its
# tables (utf8proc_data.c), which hold every property of every code point (~320 KB of wasm); the
# build compiles it beside a copy of those tables cut down to the two properties grapheme breaks
# read (cmake/utf8proc_graphemes.py), natively too, so the tests check what ships.
set(UTF8PROC_GEN "${CMAKE_BINARY_DIR}/deps/utf8proc")
configure_file("${UTF8PROC_DIR}/utf8proc.c" "${UTF8PROC_GEN}/utf8proc.c" COPYONLY)
add_custom_command(OUTPUT "${UTF8PROC_GEN}/utf8proc_data.c"
  COMMAND python3 "${CMAKE_SOURCE_DIR}/cmake/utf8proc_graphemes.py" "${UTF8PROC_DIR}/utf8proc_data.c"
          "${UTF8PROC_GEN}/utf8proc_data.c"
  DEPENDS "${CMAKE_SOURCE_DIR}/cmake/utf8proc_graphemes.py" "${UTF8PROC_DIR}/utf8proc_data.c" VERBATIM)
set_source_files_properties("${UTF8PROC_GEN}/utf8proc_data.c" PROPERTIES HEADER_FILE_ONLY ON)
set_source_files_properties("${UTF8PROC_GEN}/utf8proc.c" PROPERTIES OBJECT_DEPENDS "${UTF8PROC_GEN}/utf8proc_data.c")
add_library(utf8proc STATIC "${UTF8PROC_GEN}/utf8proc.c" "${UTF8PROC_GEN}/utf8proc_data.c")
target_include_directories(utf8proc SYSTEM PUBLIC "${UTF8PROC_DIR}")
target_compile_definitions(utf8proc PUBLIC UTF8PROC_STATIC)
set_target_properties(utf8proc PROPERTIES C_STANDARD 99)

# GoogleTest from Debian's sources; built by em++ too (no threads in wasm).
set(gtest_disable_pthreads ${EMSCRIPTEN} CACHE BOOL "" FORCE)
set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)

if(EMSCRIPTEN)
  # Dear ImGui 1.92 core, compiled with our imconfig (wasm/ui/imconfig_imchat.h).
  add_library(imgui STATIC
    "${IMGUI_DIR}/imgui.cpp" "${IMGUI_DIR}/imgui_draw.cpp"
    "${IMGUI_DIR}/imgui_tables.cpp" "${IMGUI_DIR}/imgui_widgets.cpp")
  target_include_directories(imgui SYSTEM PUBLIC "${IMGUI_DIR}")
  target_compile_definitions(imgui PUBLIC IMGUI_USER_CONFIG="${CMAKE_SOURCE_DIR}/wasm/ui/imconfig_imchat.h")
endif()
