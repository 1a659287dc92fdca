/* dpp/c/helpers.h used as a C plugin uses it, compiled with the strict C11 warnings a careful C
 * author may turn on; c_helpers_test.cpp checks the results. */
#include <dpp/c/helpers.h>

#include "c_helpers_table.h"

dpp_status dpp_test_c_fail(dpp_error* error, const char* name, int port) {
   return dpp_fail(error, DPP_E_CONFIG, "%s=%d is not a port", name, port);
}

void dpp_test_c_log(const dpp_host* host, int32_t level, int port) {
   dpp_log(host, level, "listening on %d", port);
}

dpp_status dpp_test_c_state_get_alloc(const dpp_host* host, const char* key, char** value, dpp_error* error) {
   return dpp_state_get_alloc(host, key, value, error);
}

const char* dpp_test_c_options_get(const dpp_options* options, const char* name) {
   return dpp_options_get(options, name);
}

int dpp_test_c_host_has_state_get(const dpp_host* host) {
   return DPP_HOST_HAS(host, state_get) ? 1 : 0;
}

dpp_error dpp_test_c_error_init(void) {
   dpp_error error = DPP_ERROR_INIT;
   return error;
}

static const dpp_option_desc k_options[] = {
    DPP_OPTION(.name = "C_PORT", .description = "A port.", .type = DPP_OPTION_PORT, .default_value = "22"),
    DPP_OPTION(.name = "C_TOKEN", .description = "A token.", .flags = DPP_OPTION_SECRET | DPP_OPTION_REQUIRED,
               .group = "connection"),
};

const dpp_option_desc* dpp_test_c_options(size_t* count) {
   *count = sizeof k_options / sizeof k_options[0];
   return k_options;
}

static dpp_status create_nothing(const dpp_auth_factory* factory, const dpp_host* host,
                                 const dpp_options* options, dpp_auth** out, dpp_error* error) {
   (void)factory;
   (void)host;
   (void)options;
   (void)out;
   return dpp_fail(error, DPP_E_UNSUPPORTED, "nothing to make");
}

static const dpp_auth_factory k_factory = DPP_INIT(dpp_auth_factory, .create = create_nothing);
static const dpp_plugin_entry k_entry = DPP_PLUGIN_ENTRY(.id = "test.c-helpers", .version = "0.0.1");

const dpp_plugin_entry* dpp_test_c_entry(void) {
   return &k_entry;
}

const dpp_auth_factory* dpp_test_c_factory(void) {
   return &k_factory;
}
