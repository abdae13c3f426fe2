#pragma once
/// The edge every splitbench binary's main goes through: usage errors and failures become output
/// and an exit status in one place.

#include "cli/options.hpp"

#include <functional>

namespace splitbench::cli {

/// Runs `body`: a usage_error becomes its one line on stderr and status 2; anything else that
/// escapes its message and status 1.
int guarded_main(char const* name, std::function<int()> const& body);

}  // namespace splitbench::cli
