// The tiny plugin of the SDK tests: each method does one observable thing, and some throw on
// request (chosen through the workspace image or an option), to exercise every shim path.
#include "tiny_plugin.hpp"

#include <stdexcept>

namespace dpp::test::tiny {
namespace {

using sdk::Error;

class TinyBackend final : public sdk::Backend {
 public:
   TinyBackend(sdk::Host host, const sdk::Options& options)
       : host_(host), greeting_(options.get_or("TINY_GREETING", "hi")) {
      if (options.has("TINY_REFUSE")) throw Error(DPP_E_CONFIG, "TINY_REFUSE is set: remove it");
   }

   void check(sdk::CheckReport& report) override {
      report.pass("first", "fine");
      report.warn("second", "slow", "be patient");
      report.fail("third", "unreachable", "open the firewall", DPP_E_CONNECT);
      report.fail("fourth", "also broken", "fix it too", DPP_E_AUTH);
      report.skip("fifth", "not needed");
   }

   sdk::WorkspaceInfo create(const sdk::WorkspaceSpec& spec) override {
      observed().last_spec = spec;
      if (spec.image == "throw-sdk-error") throw Error(DPP_E_REMOTE, "deploy failed: no space left");
      if (spec.image == "throw-std") throw std::runtime_error("vector too long");
      if (spec.image == "throw-int") throw 42;
      if (spec.image == "throw-ok") throw Error(DPP_OK, "an error that claims success");
      host_.state_set("created", spec.image);
      sdk::WorkspaceInfo info;
      info.state = DPP_WORKSPACE_RUNNING;
      info.ssh_port = 2222;
      if (spec.image == "long-host") {
         for (int i = 0; i < 300; ++i) info.ssh_host += "\xc3\xa9";
      } else {
         info.ssh_host = "workspace.example";
      }
      info.detail = greeting_;
      return info;
   }

   void remove(const std::string&, bool keep_volumes) override {
      observed().last_remove_kept_volumes = keep_volumes;
      host_.state_set("created", std::nullopt);
   }

   sdk::WorkspaceInfo status(const std::string& machine_id) override {
      host_.debug("status of ", machine_id, " asked");
      sdk::WorkspaceInfo info;
      const auto created = host_.state_get("created");
      info.state = created ? DPP_WORKSPACE_STOPPED : DPP_WORKSPACE_NOT_FOUND;
      info.detail = created.value_or("");
      return info;
   }

 private:
   sdk::Host host_;
   std::string greeting_;
};

class TinyTransport final : public sdk::Transport {
 public:
   TinyTransport(sdk::Host, const sdk::Options&) {}
   void probe(const sdk::SshTarget& target, uint32_t) override {
      if (target.host == "mismatch") throw Error(DPP_E_HOST_KEY_MISMATCH, "another key answered");
   }
   sdk::RunResult run(const sdk::RunRequest& request) override {
      observed().last_command = request.command;
      if (request.command == "kill") return {137, "KILL"};
      return {static_cast<int32_t>(request.command.size()), ""};
   }
   void cancel() noexcept override { ++observed().transport_cancels; }
};

class TinyAuth final : public sdk::Auth {
 public:
   TinyAuth(sdk::Host host, const sdk::Options&) : host_(host) {}
   void prepare(bool create) override {
      if (host_.machine_folder().empty()) throw Error(DPP_E_INVALID_ARGUMENT, "no machine folder");
      prepared_ = create;
   }
   sdk::WorkspaceAuth workspace_auth() override {
      if (!prepared_) throw Error(DPP_E_NOT_FOUND, "no credentials yet");
      return {"devpod", "ssh-ed25519 AAAAtiny", "", "c2VjcmV0", "ssh-ed25519 AAAAhost"};
   }
   sdk::Credentials credentials() override {
      sdk::Credentials c;
      c.kind = DPP_CREDENTIAL_PASSWORD;
      c.user = "devpod";
      c.password = "tiny-password";
      return c;
   }

 private:
   sdk::Host host_;
   bool prepared_ = false;
};

struct TinyPlugin {
   static constexpr const char* id = "test.tiny";
   static constexpr const char* version = "0.1.0";
   static constexpr const char* description = "The SDK tests' tiny plugin";
   static std::span<const dpp_option_desc> options() {
      static constexpr dpp_option_desc all[] = {
          sdk::option("TINY_GREETING", "What create says.").defaults_to("hi"),
          sdk::option("TINY_TOKEN", "A secret.").required().secret().in_group("connection"),
          sdk::option("TINY_MODE", "A choice.").one_of("fast|safe").defaults_to("fast"),
      };
      return all;
   }
   static void init(sdk::Host host) {
      ++observed().init_calls;
      host.info("tiny plugin ready");
   }
   static void deinit() { ++observed().deinit_calls; }
   using backend = TinyBackend;
   using transport = TinyTransport;
   using auth = TinyAuth;
};

}  // namespace

Observed& observed() {
   static Observed value;
   return value;
}

}  // namespace dpp::test::tiny

DPP_SDK_EXPORT_PLUGIN(dpp::test::tiny::TinyPlugin)

namespace dpp::test::tiny {

const dpp_plugin_entry* entry(uint32_t host_major, uint32_t host_minor) {
   return dpp_get_plugin_entry(host_major, host_minor);
}

}  // namespace dpp::test::tiny
