/* The ABI layout as measured by one compiler, so that a C++ test can compare what the C11
 * compiler measured with what it measures itself, and call the SDK's inline helpers as C code. */
#ifndef DPP_TEST_LAYOUT_TABLE_H
#define DPP_TEST_LAYOUT_TABLE_H

#include <dpp/dpp.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dpp_test_layout_entry {
   /* "sizeof(dpp_host)" or "offsetof(dpp_host, log)". */
   const char* what;
   /* What this compiler says. */
   size_t measured;
   /* What abi_layout.def pins for LP64. */
   size_t pinned;
} dpp_test_layout_entry;

/* The table as the C11 compiler measured it (c11_layout.c); *count receives its length. */
const dpp_test_layout_entry* dpp_test_c11_layout(size_t* count);

/* dpp_error_set, dpp_status_name and dpp_version_is_compatible compiled as C11. */
dpp_status dpp_test_c11_error_set(dpp_error* error, dpp_status status, const char* message);
const char* dpp_test_c11_status_name(dpp_status status);
int dpp_test_c11_version_is_compatible(dpp_version host, dpp_version plugin);

#ifdef __cplusplus
}
#endif

#endif /* DPP_TEST_LAYOUT_TABLE_H */
