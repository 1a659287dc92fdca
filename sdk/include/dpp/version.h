/* The ABI version of this SDK and the rule that decides whether a host and a plugin can talk. */
#ifndef DPP_VERSION_H
#define DPP_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A major change breaks the ABI: a host refuses every plugin whose major differs from its own.
 * A minor change only appends members at the end of structs or adds capability ids: a host
 * accepts plugins whose minor is lower than or equal to its own. */
#define DPP_ABI_VERSION_MAJOR 1
#define DPP_ABI_VERSION_MINOR 0

/* A version is a struct, never a bare integer, so that it cannot be compared by mistake. */
typedef struct dpp_version {
   uint32_t major;
   uint32_t minor;
} dpp_version;

#define DPP_ABI_VERSION_INIT \
   { DPP_ABI_VERSION_MAJOR, DPP_ABI_VERSION_MINOR }

/* True when a plugin built against `plugin` can be used by a host that implements `host`.
 * [any thread] */
static inline bool dpp_version_is_compatible(dpp_version host, dpp_version plugin) {
   return host.major == plugin.major && plugin.minor <= host.minor;
}

#ifdef __cplusplus
}
#endif

#endif /* DPP_VERSION_H */
