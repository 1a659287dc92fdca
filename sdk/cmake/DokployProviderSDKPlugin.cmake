# dokploy_provider_add_plugin(<target> ID <id> SOURCES <file>…)
# Builds a plugin the way the host expects: a MODULE library named dpp-<id>.so (the host finds
# a plugin by id through that name), only the entry symbol exported, every symbol resolved at
# link time. Copy the result into a folder listed in DOKPLOY_PLUGIN_PATH, or next to the host's
# own plugins (<prefix>/lib/dokploy-provider/plugins). dokploy-provider builds its own plugins
# with this function too, so its tests take the path a third party takes.
function(dokploy_provider_add_plugin target)
  cmake_parse_arguments(ARG "" "ID" "SOURCES" ${ARGN})
  if(NOT ARG_ID)
    message(FATAL_ERROR "dokploy_provider_add_plugin(${target}): ID is required")
  endif()
  # The host's own rule: it refuses to load a plugin whose id breaks it, so fail here instead.
  string(LENGTH "${ARG_ID}" id_length)
  if(NOT ARG_ID MATCHES "^[a-z0-9][a-z0-9._-]*$" OR id_length GREATER 64)
    message(FATAL_ERROR "dokploy_provider_add_plugin(${target}): ID '${ARG_ID}' is not a plugin id: "
                        "1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or "
                        "digit; third parties use reverse DNS, such as com.example.name")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "dokploy_provider_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  # The SDK target carries what its headers need (C++20 for dpp/cpp; the C headers are C11).
  target_link_libraries(${target} PRIVATE DokployProviderSDK::sdk)
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
  target_link_options(${target} PRIVATE "LINKER:--version-script=${exports}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${exports}")
  # Only the libraries the plugin really uses become its dependencies: fewer to load, and none
  # that a bundle of the plugin would have to carry for nothing.
  target_link_options(${target} PRIVATE "LINKER:--as-needed")
  # A plugin never uses the host's symbols: every symbol must resolve at link time. Under
  # sanitizers the runtime's symbols come from the executable, so the check is left out then.
  _dokploy_provider_sanitizers_in_use(sanitized)
  if(NOT sanitized)
    target_link_options(${target} PRIVATE "LINKER:-z,defs")
  endif()
endfunction()

# Sets <out> to TRUE when -fsanitize= is in the flags that reach this directory's targets.
function(_dokploy_provider_sanitizers_in_use out)
  string(TOUPPER "${CMAKE_BUILD_TYPE}" config)
  get_directory_property(compile_options COMPILE_OPTIONS)
  get_directory_property(link_options LINK_OPTIONS)
  set(flags "${CMAKE_C_FLAGS} ${CMAKE_CXX_FLAGS} ${CMAKE_C_FLAGS_${config}} ${CMAKE_CXX_FLAGS_${config}}"
            "${CMAKE_MODULE_LINKER_FLAGS} ${compile_options} ${link_options}")
  if(flags MATCHES "-fsanitize=")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()
