/* Helpers for plugins written in C: initialisers that set struct_size, printf-style errors and
 * log lines, machine state read into allocated memory, options declared by member name. Only
 * the C standard library; every function is static inline. The C example plugin in
 * sdk/examples/keyfile-auth uses each of them. */
#ifndef DPP_C_HELPERS_H
#define DPP_C_HELPERS_H

#include <dpp/dpp.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DPP__PRINTF(format_index, first_argument) \
   __attribute__((format(printf, format_index, first_argument)))
#else
#define DPP__PRINTF(format_index, first_argument)
#endif

/* ----- Initialisers (C99 designated initialisers; members not named are zero/NULL) ----- */

/* A struct of `type` with struct_size set, e.g.
 *   static const dpp_auth_factory factory = DPP_INIT(dpp_auth_factory, .create = my_create);
 *   *auth = (dpp_auth)DPP_INIT(dpp_auth, .plugin_data = data, .destroy = my_destroy, ...); */
#define DPP_INIT(type, ...) \
   { .struct_size = sizeof(type), __VA_ARGS__ }

/* The plugin's entry, with struct_size and the ABI version this SDK implements. */
#define DPP_PLUGIN_ENTRY(...) \
   { .struct_size = sizeof(dpp_plugin_entry), .abi_version = DPP_ABI_VERSION_INIT, __VA_ARGS__ }

/* One option, by member name, so that no argument lands in the wrong place:
 *   DPP_OPTION(.name = "KEYFILE_USER", .description = "…", .type = DPP_OPTION_STRING,
 *              .default_value = "devpod", .group = "ssh") */
#define DPP_OPTION(...) DPP_INIT(dpp_option_desc, __VA_ARGS__)

/* Defines the exported dpp_get_plugin_entry for the static dpp_plugin_entry `entry`, refusing a
 * host of another ABI major: the C counterpart of DPP_SDK_EXPORT_PLUGIN. At file scope:
 *   DPP_EXPORT_ENTRY(k_entry) */
#define DPP_EXPORT_ENTRY(entry)                                                       \
   DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major,   \
                                                           uint32_t host_abi_minor);  \
   DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major,   \
                                                           uint32_t host_abi_minor) { \
      (void)host_abi_minor;                                                           \
      return host_abi_major == DPP_ABI_VERSION_MAJOR ? &(entry) : NULL;               \
   }

/* The value of the option `name` in `options` (borrowed like them), or NULL when it is not set.
 * The host passes only the options the plugin declared, validated against their type. */
static inline const char* dpp_options_get(const dpp_options* options, const char* name) {
   uint32_t i;
   for (i = 0; options && i < options->count; ++i)
      if (strcmp(options->items[i].name, name) == 0) return options->items[i].value;
   return NULL;
}

/* ----- Errors and log lines ----- */

/* Fills `error` (when not NULL) with a printf-style message and returns `status`:
 *   return dpp_fail(error, DPP_E_CONFIG, "KEYFILE_USER='%s' is not a user name", user); */
static inline dpp_status dpp_fail(dpp_error* error, dpp_status status, const char* format, ...)
    DPP__PRINTF(3, 4);
static inline dpp_status dpp_fail(dpp_error* error, dpp_status status, const char* format, ...) {
   char message[DPP_ERROR_MESSAGE_CAPACITY];
   va_list arguments;
   va_start(arguments, format);
   vsnprintf(message, sizeof message, format, arguments);
   va_end(arguments);
   return dpp_error_set(error, status, message);
}

/* Writes a printf-style log line through the host at `level` (DPP_LOG_*), and formats nothing
 * when the host would not write it. Never pass a secret. [any thread] */
static inline void dpp_log(const dpp_host* host, int32_t level, const char* format, ...) DPP__PRINTF(3, 4);
static inline void dpp_log(const dpp_host* host, int32_t level, const char* format, ...) {
   char line[2048];
   va_list arguments;
   if (!DPP_HOST_HAS(host, log)) return;
   if (DPP_HOST_HAS(host, log_enabled) && !host->log_enabled(host, level)) return;
   va_start(arguments, format);
   vsnprintf(line, sizeof line, format, arguments);
   va_end(arguments);
   host->log(host, level, line);
}

/* ----- Machine state ----- */

/* Reads the state value `key` into memory allocated with malloc: on DPP_OK *value holds it (NUL-
 * terminated; free() it); otherwise *value is NULL and `error` says why (DPP_E_NOT_FOUND when the
 * key is unset, DPP_E_UNSUPPORTED when there is no machine or this host keeps no state).
 * [the thread that called into the plugin] */
static inline dpp_status dpp_state_get_alloc(const dpp_host* host, const char* key, char** value,
                                             dpp_error* error) {
   size_t capacity = 256;
   int attempt;
   *value = NULL;
   if (!DPP_HOST_HAS(host, state_get))
      return dpp_error_set(error, DPP_E_UNSUPPORTED, "this host keeps no state");
   for (attempt = 0; attempt < 3; ++attempt) {
      size_t needed = 0;
      dpp_status status;
      char* buffer = (char*)malloc(capacity);
      if (!buffer) return dpp_error_set(error, DPP_E_INTERNAL, "out of memory");
      status = host->state_get(host, key, buffer, capacity, &needed, error);
      if (status == DPP_OK) {
         *value = buffer;
         return DPP_OK;
      }
      free(buffer);
      if (status != DPP_E_BUFFER_TOO_SMALL || needed <= capacity) return status;
      capacity = needed;
   }
   return dpp_error_set(error, DPP_E_INTERNAL, "the state value keeps growing while it is read");
}

#ifdef __cplusplus
}
#endif

#endif /* DPP_C_HELPERS_H */
