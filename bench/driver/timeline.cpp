#include "bench/driver/timeline.hpp"

namespace splitbench::bench {

void timeline::start(time_point first_due, std::chrono::nanoseconds warmup, std::chrono::nanoseconds duration,
                     std::chrono::nanoseconds timeout, bool open_loop) noexcept {
  using std::chrono::duration_cast;
  auto d = [](std::chrono::nanoseconds x) { return duration_cast<clock_type::duration>(x); };
  first_due_ = first_due;
  measure_start_ = first_due + d(warmup);
  auto end = measure_start_ + d(duration);
  auto send_until = open_loop ? end + d(timeout) : end;
  end_.store(end.time_since_epoch().count(), std::memory_order_relaxed);
  send_until_.store(send_until.time_since_epoch().count(), std::memory_order_relaxed);
  hard_deadline_.store((send_until + d(timeout) + grace).time_since_epoch().count(), std::memory_order_relaxed);
}

void timeline::lower(ticks& t, time_point to) noexcept {
  auto want = to.time_since_epoch().count();
  auto have = t.load(std::memory_order_relaxed);
  while (want < have && !t.compare_exchange_weak(have, want, std::memory_order_relaxed)) {
  }
}

void timeline::cancel(time_point now) noexcept {
  cancelled_.store(true, std::memory_order_relaxed);
  lower(end_, now);
  lower(send_until_, now);
  lower(hard_deadline_, now + grace);
}

}  // namespace splitbench::bench
