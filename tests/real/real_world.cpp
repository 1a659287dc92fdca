// The real tier's world, read from tools/real/real's env file.
#include "real_world.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {
namespace {

std::string cache_folder() {
   const char* configured = std::getenv("DPP_REAL_CACHE");
   return configured && *configured ? configured : "/var/cache/dokploy-provider-real";
}

std::string read_file(const std::string& path) {
   std::ifstream in(path);
   std::stringstream text;
   text << in.rdbuf();
   return text.str();
}

std::string first_line(std::string text) {
   const auto end = text.find('\n');
   if (end != std::string::npos) text.resize(end);
   return text;
}

}  // namespace

const RealWorld& RealWorld::get() {
   static const RealWorld world;
   return world;
}

RealWorld::RealWorld() {
   const std::string state = cache_folder() + "/run";
   if (!running_as_root()) {
      skip_reason_ = "the real tier needs root (Docker, PostgreSQL); CI runs as root";
      return;
   }
   std::ifstream env(state + "/env");
   if (!env) {
      const std::string unavailable = first_line(read_file(state + "/unavailable"));
      skip_reason_ = unavailable.empty()
                         ? "the real tier is not up: run `tools/dev real up` first (no " + state + "/env)"
                         : "the real tier cannot run here: " + unavailable;
      return;
   }
   for (std::string line; std::getline(env, line);) {
      const auto equals = line.find('=');
      if (equals != std::string::npos) values_[line.substr(0, equals)] = line.substr(equals + 1);
   }
   devpod_missing_ = values_["DPP_REAL_DEVPOD_MISSING"];
   if (devpod_missing_.empty() && values_["DPP_REAL_DEVPOD"].empty()) devpod_missing_ = "no devpod binary";
   api_key_ = first_line(read_file(values_["DPP_REAL_API_KEY_FILE"]));
   if (api_key_.empty()) {
      skip_reason_ = "the real tier's API key file is empty or unreadable: run `tools/dev real up` again";
      return;
   }
   try {
      const HttpAnswer health = http_call({.base_url = dokploy_url(), .path_and_query = "/api/health"});
      if (health.status != 200)
         skip_reason_ = "Dokploy at " + dokploy_url() + " answers /api/health with " +
                        std::to_string(health.status) + ": run `tools/dev real up`";
   } catch (const std::exception& e) {
      skip_reason_ =
          "Dokploy at " + dokploy_url() + " does not answer (" + e.what() + "): run `tools/dev real up`";
   }
}

const std::string& RealWorld::value(const std::string& name) const {
   static const std::string empty;
   const auto found = values_.find(name);
   return found == values_.end() ? empty : found->second;
}

HttpAnswer RealWorld::call(const std::string& procedure, const nlohmann::json& body,
                           const std::string& query) const {
   HttpRequest request{.base_url = dokploy_url(),
                       .method = body.is_null() ? "GET" : "POST",
                       .path_and_query = "/api/" + procedure + (query.empty() ? "" : "?" + query)};
   request.headers.emplace_back("x-api-key", api_key_);
   if (!body.is_null()) request.body = body.dump();
   request.timeout_seconds = 120;  // Dokploy's development mode compiles a route on its first call
   return http_call(request);
}

nlohmann::json RealWorld::api(const std::string& procedure, const nlohmann::json& body,
                              const std::string& query) const {
   const HttpAnswer answer = call(procedure, body, query);
   if (answer.status != 200)
      throw std::runtime_error(procedure + " answered " + std::to_string(answer.status) + ": " + answer.body);
   return answer.body.empty() ? nlohmann::json() : nlohmann::json::parse(answer.body);
}

std::vector<std::string> RealWorld::docker_lines(const std::vector<std::string>& args) const {
   ProcessOptions options;
   options.argv = {docker()};
   options.argv.insert(options.argv.end(), args.begin(), args.end());
   const ProcessResult result = run_process(options, std::chrono::minutes(2));
   if (result.exit_code != 0)
      throw std::runtime_error("docker exited " + std::to_string(result.exit_code) + ": " + result.err);
   std::vector<std::string> lines;
   std::istringstream text(result.out);
   for (std::string line; std::getline(text, line);)
      if (!line.empty()) lines.push_back(line);
   return lines;
}

std::map<std::string, std::string> RealWorld::base_options(const std::string& port_range) const {
   return {{"DOKPLOY_SERVER_URL", dokploy_url()},
           {"DOKPLOY_API_TOKEN", api_key_},
           {"DOKPLOY_PROJECT_NAME", "devpod-real-tier"},
           {"DOKPLOY_IMAGE", image()},
           {"DOKPLOY_SSH_HOST", "127.0.0.1"},
           {"DOKPLOY_SSH_PORT_RANGE", port_range}};
}

}  // namespace dpp::test::real
