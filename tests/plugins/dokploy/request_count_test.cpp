// How many requests each verb costs, measured in the emulator's log: status exactly one, and
// create independent of how many services the token can see.
#include <gtest/gtest.h>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class RequestCounts : public DokployPluginTest {
 protected:
   // Creates and deletes a workspace, returning create's requests without the status polls
   // (their number follows the deploy's duration, not the number of services).
   std::map<std::string, int> create_requests(const std::string& kind, const std::string& machine) {
      TestSpec spec = host_like_spec(machine);
      if (kind == "application") spec.flags = 0;
      FakeHost& host = host_for(spec);
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = kind;
      BackendUnderTest backend(host, options);
      emulator().clear_requests();
      const CallResult result = backend.create(spec);
      EXPECT_TRUE(result.ok()) << result.message;
      auto counts = request_counts(emulator());
      std::printf("  create (%s): %s\n", kind.c_str(), describe_counts(counts).c_str());
      counts.erase(kind + ".one");
      EXPECT_TRUE(backend.remove(spec.machine_id).ok());
      return counts;
   }

   // One verb in a fresh backend (a fresh process each time, as DevPod runs them): its requests,
   // printed.
   template <typename Call>
   std::map<std::string, int> verb(const std::string& name, FakeHost& host,
                                   const std::map<std::string, std::string>& options, Call&& call) {
      BackendUnderTest backend(host, options);
      emulator().clear_requests();
      const CallResult result = call(backend);
      EXPECT_TRUE(result.ok()) << name << ": " << result.message;
      auto counts = request_counts(emulator());
      std::printf("  %-18s %2d requests: %s\n", name.c_str(), total(counts), describe_counts(counts).c_str());
      return counts;
   }
};

TEST_F(RequestCounts, CreateCostsTheSameWithFiveHundredOtherServices) {
   for (const std::string kind : {"compose", "application"}) {
      // The project exists in both runs, so both measure the steady case.
      create_requests(kind, "warmup-" + kind.substr(0, 3));
      const auto alone = create_requests(kind, "alone-" + kind.substr(0, 3));
      emulator().seed(500);
      const auto crowded = create_requests(kind, "crowd-" + kind.substr(0, 3));
      EXPECT_EQ(alone, crowded) << kind << ": alone " << describe_counts(alone) << "; with 500 services "
                                << describe_counts(crowded);
      EXPECT_EQ(crowded.at("project.all"), 1);
      emulator().reset();
   }
}

TEST_F(RequestCounts, EveryVerbCostsWhatTheDesignSays) {
   for (const std::string kind : {"compose", "application"}) {
      TestSpec spec = host_like_spec("count-" + kind.substr(0, 3));
      if (kind == "application") spec.flags = 0;
      FakeHost& host = host_for(spec);
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = kind;
      std::printf("%s:\n", kind.c_str());
      const auto verb = [&](const std::string& name, auto&& call) {
         return this->verb(name, host, options, call);
      };
      // init has no machine (doctor with one also looks at its workspace).
      FakeHost no_machine;
      std::vector<CheckLine> lines;
      emulator().clear_requests();
      EXPECT_TRUE(BackendUnderTest(no_machine, options).check(lines).ok());
      const auto init = request_counts(emulator());
      std::printf("  %-8s %2d requests: %s\n", "init", total(init), describe_counts(init).c_str());
      EXPECT_EQ(total(init), 4) << "health, version, project.all, dockerVolume.getVolumes";
      verb("create", [&](BackendUnderTest& b) { return b.create(spec); });
      EXPECT_EQ(total(verb("status", [&](BackendUnderTest& b) { return b.status(spec.machine_id); })), 1);
      EXPECT_LE(total(verb("stop", [&](BackendUnderTest& b) { return b.stop(spec.machine_id); })), 2);
      // start applies the options as they are now, which needs the version's API.
      EXPECT_LE(total(verb("start", [&](BackendUnderTest& b) { return b.start(spec); })), 3);
      EXPECT_EQ(total(verb("delete", [&](BackendUnderTest& b) { return b.remove(spec.machine_id); })), 1);
      // `command` never reaches the backend: the host reads the endpoint from the state file.
      std::printf("  command   0 requests (the host's state file has the endpoint)\n");
   }
}

TEST_F(RequestCounts, SharedPortsCostOneDomainCreateEachAndNothingOnceMade) {
   for (const std::string kind : {"compose", "application"}) {
      TestSpec spec = host_like_spec("portcount-" + kind.substr(0, 3));
      if (kind == "application") spec.flags = 0;
      FakeHost& host = host_for(spec);
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = kind;
      std::printf("%s with DOKPLOY_EXPOSE_PORTS=3000:web,8080:api:\n", kind.c_str());
      const auto verb = [&](const std::string& name, const std::map<std::string, std::string>& extra,
                            auto&& call) {
         auto with = options;
         for (const auto& [option, value] : extra) with[option] = value;
         return this->verb(name, host, with, call);
      };
      const std::map<std::string, std::string> named = {{"DOKPLOY_EXPOSE_PORTS", "3000:web,8080:api"},
                                                        {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"}};
      const std::map<std::string, std::string> generated = {{"DOKPLOY_EXPOSE_PORTS", "3000:web,8080:api"}};
      for (const char* step : {"create (warm-up)", "delete"})  // the project exists from here on
         verb(step, {}, [&](BackendUnderTest& b) {
            return std::string(step) == "delete" ? b.remove(spec.machine_id) : b.create(spec);
         });
      const auto plain = verb("create (no ports)", {}, [&](BackendUnderTest& b) { return b.create(spec); });
      verb("delete", {}, [&](BackendUnderTest& b) { return b.remove(spec.machine_id); });
      auto shared = verb("create (domain)", named, [&](BackendUnderTest& b) { return b.create(spec); });
      EXPECT_EQ(shared["domain.create"], 2);
      shared.erase("domain.create");
      EXPECT_EQ(total(shared, {kind + ".one"}), total(plain, {kind + ".one"})) << "nothing else is added";
      const auto again = verb("create again", named, [&](BackendUnderTest& b) { return b.create(spec); });
      for (const auto& [procedure, count] : again)
         EXPECT_NE(procedure.rfind("domain.", 0), 0u) << "an unchanged workspace costs no " << procedure;
      EXPECT_EQ(total(verb("status", named, [&](BackendUnderTest& b) { return b.status(spec.machine_id); })),
                1);
      const auto removed =
          verb("delete", named, [&](BackendUnderTest& b) { return b.remove(spec.machine_id); });
      EXPECT_EQ(total(removed), 1) << "the domains go with the service";
      auto made = verb("create (generated)", generated, [&](BackendUnderTest& b) { return b.create(spec); });
      EXPECT_EQ(made["domain.generateDomain"], 2);
      EXPECT_EQ(made["domain.create"], 2);
      verb("delete", generated, [&](BackendUnderTest& b) { return b.remove(spec.machine_id); });
      std::printf("  command   0 requests (the host's state file has the endpoint)\n");
   }
}

}  // namespace
}  // namespace dpp::test::dokploy
