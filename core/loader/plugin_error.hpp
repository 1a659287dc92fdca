// A plugin that could not be loaded or misbehaved: the message always names the file.
#pragma once

#include <string>

#include "errors.hpp"

namespace dpp::core {

class PluginError : public ProviderError {
 public:
   PluginError(const std::string& file, const std::string& reason)
       : ProviderError(kExitFailure, "plugin " + file + ": " + reason), file_(file), reason_(reason) {}
   const std::string& file() const noexcept { return file_; }
   const std::string& reason() const noexcept { return reason_; }

 private:
   std::string file_;
   std::string reason_;
};

}  // namespace dpp::core
