#pragma once
/// What --version prints: which source and which build a binary came from.

#include <string>
#include <string_view>

namespace splitbench::cli {

/// "splitbench 0.1.0 (commit 1a2b3c4d5e6f, Release build)"; the commit ends in "-dirty" when the
/// tree had uncommitted changes, and is "unknown" outside a git checkout.
std::string version_line(std::string_view program);

}  // namespace splitbench::cli
