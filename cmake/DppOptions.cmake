# Build switches of the project (set by the presets in CMakePresets.json).
option(DPP_BUILD_TESTS "Build the test suites" ON)
# The test tiers to build (tests/<tier>). The sanitizer build leaves out e2e: its tests drive the
# same binaries through whole workspace lifecycles, which take most of the suite's time, while
# the code they reach is exercised under the sanitizers by the plugins and integration tiers.
set(DPP_TEST_TIERS "unit;plugins;integration;e2e;real" CACHE STRING "Test tiers to build (unit, plugins, integration, e2e, real)")
option(DPP_BUILD_BENCHMARKS "Build the benchmarks" OFF)
option(DPP_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(DPP_WERROR "Treat warnings in our code as errors" ON)
option(DPP_FUZZ "Build the libFuzzer targets (needs clang)" OFF)
