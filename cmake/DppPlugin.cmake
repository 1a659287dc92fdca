# dpp_add_plugin(<target> ID <id> SOURCES …): a plugin shared library named dpp-<id>.so in the
# plugin folder, exporting only its entry symbol, with every symbol resolved at link time
# (-z defs: a plugin never relies on the host's symbols).
function(dpp_add_plugin target)
  cmake_parse_arguments(ARG "" "ID" "SOURCES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  dpp_target_defaults(${target})
  target_link_libraries(${target} PRIVATE dpp::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "dpp-${ARG_ID}"
    LIBRARY_OUTPUT_DIRECTORY "${DPP_PLUGIN_OUTPUT_DIR}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT DPP_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,-z,defs)
  endif()
  # Hidden visibility does not cover the standard library's template instantiations and "unique"
  # globals; a version script keeps every symbol but the entry local, so that no symbol of one
  # plugin binds to another's and every plugin can be unloaded.
  set(exports "${CMAKE_CURRENT_BINARY_DIR}/${target}.exports")
  file(WRITE "${exports}" "{\n  global: dpp_get_plugin_entry;\n  local: *;\n};\n")
  target_link_options(${target} PRIVATE "LINKER:--version-script=${exports}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${exports}")
  target_link_options(${target} PRIVATE -Wl,--as-needed)
  install(TARGETS ${target} LIBRARY DESTINATION "${DPP_PLUGIN_INSTALL_DIR}" COMPONENT runtime)
endfunction()
