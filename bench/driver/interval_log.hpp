#pragma once
/// Each route's response times second by second, for an HdrHistogram interval log (`--hlog`):
/// one histogram per route and second of the measured window, holding the outcomes that
/// happened in that second (the seconds per_second counts), in the log format HdrHistogram's
/// HistogramLogReader reads ("Histogram log format version 1.3").
///
/// Recording costs a worker no allocation per request: it keeps three seconds open in a ring of
/// histograms made up front and closes the oldest as time moves on (from its sweep), encoding it
/// in V2, one string a route a second. An outcome that comes after its second was closed (the
/// worker stalled over a second) counts in the oldest second still open.

#include "bench/driver/histogram.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace splitbench::bench {

/// One route's histogram over one second of the measured window, closed and encoded.
struct interval_histogram {
  std::size_t route = 0;
  std::int64_t second = 0;     ///< from the window's start
  std::string encoded;         ///< HdrHistogram's V2 encoding
  histogram::totals totals;    ///< what V2 leaves out (its exact max, for the log's Interval_Max)
};

class interval_recorder {
 public:
  explicit interval_recorder(std::size_t routes);

  /// An outcome of `route` that happened in second `second` of the window, `ns` after its due time.
  void record(std::size_t route, std::int64_t second, std::uint64_t ns) noexcept {
    if (second >= base_ + open_seconds) advance(second - open_seconds + 1);
    if (second < base_) second = base_;
    open_[static_cast<std::size_t>(second % open_seconds) * routes_ + route].record(ns);
  }
  /// Closes the seconds before `now_second - 1`: those no outcome should come for any more.
  void roll(std::int64_t now_second) {
    if (now_second - 1 > base_) advance(now_second - 1);
  }
  /// Closes every second before `seconds`, the window's count: the run is over.
  void close_all(std::int64_t seconds) { advance(seconds); }

  /// The seconds closed so far, in order of second then route.
  std::vector<interval_histogram>& closed() noexcept { return closed_; }

 private:
  static constexpr std::int64_t open_seconds = 3;
  void advance(std::int64_t new_base);

  std::size_t routes_;
  std::int64_t base_ = 0;  // the oldest second open
  std::vector<histogram> open_;
  std::vector<interval_histogram> closed_;
};

/// Every worker's intervals added up: one per route and second, in order of second then route.
std::vector<interval_histogram> merge_intervals(std::vector<interval_histogram> const& all);

/// The interval log of `intervals`: routes named by `routes` (the tags), the window starting at
/// `window_start_unix_ns` and `window_seconds` long (the last interval may be shorter than a second).
std::string interval_log_text(std::vector<interval_histogram> const& intervals, std::vector<std::string> const& routes,
                              std::int64_t window_start_unix_ns, double window_seconds);

}  // namespace splitbench::bench
