#pragma once
/// Comparing two reports: every figure measured in both, matched by deployment, route and
/// metric, with a verdict from a rank test over the repetitions together with a threshold.

#include "bench/report/statistics.hpp"

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace splitbench::bench {

/// Input compare cannot use: unreadable, an unknown schema, reports of different scenarios.
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
  bool gated = true;              ///< counts for the exit status (single values do not)
};

struct comparison {
  double threshold = 0.10;  ///< a change smaller than this is "unchanged"
  double alpha = 0.05;      ///< a change less significant than this is "within noise"
  std::vector<metric_change> metrics;
  std::vector<std::string> notes;
  std::string base_id, new_id, scenario;
  bool regressed() const noexcept;
};

/// Reads a report.json, or the report.json of a run directory. Throws compare_error.
boost::json::object load_report(std::string const& path);

/// Compares two valid reports of the same scenario. Throws compare_error when they are not.
comparison compare_reports(boost::json::object const& base, boost::json::object const& now, double threshold, double alpha = 0.05);

std::string to_text(comparison const& c);
std::string to_markdown(comparison const& c);
boost::json::object to_json(comparison const& c);

}  // namespace splitbench::bench
