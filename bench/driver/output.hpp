#pragma once
/// load_result as JSON and as text for a terminal, and the warnings a reader needs first.

#include "bench/driver/result.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace splitbench::bench {

/// The schema of `splitbench load --json`; raise it when a field changes meaning or goes away.
inline constexpr char const* load_schema = "splitbench.load/2";

/// Nanoseconds as microseconds to 0.01 us: the one rounding of every time the driver outputs.
double to_us(double ns) noexcept;

/// Count, percentiles, mean, stddev, min and max of a histogram of nanoseconds, in microseconds.
boost::json::object latency_json(histogram const& h);

/// The whole result; `url` is what was loaded.
boost::json::object to_json(load_result const& r, std::string const& url);

/// Things a reader must know before trusting the figures: the server or the connections could
/// not keep up, the driver fell behind or was near saturation, errors, requests unsent or
/// unanswered, the machine's own hiccups of the order of the p99, a cut-short run.
std::vector<std::string> warnings_of(load_result const& r);

/// The console summary, in wrk2's spirit: latency, its percentile spectrum, throughput, errors.
std::string summary_text(load_result const& r, std::string const& url);

}  // namespace splitbench::bench
