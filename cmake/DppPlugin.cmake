# dpp_add_plugin(<target> ID <id> SOURCES …): one of dokploy-provider's own plugins. Built with the
# SDK's dokploy_provider_add_plugin() (sdk/cmake), the recipe third parties use, so that every
# build and test of ours goes their way; added here: the project's warnings and sanitizers, the
# build tree's plugin folder and the install rule.
include("${PROJECT_SOURCE_DIR}/sdk/cmake/DokployProviderSDKPlugin.cmake")

function(dpp_add_plugin target)
  cmake_parse_arguments(ARG "" "ID" "SOURCES" ${ARGN})
  dokploy_provider_add_plugin(${target} ID "${ARG_ID}" SOURCES ${ARG_SOURCES})
  dpp_target_defaults(${target})
  set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${DPP_PLUGIN_OUTPUT_DIR}")
  install(TARGETS ${target} LIBRARY DESTINATION "${DPP_PLUGIN_INSTALL_DIR}" COMPONENT runtime)
endfunction()
