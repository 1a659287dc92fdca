# Build switches of the project (set by the presets in CMakePresets.json).
option(DPP_BUILD_TESTS "Build the test suites" ON)
option(DPP_BUILD_BENCHMARKS "Build the benchmarks" OFF)
option(DPP_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(DPP_WERROR "Treat warnings in our code as errors" ON)
option(DPP_FUZZ "Build the libFuzzer targets (needs clang)" OFF)
