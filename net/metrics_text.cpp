#include "net/metrics_text.hpp"

#include <fmt/format.h>

#include <iterator>

namespace splitbench::net {
namespace detail {

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace detail

metrics_text& metrics_text::family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, detail::escape_help(help), name, type);
  return *this;
}

void metrics_text::series(std::string_view name, std::string_view suffix, std::initializer_list<metric_label> labels,
                          std::string_view le) {
  out_ += name;
  out_ += suffix;
  if (labels.size() == 0 && le.empty()) {
    out_ += ' ';
    return;
  }
  char sep = '{';
  for (auto const& l : labels) {
    fmt::format_to(std::back_inserter(out_), "{}{}=\"{}\"", sep, l.name, detail::escape_label_value(l.value));
    sep = ',';
  }
  if (!le.empty()) fmt::format_to(std::back_inserter(out_), "{}le=\"{}\"", sep, le);
  out_ += "} ";
}

metrics_text& metrics_text::sample(std::string_view name, std::initializer_list<metric_label> labels, std::uint64_t value) {
  series(name, "", labels);
  fmt::format_to(std::back_inserter(out_), "{}\n", value);
  return *this;
}

metrics_text& metrics_text::sample(std::string_view name, std::initializer_list<metric_label> labels, double value) {
  series(name, "", labels);
  fmt::format_to(std::back_inserter(out_), "{}\n", value);
  return *this;
}

metrics_text& metrics_text::counter(std::string_view name, std::string_view help, std::uint64_t value) {
  return family(name, "counter", help).sample(name, {}, value);
}

metrics_text& metrics_text::gauge(std::string_view name, std::string_view help, double value) {
  return family(name, "gauge", help).sample(name, {}, value);
}

metrics_text& metrics_text::histogram(std::string_view name, std::initializer_list<metric_label> labels, histogram_snapshot const& h) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += h.buckets[i];
    auto le = i < latency_bounds_seconds.size() ? fmt::format("{}", latency_bounds_seconds[i]) : std::string("+Inf");
    series(name, "_bucket", labels, le);
    fmt::format_to(std::back_inserter(out_), "{}\n", cumulative);
  }
  series(name, "_sum", labels);
  fmt::format_to(std::back_inserter(out_), "{}\n", static_cast<double>(h.sum_ns) / 1e9);
  series(name, "_count", labels);
  fmt::format_to(std::back_inserter(out_), "{}\n", cumulative);
  return *this;
}

}  // namespace splitbench::net
