/* Status codes and the caller-allocated error record that every fallible ABI function uses. */
#ifndef DPP_STATUS_H
#define DPP_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 is success, every error is negative (as in libuv). Codes never change meaning; new codes are
 * only appended. A receiver must treat an unknown negative code like DPP_E_INTERNAL. */
typedef int32_t dpp_status;

enum {
   DPP_OK = 0,
   /* A caller passed a NULL, an empty or a malformed argument. */
   DPP_E_INVALID_ARGUMENT = -1,
   /* The plugin does not implement this operation (e.g. `stop` on a backend for plain machines). */
   DPP_E_UNSUPPORTED = -2,
   /* The thing asked for does not exist (workspace, project, server). */
   DPP_E_NOT_FOUND = -3,
   /* An option is missing or invalid; the message names it and says what is expected. */
   DPP_E_CONFIG = -4,
   /* Credentials were refused: API token, SSH key or password. */
   DPP_E_AUTH = -5,
   /* The server or the workspace could not be reached (DNS, refused, unreachable). */
   DPP_E_CONNECT = -6,
   /* An operation did not finish within its bound. */
   DPP_E_TIMEOUT = -7,
   /* The host asked to stop (SIGINT/SIGTERM) and the plugin stopped early. */
   DPP_E_CANCELLED = -8,
   /* An SSH endpoint presented a host key other than the pinned one. */
   DPP_E_HOST_KEY_MISMATCH = -9,
   /* The peer answered something this code cannot understand (bad JSON, SSH protocol error). */
   DPP_E_PROTOCOL = -10,
   /* The platform reported a failure of its own (HTTP 5xx, a failed deploy). */
   DPP_E_REMOTE = -11,
   /* Something this needs is already taken (a port, a name). */
   DPP_E_CONFLICT = -12,
   /* A local file or system call failed. */
   DPP_E_IO = -13,
   /* A caller-supplied buffer was too small; the call may be repeated with a bigger one. */
   DPP_E_BUFFER_TOO_SMALL = -14,
   /* Incompatible versions: of the ABI, or of the platform's server. */
   DPP_E_VERSION = -15,
   /* A bug: an exception escaped, an invariant broke. */
   DPP_E_INTERNAL = -16,
   /* An established session died (keepalive timeout, peer killed). */
   DPP_E_CONNECTION_LOST = -17,
};

/* Internal: the name and the one-line description of every status, one row per code, indexed
 * by -status (so in the order of the enum above, which the SDK tests check row by row). A code
 * this header does not know gets the last row. Strings are static. [any thread] */
static inline const char* const* dpp__status_row(dpp_status status) {
   static const char* const rows[][2] = {
       {"DPP_OK", "success"},
       {"DPP_E_INVALID_ARGUMENT", "invalid argument"},
       {"DPP_E_UNSUPPORTED", "operation not supported by this plugin"},
       {"DPP_E_NOT_FOUND", "not found"},
       {"DPP_E_CONFIG", "invalid configuration"},
       {"DPP_E_AUTH", "authentication refused"},
       {"DPP_E_CONNECT", "could not connect"},
       {"DPP_E_TIMEOUT", "timed out"},
       {"DPP_E_CANCELLED", "cancelled"},
       {"DPP_E_HOST_KEY_MISMATCH", "host key does not match the pinned key"},
       {"DPP_E_PROTOCOL", "unexpected answer from the peer"},
       {"DPP_E_REMOTE", "the server reported a failure"},
       {"DPP_E_CONFLICT", "already in use"},
       {"DPP_E_IO", "local input/output error"},
       {"DPP_E_BUFFER_TOO_SMALL", "buffer too small"},
       {"DPP_E_VERSION", "incompatible version"},
       {"DPP_E_INTERNAL", "internal error"},
       {"DPP_E_CONNECTION_LOST", "connection lost"},
       {"DPP_E_UNKNOWN", "unknown error"},
   };
   const dpp_status known = sizeof rows / sizeof rows[0] - 1;
   return status > 0 || status <= -known ? rows[known] : rows[-status];
}

/* The symbolic name of a status ("DPP_E_TIMEOUT"); "DPP_E_UNKNOWN" for codes this header does
 * not know. The string is static. [any thread] */
static inline const char* dpp_status_name(dpp_status status) {
   return dpp__status_row(status)[0];
}

/* A one-line description of a status, like strerror(3); "unknown error" for codes this header
 * does not know. The string is static. [any thread] */
static inline const char* dpp_strerror(dpp_status status) {
   return dpp__status_row(status)[1];
}

/* Capacity of dpp_error.message, terminating NUL included. */
#define DPP_ERROR_MESSAGE_CAPACITY 2048

/* The detail of a failure. The CALLER allocates it (stack is fine) with struct_size set to
 * sizeof(dpp_error) (`dpp_error error = DPP_ERROR_INIT;`) and passes it to a fallible call; the
 * callee writes status and a NUL-terminated UTF-8 message (truncated to fit) when it fails, and
 * leaves it untouched on success. A record without struct_size gets no message (the host logs a
 * warning with the message it could not write). Messages say what failed and what to do, and
 * never contain a secret. Never global, never thread-local. */
typedef struct dpp_error {
   uint32_t struct_size;
   /* Same value as the call's return. */
   dpp_status status;
   char message[DPP_ERROR_MESSAGE_CAPACITY];
} dpp_error;

/* A fresh error record, in C and C++: `dpp_error error = DPP_ERROR_INIT;`. */
#define DPP_ERROR_INIT \
   { sizeof(dpp_error), DPP_OK, "" }

/* Fills `error` (when not NULL) and returns `status`, so that a plugin can write
 * `return dpp_error_set(err, DPP_E_CONFIG, "…")`. [any thread] */
static inline dpp_status dpp_error_set(dpp_error* error, dpp_status status, const char* message) {
   if (error != NULL && error->struct_size >= sizeof(dpp_error)) {
      size_t length = message != NULL ? strlen(message) : 0;
      if (length >= DPP_ERROR_MESSAGE_CAPACITY) length = DPP_ERROR_MESSAGE_CAPACITY - 1;
      /* Do not cut a UTF-8 sequence in half: back off over continuation bytes. */
      while (length > 0 && message[length] != '\0' && ((unsigned char)message[length] & 0xC0) == 0x80)
         --length;
      if (length > 0) memcpy(error->message, message, length);
      error->message[length] = '\0';
      error->status = status;
   }
   return status;
}

#ifdef __cplusplus
}
#endif

#endif /* DPP_STATUS_H */
