// Prints check results ("✓ server reachable: …", "✗ token: … → fix: …") for init and doctor.
#pragma once

#include <dpp/backend.h>

#include <ostream>
#include <string>

namespace dpp::core {

class CheckPrinter {
 public:
   explicit CheckPrinter(std::ostream& out) : out_(out) {}

   void report(const std::string& name, int32_t result, const std::string& message, const std::string& fix);
   int failures() const { return failures_; }
   const std::string& first_failure() const { return first_failure_; }

   // Adapter for dpp_backend.check.
   static void callback(void* context, const char* name, int32_t result, const char* message,
                        const char* fix) noexcept;

 private:
   std::ostream& out_;
   int failures_ = 0;
   std::string first_failure_;
};

}  // namespace dpp::core
