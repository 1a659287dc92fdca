/* dpp/c/helpers.h compiled as strict C11 (c11_helpers.c), so that a C++ test can call each
 * helper as a C plugin would and check what it did. */
#ifndef DPP_TEST_C_HELPERS_TABLE_H
#define DPP_TEST_C_HELPERS_TABLE_H

#include <dpp/dpp.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* dpp_fail(error, DPP_E_CONFIG, "%s=%d is not a port", name, port). */
dpp_status dpp_test_c_fail(dpp_error* error, const char* name, int port);
/* dpp_log(host, level, "listening on %d", port). */
void dpp_test_c_log(const dpp_host* host, int32_t level, int port);
/* dpp_state_get_alloc, as is. */
dpp_status dpp_test_c_state_get_alloc(const dpp_host* host, const char* key, char** value, dpp_error* error);
/* dpp_options_get, as is. */
const char* dpp_test_c_options_get(const dpp_options* options, const char* name);
/* DPP_HOST_HAS(host, state_get). */
int dpp_test_c_host_has_state_get(const dpp_host* host);
/* A record made with DPP_ERROR_INIT. */
dpp_error dpp_test_c_error_init(void);
/* Two options declared with DPP_OPTION; *count receives 2. */
const dpp_option_desc* dpp_test_c_options(size_t* count);
/* An entry declared with DPP_PLUGIN_ENTRY, and a factory with DPP_INIT. */
const dpp_plugin_entry* dpp_test_c_entry(void);
const dpp_auth_factory* dpp_test_c_factory(void);

#ifdef __cplusplus
}
#endif

#endif /* DPP_TEST_C_HELPERS_TABLE_H */
