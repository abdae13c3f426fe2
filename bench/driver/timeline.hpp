#pragma once
/// The run's timeline, shared by its workers: when requests start to fall due, the measured
/// window, how long queued requests may still be sent after it, and the hard deadline. The
/// controlling thread may bring the end forward (cancel); workers read it whenever they decide
/// what a time belongs to, so that they all count the same window.
///
///   first_due ... measure_start ........ end ..... send_until ........ hard_deadline
///   | warm-up    | measured window      | queued requests |  answers     |
///                                         still sent      |  still awaited
///
/// Open loop: requests due in the window that are still queued at `end` are sent until
/// send_until = end + timeout; closed loop: nothing is sent after `end`. The hard deadline is
/// one timeout (and a 100 ms grace) later, so every request sent has timed out or been answered
/// by then, unless the run was cancelled.

#include "bench/driver/pacer.hpp"

#include <atomic>
#include <chrono>

namespace splitbench::bench {

class timeline {
 public:
  /// The grace after the last timeout before the hard deadline (and after a cancel).
  static constexpr std::chrono::milliseconds grace{100};

  /// Sets the times before any worker reads them.
  void start(time_point first_due, std::chrono::nanoseconds warmup, std::chrono::nanoseconds duration,
             std::chrono::nanoseconds timeout, bool open_loop) noexcept;

  /// Ends the window at `now` if that is sooner: nothing more is sent, answers in flight get the
  /// grace. Safe from any thread.
  void cancel(time_point now) noexcept;

  time_point first_due() const noexcept { return first_due_; }
  time_point measure_start() const noexcept { return measure_start_; }
  time_point end() const noexcept { return load(end_); }
  time_point send_until() const noexcept { return load(send_until_); }
  time_point hard_deadline() const noexcept { return load(hard_deadline_); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

  /// Inside the measured window [measure_start, end).
  bool in_window(time_point t) const noexcept { return t >= measure_start_ && t < end(); }

 private:
  using ticks = std::atomic<clock_type::rep>;
  static time_point load(ticks const& t) noexcept { return time_point(clock_type::duration(t.load(std::memory_order_relaxed))); }
  static void lower(ticks& t, time_point to) noexcept;

  time_point first_due_{}, measure_start_{};
  ticks end_{0}, send_until_{0}, hard_deadline_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace splitbench::bench
