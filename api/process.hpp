#pragma once
/// The outermost frame of every binary's main.

#include "cli/options.hpp"  // cli::usage_error, which bodies throw for guarded_main to report

#include <functional>

namespace splitbench::api {

/// Runs `body`, turning a usage_error into its one line and status 2, and anything else that
/// escapes into its message and status 1.
int guarded_main(char const* name, std::function<int()> const& body);

}  // namespace splitbench::api
