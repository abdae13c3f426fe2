#pragma once
/// How reports write numbers: one formatter for microseconds, ratios, percentages and sizes, so
/// that the headline, the tables and compare say a figure the same way.

#include "bench/report/statistics.hpp"
#include "bench/runner/measurement.hpp"

#include <string>

namespace splitbench::bench {

struct ratio_bounds;

/// Rounded to 2 or 3 decimals, as reports store figures.
double round2(double x);
double round3(double x);

/// "75.6 µs", "2.93 ms", "2.00 s", "−" for NaN.
std::string format_us(double us);
/// "4.30×"
std::string format_times(double x);
/// "44%"
std::string format_percent(double fraction);
/// "29.8 MiB"
std::string format_mib(double bytes);
/// "1,500 req/s"
std::string format_rate(double rps);
/// "0.25 s", "3 s", "12.1 s": to the hundredth, trailing zeros dropped.
std::string format_seconds(double s);
/// "100%", "99.95%", "37.5%": rounded down, so that a route that lost a request never reads 100%.
std::string format_availability(double fraction);

/// "150 µs [131, 168]": the median and its 95% interval, or the median alone from one value.
std::string with_interval(median_interval const& m, std::string (*format)(double) = format_us);

/// "17,086–18,793 req/s" or "≥ 38,443 req/s" when no step failed.
std::string capacity_text(capacity_bounds const& c);
/// "0.5 cores", "1 core".
std::string cores_text(double cores);

/// "0.44 [0.40, 0.49]", "≥ 0.20", "≤ 0.90".
std::string ratio_text(ratio_bounds const& r);

}  // namespace splitbench::bench
