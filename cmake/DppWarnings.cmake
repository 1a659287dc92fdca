# Warnings and sanitizers for our own targets only (third-party headers are SYSTEM includes).
function(dpp_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor> -Wcast-align -Wformat=2
                                           # designated initializers leave members to their defaults on purpose
                                           -Wno-missing-field-initializers)
  if(DPP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 at -O3 (the release preset) reports `"literal" + std::string` as an overlapping memcpy
  # inside libstdc++ (GCC PR 105329, fixed in GCC 13): a false positive that fails release builds.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(DPP_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                             -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    get_target_property(target_type ${target} TYPE)
    if(target_type STREQUAL "EXECUTABLE")
      target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/cmake/sanitizer/asan_default_options.c")
    endif()
  endif()
endfunction()

if(DPP_SANITIZE)
  # Everything in the process must agree on the sanitizer runtime, plugins included.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
