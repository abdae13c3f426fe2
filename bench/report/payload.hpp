#pragma once
/// The payload measurements in report.md and report.json: at each size of each sweep, the latency
/// every deployment adds over the monolith (paired, as the headline's) against the bytes that
/// cross the split's hops, and a straight line fitted to them per deployment and sweep, as
/// MeshInsight models a sidecar's cost: added ≈ a + b·bytes. Only the run's figures are read.

#include "bench/report/statistics.hpp"
#include "bench/runner/measurement.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// A straight line y ≈ a + b·x fitted by least squares.
struct line_fit {
  double a = 0;                   ///< the intercept
  double b = 0;                   ///< the slope
  std::vector<double> residuals;  ///< measured − fitted, per point, in the order given
  double rms = 0;                 ///< of the residuals
  std::optional<double> r2;       ///< 1 − SS_res / SS_tot; none when every y is the same
};

/// The least-squares line through (x[i], y[i]); none with fewer than two points or every x the same.
std::optional<line_fit> fit_line(std::vector<double> const& x, std::vector<double> const& y);

/// One size of a sweep, one deployment against the monolith.
struct payload_point {
  int size = 0;
  std::uint64_t hop_bytes = 0;
  median_interval added_p50;                ///< paired per round, µs
  double p50 = 0, monolith_p50 = 0;         ///< medians of the windows' p50, µs
  std::uint64_t errors = 0;                 ///< errors and requests unsent, in every window of either side
  bool clean = false;                       ///< paired windows measured, and no error or unsent request in any
  std::optional<double> residual_us;        ///< against the fit; only clean points are fitted
};

/// One deployment's sweep: its points and the line fitted to the clean ones.
struct payload_series {
  std::string deployment, sweep;  ///< sweep: "response" or "request"
  std::vector<payload_point> points;
  std::optional<line_fit> fit;    ///< x in bytes, y in µs
};

struct payload_answer {
  double rate = 0;
  std::vector<payload_series> series;  ///< per deployment other than the monolith, the response sweep then the request sweep
};

/// The run's payload phase answered; empty when it has none or no monolith was measured in it.
std::optional<payload_answer> payload_answer_of(run_result const& run);

/// answer.payload of report.json: what the payload chart draws.
boost::json::object payload_json(payload_answer const& a);

/// The "## Payload size" section of report.md; empty when the run did not measure payload.
std::string payload_markdown(run_result const& run);

/// Throws report_error, naming the field, for a payload phase read back that makes no sense: a
/// sweep other than response or request, bytes that are not the sum of the hops', a histogram
/// that does not decode.
void check_payload(run_result const& run);

// How report.json names the payload phase's fields, for report_json.cpp's writer and reader (one
// describe() per struct, so the two cannot disagree on a name).
template <class V> void describe(V& v, payload_hop& h) { v("name", h.name), v("request_bytes", h.request_bytes), v("response_bytes", h.response_bytes); }
template <class V> void describe(V& v, payload_runs& r) { v("deployment", r.deployment), v("runs", r.runs); }
template <class V> void describe(V& v, payload_step& s) {
  v("sweep", s.sweep), v("size", s.size), v("request", s.request), v("hops", s.hops), v("hop_bytes", s.hop_bytes), v("deployments", s.deployments);
}
template <class V> void describe(V& v, payload_measurement& p) { v("rate", p.rate), v("steps", p.steps); }

}  // namespace splitbench::bench
