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
         BackendUnderTest backend(host, options);  // a fresh process each time, as DevPod runs them
         emulator().clear_requests();
         const CallResult result = call(backend);
         EXPECT_TRUE(result.ok()) << name << ": " << result.message;
         const auto counts = request_counts(emulator());
         std::printf("  %-8s %2d requests: %s\n", name.c_str(), total(counts),
                     describe_counts(counts).c_str());
         return counts;
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

}  // namespace
}  // namespace dpp::test::dokploy
