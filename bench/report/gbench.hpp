#pragma once
/// A run report as Google Benchmark's JSON (`--benchmark_format=json` with
/// `--benchmark_repetitions`), so that its tools read splitbench's figures: `compare.py` diffs
/// two exports with its Mann-Whitney U test over the repetitions, dashboards made for Google
/// Benchmark plot them.
///
/// Each deployment, route and figure is a benchmark family of one instance, named
/// `DEPLOYMENT/ROUTE/FIGURE` (`split/product/p50`, `monolith/all/p99`); each counted repetition of
/// the report is one `iteration` run of it, with the figure as real_time in microseconds, and
/// mean, median, stddev and cv follow as `aggregate` runs when there are two repetitions or more.
/// ROUTE `all` is the whole mix; FIGURE is p50, p90, p99, p999 or mean (latency from each
/// request's due time) and, for `all`, cpu_per_request (CPU of every process of the deployment
/// per good response). A latency has no CPU time of its own: cpu_time repeats real_time.

#include "bench/runner/measurement.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace splitbench::bench {

/// One figure over a report's repetitions: what becomes one benchmark family.
struct gbench_family {
  std::string name;                      ///< DEPLOYMENT/ROUTE/FIGURE
  std::vector<double> values_us;         ///< one per repetition, in order
  std::vector<std::uint64_t> iterations;  ///< the requests each value summarises
};

/// Every family of a report, deployments in the report's order, then routes, then figures.
std::vector<gbench_family> gbench_families(run_result const& run);

/// The whole document: `context` (from what the report recorded of its machine, build and run)
/// and `benchmarks`. Throws report_error when the report holds no counted repetition at all.
boost::json::object to_gbench(run_result const& run);

}  // namespace splitbench::bench
