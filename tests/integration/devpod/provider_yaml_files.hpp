// Which provider.yaml files the rule tests check: the committed one and every variant the
// builds generated (the dev variant per preset, the release one).
#pragma once

#include <string>
#include <vector>

namespace dpp::test::devpod {

std::vector<std::string> provider_yaml_files();

}  // namespace dpp::test::devpod
