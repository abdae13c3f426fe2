#pragma once
/// Comparing two reports: every figure measured in both, matched by deployment, route and
/// metric, with a verdict from a rank test over the repetitions together with a threshold; and
/// the gates a user cares about beside the figures: a deployment that failed, errors, timeouts
/// or unsent requests that rose, a partial report, a missing figure, throughput at the SLO
/// below the base's bounds.

#include "bench/report/statistics.hpp"
#include "bench/runner/measurement.hpp"

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace splitbench::bench {

/// Reports compare cannot set side by side: different scenarios or settings.
struct compare_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class verdict { improved, regressed, unchanged, within_noise, info };
std::string_view name_of(verdict v) noexcept;

struct metric_change {
  std::string deployment, route, metric, unit;
  std::vector<double> base, now;  ///< one value per repetition
  double base_median = 0, new_median = 0;
  double change = 0;              ///< new / base - 1
  mann_whitney test;
  verdict result = verdict::unchanged;
  bool gated = true;              ///< decided by the rank test (single values are decided by their gate)
};

struct comparison {
  double threshold = 0.10;  ///< a change smaller than this is "unchanged"
  double alpha = 0.05;      ///< a change less significant than this is "within noise"
  std::vector<metric_change> metrics;
  std::vector<std::string> failed_gates;  ///< each a regression beyond the figures, said in one line
  std::vector<std::string> notes;
  std::string base_id, new_id, scenario;
  bool regressed() const noexcept;
};

/// Compares two reports of the same scenario and settings. Throws compare_error when they are not.
comparison compare_reports(run_result const& base, run_result const& now, double threshold, double alpha = 0.05);

std::string to_text(comparison const& c);
std::string to_markdown(comparison const& c);
boost::json::object to_json(comparison const& c);

}  // namespace splitbench::bench
