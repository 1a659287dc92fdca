/* Options a plugin declares, and the validated values the host hands back to it. */
#ifndef DPP_OPTION_H
#define DPP_OPTION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the host parses and validates a value, and the canonical form the plugin receives, so
 * that a plugin never re-checks what its type says. Carried as int32_t. A type is added only
 * with a new minor version (version.h); a host refuses an option of a type it does not know. */
enum {
   /* Any UTF-8 text without control characters. Passed as given. */
   DPP_OPTION_STRING = 0,
   /* true/false, yes/no, 1/0, on/off (any case). Passed as "true" or "false". */
   DPP_OPTION_BOOLEAN = 1,
   /* A decimal integer. Passed as decimal digits with an optional '-'. */
   DPP_OPTION_INTEGER = 2,
   /* A non-negative decimal number such as "1.5". Passed as given. */
   DPP_OPTION_NUMBER = 3,
   /* A duration: "90s", "10m", "1h30m", "500ms" or bare seconds. Passed as whole milliseconds. */
   DPP_OPTION_DURATION = 4,
   /* A size: "512m", "4g", "4GiB", "1024k" or bare bytes (powers of 1024). Passed as bytes. */
   DPP_OPTION_SIZE = 5,
   /* An http:// or https:// URL with a host. Passed without a trailing '/'. */
   DPP_OPTION_URL = 6,
   /* A TCP port, 1-65535 (leading zeros and surrounding spaces are accepted). Passed as
    * decimal digits without leading zeros. */
   DPP_OPTION_PORT = 7,
   /* One of dpp_option_desc.enum_values (any case). Passed in the declared spelling. */
   DPP_OPTION_ENUM = 8,
   /* A file-system path. Passed as given; its existence is the plugin's business. */
   DPP_OPTION_PATH = 9,
   /* A host name or IP address, without a port. Passed as given. */
   DPP_OPTION_HOST = 10,
};

/* Flags of dpp_option_desc.flags. */
enum {
   /* The value is a secret (a token, a password): the host never prints, logs or echoes it. */
   DPP_OPTION_SECRET = 1u << 0,
   /* The option has no default and must be set. */
   DPP_OPTION_REQUIRED = 1u << 1,
};

/* One option a plugin understands. Returned by dpp_plugin_entry.get_option; the plugin owns it
 * and keeps it (and every string it points to) valid and unchanged until the library is
 * unloaded. */
typedef struct dpp_option_desc {
   /* sizeof(dpp_option_desc) as the plugin was built. */
   uint32_t struct_size;
   /* Environment variable name, [A-Z0-9_]+, e.g. "DOKPLOY_SERVER_URL". Unique across the plugins
    * a host loads together; a clash is reported when the plugins are loaded. */
   const char* name;
   /* One sentence for people (shown by `dokploy-provider plugins` and in provider.yaml). */
   const char* description;
   /* The value used when the variable is unset or empty, in the input syntax of `type`.
    * NULL: no default (the option is then unset unless DPP_OPTION_REQUIRED refuses that). */
   const char* default_value;
   /* One of the DPP_OPTION_* types. */
   int32_t type;
   /* DPP_OPTION_SECRET | DPP_OPTION_REQUIRED. */
   uint32_t flags;
   /* For DPP_OPTION_ENUM: the allowed values separated by '|', e.g. "compose|application".
    * NULL for other types. */
   const char* enum_values;
   /* Where the option belongs when shown: "connection", "workspace", "ssh" or "advanced".
    * NULL means "advanced". */
   const char* group;
} dpp_option_desc;

/* One validated value. Both strings are owned by the host. */
typedef struct dpp_option_value {
   /* Equal to a dpp_option_desc.name of the receiving plugin. */
   const char* name;
   /* Canonical form of the value (see the types above). Never NULL. */
   const char* value;
} dpp_option_value;

/* The values of a plugin's options that are set (explicitly or by default); an option that is
 * neither set nor defaulted is absent. Borrowed by the receiver for the duration of the call it
 * is passed to: copy what you keep. Secret values should be wiped by the receiver once used. */
typedef struct dpp_options {
   uint32_t struct_size;
   uint32_t count;
   const dpp_option_value* items;
} dpp_options;

#ifdef __cplusplus
}
#endif

#endif /* DPP_OPTION_H */
