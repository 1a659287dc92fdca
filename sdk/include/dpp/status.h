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

/* The symbolic name of a status ("DPP_E_TIMEOUT"); "DPP_E_UNKNOWN" for codes this header does
 * not know. The string is static. [any thread] */
static inline const char* dpp_status_name(dpp_status status) {
   switch (status) {
      case DPP_OK: return "DPP_OK";
      case DPP_E_INVALID_ARGUMENT: return "DPP_E_INVALID_ARGUMENT";
      case DPP_E_UNSUPPORTED: return "DPP_E_UNSUPPORTED";
      case DPP_E_NOT_FOUND: return "DPP_E_NOT_FOUND";
      case DPP_E_CONFIG: return "DPP_E_CONFIG";
      case DPP_E_AUTH: return "DPP_E_AUTH";
      case DPP_E_CONNECT: return "DPP_E_CONNECT";
      case DPP_E_TIMEOUT: return "DPP_E_TIMEOUT";
      case DPP_E_CANCELLED: return "DPP_E_CANCELLED";
      case DPP_E_HOST_KEY_MISMATCH: return "DPP_E_HOST_KEY_MISMATCH";
      case DPP_E_PROTOCOL: return "DPP_E_PROTOCOL";
      case DPP_E_REMOTE: return "DPP_E_REMOTE";
      case DPP_E_CONFLICT: return "DPP_E_CONFLICT";
      case DPP_E_IO: return "DPP_E_IO";
      case DPP_E_BUFFER_TOO_SMALL: return "DPP_E_BUFFER_TOO_SMALL";
      case DPP_E_VERSION: return "DPP_E_VERSION";
      case DPP_E_INTERNAL: return "DPP_E_INTERNAL";
      case DPP_E_CONNECTION_LOST: return "DPP_E_CONNECTION_LOST";
      default: return "DPP_E_UNKNOWN";
   }
}

/* A one-line description of a status, like strerror(3). The string is static. [any thread] */
static inline const char* dpp_strerror(dpp_status status) {
   switch (status) {
      case DPP_OK: return "success";
      case DPP_E_INVALID_ARGUMENT: return "invalid argument";
      case DPP_E_UNSUPPORTED: return "operation not supported by this plugin";
      case DPP_E_NOT_FOUND: return "not found";
      case DPP_E_CONFIG: return "invalid configuration";
      case DPP_E_AUTH: return "authentication refused";
      case DPP_E_CONNECT: return "could not connect";
      case DPP_E_TIMEOUT: return "timed out";
      case DPP_E_CANCELLED: return "cancelled";
      case DPP_E_HOST_KEY_MISMATCH: return "host key does not match the pinned key";
      case DPP_E_PROTOCOL: return "unexpected answer from the peer";
      case DPP_E_REMOTE: return "the server reported a failure";
      case DPP_E_CONFLICT: return "already in use";
      case DPP_E_IO: return "local input/output error";
      case DPP_E_BUFFER_TOO_SMALL: return "buffer too small";
      case DPP_E_VERSION: return "incompatible version";
      case DPP_E_INTERNAL: return "internal error";
      case DPP_E_CONNECTION_LOST: return "connection lost";
      default: return "unknown error";
   }
}

/* Capacity of dpp_error.message, terminating NUL included. */
#define DPP_ERROR_MESSAGE_CAPACITY 2048

/* The detail of a failure. The CALLER allocates it (stack is fine), sets struct_size to
 * sizeof(dpp_error) and passes it to a fallible call; the callee writes status and a
 * NUL-terminated UTF-8 message (truncated to fit) when it fails, and leaves it untouched on
 * success. Messages say what failed and what to do, and never contain a secret. Never global,
 * never thread-local. */
typedef struct dpp_error {
   uint32_t struct_size;
   /* Same value as the call's return. */
   dpp_status status;
   char message[DPP_ERROR_MESSAGE_CAPACITY];
} dpp_error;

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
