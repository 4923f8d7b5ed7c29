# embed_text(TARGET OUT_HEADER NAMESPACE FILES...): turns text files (the GLSL shaders) into a
# header of string constants at build time, so shaders stay real .vert/.frag files in shaders/.
function(embed_text target header ns)
  set(inputs ${ARGN})
  # COMMAND would split a ';' list into separate arguments: pass it joined with '|' (quoted
  # for the shell by VERBATIM).
  string(REPLACE ";" "|" inputs_arg "${inputs}")
  add_custom_command(OUTPUT "${header}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${header} -DNS=${ns} "-DINPUTS=${inputs_arg}"
            -P "${CMAKE_SOURCE_DIR}/cmake/embed_text_run.cmake"
    DEPENDS ${inputs} "${CMAKE_SOURCE_DIR}/cmake/embed_text_run.cmake"
    COMMENT "Embedding ${ns}"
    VERBATIM)
  target_sources(${target} PRIVATE "${header}")
  get_filename_component(dir "${header}" DIRECTORY)
  target_include_directories(${target} PRIVATE "${dir}")
endfunction()
