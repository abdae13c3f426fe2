#pragma once
/// Runs tests/npm/hdr-check.mjs (hdr-histogram-js, installed by scripts/npm-tools.sh) on a file
/// and returns the JSON it printed: another implementation's reading of splitbench's output.

#include "processes.hpp"

#include "bench/driver/files.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

namespace splitbench::testing {

inline boost::json::value hdr_check(std::string const& mode, std::string const& file) {
  auto script = std::string(SPLITBENCH_SOURCE_DIR) + "/tests/npm/hdr-check.mjs";
  auto r = run({"/usr/bin/env", "node", script, mode, file});
  INFO("node hdr-check.mjs " << mode << ": " << r.output);
  REQUIRE(r.status == 0);
  return boost::json::parse(r.output);
}

/// hdr_check on `content`, written to a file in `dir` first.
inline boost::json::value hdr_check_text(std::string const& dir, std::string const& mode, std::string const& content) {
  auto file = dir + "/hdr-check-input-" + mode;
  bench::write_file_atomically(file, content);
  return hdr_check(mode, file);
}

}  // namespace splitbench::testing
