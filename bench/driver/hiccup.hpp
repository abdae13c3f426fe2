#pragma once
/// A hiccup meter, after jHiccup: a thread asks to sleep 1 ms, again and again, and records how
/// much later than asked it woke. What it sees is the machine's own stalls (scheduling, other
/// load, the hypervisor), which the driver and the server under test suffer as well: when they
/// are of the order of a latency percentile, that percentile describes the machine, not the code.

#include "bench/driver/histogram.hpp"
#include "bench/driver/timeline.hpp"

#include <atomic>
#include <chrono>
#include <thread>

namespace splitbench::bench {

/// Pure: what one sleep tells. Tests hand it whatever times they like.
class hiccup_recorder {
 public:
  static constexpr std::chrono::nanoseconds interval = std::chrono::milliseconds(1);

  /// One sleep of `interval` that began at `asleep` and ended at `awake`. A wake-up h late is
  /// recorded as jHiccup does, with the samples a ticker of `interval` would have taken during
  /// the stall (h - interval, h - 2 x interval, ...), so that the hiccups compare with the
  /// latency of requests that arrive at any time, as the open loop's do.
  void woke(time_point asleep, time_point awake) noexcept;

  histogram const& hiccups() const noexcept { return hiccups_; }

 private:
  histogram hiccups_{3};
};

/// Runs a recorder on a thread of its own over the measured window of `window` (which may be
/// cut short by a cancel); stop() ends it.
class hiccup_meter {
 public:
  explicit hiccup_meter(timeline const& window);
  hiccup_meter(hiccup_meter const&) = delete;
  hiccup_meter& operator=(hiccup_meter const&) = delete;
  ~hiccup_meter();

  /// Stops the thread (at once, whatever the window) and returns what it recorded.
  histogram stop();

 private:
  void run(timeline const& window);

  hiccup_recorder recorder_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace splitbench::bench
