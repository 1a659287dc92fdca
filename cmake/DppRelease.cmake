# Release artifacts: what DevPod downloads, and the provider.yaml files that point at it.
#
# - dpp-bundle (built when a test needs it, and by release-artifacts): the host with every plugin
#   and their private shared libraries appended (core/bundle, tools/release/make-bundle.sh), in
#   build/<preset>/bundle/dokploy-provider-linux-<arch>. One file, because DevPod's binary cache
#   keeps only the one file it downloaded.
# - provider-dev.yaml (every build, every preset): build/<preset>/provider-dev.yaml with the build
#   tree's own host by absolute path and no checksum: `devpod provider add ./build/dev/provider-dev.yaml`.
# - release-artifacts (tools/dev release): build/release/dist with the bundles, their sha256 and a
#   provider.yaml whose `binaries:` list them under DPP_RELEASE_URL_BASE with their checksums.

# {version} is replaced by the project version, so a cached value survives a version bump.
set(DPP_RELEASE_URL_BASE
    "https://github.com/dokploy-devpod/dokploy-devpod-provider/releases/download/v{version}"
    CACHE STRING "Where the release's files are published (provider.yaml binaries: path = <this>/<file>)")
string(REPLACE "{version}" "${PROJECT_VERSION}" _dpp_release_url_base "${DPP_RELEASE_URL_BASE}")

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(DPP_TARGET_ARCH amd64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(DPP_TARGET_ARCH arm64)
else()
  set(DPP_TARGET_ARCH "${CMAKE_SYSTEM_PROCESSOR}")
endif()

# provider-dev.yaml: regenerated on every build (a cheap script that rewrites it only on change),
# so it follows provider.yaml without a re-configure. A missing provider.yaml fails the build
# with the generator's message.
add_custom_target(provider-dev-yaml ALL
  COMMAND sh "${PROJECT_SOURCE_DIR}/tools/release/provider-yaml.sh" dev
          "${PROJECT_SOURCE_DIR}/provider.yaml" "${CMAKE_BINARY_DIR}/provider-dev.yaml"
          linux ${DPP_TARGET_ARCH} "$<TARGET_FILE:dokploy-provider>"
  COMMENT "provider-dev.yaml for this build tree"
  VERBATIM)
add_dependencies(provider-dev-yaml dokploy-provider)

# A sanitizer build's host and plugins need the sanitizer runtimes: not a releasable bundle.
if(DPP_SANITIZE)
  return()
endif()

find_program(DPP_PATCHELF patchelf DOC "patchelf (Debian package patchelf), sets the bundled libraries' RUNPATH")
find_program(DPP_READELF NAMES "${CMAKE_READELF}" readelf REQUIRED)
if(NOT DPP_PATCHELF)
  message(STATUS "patchelf not found: the dpp-bundle and release-artifacts targets will fail until "
                 "`apt-get install patchelf`")
  set(DPP_PATCHELF patchelf)
endif()

# The plugins shipped: every MODULE library defined under plugins/ (not the tests' fixtures).
set(DPP_SHIPPED_PLUGIN_TARGETS "")
get_property(_dpp_plugin_dirs DIRECTORY "${PROJECT_SOURCE_DIR}/plugins" PROPERTY SUBDIRECTORIES)
foreach(_dir IN LISTS _dpp_plugin_dirs)
  get_property(_targets DIRECTORY "${_dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_target IN LISTS _targets)
    get_target_property(_type ${_target} TYPE)
    if(_type STREQUAL "MODULE_LIBRARY")
      list(APPEND DPP_SHIPPED_PLUGIN_TARGETS ${_target})
    endif()
  endforeach()
endforeach()
set(DPP_SHIPPED_PLUGIN_FILES "")
set(DPP_SHIPPED_PLUGIN_IDS "")
foreach(_target IN LISTS DPP_SHIPPED_PLUGIN_TARGETS)
  list(APPEND DPP_SHIPPED_PLUGIN_FILES "$<TARGET_FILE:${_target}>")
  get_target_property(_name ${_target} OUTPUT_NAME)
  string(REGEX REPLACE "^dpp-" "" _id "${_name}")
  list(APPEND DPP_SHIPPED_PLUGIN_IDS "${_id}")
endforeach()

# Where the libraries the plugins need are found by soname: the target's multiarch folders (in
# the sysroot when cross-compiling) and the compiler's own (libstdc++, libgcc_s).
execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.so.6
                OUTPUT_VARIABLE _dpp_libstdcxx OUTPUT_STRIP_TRAILING_WHITESPACE)
get_filename_component(_dpp_compiler_libs "${_dpp_libstdcxx}" DIRECTORY)
set(DPP_BUNDLE_LIBRARY_DIRS
    "${CMAKE_SYSROOT}/lib/${CMAKE_LIBRARY_ARCHITECTURE}:${CMAKE_SYSROOT}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}:${_dpp_compiler_libs}")

# The packer runs on the build machine: a cross build uses the native one (DPP_BUNDLE_PACKER).
if(CMAKE_CROSSCOMPILING)
  set(DPP_BUNDLE_PACKER "" CACHE FILEPATH "dpp-bundle-pack built for the build machine")
  set(_dpp_packer "${DPP_BUNDLE_PACKER}")
  set(_dpp_packer_target "")
else()
  add_executable(dpp-bundle-pack EXCLUDE_FROM_ALL "${PROJECT_SOURCE_DIR}/tools/release/bundle_pack.cpp")
  target_link_libraries(dpp-bundle-pack PRIVATE dpp_bundle_writer)
  dpp_target_defaults(dpp-bundle-pack)
  set_target_properties(dpp-bundle-pack PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tools")
  set(_dpp_packer "$<TARGET_FILE:dpp-bundle-pack>")
  set(_dpp_packer_target dpp-bundle-pack)
endif()

set(DPP_BUNDLE_FILE "${CMAKE_BINARY_DIR}/bundle/dokploy-provider-linux-${DPP_TARGET_ARCH}")
set(_dpp_strip "${CMAKE_STRIP}")
if(NOT _dpp_strip)
  set(_dpp_strip strip)
endif()
add_custom_command(
  OUTPUT "${DPP_BUNDLE_FILE}"
  COMMAND ${CMAKE_COMMAND} -E env "READELF=${DPP_READELF}" "PATCHELF=${DPP_PATCHELF}" "STRIP=${_dpp_strip}"
          sh "${PROJECT_SOURCE_DIR}/tools/release/make-bundle.sh" "${_dpp_packer}"
          "$<TARGET_FILE:dokploy-provider>" "${DPP_BUNDLE_FILE}" "${CMAKE_BINARY_DIR}/bundle/work"
          "${DPP_BUNDLE_LIBRARY_DIRS}" ${DPP_SHIPPED_PLUGIN_FILES}
  DEPENDS dokploy-provider ${DPP_SHIPPED_PLUGIN_TARGETS} ${_dpp_packer_target}
          "${PROJECT_SOURCE_DIR}/tools/release/make-bundle.sh"
  COMMENT "Bundling dokploy-provider with ${DPP_SHIPPED_PLUGIN_IDS}"
  VERBATIM)
add_custom_target(dpp-bundle DEPENDS "${DPP_BUNDLE_FILE}")
# For the release tests (tests/e2e/release), which are configured before this file is included.
set_target_properties(dpp-bundle PROPERTIES DPP_BUNDLE_FILE "${DPP_BUNDLE_FILE}"
                                            DPP_PLUGIN_IDS "${DPP_SHIPPED_PLUGIN_IDS}")

# Other architectures, cross-compiled in their own build trees (tools/release/cross-build.sh).
# arm64 by default on amd64: Debian's g++-aarch64-linux-gnu and a private arm64 sysroot build it.
if(DPP_TARGET_ARCH STREQUAL "amd64")
  set(_dpp_default_cross arm64)
else()
  set(_dpp_default_cross "")
endif()
set(DPP_RELEASE_CROSS_ARCHES "${_dpp_default_cross}" CACHE STRING
    "Extra linux architectures release-artifacts cross-compiles (tools/release/cross-build.sh); empty: none")
set(_dpp_release_triples linux ${DPP_TARGET_ARCH} "${DPP_BUNDLE_FILE}")
set(_dpp_release_depends dpp-bundle)
if(NOT CMAKE_CROSSCOMPILING)
  foreach(_arch IN LISTS DPP_RELEASE_CROSS_ARCHES)
    set(_file "${CMAKE_BINARY_DIR}/cross-${_arch}/bundle/dokploy-provider-linux-${_arch}")
    add_custom_target(dpp-bundle-${_arch}
      COMMAND sh "${PROJECT_SOURCE_DIR}/tools/release/cross-build.sh" ${_arch} "${PROJECT_SOURCE_DIR}"
              "${CMAKE_BINARY_DIR}/cross-${_arch}" "$<TARGET_FILE:dpp-bundle-pack>" ${CMAKE_BUILD_TYPE}
              -DDPP_WERROR=${DPP_WERROR}
      DEPENDS dpp-bundle-pack
      COMMENT "Cross-building the linux/${_arch} bundle"
      VERBATIM)
    list(APPEND _dpp_release_triples linux ${_arch} "${_file}")
    list(APPEND _dpp_release_depends dpp-bundle-${_arch})
  endforeach()

  add_custom_target(release-artifacts
    COMMAND sh "${PROJECT_SOURCE_DIR}/tools/release/release-artifacts.sh" "${CMAKE_BINARY_DIR}/dist"
            "${PROJECT_SOURCE_DIR}/provider.yaml" ${PROJECT_VERSION} "${_dpp_release_url_base}"
            ${_dpp_release_triples}
    COMMENT "Release artifacts in ${CMAKE_BINARY_DIR}/dist"
    VERBATIM)
  add_dependencies(release-artifacts ${_dpp_release_depends})
endif()
