// Prints check results.
#include "lifecycle/check_printer.hpp"

#include <cstring>

#include "logging/logging.hpp"
#include "util/text.hpp"

namespace dpp::core {

void CheckPrinter::report(const std::string& name, int32_t result, const std::string& message,
                          const std::string& fix) {
   const char* mark = "✓";
   switch (result) {
      case DPP_CHECK_PASS: mark = "✓"; break;
      case DPP_CHECK_WARN: mark = "!"; break;
      case DPP_CHECK_FAIL: mark = "✗"; break;
      case DPP_CHECK_SKIP: mark = "-"; break;
      default: mark = "?"; break;
   }
   std::ostream& out = result == DPP_CHECK_FAIL ? failures_out_ : out_;
   out << mark << ' ' << name << ": " << redact(message);
   if (!fix.empty() && result != DPP_CHECK_PASS) out << "\n    fix: " << redact(fix);
   out << '\n';
   out.flush();
   if (result == DPP_CHECK_FAIL) {
      if (failures_ == 0)
         first_failure_ = name + ": " + redact(message) + (fix.empty() ? "" : " (" + redact(fix) + ")");
      ++failures_;
   }
}

void CheckPrinter::callback(void* context, const char* name, int32_t result, const char* message,
                            const char* fix) noexcept {
   // Called by a plugin: its text is bounded and made printable (no terminal control bytes, no
   // lines of its own), and nothing may throw back into it.
   auto text = [](const char* value) {
      return printable_text(value ? std::string(value, strnlen(value, 4096)) : std::string());
   };
   try {
      static_cast<CheckPrinter*>(context)->report(text(name), result, text(message), text(fix));
   } catch (...) {
   }
}

}  // namespace dpp::core
