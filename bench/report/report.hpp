#pragma once
/// The report of a run: its schema, the answer derived from its measurements, and its Markdown.
/// Everything here reads only the report's JSON, so a stored report renders the same later.

#include <boost/json/object.hpp>

#include <string>

namespace splitbench::bench {

/// The schema of report.json (documented in results/README.md); raise it when a field changes
/// meaning or goes away.
inline constexpr char const* report_schema = "splitbench.report/1";

/// Per route and overall: the latency the split adds (p50, p99, per request and per hop, against
/// the loopback floor), throughput at the SLO, CPU per request and memory for each deployment,
/// and their ratios. Figures missing from the measurements are left out, never invented.
boost::json::object answer_of(boost::json::object const& report);

/// The headline sentence: what the split adds and what it costs.
std::string headline_of(boost::json::object const& report);

/// report.md: the headline, then tables per route, cost, sweep, floors, and how it was measured.
std::string render_markdown(boost::json::object const& report);

/// Throws std::runtime_error saying what is wrong when `report` is not a report this version
/// can read (wrong schema, missing sections).
void check_report(boost::json::object const& report);

}  // namespace splitbench::bench
