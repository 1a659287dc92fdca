/* A backend plugin in plain C that follows every ABI rule except the one its build breaks on
 * purpose (one DEFECT_* definition per library; none: a correct plugin), so that the loader tests
 * can check that each defect is refused with a message naming the file and the cause. */
#include <dpp/dpp.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PLUGIN_ID
#define PLUGIN_ID "test.c-backend"
#endif
#ifndef GREETING_DEFAULT
#define GREETING_DEFAULT "hello"
#endif

/* Whatever a defect leaves unreferenced (the function behind a NULL slot) is still compiled. */
#define MAYBE_UNUSED __attribute__((unused))

static const dpp_host* g_host = NULL;
static int g_initialised = 0;

/* ----- the backend: a machine exists once create() recorded it in the host's state ----- */

typedef struct backend_data {
   char greeting[128];
} backend_data;

MAYBE_UNUSED static void backend_destroy(dpp_backend* self) {
   free(self->plugin_data);
   free(self);
}

MAYBE_UNUSED static dpp_status backend_check(dpp_backend* self, dpp_check_report_fn report, void* context,
                                             dpp_error* error) {
   (void)self;
   (void)error;
   if (report) report(context, "test check", DPP_CHECK_PASS, "the C test backend is always fine", NULL);
   return DPP_OK;
}

MAYBE_UNUSED static dpp_status backend_create(dpp_backend* self, const dpp_workspace_spec* spec,
                                              dpp_workspace_info* info, dpp_error* error) {
   const backend_data* data = (const backend_data*)self->plugin_data;
   if (!spec || !info) return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "no spec or info");
   if (g_host->state_set) {
      dpp_status status = g_host->state_set(g_host, "created", "yes", error);
      if (status != DPP_OK) return status;
   }
   info->state = DPP_WORKSPACE_RUNNING;
   snprintf(info->ssh_host, sizeof info->ssh_host, "127.0.0.1");
   info->ssh_port = 22;
   snprintf(info->detail, sizeof info->detail, "%s %s", data->greeting, spec->machine_id);
   return DPP_OK;
}

MAYBE_UNUSED static dpp_status backend_remove(dpp_backend* self, const char* machine_id, uint32_t flags,
                                              dpp_error* error) {
   (void)self;
   (void)machine_id;
   (void)flags;
   if (g_host->state_set) return g_host->state_set(g_host, "created", NULL, error);
   return DPP_OK;
}

MAYBE_UNUSED static dpp_status backend_status(dpp_backend* self, const char* machine_id,
                                              dpp_workspace_info* info, dpp_error* error) {
   char value[16];
   const backend_data* data = (const backend_data*)self->plugin_data;
   (void)machine_id;
   (void)error;
   info->state = DPP_WORKSPACE_NOT_FOUND;
   if (g_host->state_get && g_host->state_get(g_host, "created", value, sizeof value, NULL, NULL) == DPP_OK)
      info->state = DPP_WORKSPACE_STOPPED;
   snprintf(info->detail, sizeof info->detail, "%s", data->greeting);
   return DPP_OK;
}

MAYBE_UNUSED static dpp_status factory_create(const dpp_backend_factory* factory, const dpp_host* host,
                                              const dpp_options* options, dpp_backend** out,
                                              dpp_error* error) {
   uint32_t i;
   dpp_backend* backend;
   backend_data* data;
   (void)factory;
   (void)host;
   backend = (dpp_backend*)calloc(1, sizeof *backend);
   data = (backend_data*)calloc(1, sizeof *data);
   if (!backend || !data) {
      free(backend);
      free(data);
      return dpp_error_set(error, DPP_E_INTERNAL, "out of memory");
   }
   snprintf(data->greeting, sizeof data->greeting, "unset");
   for (i = 0; options && i < options->count; ++i)
      if (strcmp(options->items[i].name, "TEST_C_GREETING") == 0)
         snprintf(data->greeting, sizeof data->greeting, "%s", options->items[i].value);
#if defined(DEFECT_BACKEND_SHORT_SIZE)
   backend->struct_size = (uint32_t)offsetof(dpp_backend, create);
#else
   backend->struct_size = sizeof *backend;
#endif
   backend->plugin_data = data;
   backend->destroy = backend_destroy;
   backend->check = backend_check;
   backend->create = backend_create;
   backend->remove = backend_remove;
#if !defined(DEFECT_BACKEND_NULL_STATUS)
   backend->status = backend_status;
#endif
   /* start and stop stay NULL: "not provided" (dpp/backend.h), which a backend may do. */
   *out = backend;
   return DPP_OK;
}

MAYBE_UNUSED static const dpp_backend_factory k_backend_factory = {
#if defined(DEFECT_FACTORY_SHORT_SIZE)
    2,
#else
    sizeof(dpp_backend_factory),
#endif
#if defined(DEFECT_FACTORY_NULL_CREATE)
    NULL,
#else
    factory_create,
#endif
};

/* ----- the entry ----- */

MAYBE_UNUSED static dpp_status plugin_init(const dpp_host* host, dpp_error* error) {
#if defined(DEFECT_INIT_FAILS)
   (void)host;
   return dpp_error_set(error, DPP_E_CONFIG, "TEST_LICENSE_FILE is not set: point it at your licence file");
#else
   (void)error;
   if (g_initialised) return DPP_OK;
   g_host = host;
   g_initialised = 1;
   return DPP_OK;
#endif
}

MAYBE_UNUSED static void plugin_deinit(void) {
   g_initialised = 0;
   g_host = NULL;
}

MAYBE_UNUSED static const void* plugin_get_factory(const char* factory_id) {
#if defined(DEFECT_NO_BACKEND)
   (void)factory_id;
   return NULL;
#else
   if (!g_initialised || !factory_id) return NULL;
   if (strcmp(factory_id, DPP_BACKEND_FACTORY_ID) == 0) return &k_backend_factory;
   return NULL;
#endif
}

static const dpp_option_desc k_options[] = {
    {sizeof(dpp_option_desc), "TEST_C_GREETING", "What the C test backend says.", GREETING_DEFAULT,
     DPP_OPTION_STRING, 0, NULL, "workspace"},
    {sizeof(dpp_option_desc), "TEST_C_PORT", "Port the C test backend uses.", NULL, DPP_OPTION_PORT, 0, NULL,
     NULL},
#if defined(DEFECT_BAD_OPTION_NAME)
    {sizeof(dpp_option_desc), "lower-case name", "Not an environment variable name.", NULL, DPP_OPTION_STRING,
     0, NULL, NULL},
#elif defined(DEFECT_DUPLICATE_OPTION)
    {sizeof(dpp_option_desc), "TEST_C_GREETING", "Declared twice.", NULL, DPP_OPTION_STRING, 0, NULL, NULL},
#elif defined(DEFECT_UNKNOWN_OPTION_TYPE)
    {sizeof(dpp_option_desc), "TEST_C_FUTURE", "A type this host does not know.", NULL, 99, 0, NULL, NULL},
#elif defined(DEFECT_ENUM_WITHOUT_VALUES)
    {sizeof(dpp_option_desc), "TEST_C_MODE", "An enum with nothing to choose from.", NULL, DPP_OPTION_ENUM, 0,
     NULL, NULL},
#elif defined(DEFECT_SHORT_OPTION_SIZE)
    {4, "TEST_C_SHORT", "A declaration cut short.", NULL, DPP_OPTION_STRING, 0, NULL, NULL},
#elif defined(DEFECT_OPTION_CLASH)
    {sizeof(dpp_option_desc), "DOKPLOY_IMAGE", "Claims a name the host already uses.", NULL,
     DPP_OPTION_STRING, 0, NULL, NULL},
#endif
#if defined(SHARES_FAKE_OPTION)
    /* Not a defect: a name the CLI tests' fake plugin (a transport too) also declares. */
    {sizeof(dpp_option_desc), "FAKE_DISK", "Disk of a C test workspace.", NULL, DPP_OPTION_STRING, 0, NULL,
     NULL},
#endif
};

static const dpp_option_desc* plugin_get_option(uint32_t index) {
   return index < sizeof k_options / sizeof k_options[0] ? &k_options[index] : NULL;
}

#if defined(DEFECT_WRONG_MAJOR)
#define TEST_ABI_MAJOR (DPP_ABI_VERSION_MAJOR + 1)
#else
#define TEST_ABI_MAJOR DPP_ABI_VERSION_MAJOR
#endif
#if defined(DEFECT_NEWER_MINOR)
#define TEST_ABI_MINOR (DPP_ABI_VERSION_MINOR + 1)
#else
#define TEST_ABI_MINOR DPP_ABI_VERSION_MINOR
#endif

/* A plugin built against a later minor has a longer entry: the host must read only what it
 * knows (structs grow only at the end: dpp/entry.h). */
typedef struct longer_entry {
   dpp_plugin_entry known;
   void* appended_by_a_later_minor[4];
} longer_entry;

static const longer_entry k_entry = {
    {
#if defined(DEFECT_SHORT_STRUCT_SIZE)
        (uint32_t)offsetof(dpp_plugin_entry, init),
#elif defined(DEFECT_LONGER_STRUCT_SIZE)
        sizeof(longer_entry),
#else
        sizeof(dpp_plugin_entry),
#endif
        {TEST_ABI_MAJOR, TEST_ABI_MINOR},
#if defined(DEFECT_BAD_ID)
        "Not A Valid Id!",
#else
        PLUGIN_ID,
#endif
#if defined(DEFECT_NO_VERSION)
        NULL,
#else
        "1.2.3",
#endif
        "A backend written in C for the loader tests",
#if defined(DEFECT_NULL_INIT)
        NULL,
#else
        plugin_init,
#endif
#if defined(DEFECT_NULL_DEINIT)
        NULL,
#else
        plugin_deinit,
#endif
#if defined(DEFECT_NULL_GET_FACTORY)
        NULL,
#else
        plugin_get_factory,
#endif
        plugin_get_option,
    },
    {NULL, NULL, NULL, NULL},
};

DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major, uint32_t host_abi_minor);

DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major, uint32_t host_abi_minor) {
   (void)host_abi_minor;
#if defined(DEFECT_REFUSES_HOST)
   /* Refuses every host, as a plugin built for another major would. */
   if (host_abi_major != 0xFFFFFFFFu) return NULL;
#endif
   /* Deliberately no major check for DEFECT_WRONG_MAJOR: the host must refuse by itself. */
   (void)host_abi_major;
   return &k_entry.known;
}
