// Fuzzes how the Dokploy backend reads Dokploy's answers (plugins/dokploy): the JSON parser it
// uses, project.all into the project index (both shapes, v0.24 and v0.25+), compose.one and
// application.one rows with their deployment lists, server rows and the version string. A server,
// or whoever sits between it and the provider, can answer anything: a parse either succeeds or
// throws the documented error (Poco::Exception for bad JSON, dpp::sdk::Error for a wrong shape).
#include <Poco/Exception.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "application_driver.hpp"
#include "compose_driver.hpp"
#include "dokploy_version.hpp"
#include "fuzz_support.hpp"
#include "json_util.hpp"
#include "project_index.hpp"
#include "service_naming.hpp"

namespace {

using namespace dpp::dokploy;

void read_service_row(const json::Object& row) {
   for (const ServiceView& view : {ComposeDriver::view_of(row), ApplicationDriver::view_of(row)}) {
      if (auto newest = view.newest()) (void)newest->status.size();
      (void)parse_service_name(view.name);
   }
}

void read_index(const Poco::Dynamic::Var& answer) {
   try {
      const ProjectIndex index = ProjectIndex::parse(answer);
      (void)index.named("devpod-workspaces");
      for (const auto& service : index.machine_services("devpod-workspaces", "fuzz-machine"))
         FUZZ_CHECK(parse_service_name(service.name), "a machine service whose name does not parse");
      for (uint16_t port : index.ports_in_use("")) FUZZ_CHECK(port != 0, "port 0 in use");
   } catch (const dpp::sdk::Error& e) {
      FUZZ_CHECK(e.status() == DPP_E_PROTOCOL, e.what());
   }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string body(reinterpret_cast<const char*>(data), size);
   (void)parse_version(body);
   Poco::Dynamic::Var answer;
   try {
      answer = json::parse(body);
   } catch (const Poco::Exception&) {
      return 0;
   }
   if (answer.isString()) (void)parse_version(answer.extract<std::string>());
   read_index(answer);
   if (const json::Object row = json::as_object(answer)) {
      read_service_row(row);
      (void)json::text(row, "ipAddress");
      (void)json::text(json::object(row, "project"), "projectId");
      (void)json::text(json::object(row, "environment"), "environmentId");
   }
   if (const json::Array rows = json::as_array(answer)) {
      // A bare list: servers, containers, tasks, or a deployment list.
      for (const json::Object& row : json::objects(rows)) {
         (void)json::text(row, "serverId");
         (void)json::text(row, "state");
      }
      Poco::JSON::Object::Ptr holder = new Poco::JSON::Object();
      holder->set("deployments", rows);
      read_service_row(holder);
   }
   return 0;
}
