/* Capability "dpp.auth/1": per-machine SSH credentials, and what a workspace must contain to
 * accept them. The host gives the workspace side to the backend and the client side to the
 * transport; neither needs to know which strategy is in use. */
#ifndef DPP_AUTH_H
#define DPP_AUTH_H

#include <stdint.h>

#include "host.h"
#include "option.h"
#include "status.h"
#include "transport.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DPP_AUTH_FACTORY_ID "dpp.auth/1"

/* Flags of dpp_auth.prepare. */
enum {
   /* Generate and store whatever is missing (create). Without it, missing credentials are
    * DPP_E_NOT_FOUND (command, start: a machine whose folder lost them cannot log in). */
   DPP_AUTH_CREATE = 1u << 0,
};

/* What the workspace must contain to accept the credentials and to prove who it is. Filled by
 * the auth plugin; strings owned by it and valid until destroy(). NULL members do not apply. */
typedef struct dpp_workspace_auth {
   uint32_t struct_size;
   /* The login user the workspace must have ("devpod"). */
   const char* user;
   /* An OpenSSH public key line for the user's authorized_keys (key strategy). */
   const char* authorized_key;
   /* A crypt(3) SHA-512 hash ("$6$…") for the user's password (password strategy). */
   const char* password_hash;
   /* The workspace's sshd host key: an unencrypted OpenSSH private key, base64-encoded on one
    * line so that it travels in an environment variable. Generated per machine on the client
    * side, so that the first connection is already verified. The platform stores it. */
   const char* host_private_key_base64;
   /* Its public half, an OpenSSH public key line: the key every transport pins. */
   const char* host_public_key;
} dpp_workspace_auth;

/* An instance, made by dpp_auth_factory.create and owned by the host until destroy(), which
 * wipes every secret it holds. [the creating thread; never two calls at once] */
typedef struct dpp_auth {
   uint32_t struct_size;
   void* plugin_data;

   /* Frees the instance and wipes its secrets. Required. */
   void (*destroy)(struct dpp_auth* self);

   /* Loads the credentials of the host's machine (dpp_host.machine_id), kept in its folder
    * through dpp_host.read_machine_file/write_machine_file, generating and storing missing ones
    * when flags has DPP_AUTH_CREATE. Keys come from the OS CSPRNG. Idempotent: once made,
    * credentials never change. Required. */
   dpp_status (*prepare)(struct dpp_auth* self, uint32_t flags, dpp_error* error);

   /* Fills `out` (caller-allocated, struct_size set) with what the workspace needs. After a
    * successful prepare. Required. */
   dpp_status (*workspace_auth)(struct dpp_auth* self, dpp_workspace_auth* out, dpp_error* error);

   /* Fills `out` (caller-allocated, struct_size set) with the client side, for a transport.
    * After a successful prepare. Required. */
   dpp_status (*credentials)(struct dpp_auth* self, dpp_credentials* out, dpp_error* error);
} dpp_auth;

/* Returned by get_factory(DPP_AUTH_FACTORY_ID); static. */
typedef struct dpp_auth_factory {
   uint32_t struct_size;
   /* Makes an instance configured by `options` (borrowed for the call). On success *out is
    * owned by the caller until (*out)->destroy(*out). [main thread] */
   dpp_status (*create)(const struct dpp_auth_factory* factory, const dpp_host* host,
                        const dpp_options* options, dpp_auth** out, dpp_error* error);
} dpp_auth_factory;

#ifdef __cplusplus
}
#endif

#endif /* DPP_AUTH_H */
