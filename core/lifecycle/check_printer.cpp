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
   out_ << mark << ' ' << name << ": " << redact(message);
   if (!fix.empty() && result != DPP_CHECK_PASS) out_ << "\n    fix: " << redact(fix);
   out_ << '\n';
   out_.flush();
   if (result == DPP_CHECK_FAIL) {
      if (failures_ == 0)
         first_failure_ = name + ": " + redact(message) + (fix.empty() ? "" : " (" + redact(fix) + ")");
      ++failures_;
   }
}

void CheckPrinter::callback(void* context, const char* name, int32_t result, const char* message,
                            const char* fix) {
   auto text = [](const char* value) {
      std::string s = value ? std::string(value, strnlen(value, 4096)) : std::string();
      return is_valid_utf8(s) ? s : printable_excerpt(s, 4096);
   };
   static_cast<CheckPrinter*>(context)->report(text(name), result, text(message), text(fix));
}

}  // namespace dpp::core
