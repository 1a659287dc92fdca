/* The one symbol a plugin library exports, and the entry table it returns. */
#ifndef DPP_ENTRY_H
#define DPP_ENTRY_H

#include <stdint.h>

#include "host.h"
#include "option.h"
#include "status.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define DPP_EXPORT __declspec(dllexport)
#else
#define DPP_EXPORT __attribute__((visibility("default")))
#endif

/* Name of the exported function, for dlsym / Boost.DLL. */
#define DPP_PLUGIN_ENTRY_SYMBOL "dpp_get_plugin_entry"

/* What a plugin library is and what it can make. The plugin owns it; it is static, constant,
 * and valid until the library is unloaded. */
typedef struct dpp_plugin_entry {
   /* sizeof(dpp_plugin_entry) as the plugin was built. The host copies
    * min(struct_size, sizeof what it knows) into a zeroed local: members past struct_size read
    * as NULL/0, i.e. "not provided". */
   uint32_t struct_size;
   /* The ABI the plugin was built against (DPP_ABI_VERSION_INIT). */
   dpp_version abi_version;
   /* Unique id. Ours are short ("dokploy", "libssh2", "key"); third parties use reverse DNS
    * ("com.example.machine"). [a-z0-9._-]{1,64}. Users select plugins by this id. */
   const char* id;
   /* The plugin's own version, semver text ("1.4.2"). */
   const char* version;
   /* One line for people: what it does. */
   const char* description;

   /* Prepares the library. `host` is owned by the host and valid until deinit() returns: keep
    * the pointer. Returns DPP_OK, or an error with a message that says what is missing.
    * Calling init again after success returns DPP_OK and does nothing.
    * [main thread; before any other function of this table except get_option] */
   dpp_status (*init)(const dpp_host* host, dpp_error* error);

   /* Releases what init made. Every object created through a factory has been destroyed
    * before. Idempotent; safe without a prior successful init. [main thread] */
   void (*deinit)(void);

   /* The factory for a capability id (DPP_BACKEND_FACTORY_ID, DPP_TRANSPORT_FACTORY_ID,
    * DPP_AUTH_FACTORY_ID, or a third party's own), or NULL when not offered. The returned
    * factory is static and valid until the library is unloaded.
    * [any thread, after a successful init] */
   const void* (*get_factory)(const char* factory_id);

   /* The index-th option this plugin understands (0, 1, …), or NULL past the last. The result
    * is static (see dpp_option_desc). NULL function: the plugin has no options.
    * [any thread, also before init] */
   const dpp_option_desc* (*get_option)(uint32_t index);
} dpp_plugin_entry;

/* The exported function. The host passes the ABI version it implements; the plugin returns its
 * entry, or NULL to refuse (for example when host_abi_major is not the major it was built for).
 * The host then refuses a plugin whose entry->abi_version is not compatible
 * (dpp_version_is_compatible). Must not allocate, block or call back.
 * [main thread; may be called more than once, returning the same pointer] */
typedef const dpp_plugin_entry* (*dpp_get_plugin_entry_fn)(uint32_t host_abi_major, uint32_t host_abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* DPP_ENTRY_H */
