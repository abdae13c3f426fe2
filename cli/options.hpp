#pragma once
/// Command-line parsing shared by every splitbench binary. Bad input throws usage_error, whose
/// one-line message main prints before exiting with status 2.

#include "cli/values.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::cli {

/// One `--name value` (or `--name=value`) flag, or a `--name` switch when it takes no value.
struct flag {
  std::string name;  ///< without the dashes
  bool takes_value = true;
  std::function<void(std::string_view)> set;
  std::string help;
};

/// Applies the flags of argv[first..] and returns the positional arguments, in order.
/// Throws usage_error for an unknown flag or one missing its value.
std::vector<std::string> parse(int argc, char const* const* argv, int first, std::vector<flag> const& flags);

}  // namespace splitbench::cli
