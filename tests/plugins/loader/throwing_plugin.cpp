// A C++ plugin that breaks "no exceptions across the ABI" (docs/plugin-authoring.md) on purpose:
// one of its functions (chosen by its build: the entry function, init or get_option) lets an
// exception cross the C ABI. The host must survive it and name the file.
#include <dpp/dpp.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace {

dpp_status plugin_init(const dpp_host*, dpp_error*) {
#if defined(DEFECT_INIT_THROWS)
   throw std::runtime_error("init blew up");
#else
   return DPP_OK;
#endif
}

void plugin_deinit() {}

const void* plugin_get_factory(const char*) {
   return nullptr;
}

const dpp_option_desc kOption{sizeof(dpp_option_desc),
                              "TEST_THROWING_OPTION",
                              "An option.",
                              nullptr,
                              DPP_OPTION_STRING,
                              0,
                              nullptr,
                              nullptr};

const dpp_option_desc* plugin_get_option(uint32_t index) {
#if defined(DEFECT_GET_OPTION_THROWS)
   throw std::out_of_range("no option " + std::to_string(index));
#else
   return index == 0 ? &kOption : nullptr;
#endif
}

const dpp_plugin_entry kEntry{sizeof(dpp_plugin_entry),
                              DPP_ABI_VERSION_INIT,
                              "test.throwing",
                              "0.0.1",
                              "Lets exceptions cross the C ABI",
                              &plugin_init,
                              &plugin_deinit,
                              &plugin_get_factory,
                              &plugin_get_option};

}  // namespace

extern "C" DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major, uint32_t) {
#if defined(DEFECT_ENTRY_THROWS)
   if (host_abi_major != 0) throw std::logic_error("the entry function threw");
#endif
   (void)host_abi_major;
   return &kEntry;
}
