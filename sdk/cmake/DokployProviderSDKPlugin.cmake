# dokploy_provider_add_plugin(<target> ID <id> SOURCES …)
# Builds a plugin the way the host expects: a MODULE library named dpp-<id>.so (the host finds
# a plugin by id through that name), only the entry symbol exported, every symbol resolved at
# link time. Copy the result into a folder listed in DOKPLOY_PLUGIN_PATH, or next to the host's
# own plugins (<prefix>/lib/dokploy-provider/plugins).
function(dokploy_provider_add_plugin target)
  cmake_parse_arguments(ARG "" "ID" "SOURCES" ${ARGN})
  if(NOT ARG_ID)
    message(FATAL_ERROR "dokploy_provider_add_plugin(${target}): ID is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE DokployProviderSDK::sdk)
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "dpp-${ARG_ID}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Hidden visibility does not cover the standard library's template instantiations (std::map
  # members, "unique" globals), which the compiler emits as default-visibility weak symbols; a
  # version script makes everything but the entry local, so that no symbol of one plugin can
  # bind to another's and the library can be unloaded.
  set(exports "${CMAKE_CURRENT_BINARY_DIR}/${target}.exports")
  file(WRITE "${exports}" "{\n  global: dpp_get_plugin_entry;\n  local: *;\n};\n")
  target_link_options(${target} PRIVATE -Wl,-z,defs "LINKER:--version-script=${exports}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${exports}")
endfunction()
