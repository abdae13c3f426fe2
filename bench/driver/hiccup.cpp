#include "bench/driver/hiccup.hpp"

#include <algorithm>
#include <sys/prctl.h>

namespace splitbench::bench {
using namespace std::chrono;

void hiccup_recorder::woke(time_point asleep, time_point awake) noexcept {
  auto late = duration_cast<nanoseconds>(awake - asleep) - interval;
  hiccups_.record_corrected(static_cast<std::uint64_t>(std::max<nanoseconds::rep>(0, late.count())),
                            static_cast<std::uint64_t>(interval.count()));
}

hiccup_meter::hiccup_meter(timeline const& window) : thread_([this, &window] { run(window); }) {}

hiccup_meter::~hiccup_meter() { stop(); }

void hiccup_meter::run(timeline const& window) {
  ::prctl(PR_SET_TIMERSLACK, 1UL);  // as the workers: a wake-up late by the slack is no hiccup
  // Wait for the window in steps short enough to notice stop() soon.
  while (!stop_.load(std::memory_order_relaxed) && clock_type::now() < window.measure_start())
    std::this_thread::sleep_for(std::min<clock_type::duration>(milliseconds(10), window.measure_start() - clock_type::now()));
  while (!stop_.load(std::memory_order_relaxed)) {
    auto asleep = clock_type::now();
    if (asleep >= window.end()) break;
    std::this_thread::sleep_for(hiccup_recorder::interval);
    recorder_.woke(asleep, clock_type::now());
  }
}

histogram hiccup_meter::stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
  return recorder_.hiccups();
}

}  // namespace splitbench::bench
