#pragma once
/// load_result as JSON and as text for a terminal.

#include "bench/driver/load.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace splitbench::bench {

/// The schema of `splitbench load --json`; raise it when a field changes meaning or goes away.
inline constexpr char const* load_schema = "splitbench.load/2";

/// Nanoseconds as microseconds, rounded to 0.01 µs: how every figure of the driver is written.
double microseconds_of(double ns);

/// Percentiles, mean, stddev, min and max of a histogram of nanoseconds, in microseconds.
boost::json::object latency_json(histogram const& h);

/// The whole result; `url` is what was loaded.
boost::json::object to_json(load_result const& r, std::string const& url);

/// Things a reader must know before trusting the figures: the driver fell behind its schedule,
/// was near saturation, errors, a cut-short run.
std::vector<std::string> warnings_of(load_result const& r);

/// The console summary, in wrk2's spirit: latency, its percentile spectrum, throughput, errors.
std::string summary_text(load_result const& r, std::string const& url);

}  // namespace splitbench::bench
