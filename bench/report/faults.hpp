#pragma once
/// The faults in report.md: per fault, a sentence built from what each deployment measured (the
/// routes it kept, those it lost and how, how soon they were back), the routes of the deployments
/// side by side, and each restart step by step. Only the run's figures are read; nothing here is
/// measured or decided again.

#include "bench/runner/measurement.hpp"

#include <string>
#include <utility>
#include <vector>

namespace splitbench::bench {

/// One fault of a scenario as each deployment met it.
struct fault_sides {
  std::string spec;
  /// In the order of run.deployments: each deployment's name and its run of this fault, null
  /// where it has none (it failed before, or the run was cut short).
  std::vector<std::pair<std::string, fault_measurement const*>> sides;
};

/// Every fault of a run in the scenario's order, the n-th run of a spec in each deployment
/// matched with the n-th in the scenario; empty when the run had no faults.
std::vector<fault_sides> faults_of(run_result const& run);

/// One sentence from the figures, e.g. "pricing killed at 4 s for 2 s: the split kept product
/// and search at 100% and failed quote and order for 1.25 s, fast with 5xx (0% answered, p99
/// 412.0 µs), back 0.25 s after pricing was ready again; the monolith lost every route ...".
/// A route is kept when at least 99.9% of its requests due in the fault window were answered
/// well and its p99 stayed within the SLO, slowed when they were but its p99 was not; otherwise
/// it is said failed or lost by what failed most in the window (5xx, timeouts, connection errors,
/// left unanswered, 4xx), "some requests of" it when half or more were still answered well.
std::string fault_headline(fault_sides const& f, double slo_p99_us);

/// The "## Faults" section of report.md; empty when the run had no faults.
std::string faults_markdown(run_result const& run);

}  // namespace splitbench::bench
