// The fake backend of the CLI tests.
#include "fake_backend.hpp"

namespace dpp::test::fake {

FakeBackend::FakeBackend(sdk::Host host, const sdk::Options& options)
    : host_(host),
      fixed_state_(options.get_or("FAKE_STATE", "recorded")),
      fail_(options.get_or("FAKE_FAIL", "none")),
      ssh_port_(static_cast<uint16_t>(options.get_u64("FAKE_SSH_PORT", 0))) {
   host_.debug("fake backend configured for project ", options.require("FAKE_PROJECT"));
}

void FakeBackend::fail_if_asked(const char* operation) const {
   const std::string why = std::string("FAKE_FAIL=") + fail_ + " makes " + operation + " fail";
   if (fail_ == "config") throw sdk::Error(DPP_E_CONFIG, why + "; unset FAKE_FAIL");
   if (fail_ == "remote") throw sdk::Error(DPP_E_REMOTE, why);
   if (fail_ == "auth") throw sdk::Error(DPP_E_AUTH, why);
   if (fail_ == "connect") throw sdk::Error(DPP_E_CONNECT, why);
   if (fail_ == "internal") throw std::runtime_error(why);
}

sdk::WorkspaceInfo FakeBackend::endpoint(int32_t state) const {
   sdk::WorkspaceInfo info;
   info.state = state;
   if (state != DPP_WORKSPACE_NOT_FOUND) {
      info.ssh_host = "127.0.0.1";
      info.ssh_port = ssh_port_;
   }
   info.detail = "fake state " + fixed_state_;
   return info;
}

void FakeBackend::check(sdk::CheckReport& report) {
   if (fail_ == "none")
      report.pass("fake server", "answers");
   else
      report.fail("fake server", "FAKE_FAIL=" + fail_, "unset FAKE_FAIL",
                  fail_ == "config" ? DPP_E_CONFIG : DPP_E_CONNECT);
}

sdk::WorkspaceInfo FakeBackend::create(const sdk::WorkspaceSpec& spec) {
   fail_if_asked("create");
   host_.info("fake backend creates ", spec.machine_id, " from ", spec.image);
   host_.state_set("created", "yes");
   return endpoint(DPP_WORKSPACE_RUNNING);
}

sdk::WorkspaceInfo FakeBackend::start(const sdk::WorkspaceSpec& spec) {
   fail_if_asked("start");
   host_.info("fake backend starts ", spec.machine_id);
   return endpoint(DPP_WORKSPACE_RUNNING);
}

void FakeBackend::stop(const std::string& machine_id) {
   fail_if_asked("stop");
   host_.info("fake backend stops ", machine_id);
}

void FakeBackend::remove(const std::string& machine_id, bool) {
   fail_if_asked("delete");
   host_.info("fake backend deletes ", machine_id);
   host_.state_set("created", std::nullopt);
}

sdk::WorkspaceInfo FakeBackend::status(const std::string& machine_id) {
   fail_if_asked("status");
   // Logged at every level, so that a test can see that none of it reaches stdout.
   host_.info("fake backend reports the status of ", machine_id);
   host_.debug("fake backend status detail for ", machine_id);
   host_.warn("fake backend warns while reporting ", machine_id);
   if (fixed_state_ == "running") return endpoint(DPP_WORKSPACE_RUNNING);
   if (fixed_state_ == "busy") return endpoint(DPP_WORKSPACE_BUSY);
   if (fixed_state_ == "stopped") return endpoint(DPP_WORKSPACE_STOPPED);
   if (fixed_state_ == "failed") return endpoint(DPP_WORKSPACE_FAILED);
   if (fixed_state_ == "not-found") return endpoint(DPP_WORKSPACE_NOT_FOUND);
   return endpoint(host_.state_get("created") ? DPP_WORKSPACE_RUNNING : DPP_WORKSPACE_NOT_FOUND);
}

}  // namespace dpp::test::fake
