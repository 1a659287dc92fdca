// Prints check results ("✓ server reachable: …", "✗ token: … → fix: …") for init and doctor.
// Failed checks may go to a stream of their own: DevPod shows `init`'s stdout as information and
// its stderr as errors, so init's report goes to stdout and its failures to stderr.
#pragma once

#include <dpp/backend.h>

#include <ostream>
#include <string>

namespace dpp::core {

class CheckPrinter {
 public:
   explicit CheckPrinter(std::ostream& out) : out_(out), failures_out_(out) {}
   CheckPrinter(std::ostream& out, std::ostream& failures_out) : out_(out), failures_out_(failures_out) {}

   void report(const std::string& name, int32_t result, const std::string& message, const std::string& fix);
   int failures() const { return failures_; }
   const std::string& first_failure() const { return first_failure_; }

   // Adapter for dpp_backend.check.
   static void callback(void* context, const char* name, int32_t result, const char* message,
                        const char* fix) noexcept;

 private:
   std::ostream& out_;
   std::ostream& failures_out_;
   int failures_ = 0;
   std::string first_failure_;
};

}  // namespace dpp::core
