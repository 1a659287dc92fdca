// Big data through `devpod machine ssh` (the provider's `command` carries DevPod's SSH session):
// a command of 100 KiB, and 64 MiB of random bytes each way, byte-exact.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "real_machine.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {
namespace {

std::string random_bytes(std::size_t size) {
   std::mt19937_64 generator(std::random_device{}());
   std::string data(size, '\0');
   for (std::size_t i = 0; i < size; i += 8) {
      const uint64_t word = generator();
      for (std::size_t j = 0; j < 8 && i + j < size; ++j) data[i + j] = static_cast<char>(word >> (8 * j));
   }
   return data;
}

std::string read_all(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(RealTransfer, DevPodSshCarriesABigCommandAnd64MiBEachWayByteExact) {
   DPP_REQUIRE_REAL_WORLD();
   RealMachine machine(
       "transfer", {{"DOKPLOY_SERVICE_TYPE", "application"}, {"DOKPLOY_SSH_PUBLISH_MODE", "host"}}, 24100);
   const auto added = machine.add_provider();
   ASSERT_TRUE(added.ok()) << added.describe();
   const auto created = machine.machine("create");
   ASSERT_TRUE(created.ok()) << created.describe();

   // A command of 100 KiB: a literal the workspace must hand back unchanged.
   std::string literal;
   const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
   std::mt19937 generator(std::random_device{}());
   while (literal.size() < 100 * 1024) literal += alphabet[generator() % alphabet.size()];
   const auto echoed = machine.ssh("printf '%s' '" + literal + "'");
   ASSERT_TRUE(echoed.ok()) << echoed.describe();
   EXPECT_EQ(echoed.process.out.size(), literal.size());
   EXPECT_TRUE(echoed.process.out == literal) << "the 100 KiB literal came back changed";

   // 64 MiB up, then back down.
   TempDir scratch("dpp-real-transfer");
   const std::string sent = random_bytes(64u << 20);
   const std::string upload = scratch.write("up.bin", sent);
   const int in = ::open(upload.c_str(), O_RDONLY | O_CLOEXEC);
   ASSERT_GE(in, 0);
   const auto uploaded = machine.cli().run_with_descriptors(
       {"machine", "ssh", machine.id(), "--command", "cat > /tmp/blob && wc -c < /tmp/blob"}, in, -1);
   ::close(in);
   ASSERT_TRUE(uploaded.ok()) << uploaded.describe();
   EXPECT_EQ(uploaded.process.out, std::to_string(sent.size()) + "\n");

   const std::string download = scratch.file("down.bin");
   const int out = ::open(download.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
   ASSERT_GE(out, 0);
   const auto downloaded = machine.cli().run_with_descriptors(
       {"machine", "ssh", machine.id(), "--command", "cat /tmp/blob"}, -1, out);
   ::close(out);
   ASSERT_TRUE(downloaded.ok()) << downloaded.describe();
   const std::string received = read_all(download);
   EXPECT_EQ(received.size(), sent.size());
   EXPECT_TRUE(received == sent) << "the 64 MiB came back changed";

   const auto deleted = machine.machine("delete");
   EXPECT_TRUE(deleted.ok()) << deleted.describe();
}

}  // namespace
}  // namespace dpp::test::real
