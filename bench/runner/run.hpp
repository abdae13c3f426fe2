#pragma once
/// `splitbench run`: starts each deployment, measures it under the scenario's workload, and
/// writes the report. Phases, for every deployment:
///   floors   a loopback TCP round trip and an in-process seam call, measured here and now
///   compare  the workload at one fixed rate, repeated and interleaved between deployments:
///            latency per route (open loop, corrected), CPU per request, errors
///   sweep    the rate raised step by step until p99 passes the SLO or errors appear:
///            throughput at the SLO
/// and the derived answer: what the split adds, per request and per hop, and what it costs.

#include "bench/runner/scenario.hpp"

#include <boost/json/object.hpp>

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
  std::string source_dir;            ///< for the git commit and the plotting script
  std::atomic<bool> const* cancel = nullptr;
  bool terminal = false;             ///< progress on one live line; else plain lines
};

struct run_outcome {
  std::string id;              ///< <UTC time>-<scenario>
  std::string dir;             ///< results/runs/<id>
  boost::json::object report;
  bool partial = false;
};

/// Runs the scenario and returns its measurements; the run's directory, results/runs/<id>/,
/// holds the processes' logs. A cancelled run or a deployment that dies still returns whole
/// measurements, marked partial or with the failure.
run_outcome run_scenario(scenario const& s, run_options const& options);

}  // namespace splitbench::bench
