#include "bench/driver/interval_log.hpp"

#include "bench/driver/hdr_codec.hpp"
#include "bench/driver/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace splitbench::bench {

interval_recorder::interval_recorder(std::size_t routes) : routes_(routes) {
  open_.assign(static_cast<std::size_t>(open_seconds) * routes, histogram(3));
}

void interval_recorder::advance(std::int64_t new_base) {
  for (auto s = base_; s < new_base; ++s) {
    for (std::size_t r = 0; r < routes_; ++r) {
      if (s < base_ + open_seconds) {
        auto& h = open_[static_cast<std::size_t>(s % open_seconds) * routes_ + r];
        closed_.push_back({r, s, encode_v2(h), h.exact_totals()});
        h.reset();
      } else {  // never opened: the worker did not look for that long, and nothing came for it
        histogram empty(3);
        closed_.push_back({r, s, encode_v2(empty), empty.exact_totals()});
      }
    }
  }
  base_ = std::max(base_, new_base);
}

std::vector<interval_histogram> merge_intervals(std::vector<interval_histogram> const& all) {
  std::map<std::pair<std::int64_t, std::size_t>, histogram> merged;  // by second, then route
  for (auto const& i : all) {
    auto h = decode_v2(i.encoded);
    h.restore(i.totals);
    auto [at, fresh] = merged.try_emplace({i.second, i.route}, h.significant_digits(), h.highest());
    at->second.merge(h);
  }
  std::vector<interval_histogram> out;
  for (auto const& [key, h] : merged) out.push_back({key.second, key.first, encode_v2(h), h.exact_totals()});
  return out;
}

namespace {

/// A tag as the log's readers split lines: no commas, no spaces.
std::string tag_of(std::string name) {
  std::replace_if(name.begin(), name.end(), [](char c) { return c == ',' || c == ' ' || c == '\t'; }, '_');
  return name;
}

}  // namespace

std::string interval_log_text(std::vector<interval_histogram> const& intervals, std::vector<std::string> const& routes,
                              std::int64_t window_start_unix_ns, double window_seconds) {
  std::string out;
  auto it = std::back_inserter(out);
  double start = static_cast<double>(window_start_unix_ns) / 1e9;
  fmt::format_to(it, "#[splitbench load: each route's (Tag) response times over each second of the measured window, "
                     "by the second each outcome happened]\n");
  fmt::format_to(it, "#[Histogram values are response times in nanoseconds, from each request's due time; Interval_Max is in "
                     "milliseconds (the maximum / 10^6), the units HistogramLogProcessor assumes by default]\n");
  fmt::format_to(it, "#[Histogram log format version 1.3]\n");
  fmt::format_to(it, "#[StartTime: {:.3f} (seconds since epoch), {}]\n", start, rfc3339(window_start_unix_ns));
  fmt::format_to(it, "#[BaseTime: {:.3f} (seconds since epoch)]\n", start);
  fmt::format_to(it, "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n");
  for (auto const& i : intervals) {
    auto from = static_cast<double>(i.second);
    auto length = std::min(1.0, window_seconds - from);
    fmt::format_to(it, "Tag={},{:.3f},{:.3f},{:.3f},{}\n", tag_of(routes.at(i.route)), from, length, static_cast<double>(i.totals.max) / 1e6,
                   i.encoded);
  }
  return out;
}

}  // namespace splitbench::bench
