#pragma once
/// The answer a run gives: what the split adds and what it costs, against the monolith, derived
/// from the measurements alone, so that a stored report gives the same answer when read again.
///
/// Differences are paired: repetition i of the split ran next to repetition i of the monolith
/// (ABBA order), so the machine's drift over a run cancels in their difference. A headline
/// figure is the median of the paired differences with its 95% confidence interval.

#include "bench/report/statistics.hpp"
#include "bench/runner/measurement.hpp"

#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// A deployment's own figures.
struct deployment_answer {
  std::string name;
  std::size_t processes = 0;
  std::size_t repetitions = 0;
  median_interval cpu_us_per_request;       ///< over its repetitions
  std::optional<capacity_bounds> capacity;  ///< throughput at the SLO: [low, high]
  bool swept = false;
  std::optional<double> sweep_cpu_budget;   ///< cores it was held to while swept
  std::uint64_t peak_rss_bytes = 0;
  bool failed = false;
  bool resources_measured = true;           ///< false: CPU and memory unknown (a target without /metrics)
};

/// One route, a deployment (the split, or another topology) against the monolith.
struct route_answer {
  std::string name;  ///< a route, or "all"
  int depth = 0, calls = 0;
  double monolith_p50 = 0, monolith_p99 = 0, split_p50 = 0, split_p99 = 0;  ///< of every repetition merged, µs; split_*: the deployment compared
  median_interval added_p50, added_p99;  ///< paired per repetition, µs
  std::vector<double> added_p50_by_repetition;
};

/// A ratio whose parts are known only within bounds: low or high is empty where unbounded.
struct ratio_bounds {
  double value = 0;
  std::optional<double> low, high;
};

/// The cost of one internal hop: from the one-call route (one hop, one call), and a
/// least-squares fit over every route of added ≈ per_depth × depth + per_call × calls.
struct hop_cost {
  std::optional<double> one_call_route_us;  ///< the product route's added p50
  std::optional<double> per_depth_us, per_call_us;
  std::vector<std::pair<std::string, double>> residuals_us;  ///< per route, measured - fitted
  double vs_loopback = 0;                   ///< one_call_route_us / the loopback round trip's p50
};

/// The whole run, split against monolith.
struct overall_answer {
  median_interval added_p50, added_p99;  ///< every route together, paired, µs
  median_interval cpu_ratio;             ///< split / monolith CPU per request, paired
  std::optional<ratio_bounds> throughput_ratio;
  std::optional<double> memory_ratio;
  double loopback_rtt_p50_us = 0;
  hop_cost per_hop;
};

/// One deployment against the monolith, repetition i against repetition i.
struct deployment_comparison {
  std::string name;
  std::vector<route_answer> routes;  ///< every route, then "all"
  overall_answer overall;
};

struct answer {
  std::vector<deployment_answer> deployments;
  /// Every deployment but the monolith that finished its compare phase, against the monolith, in
  /// the run's order.
  std::vector<deployment_comparison> comparisons;
  /// The comparison the headline gives: the split's where it was measured, else the first.
  std::string compared;
  std::vector<route_answer> routes;  ///< `compared`'s: every route, then "all"; empty without a comparison
  std::optional<overall_answer> overall;  ///< `compared`'s
};

/// Throws std::invalid_argument when a stored histogram cannot be decoded.
answer answer_of(run_result const& run);

/// How prose names a deployment: "the split", "the serialized", "the pricing+orders,... deployment".
std::string who_of(std::string const& name);

/// split / monolith throughput at the SLO, with the bounds their capacities allow.
ratio_bounds throughput_ratio(capacity_bounds const& split, capacity_bounds const& monolith);

/// Every route of the split's repetitions, then "all": the split against the monolith,
/// repetition i against repetition i. Empty when either has none. Throws as answer_of.
std::vector<route_answer> routes_of(std::vector<run_measurement> const& monolith, std::vector<run_measurement> const& split);

/// The headline sentence: what the split adds and what it costs, with confidence intervals.
std::string headline_of(run_result const& run, answer const& a);

}  // namespace splitbench::bench
