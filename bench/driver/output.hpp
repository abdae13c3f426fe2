#pragma once
/// load_result as JSON and as text for a terminal, and the warnings a reader needs first.

#include "bench/driver/result.hpp"
#include "bench/driver/schedule.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace splitbench::bench {

/// The schema of `splitbench load --json`; raise it when a field changes meaning or goes away.
/// 3: histograms in HdrHistogram's V2 encoding (2: hist1 text), each latency object with its own
/// histogram and totals, the schedule, and the raw counts that `splitbench merge` adds.
inline constexpr char const* load_schema = "splitbench.load/3";

/// Nanoseconds as microseconds to 0.01 us: the one rounding of every time the driver outputs.
double to_us(double ns) noexcept;

/// Count, percentiles, mean, stddev, min and max of a histogram of nanoseconds, in microseconds,
/// and the histogram itself with its exact totals (histogram_json.hpp), to be merged later.
boost::json::object latency_json(histogram const& h);

/// The whole result and the schedule it was part of; read back by read_load_json (load_json.hpp).
boost::json::object to_json(load_result const& r, load_schedule const& schedule);
/// The whole result of a run on its own; `url` is what was loaded.
boost::json::object to_json(load_result const& r, std::string const& url);

/// Things a reader must know before trusting the figures: the server or the connections could
/// not keep up, the driver fell behind or was near saturation, errors, requests unsent or
/// unanswered, the machine's own hiccups of the order of the p99, a cut-short run.
std::vector<std::string> warnings_of(load_result const& r);

/// The console summary, in wrk2's spirit: latency, its percentile spectrum, throughput, errors.
std::string summary_text(load_result const& r, std::string const& url);

}  // namespace splitbench::bench
