/* Capability "dpp.backend/1": a platform that runs workspace containers (Dokploy, or any other a
 * third party writes). The host builds a platform-neutral spec; the backend makes it real. */
#ifndef DPP_BACKEND_H
#define DPP_BACKEND_H

#include <stdint.h>

#include "host.h"
#include "option.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DPP_BACKEND_FACTORY_ID "dpp.backend/1"

/* One environment variable of the workspace. Both strings borrowed (see dpp_workspace_spec).
 * Frozen for ABI 1: elements of arrays never grow. */
typedef struct dpp_env_var {
   const char* name;
   const char* value;
} dpp_env_var;

/* A named volume mounted into the workspace: it outlives stop/start and redeploys, and is
 * removed with the workspace unless DPP_REMOVE_KEEP_VOLUMES. Frozen for ABI 1. */
typedef struct dpp_volume {
   /* [a-z0-9-]{1,32}, unique within the workspace; the backend scopes it to the workspace. */
   const char* name;
   /* Absolute path inside the workspace. */
   const char* mount_path;
} dpp_volume;

/* Flags of dpp_workspace_spec.flags. */
enum {
   /* The workspace runs its own container engine (Docker-in-Docker) and needs privileges for
    * it. A backend that cannot grant them says so in its check() and logs a warning. */
   DPP_WORKSPACE_PRIVILEGED = 1u << 0,
   /* When create() fails, leave what it made for inspection instead of removing it
    * (DOKPLOY_KEEP_FAILED). */
   DPP_WORKSPACE_KEEP_FAILED = 1u << 1,
};

/* The bootstrap environment: the variables the host puts in dpp_workspace_spec.env for the
 * bootstrap (spec.command), which reads them to create the login user and start sshd. A backend
 * that runs containers passes spec.env to the container unchanged and need read none of them.
 * Values are one line of UTF-8 each; a variable that does not apply is absent. */
/* The TCP port sshd listens on inside the workspace: spec.ssh_port in decimal. */
#define DPP_ENV_SSH_PORT "DPP_SSH_PORT"
/* The login user the bootstrap creates (dpp_workspace_auth.user, "devpod"); never "root". */
#define DPP_ENV_SSH_USER "DPP_SSH_USER"
/* Key auth: an OpenSSH public key line for the user's authorized_keys. A backend for machines
 * it does not create (no bootstrap runs) may show it to the person who must authorize it. */
#define DPP_ENV_SSH_AUTHORIZED_KEY "DPP_SSH_AUTHORIZED_KEY"
/* Password auth: a crypt(3) SHA-512 hash ("$6$…") of the user's password. */
#define DPP_ENV_SSH_PASSWORD_HASH "DPP_SSH_PASSWORD_HASH"
/* The workspace's sshd host private key (an OpenSSH key file, base64 on one line), made per
 * machine by the auth plugin: the transport pins its public half. A secret: never log it. */
#define DPP_ENV_SSH_HOST_KEY "DPP_SSH_HOST_KEY"
/* "auto": start dockerd when the image has it and the container is privileged
 * (DPP_WORKSPACE_PRIVILEGED); "off": never. */
#define DPP_ENV_DOCKERD "DPP_DOCKERD"

/* What to run. Everything is owned by the host and borrowed for the call it is passed to. */
typedef struct dpp_workspace_spec {
   uint32_t struct_size;
   /* DevPod's MACHINE_ID: [a-z0-9-]{1,48}. The backend derives the platform's name of the
    * workspace from it deterministically, so that the workspace can be found again without any
    * saved state. */
   const char* machine_id;
   /* Container image reference ("cruizba/ubuntu-dind:latest"). */
   const char* image;
   /* The bootstrap: the argv that replaces the image's entrypoint and command (Docker's
    * `entrypoint`), {"/bin/sh", "-c", "<bootstrap script>"}. It runs as root, installs sshd when
    * the image lacks it, creates the user, and ends by exec'ing sshd on ssh_port. Passed to the
    * container without any shell interpretation by the backend. */
   const char* const* command;
   uint32_t command_count;
   /* Environment of the workspace's main process: the bootstrap environment (DPP_ENV_*). */
   const dpp_env_var* env;
   uint32_t env_count;
   /* TCP port the workspace's sshd listens on inside the container; the backend publishes it
    * on a port of its choice and reports that in dpp_workspace_info. */
   uint16_t ssh_port;
   const dpp_volume* volumes;
   uint32_t volume_count;
   /* 0 means no limit. */
   uint64_t memory_limit_bytes;
   /* Thousandths of a CPU (1500 = 1.5 CPUs); 0 means no limit. */
   uint64_t cpu_limit_millis;
   /* DPP_WORKSPACE_* flags. */
   uint32_t flags;
   /* How long create/start may take in all, waiting included (DOKPLOY_CREATE_TIMEOUT). */
   uint32_t timeout_ms;
} dpp_workspace_spec;

/* Where a workspace stands. Carried as int32_t. */
enum {
   /* The platform has no such workspace. */
   DPP_WORKSPACE_NOT_FOUND = 0,
   /* It exists and is stopped; `start` runs it again. */
   DPP_WORKSPACE_STOPPED = 1,
   /* The platform is working on it (deploying, starting, stopping). */
   DPP_WORKSPACE_BUSY = 2,
   /* The platform says it runs. The host still probes the endpoint before telling DevPod. */
   DPP_WORKSPACE_RUNNING = 3,
   /* Its last deploy failed; `start` tries again. Never reported as NOT_FOUND. */
   DPP_WORKSPACE_FAILED = 4,
};

#define DPP_HOST_NAME_CAPACITY 256
#define DPP_USER_NAME_CAPACITY 64
#define DPP_HOST_KEY_CAPACITY 1024
#define DPP_DETAIL_CAPACITY 1024

/* A workspace's state and SSH endpoint. The CALLER allocates it zeroed with struct_size set;
 * the backend fills it. Strings are NUL-terminated UTF-8. */
typedef struct dpp_workspace_info {
   uint32_t struct_size;
   /* DPP_WORKSPACE_*. */
   int32_t state;
   /* Where SSH answers: a host name or IP address (never with a port) and the port. Empty
    * host and port 0 when unknown (e.g. NOT_FOUND). */
   char ssh_host[DPP_HOST_NAME_CAPACITY];
   uint16_t ssh_port;
   /* The login user when the backend decides it (a machine it does not create); empty: the
    * auth plugin's user. */
   char ssh_user[DPP_USER_NAME_CAPACITY];
   /* The endpoint's host key as an OpenSSH public key line when the backend knows it (a
    * machine it does not create); empty: this machine's injected workspace host key. */
   char ssh_host_key[DPP_HOST_KEY_CAPACITY];
   /* For people: why it is in this state ("deploy failed: port 2222 is already allocated"). */
   char detail[DPP_DETAIL_CAPACITY];
} dpp_workspace_info;

/* Flags of remove(). */
enum {
   /* Keep the workspace's named volumes (DOKPLOY_KEEP_VOLUMES). */
   DPP_REMOVE_KEEP_VOLUMES = 1u << 0,
};

/* One line of a check() report. Carried as int32_t. */
enum {
   DPP_CHECK_PASS = 0,
   DPP_CHECK_WARN = 1,
   DPP_CHECK_FAIL = 2,
   DPP_CHECK_SKIP = 3,
};

/* Receives one check result. name: short ("server reachable"); message: what was found;
 * fix: what to do, or NULL when it passed. All borrowed for the call. [the calling thread] */
typedef void (*dpp_check_report_fn)(void* context, const char* name, int32_t result, const char* message,
                                    const char* fix);

/* An instance, made by dpp_backend_factory.create and owned by the host until destroy().
 * Every function: [the thread that created the instance; never two calls at once]. Every
 * fallible function returns DPP_OK or fills `error`. Long calls poll host->is_cancelled. */
typedef struct dpp_backend {
   uint32_t struct_size;
   /* The plugin's own data. */
   void* plugin_data;

   /* Frees the instance. Required. */
   void (*destroy)(struct dpp_backend* self);

   /* Checks the configuration and the platform: reachable, credentials accepted, version
    * supported, and whatever else a workspace will need. Calls `report` once per check, in
    * order, and returns DPP_OK when no check failed, else the status of the first failure.
    * Used by `init` and `doctor`; in `doctor` with a machine (host->machine_id not NULL) it may
    * also check that machine's workspace, with host->check_endpoint knowing its host key.
    * Required. */
   dpp_status (*check)(struct dpp_backend* self, dpp_check_report_fn report, void* context, dpp_error* error);

   /* Makes the workspace and waits until its SSH endpoint answers with the expected host key
    * (host->check_endpoint), within spec->timeout_ms. Idempotent: for a workspace that exists,
    * converges it to the spec and reports it. On failure it removes what this call made,
    * unless spec->flags has DPP_WORKSPACE_KEEP_FAILED. Fills `info` (state RUNNING) on success. Required. */
   dpp_status (*create)(struct dpp_backend* self, const dpp_workspace_spec* spec, dpp_workspace_info* info,
                        dpp_error* error);

   /* Runs a stopped or failed workspace again and waits like create(). A running one is left
    * alone (DPP_OK). DPP_E_NOT_FOUND when it does not exist. NULL, or DPP_E_UNSUPPORTED, when
    * the platform cannot start and stop workspaces. */
   dpp_status (*start)(struct dpp_backend* self, const dpp_workspace_spec* spec, dpp_workspace_info* info,
                       dpp_error* error);

   /* Stops it, keeping its files and volumes. Stopping a stopped workspace is DPP_OK;
    * DPP_E_NOT_FOUND when it does not exist. NULL or DPP_E_UNSUPPORTED like start. */
   dpp_status (*stop)(struct dpp_backend* self, const char* machine_id, dpp_error* error);

   /* Deletes it with its volumes (unless DPP_REMOVE_KEEP_VOLUMES). Deleting a workspace that
    * does not exist is DPP_OK. Required. */
   dpp_status (*remove)(struct dpp_backend* self, const char* machine_id, uint32_t flags, dpp_error* error);

   /* Reports the state and endpoint. Cheap: at most one request to the platform when the
    * backend's saved state knows the workspace. Required. */
   dpp_status (*status)(struct dpp_backend* self, const char* machine_id, dpp_workspace_info* info,
                        dpp_error* error);
} dpp_backend;

/* Returned by get_factory(DPP_BACKEND_FACTORY_ID); static. */
typedef struct dpp_backend_factory {
   uint32_t struct_size;
   /* Makes an instance configured by `options` (the plugin's declared options, validated by the
    * host; borrowed for the call). DPP_E_CONFIG with a message naming the option when a value
    * is unusable. On success *out is owned by the caller until (*out)->destroy(*out).
    * [main thread] */
   dpp_status (*create)(const struct dpp_backend_factory* factory, const dpp_host* host,
                        const dpp_options* options, dpp_backend** out, dpp_error* error);
} dpp_backend_factory;

#ifdef __cplusplus
}
#endif

#endif /* DPP_BACKEND_H */
