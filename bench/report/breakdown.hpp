#pragma once
/// The breakdown in report.md: for each deployment but the monolith, each route's added latency
/// at p50 (its p50 minus the monolith's) split into what each part adds: business logic, codec,
/// HTTP framing + kernel + loopback, and queueing, each the difference of the two deployments'
/// p50s of that part. The parts are measured apart (one histogram each), so their sum is not
/// the added latency by construction: how far apart the two are says how well the parts'
/// medians describe the median request, and is reported beside them.

#include "bench/runner/breakdown.hpp"
#include "bench/runner/measurement.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::bench {

/// One route of one deployment against the baseline, microseconds at p50.
struct added_breakdown {
  std::string deployment, route;
  double added_us = 0;  ///< the deployment's latency p50 minus the baseline's
  double queue_us = 0, logic_us = 0, codec_us = 0, framing_us = 0;  ///< each part's p50 minus the baseline's

  double parts_us() const noexcept { return queue_us + logic_us + codec_us + framing_us; }
  /// |parts - added| / |added|; empty when nothing was added.
  std::optional<double> mismatch() const noexcept;
};

/// Every route of every deployment other than `baseline` that both measured; empty without a
/// deployment named `baseline`.
std::vector<added_breakdown> added_latency(breakdown_measurement const& m, std::string_view baseline = "monolith");

/// The "## Breakdown of the added latency" section of report.md; empty when the run has no breakdown.
std::string breakdown_markdown(run_result const& run);

}  // namespace splitbench::bench
