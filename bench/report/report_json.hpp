#pragma once
/// report.json: a run's measurements and its answer, written once; and read back, strictly, by
/// `compare` and the tests. The schema is documented in results/README.md.

#include "bench/report/answer.hpp"
#include "bench/runner/measurement.hpp"

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>

namespace splitbench::bench {

/// The schema of report.json; raise it when a field changes meaning or goes away.
inline constexpr char const* report_schema = "splitbench.report/3";
/// The schema before histograms were stored in HdrHistogram's V2 encoding: its `hist1` text is read
/// as well, every other field meaning what it means in 3.
inline constexpr char const* report_schema_2 = "splitbench.report/2";

/// A report this version cannot use: the message says what is wrong, in one line.
struct report_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The whole report: the measurements, the answer derived from them, the warnings.
boost::json::object to_json(run_result const& run, answer const& a);

/// The measurements of a report (its answer is derived again, never trusted). Throws
/// report_error naming the first field that is missing, of the wrong type or absurd, including
/// histograms that do not decode.
run_result run_result_from_json(boost::json::object const& report);

/// Reads a report.json, or the report.json of a run directory. Throws report_error.
run_result load_report(std::string const& path);

}  // namespace splitbench::bench
