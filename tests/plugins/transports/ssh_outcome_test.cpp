// How the system transport reads ssh's outcome from its exit code and DEBUG1 log, on log
// excerpts recorded from OpenSSH 9.2.
#include <gtest/gtest.h>

#include "ssh_outcome.hpp"

namespace dpp::plugins::system_ssh {
namespace {

SshRunContext context() {
   SshRunContext c;
   c.endpoint = "127.0.0.1:2222";
   c.login = "devpod@127.0.0.1:2222";
   c.credential = "the private key /k/id";
   c.pinned_fingerprint = "SHA256:pinnedpinnedpinned";
   c.pinned_type = "ssh-ed25519";
   c.keepalive = std::chrono::milliseconds(15000);
   return c;
}

const std::string kSession =
    "debug1: Connecting to 127.0.0.1 [127.0.0.1] port 2222.\n"
    "debug1: Connection established.\n"
    "debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2p1 Debian-2+deb12u3\n"
    "debug1: Server host key: ssh-ed25519 SHA256:TKU7SnktWF1pPQMREtfZMFqAsM5dYobtB0bTyLIeyGw\n"
    "Authenticated to 127.0.0.1 ([127.0.0.1]:2222) using \"publickey\".\n";

TEST(SshOutcome, ExitStatusOfTheRemoteCommandIsReturned) {
   const SshOutcome outcome = read_ssh_outcome(
       3,
       kSession +
           "debug1: client_input_channel_req: channel 0 rtype exit-status reply 0\ndebug1: Exit status 3\n",
       context());
   EXPECT_TRUE(outcome.remote_exit);
   EXPECT_EQ(outcome.exit_code, 3);
   EXPECT_EQ(outcome.exit_signal, "");
}

TEST(SshOutcome, RemoteExit255IsNotMistakenForAnSshFailure) {
   const SshOutcome outcome = read_ssh_outcome(255, kSession + "debug1: Exit status 255\n", context());
   EXPECT_TRUE(outcome.remote_exit);
   EXPECT_EQ(outcome.exit_code, 255);
}

TEST(SshOutcome, ExitStatus128PlusASignalNamesTheSignal) {
   const SshOutcome outcome = read_ssh_outcome(137, kSession + "debug1: Exit status 137\n", context());
   EXPECT_TRUE(outcome.remote_exit);
   EXPECT_EQ(outcome.exit_code, 137);
   EXPECT_EQ(outcome.exit_signal, "KILL");
}

TEST(SshOutcome, ChangedHostKeyIsAMismatchNamingBothFingerprints) {
   const std::string log =
       "debug1: Remote protocol version 2.0, remote software version OpenSSH_9.2p1\n"
       "debug1: Server host key: ssh-ed25519 SHA256:TKU7SnktWF1pPQMREtfZMFqAsM5dYobtB0bTyLIeyGw\n"
       "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
       "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
       "The fingerprint for the ED25519 key sent by the remote host is\n"
       "SHA256:TKU7SnktWF1pPQMREtfZMFqAsM5dYobtB0bTyLIeyGw.\n"
       "Host key for dokploy-workspace has changed and you have requested strict checking.\n"
       "Host key verification failed.\n";
   const SshOutcome outcome = read_ssh_outcome(255, log, context());
   EXPECT_FALSE(outcome.remote_exit);
   EXPECT_EQ(outcome.status, DPP_E_HOST_KEY_MISMATCH);
   EXPECT_NE(outcome.message.find("SHA256:pinnedpinnedpinned"), std::string::npos) << outcome.message;
   EXPECT_NE(outcome.message.find("SHA256:TKU7SnktWF1pPQMREtfZMFqAsM5dYobtB0bTyLIeyGw"), std::string::npos)
       << outcome.message;
}

TEST(SshOutcome, PermissionDeniedIsAnAuthFailureListingTheServersMethods) {
   const SshOutcome outcome = read_ssh_outcome(
       255, "debug1: Remote protocol version 2.0\ndevpod@127.0.0.1: Permission denied (publickey).\n",
       context());
   EXPECT_EQ(outcome.status, DPP_E_AUTH);
   EXPECT_NE(outcome.message.find("devpod@127.0.0.1:2222 refused the private key /k/id"), std::string::npos)
       << outcome.message;
   EXPECT_NE(outcome.message.find("publickey"), std::string::npos);
}

TEST(SshOutcome, RefusedAndBannerlessConnectionsAreWorthRetrying) {
   for (const char* log : {"ssh: connect to host 127.0.0.1 port 2222: Connection refused\n",
                           "kex_exchange_identification: read: Connection reset by peer\n",
                           "kex_exchange_identification: Connection closed by remote host\n"}) {
      const SshOutcome outcome = read_ssh_outcome(255, log, context());
      EXPECT_EQ(outcome.status, DPP_E_CONNECT) << log;
      EXPECT_TRUE(outcome.retryable) << log;
   }
   const SshOutcome timeout =
       read_ssh_outcome(255, "ssh: connect to host 10.0.0.1 port 22: Connection timed out\n", context());
   EXPECT_EQ(timeout.status, DPP_E_TIMEOUT);
}

TEST(SshOutcome, FailureAfterTheBannerIsNotRetried) {
   const SshOutcome outcome = read_ssh_outcome(
       255, "debug1: Remote protocol version 2.0\nConnection closed by 127.0.0.1 port 2222\n", context());
   EXPECT_FALSE(outcome.retryable);
}

TEST(SshOutcome, UnansweredKeepalivesAreALostConnection) {
   const SshOutcome outcome =
       read_ssh_outcome(255, kSession + "Timeout, server 127.0.0.1 not responding.\n", context());
   EXPECT_EQ(outcome.status, DPP_E_CONNECTION_LOST);
   EXPECT_NE(outcome.message.find("keepalives"), std::string::npos) << outcome.message;
   EXPECT_NE(outcome.message.find("15 s"), std::string::npos) << outcome.message;
}

TEST(SshOutcome, ServerGoneMidSessionIsALostConnection) {
   const SshOutcome outcome = read_ssh_outcome(
       255, kSession + "debug1: Exit status -1\nConnection to 127.0.0.1 closed by remote host.\n", context());
   EXPECT_EQ(outcome.status, DPP_E_CONNECTION_LOST);
   EXPECT_NE(outcome.message.find("closed by remote host"), std::string::npos) << outcome.message;
}

TEST(SshOutcome, SharedConnectionClientPassesTheRemoteExitCodeThrough) {
   const SshOutcome outcome = read_ssh_outcome(
       4,
       "debug1: auto-mux: Trying existing master\ndebug1: mux_client_request_session: master session id: 2\n",
       context());
   EXPECT_TRUE(outcome.remote_exit);
   EXPECT_EQ(outcome.exit_code, 4);
}

TEST(SshOutcome, WrongPasswordThroughSshpassIsAnAuthFailure) {
   SshRunContext c = context();
   c.password = true;
   c.credential = "the password";
   const SshOutcome outcome = read_ssh_outcome(5, "debug1: Remote protocol version 2.0\n", c);
   EXPECT_EQ(outcome.status, DPP_E_AUTH);
}

}  // namespace
}  // namespace dpp::plugins::system_ssh
