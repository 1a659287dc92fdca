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
  target_link_options(${target} PRIVATE -Wl,--as-needed)
  install(TARGETS ${target} LIBRARY DESTINATION "${DPP_PLUGIN_INSTALL_DIR}" COMPONENT runtime)
endfunction()
