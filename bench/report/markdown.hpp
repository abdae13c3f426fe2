#pragma once
/// report.md: the headline first, then the figures behind it, then how they were measured.

#include "bench/report/answer.hpp"
#include "bench/runner/measurement.hpp"

#include <string>

namespace splitbench::bench {

std::string render_markdown(run_result const& run, answer const& a);

}  // namespace splitbench::bench
