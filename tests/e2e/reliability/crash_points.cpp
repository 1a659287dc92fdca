// Request points of a clean create and the matrix's faults.
#include "crash_points.hpp"

#include <map>
#include <thread>

namespace dpp::test::reliability {

std::string RequestPoint::label() const {
   std::string text = "#" + std::to_string(position) + " " + procedure;
   if (occurrence > 1) {
      static const char* suffixes[] = {"th", "st", "nd", "rd"};
      const int last = occurrence % 10;
      const char* suffix =
          (occurrence % 100 >= 11 && occurrence % 100 <= 13) || last > 3 ? "th" : suffixes[last];
      text += " (" + std::to_string(occurrence) + suffix + ")";
   }
   return text;
}

std::vector<RequestPoint> request_points(const std::vector<nlohmann::json>& api_requests) {
   std::vector<RequestPoint> points;
   std::map<std::string, int> seen;
   for (const auto& entry : api_requests) {
      RequestPoint point;
      point.position = static_cast<int>(points.size()) + 1;
      point.procedure = entry.value("procedure", "?");
      point.occurrence = ++seen[point.procedure];
      points.push_back(point);
   }
   return points;
}

std::vector<FaultKind> matrix_faults(int http_timeout_ms) {
   return {
       {"500", {{"status", 500}}},
       {"502", {{"status", 502}, {"body", "<html>502 Bad Gateway</html>"}, {"content_type", "text/html"}}},
       {"503", {{"status", 503}}},
       {"429+RA", {{"status", 429}, {"retry_after", 1}}},
       {"timeout", {{"delay_ms", http_timeout_ms + 600}}},
       {"drop", {{"drop", true}}},
   };
}

std::string inject(const Emulator& emulator, const RequestPoint& point, const nlohmann::json& action) {
   return emulator.add_fault({{"procedure", point.procedure},
                              {"match", "nth"},
                              {"nth", point.occurrence},
                              {"times", 1},
                              {"action", action}});
}

int fired(const Emulator& emulator, const std::string& fault_id) {
   for (const auto& fault : emulator.control("GET", "/__emulator/faults"))
      if (fault.value("faultId", "") == fault_id) return fault.value("fired", 0);
   return 0;
}

bool wait_until_fired(const Emulator& emulator, const std::string& fault_id,
                      std::chrono::milliseconds guard) {
   const auto deadline = std::chrono::steady_clock::now() + guard;
   while (fired(emulator, fault_id) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
   }
   return true;
}

bool wait_until_answered(const Emulator& emulator, const std::string& fault_id,
                         std::chrono::milliseconds guard) {
   const auto deadline = std::chrono::steady_clock::now() + guard;
   while (true) {
      for (const auto& entry : emulator.requests())
         if (entry.value("fault", nlohmann::json()).is_string() && entry["fault"] == fault_id) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
   }
}

}  // namespace dpp::test::reliability
