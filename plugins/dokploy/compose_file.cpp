// Writes a workspace's docker-compose file.
#include "compose_file.hpp"

#include "text_encoding.hpp"

namespace dpp::dokploy {
namespace {

// What dockerd inside the workspace needs, in the way the user chose.
std::string docker_privileges(DockerPrivileges privileges) {
   switch (privileges) {
      case DockerPrivileges::privileged: return "    privileged: true\n";
      case DockerPrivileges::sysbox: return "    runtime: \"sysbox-runc\"\n";
      case DockerPrivileges::capabilities: break;
   }
   // Mounts and namespaces (SYS_ADMIN), its bridge and iptables (NET_ADMIN), device nodes of
   // images (MKNOD), debuggers (SYS_PTRACE); no seccomp or AppArmor filter, a private /run, and
   // the cgroup hierarchy writable for the containers it makes. Not `systempaths=unconfined`:
   // the docker CLI translates it, the Engine API (and so Compose) refuses it, and dockerd
   // runs containers without it.
   return "    cap_add:\n"
          "      - \"SYS_ADMIN\"\n"
          "      - \"NET_ADMIN\"\n"
          "      - \"SYS_PTRACE\"\n"
          "      - \"MKNOD\"\n"
          "    security_opt:\n"
          "      - \"seccomp=unconfined\"\n"
          "      - \"apparmor=unconfined\"\n"
          "    tmpfs:\n"
          "      - \"/run\"\n";
}

}  // namespace

std::string compose_file(const WorkspacePlan& plan) {
   const dpp::sdk::WorkspaceSpec& spec = plan.spec;
   std::string out;
   out += "# DevPod workspace " + spec.machine_id +
          ", written by dokploy-provider: the next create replaces any edit.\n";
   out += "services:\n";
   out += "  " + std::string(kComposeServiceName) + ":\n";
   out += "    image: " + yaml_quoted(spec.image) + "\n";
   if (!spec.command.empty()) {
      // Setting the entrypoint also clears the image's CMD (Compose semantics): argv is exactly this.
      out += "    entrypoint:\n";
      for (const auto& part : spec.command) out += "      - " + yaml_quoted(part) + "\n";
   }
   if (spec.privileged()) out += docker_privileges(plan.docker_privileges);
   out += "    restart: \"unless-stopped\"\n";
   out += "    ports:\n";
   out += "      - target: " + std::to_string(spec.ssh_port) + "\n";
   out += "        published: \"" + std::to_string(plan.ssh_port) + "\"\n";
   out += "        protocol: \"tcp\"\n";
   if (!spec.env.empty()) {
      out += "    environment:\n";
      for (const auto& [name, value] : spec.env)
         out += "      " + yaml_quoted(name, false) + ": " + yaml_quoted(value) + "\n";
   }
   const bool host_cgroups = spec.privileged() && plan.docker_privileges == DockerPrivileges::capabilities;
   if (!spec.volumes.empty() || host_cgroups) {
      out += "    volumes:\n";
      if (host_cgroups) {
         out += "      - type: \"bind\"\n";
         out += "        source: \"/sys/fs/cgroup\"\n";
         out += "        target: \"/sys/fs/cgroup\"\n";
      }
      for (const auto& volume : spec.volumes) {
         out += "      - type: \"volume\"\n";
         out += "        source: " + yaml_quoted(volume.name) + "\n";
         out += "        target: " + yaml_quoted(volume.mount_path) + "\n";
      }
   }
   if (spec.memory_limit_bytes || spec.cpu_limit_millis) {
      out += "    deploy:\n";
      out += "      resources:\n";
      out += "        limits:\n";
      if (spec.cpu_limit_millis) out += "          cpus: \"" + cpus_text(spec.cpu_limit_millis) + "\"\n";
      if (spec.memory_limit_bytes)
         out += "          memory: \"" + std::to_string(spec.memory_limit_bytes) + "\"\n";
   }
   if (!spec.volumes.empty()) {
      // Compose scopes these to the project (the service's appName): <appName>_<name>.
      out += "volumes:\n";
      for (const auto& volume : spec.volumes) out += "  " + yaml_quoted(volume.name, false) + ": {}\n";
   }
   return out;
}

}  // namespace dpp::dokploy
