#pragma once
/// `splitbench run`: starts each deployment, measures it under the scenario's workload and
/// returns what it measured, as data. Named phases, in order:
///   floors   a loopback TCP round trip and an in-process seam call, measured here and now
///   start    every deployment up at once, health-checked
///   compare  the workload at one fixed rate: one discarded warm-up repetition per deployment,
///            then repetitions in ABBA order, paired: latency per route, CPU per request, errors
///   sweep    the rate raised until a step fails, then bisected: throughput at the SLO, with bounds
///   memory   each process's peak RSS, read while it still runs
///   payload  (when asked) the search at each limit and the quote at each number of lines, each
///            deployment's windows in ABBA order (payload.hpp)
///   stop     every process stopped
///   scaling  (when asked) each deployment started again with more replicas, swept
///   distance (when asked) the split started again at each network round trip beside one
///            monolith: paired compare windows in ABBA order, then each swept
/// The reporters (bench/report/) render the result; nothing here writes a report.

#include "bench/runner/measurement.hpp"
#include "bench/runner/scenario.hpp"
#include "bench/runner/target.hpp"

#include <atomic>
#include <stdexcept>
#include <string>

namespace splitbench::bench {

/// A deployment that could not start (a binary missing, a port in use, a process that died at
/// once): nothing was measured and nothing is left behind.
struct deployment_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct run_options {
  std::string bin_dir;               ///< where the deployments' binaries are
  std::string results_dir = "results";
  std::string source_dir;            ///< for the git commit
  std::atomic<bool> const* cancel = nullptr;
  bool terminal = false;             ///< progress on one live line; else plain lines
  /// Deployments already running elsewhere: measured at their URLs instead of started here, their
  /// CPU and memory read from their /metrics. Phases that need the processes themselves (faults,
  /// the sweep's CPU budget, scaling, distance) are left out, each with a warning.
  std::vector<target_spec> targets;
};

struct run_outcome {
  std::string dir;    ///< results/runs/<id>, holding the processes' logs
  run_result result;
};

/// Runs the scenario. A cancelled run or a deployment that dies still returns whole
/// measurements, marked partial or with the failure. Throws deployment_error when a deployment
/// cannot start.
run_outcome run_scenario(scenario const& s, run_options const& options);

}  // namespace splitbench::bench
