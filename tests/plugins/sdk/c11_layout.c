/* The ABI headers compiled as strict C11: the pins hold for a C compiler, and the layout and
 * the inline helpers are handed to the C++ tests to compare. */
#include "abi_pins.h"
#include "layout_table.h"

#define DPP_LAYOUT_SIZE(type, size) {"sizeof(" #type ")", sizeof(type), (size)},
#define DPP_LAYOUT_OFFSET(type, member, offset) \
   {"offsetof(" #type ", " #member ")", offsetof(type, member), (offset)},
static const dpp_test_layout_entry k_layout[] = {
#include "abi_layout.def"
};
#undef DPP_LAYOUT_SIZE
#undef DPP_LAYOUT_OFFSET

const dpp_test_layout_entry* dpp_test_c11_layout(size_t* count) {
   *count = sizeof k_layout / sizeof k_layout[0];
   return k_layout;
}

dpp_status dpp_test_c11_error_set(dpp_error* error, dpp_status status, const char* message) {
   return dpp_error_set(error, status, message);
}

const char* dpp_test_c11_status_name(dpp_status status) {
   return dpp_status_name(status);
}

int dpp_test_c11_version_is_compatible(dpp_version host, dpp_version plugin) {
   return dpp_version_is_compatible(host, plugin) ? 1 : 0;
}
