#pragma once
/// Finding a deployment's capacity at an SLO: the rate rises by a factor until a step fails,
/// then bisects between the last step that passed and the first that failed until they are
/// within 10% of each other. Pure: it decides on measurements it is given, so tests drive it
/// with any outcomes they like.

#include "bench/runner/measurement.hpp"

#include <optional>

namespace splitbench::bench {

/// What makes a step pass.
struct step_rules {
  double slo_p99_us = 10'000;
  double max_error_rate = 0.001;
  double min_completed = 0.95;  ///< of the rate asked
};

/// Decides a step from its attempts: p99 of their histograms merged, errors and unsent over
/// the requests due, completions over the rate. A step the driver could not drive (saturated)
/// is inconclusive, never a pass.
void decide_step(sweep_step& step, step_rules const& rules);

/// The search for one deployment: ask next_rate(), measure, tell record().
class capacity_search {
 public:
  capacity_search(double start, double factor, double max, double precision = 1.10)
      : start_(start), factor_(factor), max_(max), precision_(precision) {}

  /// The next rate to measure; empty when the search is over.
  std::optional<double> next_rate() const;

  /// The outcome of the step at the rate next_rate() gave.
  void record(double rate, step_outcome outcome);

  /// What the search found: empty when no step passed.
  std::optional<capacity_bounds> bounds() const;

  bool done() const { return !next_rate(); }

 private:
  double start_, factor_, max_, precision_;
  std::optional<double> passed_;     // the highest rate that passed
  std::optional<double> failed_;     // the lowest rate that failed
  bool stopped_ = false;             // inconclusive, or the maximum passed
  int steps_down_ = 0;               // below the start when the start failed
};

/// A step's attempts merged, for the SLO: the latency histogram of every attempt, decoded.
histogram merged_latency(std::vector<run_measurement> const& attempts);

}  // namespace splitbench::bench
