// Option names declared more than once among the host and the plugins installed, and what that
// does to a run, for `plugins` and `doctor` to warn about.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "loader/plugin_library.hpp"
#include "options/option_spec.hpp"

namespace dpp::core {

struct OptionOverlap {
   std::string name;
   std::string first;   // "host" or a plugin id: the earlier declaration
   std::string second;  // a plugin id
   // One run can load both (the host and any plugin; two plugins of different kinds): that run
   // stops with a configuration error, neither declaration wins. Otherwise the two are
   // alternatives (two auth strategies): a run loads only the one selected, and its declaration
   // wins; alternatives that declare the name alike share it and are not reported at all.
   bool clash = false;
   std::string message;  // one line for people: what happens, and what to do
};

std::vector<OptionOverlap> find_option_overlaps(const std::vector<OptionSpec>& host_options,
                                                const std::vector<std::shared_ptr<PluginLibrary>>& plugins);

}  // namespace dpp::core
