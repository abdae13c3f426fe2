#pragma once
/// Writes Prometheus' text exposition format (version 0.0.4), the body of every server's
/// `GET /metrics`: each family with its `# HELP` and `# TYPE`, label values escaped, histograms
/// as cumulative `_bucket{le=...}` series with `+Inf`, `_sum` in seconds and `_count`.
/// `promtool check metrics` accepts what it writes when names follow its rules (counters end in
/// `_total`, units in the name); the caller picks the names.
///
///   metrics_text m;
///   m.counter("splitbench_http_requests_total", "Requests received.", 52);
///   m.family("splitbench_peer_request_duration_seconds", "histogram", "Calls to a peer.");
///   m.histogram("splitbench_peer_request_duration_seconds", {{"peer", "catalog"}}, snapshot);
///   std::string body = m.take();

#include "net/latency_histogram.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace splitbench::net {

/// One label of a series.
struct metric_label {
  std::string_view name;
  std::string_view value;
};

class metrics_text {
 public:
  /// `# HELP name help` and `# TYPE name type`; the family's samples follow.
  metrics_text& family(std::string_view name, std::string_view type, std::string_view help);

  /// One sample: `name{labels} value`.
  metrics_text& sample(std::string_view name, std::initializer_list<metric_label> labels, std::uint64_t value);
  metrics_text& sample(std::string_view name, std::initializer_list<metric_label> labels, double value);

  /// A family of one unlabelled sample.
  metrics_text& counter(std::string_view name, std::string_view help, std::uint64_t value);
  metrics_text& gauge(std::string_view name, std::string_view help, double value);

  /// One series of a histogram family (declare the family first): its buckets made cumulative,
  /// `le` last among the labels, then `_sum` in seconds and `_count`.
  metrics_text& histogram(std::string_view name, std::initializer_list<metric_label> labels, histogram_snapshot const& h);

  std::string take() { return std::move(out_); }

 private:
  void series(std::string_view name, std::string_view suffix, std::initializer_list<metric_label> labels,
              std::string_view le = {});
  std::string out_;
};

namespace detail {
/// A label value as the format quotes it: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view v);
/// A HELP text: backslash and newline escaped.
std::string escape_help(std::string_view v);
}  // namespace detail

}  // namespace splitbench::net
