// The `real` tier's world, as `tools/dev real up` left it: a real Dokploy run from its source,
// a real DevPod CLI, a local registry with the workspace image, and the Docker engine Dokploy
// deploys to. Read once from the env file `up` writes; when the tier is not up (or cannot run on
// this machine) every test says SKIPPED with the reason.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "support/http_call.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {

class RealWorld {
 public:
   static const RealWorld& get();

   // Non-empty: why the tier cannot run (the tests print it as SKIPPED).
   const std::string& skip_reason() const { return skip_reason_; }
   // Non-empty when there is a Dokploy but no devpod binary.
   const std::string& devpod_missing() const { return devpod_missing_; }

   const std::string& dokploy_version() const { return value("DPP_REAL_DOKPLOY_VERSION"); }
   const std::string& dokploy_url() const { return value("DPP_REAL_DOKPLOY_URL"); }
   const std::string& image() const { return value("DPP_REAL_IMAGE"); }
   // A Debian minbase root (tar.gz) to build a dev container FROM scratch.
   const std::string& devcontainer_root() const { return value("DPP_REAL_DEVCONTAINER_ROOT"); }
   const std::string& devpod() const { return value("DPP_REAL_DEVPOD"); }
   const std::string& docker() const { return value("DPP_REAL_DOCKER"); }
   const std::string& logs() const { return value("DPP_REAL_LOGS"); }
   const std::string& api_key() const { return api_key_; }
   // host:port of the local image registry the workspace image is pushed to.
   const std::string& registry() const { return value("DPP_REAL_REGISTRY"); }

   // One Dokploy API call with the tier's key: a GET with `query` when `body` is null, else a
   // POST of `body`. The raw answer, whatever its status.
   HttpAnswer call(const std::string& procedure, const nlohmann::json& body = nullptr,
                   const std::string& query = "") const;
   // The same, throwing unless it answers 200; the parsed body.
   nlohmann::json api(const std::string& procedure, const nlohmann::json& body = nullptr,
                      const std::string& query = "") const;

   // `docker <args…>` on the engine Dokploy deploys to: its stdout lines (throws on failure).
   std::vector<std::string> docker_lines(const std::vector<std::string>& args) const;

   // The options every test gives `devpod provider add`: the server, the key, the image, a
   // project of the tier's own and SSH on 127.0.0.1 in `port_range`.
   std::map<std::string, std::string> base_options(const std::string& port_range) const;

 private:
   RealWorld();
   const std::string& value(const std::string& name) const;

   std::map<std::string, std::string> values_;
   std::string skip_reason_;
   std::string devpod_missing_;
   std::string api_key_;
};

// SKIPPED (with the reason) unless the tier is up with a devpod binary.
#define DPP_REQUIRE_REAL_WORLD()                                               \
   do {                                                                        \
      const auto& world_ = ::dpp::test::real::RealWorld::get();                \
      if (!world_.skip_reason().empty()) DPP_SKIP(world_.skip_reason());       \
      if (!world_.devpod_missing().empty()) DPP_SKIP(world_.devpod_missing()); \
   } while (0)

}  // namespace dpp::test::real
