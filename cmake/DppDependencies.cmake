# Third-party dependencies, all from Debian packages (tools/dev installs them).
# Header-only ones keep the host binary free of runtime dependencies besides libc.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)                     # Boost.DLL (header-only with std::filesystem)
find_package(spdlog 1.10 REQUIRED)                    # host logging (header-only use)
find_package(fmt 9 REQUIRED)                          # spdlog's formatter (header-only use)
find_package(CLI11 2.1 CONFIG REQUIRED)               # host command line
find_package(nlohmann_json 3.11 REQUIRED)             # host state file and JSON output
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Net NetSSL Crypto JSON Util)  # dokploy plugin
find_package(OpenSSL 3 REQUIRED)                      # auth plugins: ed25519 keys
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBSSH2 REQUIRED IMPORTED_TARGET libssh2>=1.10)   # libssh2 transport

# Boost.DLL must use std::filesystem, not Boost.Filesystem (a library we do not link).
add_library(dpp_boost_dll INTERFACE)
target_compile_definitions(dpp_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)
target_link_libraries(dpp_boost_dll INTERFACE Boost::headers ${CMAKE_DL_LIBS})

# spdlog and fmt header-only, so the release binary does not need libspdlog/libfmt.
# (Debian's spdlog::spdlog_header_only still links the shared libfmt, hence the definitions.)
add_library(dpp_spdlog INTERFACE)
get_target_property(DPP_SPDLOG_INCLUDES spdlog::spdlog_header_only INTERFACE_INCLUDE_DIRECTORIES)
target_include_directories(dpp_spdlog SYSTEM INTERFACE ${DPP_SPDLOG_INCLUDES})
target_compile_definitions(dpp_spdlog INTERFACE SPDLOG_FMT_EXTERNAL)
target_link_libraries(dpp_spdlog INTERFACE fmt::fmt-header-only Threads::Threads)
