#include "bench/driver/hiccup.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;
using namespace std::chrono;

TEST_CASE("hiccups: how late each 1 ms sleep woke, with the samples a stall hid") {
  hiccup_recorder r;
  splitbench::bench::time_point t{seconds(10)};
  r.woke(t, t + milliseconds(1));                      // on time
  r.woke(t, t + milliseconds(1) + microseconds(30));   // 30 us late
  r.woke(t, t + microseconds(999));                    // early (a coarse clock): not negative
  CHECK(r.hiccups().count() == 3);
  CHECK(r.hiccups().min() == 0);
  CHECK(r.hiccups().max() == 30'000);
  // A 5 ms stall: a 1 ms ticker would have seen 5, 4, 3, 2 and 1 ms.
  r.woke(t, t + milliseconds(6));
  CHECK(r.hiccups().count() == 8);
  CHECK(r.hiccups().max() == 5'000'000);
  CHECK(r.hiccups().lowest_equivalent(r.hiccups().value_at_percentile(50)) == r.hiccups().lowest_equivalent(1'000'000));
}

TEST_CASE("the hiccup meter measures the window and nothing after it") {
  timeline window;
  window.start(clock_type::now(), milliseconds(10), milliseconds(100), milliseconds(100), true);
  hiccup_meter meter(window);
  std::this_thread::sleep_until(window.end() + milliseconds(50));
  auto h = meter.stop();
  // 100 ms of 1 ms sleeps: at most about 100 wakes, and even a loaded machine gives some.
  CHECK(h.count() >= 5);
  CHECK(h.count() <= 100 + 100);  // each wake adds at most its hidden samples, within 100 ms in all
}
