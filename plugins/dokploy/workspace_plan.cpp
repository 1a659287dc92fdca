// Validation of the host's workspace spec before any of it reaches Dokploy.
#include "workspace_plan.hpp"

#include <algorithm>
#include <set>

#include "common/text.hpp"
#include "service_naming.hpp"
#include "text_encoding.hpp"

namespace dpp::dokploy {

using dpp::plugins::is_valid_utf8;
using dpp::sdk::Error;

void WorkspacePlan::validate(const dpp::sdk::WorkspaceSpec& spec) {
   if (!valid_machine_id(spec.machine_id))
      throw Error(DPP_E_INVALID_ARGUMENT, "machine id '" + spec.machine_id + "' is not [a-z0-9-]{1,48}");
   if (spec.image.empty() || !is_valid_utf8(spec.image) ||
       std::any_of(spec.image.begin(), spec.image.end(),
                   [](char c) { return static_cast<unsigned char>(c) <= ' '; }))
      throw Error(DPP_E_CONFIG, "DOKPLOY_IMAGE '" + spec.image + "' is not an image reference");
   if (spec.ssh_port == 0) throw Error(DPP_E_INVALID_ARGUMENT, "the spec has no SSH port");
   for (const auto& part : spec.command)
      if (!is_valid_utf8(part) || part.find('\0') != std::string::npos)
         throw Error(DPP_E_INVALID_ARGUMENT, "the workspace command is not UTF-8 text");
   std::set<std::string> names;
   for (const auto& [name, value] : spec.env) {
      if (!valid_env_name(name))
         throw Error(DPP_E_INVALID_ARGUMENT, "'" + name + "' cannot be an environment variable name");
      if (!names.insert(name).second)
         throw Error(DPP_E_INVALID_ARGUMENT, "environment variable " + name + " is set twice");
      if (!is_valid_utf8(value))
         throw Error(DPP_E_INVALID_ARGUMENT, "the value of " + name + " is not UTF-8 text");
   }
   std::set<std::string> volumes;
   for (const auto& volume : spec.volumes) {
      const bool good_name = !volume.name.empty() && volume.name.size() <= 32 &&
                             std::all_of(volume.name.begin(), volume.name.end(), [](char c) {
                                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                             });
      if (!good_name)
         throw Error(DPP_E_INVALID_ARGUMENT, "volume name '" + volume.name + "' is not [a-z0-9-]{1,32}");
      if (!volumes.insert(volume.name).second)
         throw Error(DPP_E_INVALID_ARGUMENT, "volume " + volume.name + " is listed twice");
      if (volume.mount_path.empty() || volume.mount_path.front() != '/' ||
          !is_valid_utf8(volume.mount_path) ||
          volume.mount_path.find_first_of(std::string("\0\n\r", 3)) != std::string::npos)
         throw Error(DPP_E_INVALID_ARGUMENT, "volume " + volume.name + " has no absolute mount path");
   }
}

std::string cpus_text(uint64_t millis) {
   std::string text = std::to_string(millis / 1000);
   if (uint64_t fraction = millis % 1000) {
      std::string digits = std::to_string(fraction);
      digits.insert(0, 3 - digits.size(), '0');
      while (digits.back() == '0') digits.pop_back();
      text += "." + digits;
   }
   return text;
}

dpp::sdk::WorkspaceSpec with_service_identity(dpp::sdk::WorkspaceSpec spec, ServiceKind kind,
                                              const std::string& id) {
   spec.env.emplace_back("DPP_DOKPLOY_SERVICE_KIND", kind_name(kind));
   spec.env.emplace_back("DPP_DOKPLOY_SERVICE_ID", id);
   return spec;
}

}  // namespace dpp::dokploy
