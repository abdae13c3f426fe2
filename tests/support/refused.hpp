#pragma once
/// A command line splitbench must refuse before it starts anything: exit status 2 and one line.

#include "processes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace splitbench::testing {

/// `splitbench ARGS...` exits 2 printing exactly "splitbench: MESSAGE\n".
inline void check_refused(std::vector<std::string> args, std::string const& message) {
  args.insert(args.begin(), bin("splitbench"));
  auto r = run(args);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output == "splitbench: " + message + "\n");
}

/// `argv` (the binary first) exits 2 printing one line that says `says` somewhere in it.
inline void check_usage_error(std::vector<std::string> argv, std::string const& says) {
  auto r = run(std::move(argv));
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(says) != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
}

}  // namespace splitbench::testing
