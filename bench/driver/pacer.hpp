#pragma once
/// When each request of one schedule (a worker's share of the run) is due. Open loop: a fixed
/// schedule computed from a counter, start + (first + j x stride) / rate for its j-th request,
/// so the schedule never drifts and a stall is charged for every request it delayed (the
/// requests fall due meanwhile and go out back to back once a connection is free). Closed
/// loop: each request is due when it can be sent.
///
/// Pure: it never reads a clock, so tests drive it with whatever times they like.

#include <chrono>
#include <cmath>
#include <cstdint>

namespace splitbench::bench {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

class pacer {
 public:
  /// Open loop at `rate` requests per second in all; this schedule takes requests
  /// first, first + stride, first + 2 x stride, ... of the global sequence.
  static pacer open_loop(time_point start, double rate, std::uint64_t first, std::uint64_t stride) noexcept {
    return pacer(start, rate, first, stride);
  }
  /// Closed loop: every request is due at once.
  static pacer closed_loop(time_point start) noexcept { return pacer(start, 0, 0, 1); }

  bool is_open_loop() const noexcept { return rate_ > 0; }

  /// When request j of this schedule is due.
  time_point due(std::uint64_t j) const noexcept {
    auto ns = std::llround(static_cast<double>(first_ + j * stride_) * 1e9 / rate_);
    return start_ + std::chrono::nanoseconds(ns);
  }

  /// When the next request is due; in closed loop, `now`.
  time_point next_due(time_point now) const noexcept { return is_open_loop() ? due(next_) : now; }

  /// Takes the next request, being sent at `now`, and returns the time it was due: what its
  /// response time counts from.
  time_point take(time_point now) noexcept {
    auto due_at = next_due(now);
    ++next_;
    return due_at;
  }

  /// How many requests were taken.
  std::uint64_t taken() const noexcept { return next_; }

 private:
  pacer(time_point start, double rate, std::uint64_t first, std::uint64_t stride) noexcept
      : start_(start), rate_(rate), first_(first), stride_(stride) {}

  time_point start_;
  double rate_;
  std::uint64_t first_;
  std::uint64_t stride_;
  std::uint64_t next_ = 0;
};

}  // namespace splitbench::bench
