// application.*, port.* and mounts.* procedures for workspaces.
#include "application_driver.hpp"

#include <Poco/JSON/Array.h>

#include "common/text.hpp"
#include "service_naming.hpp"
#include "text_encoding.hpp"

namespace dpp::dokploy {
namespace {

using dpp::plugins::shell_quote;
using dpp::sdk::Error;

Poco::Dynamic::Var text_or_null(const std::optional<std::string>& value) {
   return value ? Poco::Dynamic::Var(*value) : json::null();
}

std::optional<std::vector<std::string>> string_list(const json::Object& row, const std::string& key) {
   const json::Array array = json::array(row, key);
   if (!array) return std::nullopt;
   std::vector<std::string> out;
   for (std::size_t i = 0; i < array->size(); ++i)
      out.push_back(array->get(static_cast<unsigned>(i)).convert<std::string>());
   return out;
}

std::string env_text(const dpp::sdk::WorkspaceSpec& spec) {
   std::string text;
   for (const auto& [name, value] : spec.env) text += dotenv_line(name, value) + "\n";
   return text;
}

std::optional<std::string> limit(uint64_t value) {
   return value ? std::optional<std::string>(std::to_string(value)) : std::nullopt;
}

}  // namespace

ApplicationDriver::CommandColumns ApplicationDriver::command_columns(const std::vector<std::string>& argv,
                                                                     const Features& features) {
   CommandColumns columns;
   if (argv.empty()) {
      if (features.command_args) columns.args = std::nullopt;
      return columns;
   }
   if (features.command_args) {
      // Dokploy splits `command` on single spaces into the entrypoint; the arguments travel in args.
      if (argv.front().find_first_of(" \t\n") != std::string::npos || argv.front().empty())
         throw Error(DPP_E_CONFIG,
                     "the workspace command '" + argv.front() +
                         "' contains a space, which Dokploy's application command cannot carry");
      columns.command = argv.front();
      columns.args = std::vector<std::string>(argv.begin() + 1, argv.end());
   } else {
      // Up to v0.25 Dokploy runs the whole command with /bin/sh -c.
      std::string line = "exec";
      for (const auto& part : argv) line += " " + shell_quote(part);
      columns.command = line;
   }
   return columns;
}

ServiceView ApplicationDriver::view_of(const json::Object& row) {
   ServiceView view;
   view.kind = ServiceKind::application;
   view.id = json::text(row, "applicationId");
   view.name = json::text(row, "name");
   view.app_name = json::text(row, "appName");
   view.status = json::text(row, "applicationStatus");
   view.server_id = json::text(row, "serverId");
   view.server_ip = json::text(json::object(row, "server"), "ipAddress");
   view.deployments = read_deployments(row);
   view.row = row;
   return view;
}

std::optional<ServiceView> ApplicationDriver::one(const std::string& id) {
   try {
      const json::Object row = json::as_object(api_.query("application.one", {{"applicationId", id}}));
      if (!row)
         throw Error(DPP_E_PROTOCOL, "Dokploy answered application.one with something other than a row");
      return view_of(row);
   } catch (const ApiError& e) {
      if (e.not_found()) return std::nullopt;
      throw;
   }
}

ServiceView ApplicationDriver::create(const Placement& placement, const WorkspacePlan& plan,
                                      const Features& features) {
   if (plan.spec.privileged())
      api_.host().warn(
          plan.spec.machine_id,
          " asks for a privileged container (Docker inside the workspace), which Swarm services "
          "cannot run; Docker will not work in it. Use DOKPLOY_SERVICE_TYPE=compose for dev containers.");
   Poco::JSON::Object body = json::body();
   body.set("name", plan.name);
   body.set("appName", requested_app_name(plan.spec.machine_id));
   body.set("description", "DevPod workspace " + plan.spec.machine_id + " (managed by dokploy-provider)");
   if (features.environments)
      body.set("environmentId", placement.environment_id);
   else
      body.set("projectId", placement.project_id);
   if (api_.settings().server_id) body.set("serverId", *api_.settings().server_id);
   const json::Object row = json::as_object(api_.mutate("application.create", body, Repeat::once));
   if (!row || json::text(row, "applicationId").empty())
      throw Error(DPP_E_PROTOCOL, "Dokploy answered application.create without an applicationId");
   return view_of(row);
}

bool ApplicationDriver::converge(const ServiceView& view, const WorkspacePlan& plan,
                                 const Features& features) {
   try {
      return converge_once(view, plan, features);
   } catch (const ApiError& e) {
      if (!e.uncertain()) throw;
      // A port or mount whose creation may or may not have happened: read the row, finish the rest.
      api_.host().debug(e.what(), "; reading the application again before finishing it");
      const std::optional<ServiceView> again = one(view.id);
      if (!again)
         throw Error(DPP_E_NOT_FOUND, "application " + view.name + " disappeared while being configured");
      converge_once(*again, plan, features);
      return true;
   }
}

bool ApplicationDriver::converge_once(const ServiceView& view, const WorkspacePlan& plan,
                                      const Features& features) {
   bool changed = false;
   changed |= converge_image(view, plan.spec);
   changed |= converge_environment(view, plan.spec, features);
   changed |= converge_settings(view, plan, features);
   changed |= converge_ssh_port(view, plan);
   changed |= converge_volumes(view, plan.spec);
   return changed;
}

bool ApplicationDriver::converge_image(const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec) {
   const json::Object& row = view.row;
   if (json::text(row, "dockerImage") == spec.image && json::text(row, "sourceType") == "docker" &&
       json::text(row, "username").empty() && json::text(row, "registryUrl").empty())
      return false;
   Poco::JSON::Object body = json::body();
   body.set("applicationId", view.id);
   body.set("dockerImage", spec.image);
   body.set("username", json::null());
   body.set("password", json::null());
   body.set("registryUrl", json::null());
   api_.mutate("application.saveDockerProvider", body, Repeat::safe);
   return true;
}

bool ApplicationDriver::converge_environment(const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec,
                                             const Features& features) {
   const std::string env = env_text(spec);
   if (json::text(view.row, "env") == env) return false;
   Poco::JSON::Object body = json::body();
   body.set("applicationId", view.id);
   body.set("env", env);
   body.set("buildArgs", json::null());
   if (features.env_build_secrets) body.set("buildSecrets", json::null());
   if (features.env_create_file) body.set("createEnvFile", false);
   api_.mutate("application.saveEnvironment", body, Repeat::safe);
   return true;
}

bool ApplicationDriver::converge_settings(const ServiceView& view, const WorkspacePlan& plan,
                                          const Features& features) {
   const json::Object& row = view.row;
   const CommandColumns command = command_columns(plan.spec.command, features);
   const std::optional<std::string> memory = limit(plan.spec.memory_limit_bytes);
   const std::optional<std::string> cpus = limit(plan.spec.cpu_limit_millis * 1'000'000);  // NanoCPUs
   if (view.name == plan.name && json::optional_text(row, "command") == command.command &&
       (!features.command_args || string_list(row, "args") == command.args) &&
       json::optional_text(row, "memoryLimit") == memory && json::optional_text(row, "cpuLimit") == cpus)
      return false;
   Poco::JSON::Object body = json::body();
   body.set("applicationId", view.id);
   body.set("name", plan.name);
   body.set("command", text_or_null(command.command));
   if (features.command_args) {
      if (command.args) {
         Poco::JSON::Array args;
         for (const auto& arg : *command.args) args.add(arg);
         body.set("args", args);
      } else {
         body.set("args", json::null());
      }
   }
   body.set("memoryLimit", text_or_null(memory));
   body.set("cpuLimit", text_or_null(cpus));
   api_.mutate("application.update", body, Repeat::safe);
   return true;
}

bool ApplicationDriver::converge_ssh_port(const ServiceView& view, const WorkspacePlan& plan) {
   const std::string& mode = api_.settings().publish_mode;
   json::Object port;
   for (const json::Object& candidate : json::objects(json::array(view.row, "ports")))
      if (json::text(candidate, "targetPort") == std::to_string(plan.spec.ssh_port)) port = candidate;
   if (port && json::text(port, "publishedPort") == std::to_string(plan.ssh_port) &&
       json::text(port, "protocol") == "tcp" &&
       (!json::has(port, "publishMode") || json::text(port, "publishMode") == mode))
      return false;
   Poco::JSON::Object body = json::body();
   if (port)
      body.set("portId", json::text(port, "portId"));
   else
      body.set("applicationId", view.id);
   body.set("publishedPort", static_cast<int>(plan.ssh_port));
   body.set("targetPort", static_cast<int>(plan.spec.ssh_port));
   body.set("protocol", "tcp");
   body.set("publishMode", mode);
   if (port)
      api_.mutate("port.update", body, Repeat::safe);
   else
      api_.mutate("port.create", body, Repeat::once);
   return true;
}

bool ApplicationDriver::converge_volumes(const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec) {
   bool changed = false;
   const std::vector<json::Object> mounts = json::objects(json::array(view.row, "mounts"));
   for (const auto& volume : spec.volumes) {
      const std::string wanted = docker_volume_name(view.app_name, volume.name);
      json::Object existing;
      for (const json::Object& mount : mounts)
         if (json::text(mount, "mountPath") == volume.mount_path) existing = mount;
      if (existing && json::text(existing, "type") == "volume" &&
          json::text(existing, "volumeName") == wanted)
         continue;
      if (existing) {
         Poco::JSON::Object body = json::body();
         body.set("mountId", json::text(existing, "mountId"));
         api_.mutate("mounts.remove", body, Repeat::safe);
      }
      Poco::JSON::Object body = json::body();
      body.set("type", "volume");
      body.set("volumeName", wanted);
      body.set("mountPath", volume.mount_path);
      body.set("serviceId", view.id);
      // Without serviceType Dokploy stores the mount for no service at all.
      body.set("serviceType", "application");
      api_.mutate("mounts.create", body, Repeat::once);
      changed = true;
   }
   return changed;
}

void ApplicationDriver::deploy(const std::string& id, const std::string& title) {
   Poco::JSON::Object body = json::body();
   body.set("applicationId", id);
   body.set("title", title);
   body.set("description", "by dokploy-provider");
   api_.mutate("application.deploy", body, Repeat::safe);
}

void ApplicationDriver::start(const std::string& id) {
   Poco::JSON::Object body = json::body();
   body.set("applicationId", id);
   api_.mutate("application.start", body, Repeat::safe);
}

void ApplicationDriver::stop(const std::string& id) {
   Poco::JSON::Object body = json::body();
   body.set("applicationId", id);
   api_.mutate("application.stop", body, Repeat::safe);
}

bool ApplicationDriver::remove(const std::string& id, bool) {
   Poco::JSON::Object body = json::body();
   body.set("applicationId", id);
   try {
      api_.mutate("application.delete", body, Repeat::safe);
   } catch (const ApiError& e) {
      if (!e.not_found()) throw;
      return false;
   }
   return true;
}

std::vector<SwarmTask> ApplicationDriver::tasks(const ServiceView& view) {
   QueryParams params = {{"appName", view.app_name}};
   if (!view.server_id.empty()) params.emplace_back("serverId", view.server_id);
   std::vector<SwarmTask> out;
   for (const json::Object& task :
        json::objects(json::as_array(api_.query("docker.getServiceContainersByAppName", params)))) {
      // Dokploy strips "Error: " from "Error: {{.Error}}", which leaves "Error:" when there is none.
      std::string error = json::text(task, "error");
      if (error == "Error:") error.clear();
      out.push_back(
          {json::text(task, "name"), json::text(task, "state"), json::text(task, "currentState"), error});
   }
   return out;
}

std::string ApplicationDriver::container_state(const ServiceView& view) {
   if (view.app_name.empty()) return "";
   try {
      std::string out;
      for (const SwarmTask& task : tasks(view)) {
         out += (out.empty() ? "" : ", ") + task.name + " " + task.state_text();
         if (!task.error.empty()) out += " (" + task.error + ")";
      }
      return out.empty() ? "Swarm shows no task for it" : "tasks: " + out;
   } catch (const dpp::sdk::Error&) {
      return "";
   }
}

bool ApplicationDriver::shows_containers(const ServiceView& view) {
   return !tasks(view).empty();
}

}  // namespace dpp::dokploy
