#include "cli/version.hpp"

#include "cli/build_commit.hpp"  // generated at build time by cli/build_commit.cmake

namespace splitbench::cli {

std::string version_line(std::string_view program) {
  return std::string(program) + " " + SPLITBENCH_VERSION + " (commit " + SPLITBENCH_COMMIT + ", " + SPLITBENCH_BUILD_TYPE + " build)";
}

}  // namespace splitbench::cli
