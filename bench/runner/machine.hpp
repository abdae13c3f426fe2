#pragma once
/// Where a report's figures came from: the machine and the build.

#include "bench/runner/measurement.hpp"

#include <string>

namespace splitbench::bench {

/// CPU model, cores, kernel, memory, from /proc and uname.
machine_description describe_machine();

/// The compiler and build type of this binary, and the commit of `source_dir` (with whether it
/// had uncommitted changes), from git; "unknown" without it.
build_description describe_build(std::string const& source_dir);

}  // namespace splitbench::bench
