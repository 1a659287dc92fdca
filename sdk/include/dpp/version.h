/* The ABI version of this SDK, the rule by which it changes, and the check a receiver makes
 * before it reads a member that a later version appended. */
#ifndef DPP_VERSION_H
#define DPP_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The rule.
 * - A MAJOR change breaks the ABI: a host refuses every plugin whose major differs from its own.
 * - Everything else only adds, and every addition bumps the MINOR version: a member appended at
 *   the end of a struct (its comment then says "since 1.N"), a constant, a status code, an
 *   option type, a capability id. Nothing is ever removed, moved, resized or given a new
 *   meaning within a major.
 * - A member without a "since" mark is 1.0. 1.0 is the first released ABI; everything in these
 *   headers (read_machine_file and write_machine_file included) was settled before its release.
 * - A host accepts plugins whose minor is lower than or equal to its own, so it knows every
 *   member such a plugin fills. A plugin that declares an older minor than the SDK it is built
 *   with (to run on older hosts) checks a newer member with DPP_HOST_HAS before it calls it;
 *   the C++ helper checks every member of dpp_host that way. */
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

/* True when `object` (a pointer to a struct of `type`, which starts with struct_size) was made
 * by a sender whose struct holds `member`: what a receiver checks before it reads a member
 * appended after the version it knows the sender has. */
#define DPP_STRUCT_HAS(object, type, member) \
   ((object)->struct_size >= offsetof(type, member) + sizeof((object)->member))

#ifdef __cplusplus
}
#endif

#endif /* DPP_VERSION_H */
