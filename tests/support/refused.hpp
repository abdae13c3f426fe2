#pragma once
/// A command line splitbench must refuse before it starts anything: exit status 2 and one line.

#include "processes.hpp"

#include <catch2/catch.hpp>

namespace splitbench::testing {

/// `splitbench ARGS...` exits 2 printing exactly "splitbench: MESSAGE\n".
inline void check_refused(std::vector<std::string> args, std::string const& message) {
  args.insert(args.begin(), bin("splitbench"));
  auto r = run(args);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output == "splitbench: " + message + "\n");
}

}  // namespace splitbench::testing
