// What dpp-demo prints: the introduction, one line per DevPod step as it happens, and the
// closing table. Kept apart from the lifecycle so the wording is easy to find and change.
#pragma once

#include <ostream>
#include <string>

namespace dpp::demo {

struct DemoChoice {
   std::string service_type = "compose";
   std::string transport = "libssh2";
   std::string auth = "key";
   bool verbose = false;
};

// `devpod` says which DevPod runs the steps (describe(choose_devpod())); `real_devpod` whether it
// is the real CLI.
void print_introduction(std::ostream& out, const DemoChoice& choice, const std::string& provider,
                        bool real_devpod, const std::string& devpod);
void print_usage(std::ostream& out);
void print_needs_root(std::ostream& out);
// Bold / green / red only on a terminal.
std::string bold(const std::string& text);
std::string green(const std::string& text);
std::string red(const std::string& text);
std::string dim(const std::string& text);

}  // namespace dpp::demo
