/* org.example.keyfile: an auth strategy in plain C11. Instead of a new key pair per machine (the
 * `key` strategy), it uses key files the user already has: the client key DevPod logs in with
 * and the host key the workspace's sshd proves itself with. Each machine records the client key
 * it was created with (in the host's machine state) and refuses another one later, so that a
 * changed KEYFILE_PRIVATE_KEY is reported instead of failing as a refused login. */
#include <dpp/c/helpers.h>
#include <dpp/dpp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYFILE_MAX_BYTES (64 * 1024)
#define KEYFILE_PATH_CAPACITY 1024

static const dpp_host* g_host = NULL;

/* ----- files ----- */

/* Reads `path` (at most KEYFILE_MAX_BYTES) into *text, malloc'ed and NUL-terminated; on failure
 * DPP_E_CONFIG naming `option`, which set the path. */
static dpp_status read_text_file(const char* path, const char* option, char** text, dpp_error* error) {
   FILE* file = fopen(path, "rb");
   size_t length;
   *text = NULL;
   if (!file)
      return dpp_fail(error, DPP_E_CONFIG, "%s: cannot read %s; point it at an unencrypted OpenSSH key file",
                      option, path);
   *text = (char*)malloc(KEYFILE_MAX_BYTES + 1);
   if (!*text) {
      fclose(file);
      return dpp_fail(error, DPP_E_INTERNAL, "out of memory");
   }
   length = fread(*text, 1, KEYFILE_MAX_BYTES + 1, file);
   fclose(file);
   if (length > KEYFILE_MAX_BYTES) {
      free(*text);
      *text = NULL;
      return dpp_fail(error, DPP_E_CONFIG, "%s: %s is larger than a key file can be", option, path);
   }
   (*text)[length] = '\0';
   return DPP_OK;
}

/* Drops the line ending of a one-line file (a public key). */
static void trim_line_end(char* text) {
   size_t length = strlen(text);
   while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r')) text[--length] = '\0';
}

/* Standard base64 of `size` bytes, malloc'ed and NUL-terminated. */
static char* base64_encode(const char* data, size_t size) {
   static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
   char* out = (char*)malloc((size + 2) / 3 * 4 + 1);
   size_t i, o = 0;
   if (!out) return NULL;
   for (i = 0; i < size; i += 3) {
      const unsigned long a = (unsigned char)data[i];
      const unsigned long b = i + 1 < size ? (unsigned char)data[i + 1] : 0u;
      const unsigned long c = i + 2 < size ? (unsigned char)data[i + 2] : 0u;
      const unsigned long triple = (a << 16) | (b << 8) | c;
      out[o++] = alphabet[(triple >> 18) & 63u];
      out[o++] = alphabet[(triple >> 12) & 63u];
      out[o++] = i + 1 < size ? alphabet[(triple >> 6) & 63u] : '=';
      out[o++] = i + 2 < size ? alphabet[triple & 63u] : '=';
   }
   out[o] = '\0';
   return out;
}

/* Overwrites a secret before its memory is released. */
static void wipe_and_free(char* secret) {
   if (!secret) return;
   {
      volatile char* p = secret;
      while (*p) *p++ = '\0';
   }
   free(secret);
}

/* ----- the auth object ----- */

typedef struct keyfile_auth {
   dpp_auth base; /* first, so that a dpp_auth* is a keyfile_auth* */
   const dpp_host* host;
   char user[64];
   char private_key_file[KEYFILE_PATH_CAPACITY];
   char public_key_file[KEYFILE_PATH_CAPACITY + 4]; /* private_key_file + ".pub" */
   char host_key_file[KEYFILE_PATH_CAPACITY];
   char host_public_key_file[KEYFILE_PATH_CAPACITY + 4];
   /* Filled by prepare(). */
   char* client_public_key;
   char* host_public_key;
   char* host_private_key_base64; /* a secret: wiped in destroy() */
} keyfile_auth;

static void release_keys(keyfile_auth* self) {
   free(self->client_public_key);
   free(self->host_public_key);
   wipe_and_free(self->host_private_key_base64);
   self->client_public_key = self->host_public_key = self->host_private_key_base64 = NULL;
}

static void auth_destroy(dpp_auth* base) {
   keyfile_auth* self = (keyfile_auth*)base;
   release_keys(self);
   free(self);
}

/* The client key this machine was created with must still be the configured one. */
static dpp_status check_recorded_key(keyfile_auth* self, uint32_t flags, dpp_error* error) {
   char* recorded = NULL;
   const dpp_status status = dpp_state_get_alloc(self->host, "client_key", &recorded, error);
   dpp_status result = DPP_OK;
   if (status == DPP_E_NOT_FOUND && (flags & DPP_AUTH_CREATE))
      return self->host->state_set(self->host, "client_key", self->client_public_key, error);
   if (status == DPP_E_NOT_FOUND)
      return dpp_fail(error, DPP_E_NOT_FOUND,
                      "machine %s was not created with org.example.keyfile; delete and recreate it",
                      self->host->machine_id(self->host));
   if (status != DPP_OK) return status;
   if (strcmp(recorded, self->client_public_key) != 0)
      result = dpp_fail(error, DPP_E_AUTH,
                        "KEYFILE_PRIVATE_KEY=%s is not the key machine %s was created with; restore that "
                        "key, or delete and recreate the machine",
                        self->private_key_file, self->host->machine_id(self->host));
   free(recorded);
   return result;
}

/* Reads the key files: the client's public key, the host key and its public half. */
static dpp_status load_keys(keyfile_auth* self, dpp_error* error) {
   char* host_private = NULL;
   dpp_status status =
       read_text_file(self->public_key_file, "KEYFILE_PRIVATE_KEY", &self->client_public_key, error);
   if (status == DPP_OK)
      status = read_text_file(self->host_public_key_file, "KEYFILE_HOST_KEY", &self->host_public_key, error);
   if (status == DPP_OK)
      status = read_text_file(self->host_key_file, "KEYFILE_HOST_KEY", &host_private, error);
   if (status == DPP_OK) {
      trim_line_end(self->client_public_key);
      trim_line_end(self->host_public_key);
      /* The bootstrap writes the decoded bytes as the sshd's key file: the file as it is. */
      self->host_private_key_base64 = base64_encode(host_private, strlen(host_private));
      if (!self->host_private_key_base64) status = dpp_fail(error, DPP_E_INTERNAL, "out of memory");
   }
   wipe_and_free(host_private);
   return status;
}

static dpp_status auth_prepare(dpp_auth* base, uint32_t flags, dpp_error* error) {
   keyfile_auth* self = (keyfile_auth*)base;
   dpp_status status;
   if (!DPP_HOST_HAS(self->host, machine_id) || !DPP_HOST_HAS(self->host, state_set))
      return dpp_fail(error, DPP_E_UNSUPPORTED, "org.example.keyfile needs a host that keeps machine state");
   release_keys(self);
   status = load_keys(self, error);
   if (status == DPP_OK) status = check_recorded_key(self, flags, error);
   if (status != DPP_OK) {
      release_keys(self);
      return status;
   }
   dpp_log(self->host, DPP_LOG_INFO, "machine %s logs in as %s with %s", self->host->machine_id(self->host),
           self->user, self->private_key_file);
   return DPP_OK;
}

static dpp_status auth_workspace(dpp_auth* base, dpp_workspace_auth* out, dpp_error* error) {
   keyfile_auth* self = (keyfile_auth*)base;
   if (!self->client_public_key) return dpp_fail(error, DPP_E_INVALID_ARGUMENT, "prepare() was not called");
   if (!out || !DPP_STRUCT_HAS(out, dpp_workspace_auth, host_public_key))
      return dpp_fail(error, DPP_E_INVALID_ARGUMENT, "the workspace auth struct is too small");
   out->user = self->user;
   out->authorized_key = self->client_public_key;
   out->password_hash = NULL;
   out->host_private_key_base64 = self->host_private_key_base64;
   out->host_public_key = self->host_public_key;
   return DPP_OK;
}

static dpp_status auth_credentials(dpp_auth* base, dpp_credentials* out, dpp_error* error) {
   keyfile_auth* self = (keyfile_auth*)base;
   if (!self->client_public_key) return dpp_fail(error, DPP_E_INVALID_ARGUMENT, "prepare() was not called");
   if (!out || !DPP_STRUCT_HAS(out, dpp_credentials, password))
      return dpp_fail(error, DPP_E_INVALID_ARGUMENT, "the credentials struct is too small");
   out->kind = DPP_CREDENTIAL_PRIVATE_KEY;
   out->user = self->user;
   out->private_key_file = self->private_key_file;
   out->public_key_file = self->public_key_file;
   out->password = NULL;
   return DPP_OK;
}

/* ----- the factory: options in, object out ----- */

/* Copies the option `name` into `buffer`; DPP_E_CONFIG when it is missing or too long. */
static dpp_status copy_option(const dpp_options* options, const char* name, char* buffer, size_t capacity,
                              dpp_error* error) {
   const char* value = dpp_options_get(options, name);
   if (!value) return dpp_fail(error, DPP_E_CONFIG, "%s is not set", name);
   if (strlen(value) >= capacity)
      return dpp_fail(error, DPP_E_CONFIG, "%s is longer than %zu bytes", name, capacity - 1);
   strcpy(buffer, value);
   return DPP_OK;
}

static dpp_status factory_create(const dpp_auth_factory* factory, const dpp_host* host,
                                 const dpp_options* options, dpp_auth** out, dpp_error* error) {
   keyfile_auth* self;
   dpp_status status;
   (void)factory;
   *out = NULL;
   self = (keyfile_auth*)calloc(1, sizeof *self);
   if (!self) return dpp_fail(error, DPP_E_INTERNAL, "out of memory");
   self->base =
       (dpp_auth)DPP_INIT(dpp_auth, .plugin_data = self, .destroy = auth_destroy, .prepare = auth_prepare,
                          .workspace_auth = auth_workspace, .credentials = auth_credentials);
   self->host = host;
   status = copy_option(options, "KEYFILE_USER", self->user, sizeof self->user, error);
   if (status == DPP_OK)
      status = copy_option(options, "KEYFILE_PRIVATE_KEY", self->private_key_file,
                           sizeof self->private_key_file, error);
   if (status == DPP_OK)
      status =
          copy_option(options, "KEYFILE_HOST_KEY", self->host_key_file, sizeof self->host_key_file, error);
   if (status != DPP_OK) {
      free(self);
      return status;
   }
   /* Each public half is the private key's path with .pub, as ssh-keygen writes it. */
   snprintf(self->public_key_file, sizeof self->public_key_file, "%s.pub", self->private_key_file);
   snprintf(self->host_public_key_file, sizeof self->host_public_key_file, "%s.pub", self->host_key_file);
   *out = &self->base;
   return DPP_OK;
}

static const dpp_auth_factory k_factory = DPP_INIT(dpp_auth_factory, .create = factory_create);

/* ----- the entry ----- */

static const dpp_option_desc k_options[] = {
    DPP_OPTION(.name = "KEYFILE_PRIVATE_KEY", .type = DPP_OPTION_PATH, .flags = DPP_OPTION_REQUIRED,
               .description = "Unencrypted OpenSSH private key DevPod logs in with; its public half is "
                              "the same path with .pub.",
               .group = "ssh"),
    DPP_OPTION(.name = "KEYFILE_HOST_KEY", .type = DPP_OPTION_PATH, .flags = DPP_OPTION_REQUIRED,
               .description = "Unencrypted OpenSSH private key the workspace's sshd proves itself with "
                              "(pinned through its .pub).",
               .group = "ssh"),
    DPP_OPTION(.name = "KEYFILE_USER", .type = DPP_OPTION_STRING, .default_value = "devpod",
               .description = "User the workspace creates and DevPod logs in as.", .group = "ssh"),
};

static dpp_status plugin_init(const dpp_host* host, dpp_error* error) {
   if (!host) return dpp_fail(error, DPP_E_INVALID_ARGUMENT, "no host given to init");
   g_host = host;
   return DPP_OK;
}

static void plugin_deinit(void) {
   g_host = NULL;
}

static const void* plugin_get_factory(const char* factory_id) {
   if (g_host && factory_id && strcmp(factory_id, DPP_AUTH_FACTORY_ID) == 0) return &k_factory;
   return NULL;
}

static const dpp_option_desc* plugin_get_option(uint32_t index) {
   return index < sizeof k_options / sizeof k_options[0] ? &k_options[index] : NULL;
}

static const dpp_plugin_entry k_entry =
    DPP_PLUGIN_ENTRY(.id = "org.example.keyfile", .version = "1.0.0",
                     .description = "SSH logins with key files you already have (an auth strategy in C)",
                     .init = plugin_init, .deinit = plugin_deinit, .get_factory = plugin_get_factory,
                     .get_option = plugin_get_option);

DPP_EXPORT_ENTRY(k_entry)
