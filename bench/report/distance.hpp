#pragma once
/// The distance measurements in report.md: at each network round trip between the split's
/// processes, the latency the split adds over the monolith (paired, as the headline's) and its
/// throughput at the SLO against the monolith's, and the round trip from which the split costs
/// more than a millisecond. Only the run's figures are read.

#include "bench/report/answer.hpp"
#include "bench/runner/measurement.hpp"

#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// One round trip, the split against the monolith.
struct distance_answer_point {
  double round_trip_us = 0;
  std::vector<route_answer> routes;              ///< every route, then "all"; empty without a pair
  std::optional<capacity_bounds> capacity;       ///< the split's throughput at the SLO
  std::optional<ratio_bounds> throughput_ratio;  ///< split / monolith at the SLO
  bool swept = false;

  /// "all": every route together; null without a pair.
  route_answer const* all() const noexcept { return routes.empty() ? nullptr : &routes.back(); }
};

struct distance_answer {
  std::vector<distance_answer_point> points;
  std::optional<capacity_bounds> monolith_capacity;
  bool monolith_swept = false;
  std::optional<double> sweep_cpu_budget;
};

/// The run's distance phase, answered; empty when it has none. Throws as answer_of.
std::optional<distance_answer> distance_answer_of(run_result const& run);

/// The smallest round trip from which on (at it and at every larger one measured) the split adds
/// more than `added_us` at p50, every route together (the median of the paired differences);
/// empty when the largest round trip does not.
std::optional<double> round_trip_from_which(distance_answer const& a, double added_us);

/// The smallest round trip from which on the split's throughput at the SLO is at most `ratio` of
/// the monolith's (a point where no rate passed counts as none); empty when the largest's is above
/// it, or the points were not swept.
std::optional<double> round_trip_from_which_throughput(distance_answer const& a, double ratio);

/// The "## Network distance" section of report.md; empty when the run did not measure distance.
std::string distance_markdown(run_result const& run);

}  // namespace splitbench::bench
