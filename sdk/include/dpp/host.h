/* The services a host offers to its plugins: logging, cancellation, machine state, endpoint
 * checks. Plugins reach the host only through this table and never link host symbols. */
#ifndef DPP_HOST_H
#define DPP_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Log levels, the same as spdlog's. Carried as int32_t. */
enum {
   DPP_LOG_TRACE = 0,
   DPP_LOG_DEBUG = 1,
   DPP_LOG_INFO = 2,
   DPP_LOG_WARN = 3,
   DPP_LOG_ERROR = 4,
   DPP_LOG_CRITICAL = 5,
};

/* Passed to dpp_plugin_entry.init. The host owns it; it stays valid and unchanged until the
 * plugin's deinit() has returned. Members that are NULL are services this host does not offer:
 * check each with DPP_HOST_HAS before calling it (an older host has a smaller struct_size and
 * fewer members; see the version rule in version.h). */
typedef struct dpp_host {
   /* sizeof(dpp_host) as the host was built. */
   uint32_t struct_size;
   /* The ABI this host implements. */
   dpp_version abi_version;
   /* "dokploy-provider" and its version ("0.1.0"); static strings. */
   const char* name;
   const char* version;
   /* Reserved for the host. */
   void* host_data;

   /* Writes one log line at `level` (DPP_LOG_*), to stderr, in the host's format, which names
    * the plugin (its id) once: `message` does not start with the plugin's name. `message` is
    * borrowed for the call, UTF-8, without a trailing newline, and must not contain a secret.
    * [any thread] */
   void (*log)(const struct dpp_host* host, int32_t level, const char* message);

   /* Whether a line at `level` would be written: lets a plugin skip building debug text.
    * [any thread] */
   bool (*log_enabled)(const struct dpp_host* host, int32_t level);

   /* True once the user asked to stop (SIGINT/SIGTERM). Long operations poll it at least every
    * 250 ms and return DPP_E_CANCELLED. Cheap (an atomic load). [any thread] */
   bool (*is_cancelled)(const struct dpp_host* host);

   /* The machine this invocation works on: DevPod's MACHINE_ID, and MACHINE_FOLDER where the
    * plugin may keep files (mode 0600; the folder is 0700). NULL for verbs without a machine
    * (init, plugins). The strings are owned by the host and valid until deinit.
    * [any thread] */
   const char* (*machine_id)(const struct dpp_host* host);
   const char* (*machine_folder)(const struct dpp_host* host);

   /* A small key-value store kept in the machine's one state file, private to this plugin.
    * key: [a-z0-9_.-]{1,64}. value: UTF-8, at most 64 KiB, no secrets (store those in files
    * under machine_folder with mode 0600). All three are borrowed for the call.
    *
    * state_get copies the value with its NUL into `buffer` (capacity bytes) and returns DPP_OK;
    * DPP_E_NOT_FOUND when the key is unset; DPP_E_BUFFER_TOO_SMALL when it does not fit (the
    * needed capacity, NUL included, is then in *needed when needed is not NULL).
    * state_set stores `value` (NULL removes the key) and has written the state file atomically
    * (temp file, fsync, rename) before it returns, so a process killed right after it loses
    * nothing.
    * Both: DPP_E_INVALID_ARGUMENT for a bad key or value, DPP_E_IO when the write failed, and
    * DPP_E_UNSUPPORTED when there is no machine; `error` (may be NULL) says which, as for every
    * fallible call. [the thread that called into the plugin] */
   dpp_status (*state_get)(const struct dpp_host* host, const char* key, char* buffer, size_t capacity,
                           size_t* needed, dpp_error* error);
   dpp_status (*state_set)(const struct dpp_host* host, const char* key, const char* value, dpp_error* error);

   /* Asks whether an SSH server answers at hostname:port with the expected host key, by a key
    * exchange through the host's transport (no login). expected_host_key: an OpenSSH public key
    * line ("ssh-ed25519 AAAA…"), or NULL for this machine's own pinned workspace host key.
    * Returns DPP_OK when it matches, DPP_E_HOST_KEY_MISMATCH when another SSH server answers
    * there (so the port belongs to someone else), DPP_E_CONNECT / DPP_E_TIMEOUT / DPP_E_PROTOCOL
    * when nothing usable answers within timeout_ms. Backends use it to prove that a port serves
    * *this* workspace. All pointers borrowed for the call.
    * [the thread that called into the plugin] */
   dpp_status (*check_endpoint)(const struct dpp_host* host, const char* hostname, uint16_t port,
                                const char* expected_host_key, uint32_t timeout_ms, dpp_error* error);

   /* Private files in the machine folder, for what a plugin must keep secret (keys, passwords).
    * The host owns the folder's safety: it is 0700; files are 0600, written atomically (temp
    * file, fsync, rename), and never read or written through a symbolic link.
    * name: a plain file name, [A-Za-z0-9_][A-Za-z0-9._-]{0,63} (no '/'); the file's path is
    * machine_folder + "/" + name, which a plugin may hand to tools that need a path.
    *
    * write_machine_file stores `size` bytes of `data` (borrowed) as `name`, replacing it.
    * read_machine_file copies the file into `buffer` (capacity bytes) and sets *size; when the
    * file is bigger it returns DPP_E_BUFFER_TOO_SMALL with *size set to the size needed; when it
    * does not exist, DPP_E_NOT_FOUND. Files are at most 1 MiB. Both return DPP_E_UNSUPPORTED
    * when there is no machine, DPP_E_IO with a message otherwise.
    * [the thread that called into the plugin] */
   dpp_status (*write_machine_file)(const struct dpp_host* host, const char* name, const void* data,
                                    size_t size, dpp_error* error);
   dpp_status (*read_machine_file)(const struct dpp_host* host, const char* name, void* buffer,
                                   size_t capacity, size_t* size, dpp_error* error);

   /* Waits until the SSH server at hostname:port answers with the expected host key: what a
    * backend's create() and start() do once the platform says the workspace runs, so that no
    * backend writes this loop itself. Each attempt is a check_endpoint. An attempt that finds
    * nothing usable yet (DPP_E_CONNECT: refused, reset, closed before the banner; DPP_E_TIMEOUT;
    * DPP_E_PROTOCOL; DPP_E_CONNECTION_LOST) is repeated after 100 ms, then 200, 400… up to 1 s
    * between attempts, until timeout_ms has passed; the last attempt's status is then returned
    * with a message that says how often it tried. DPP_E_HOST_KEY_MISMATCH (another server owns
    * the port), DPP_E_INVALID_ARGUMENT and DPP_E_UNSUPPORTED are returned at once, and
    * DPP_E_CANCELLED as soon as the user asks to stop. Arguments as for check_endpoint.
    * [the thread that called into the plugin] */
   dpp_status (*wait_for_endpoint)(const struct dpp_host* host, const char* hostname, uint16_t port,
                                   const char* expected_host_key, uint32_t timeout_ms, dpp_error* error);
} dpp_host;

/* True when `host` (a const dpp_host*) offers the service `member`: it is not NULL, its struct
 * holds the member, and the member is not NULL. The one check before a call through the table. */
#define DPP_HOST_HAS(host, member) ((host) && DPP_STRUCT_HAS(host, dpp_host, member) && (host)->member)

#ifdef __cplusplus
}
#endif

#endif /* DPP_HOST_H */
