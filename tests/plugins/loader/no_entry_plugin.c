/* A well-formed shared library that is not a plugin: it exports a function, but not
 * dpp_get_plugin_entry (a typo in the entry's name looks exactly like this to the host). */
#include <dpp/entry.h>

DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entri(uint32_t host_abi_major, uint32_t host_abi_minor);

DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entri(uint32_t host_abi_major, uint32_t host_abi_minor) {
   (void)host_abi_major;
   (void)host_abi_minor;
   return 0;
}
