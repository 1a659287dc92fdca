/* Capability "dpp.transport/1": runs a command on a workspace over SSH, joined to the host's
 * file descriptors. This is DevPod's transport: every byte of an IDE session crosses it. */
#ifndef DPP_TRANSPORT_H
#define DPP_TRANSPORT_H

#include <stdint.h>

#include "host.h"
#include "option.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DPP_TRANSPORT_FACTORY_ID "dpp.transport/1"

/* Kinds of dpp_credentials. Carried as int32_t. */
enum {
   /* An unencrypted OpenSSH private key in a file (mode 0600). */
   DPP_CREDENTIAL_PRIVATE_KEY = 1,
   /* A password. */
   DPP_CREDENTIAL_PASSWORD = 2,
};

/* How to log in. Filled by an auth plugin (dpp_auth.credentials), which owns every string until
 * it is destroyed and wipes the secret ones then. Borrowed by the transport for the call. */
typedef struct dpp_credentials {
   uint32_t struct_size;
   /* DPP_CREDENTIAL_*. */
   int32_t kind;
   /* Login user ("devpod"). */
   const char* user;
   /* PRIVATE_KEY: absolute paths of the private key and of its ".pub" (may be NULL). */
   const char* private_key_file;
   const char* public_key_file;
   /* PASSWORD: the password, NUL-terminated. A secret: never put it in an argv, an
    * environment variable or a log line. */
   const char* password;
} dpp_credentials;

/* Where to connect and what to expect there. Owned by the caller, borrowed for the call. */
typedef struct dpp_ssh_target {
   uint32_t struct_size;
   /* Host name or IP address, without a port. */
   const char* host;
   uint16_t port;
   /* The pinned host key as an OpenSSH public key line ("ssh-ed25519 AAAA… [comment]"). The
    * transport refuses any other key with DPP_E_HOST_KEY_MISMATCH. Required: there is no
    * trust-on-first-use. */
   const char* host_key;
   const dpp_credentials* credentials;
   /* Bound for establishing the session, retries included: while the workspace is still
    * starting, refused connections are retried with backoff until this much time has passed.
    * 0: the transport's default. */
   uint32_t connect_timeout_ms;
} dpp_ssh_target;

/* A command to run. Owned by the caller, borrowed for the call. */
typedef struct dpp_run_request {
   uint32_t struct_size;
   const dpp_ssh_target* target;
   /* A POSIX sh script (DevPod's COMMAND: may be several KB, with quotes and newlines). The
    * transport runs it with `sh`, quoted so that the user's login shell (bash, zsh, fish…)
    * never interprets it. No PTY. */
   const char* command;
   /* The host's descriptors, borrowed: stdin is read until EOF (then the remote side gets EOF,
    * while its output keeps flowing); remote stdout goes to stdout_fd and remote stderr to
    * stderr_fd, binary-safe, unbuffered. The transport may switch them to non-blocking mode and
    * restores their flags before it returns. */
   int32_t stdin_fd;
   int32_t stdout_fd;
   int32_t stderr_fd;
} dpp_run_request;

/* Capacity of dpp_run_result.exit_signal, terminating NUL included. */
#define DPP_SIGNAL_NAME_CAPACITY 32

/* How the remote command ended. Caller-allocated with struct_size set; filled on DPP_OK. */
typedef struct dpp_run_result {
   uint32_t struct_size;
   /* The remote exit code (0-255); when killed by a signal, 128 + the signal's number. */
   int32_t exit_code;
   /* The signal's name without "SIG" ("KILL") when killed by one, else "". */
   char exit_signal[DPP_SIGNAL_NAME_CAPACITY];
} dpp_run_result;

/* An instance, made by dpp_transport_factory.create and owned by the host until destroy().
 * Functions other than cancel(): [the creating thread; never two at once]. */
typedef struct dpp_transport {
   uint32_t struct_size;
   void* plugin_data;

   /* Frees the instance. Required. */
   void (*destroy)(struct dpp_transport* self);

   /* Connects, completes the key exchange, compares the host key, and disconnects without
    * logging in. DPP_OK when the pinned key answered; DPP_E_HOST_KEY_MISMATCH when another SSH
    * server answered (message names both fingerprints); DPP_E_CONNECT, DPP_E_TIMEOUT,
    * DPP_E_PROTOCOL otherwise. No retries: the caller decides. Required. */
   dpp_status (*probe)(struct dpp_transport* self, const dpp_ssh_target* target, uint32_t timeout_ms,
                       dpp_error* error);

   /* Runs request->command and pumps the descriptors until the remote process has exited and
    * all its output was written. Returns DPP_OK with `result` filled when the remote command
    * ran (whatever its exit code); DPP_E_AUTH when the credentials were refused;
    * DPP_E_HOST_KEY_MISMATCH; DPP_E_CONNECT/DPP_E_TIMEOUT when no session could be made within
    * connect_timeout_ms; DPP_E_CONNECTION_LOST when keepalives went unanswered or the peer
    * vanished (the message says after how long); DPP_E_CANCELLED after cancel(). Required. */
   dpp_status (*run)(struct dpp_transport* self, const dpp_run_request* request, dpp_run_result* result,
                     dpp_error* error);

   /* Makes a run() in progress close its session and return DPP_E_CANCELLED promptly (well
    * under a second). Does nothing when none runs; a later run() is not affected.
    * [any thread, also a signal handler: async-signal-safe] Required. */
   void (*cancel)(struct dpp_transport* self);
} dpp_transport;

/* Returned by get_factory(DPP_TRANSPORT_FACTORY_ID); static. */
typedef struct dpp_transport_factory {
   uint32_t struct_size;
   /* Makes an instance configured by `options` (borrowed for the call). On success *out is
    * owned by the caller until (*out)->destroy(*out). [main thread] */
   dpp_status (*create)(const struct dpp_transport_factory* factory, const dpp_host* host,
                        const dpp_options* options, dpp_transport** out, dpp_error* error);
} dpp_transport_factory;

#ifdef __cplusplus
}
#endif

#endif /* DPP_TRANSPORT_H */
