#include "net/resilience.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::net;
using namespace std::chrono_literals;

TEST_CASE("breaker: opens after failures in a row, fails fast, probes once, closes on success") {
  circuit_breaker b({3, 1'000ms});
  auto t = std::chrono::steady_clock::time_point{} + 1h;
  CHECK(b.allow(t));
  b.record(false, t);
  b.record(false, t);
  b.record(true, t);  // a success breaks the run
  b.record(false, t);
  b.record(false, t);
  CHECK(b.current() == circuit_breaker::state::closed);
  b.record(false, t);
  CHECK(b.current() == circuit_breaker::state::open);
  CHECK(b.opened() == 1);
  CHECK_FALSE(b.allow(t + 999ms));
  CHECK(b.allow(t + 1'000ms));  // the probe
  CHECK(b.current() == circuit_breaker::state::half_open);
  CHECK_FALSE(b.allow(t + 1'001ms));  // one probe at a time
  b.record(false, t + 1'010ms);       // the probe failed: open again, for another second
  CHECK(b.current() == circuit_breaker::state::open);
  CHECK(b.opened() == 2);
  CHECK_FALSE(b.allow(t + 2'000ms));
  CHECK(b.allow(t + 2'010ms));
  b.record(true, t + 2'011ms);
  CHECK(b.current() == circuit_breaker::state::closed);
  CHECK(b.allow(t + 2'012ms));
}

TEST_CASE("breaker: off by default lets everything through") {
  circuit_breaker b({});
  auto t = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) b.record(false, t);
  CHECK(b.allow(t));
  CHECK(b.current() == circuit_breaker::state::closed);
}

TEST_CASE("retry budget: retries stay under the fraction of calls") {
  retry_budget budget(0.1);
  int retries = 0;
  for (int call = 0; call < 1'000; ++call) {
    budget.on_call();
    while (budget.try_spend()) ++retries;  // every call fails and wants to retry
  }
  CHECK(retries == 100);
  retry_budget idle(0.1);
  for (int call = 0; call < 1'000; ++call) idle.on_call();
  CHECK(idle.tokens() == retry_budget::cap);  // saved up, but only so far
}

TEST_CASE("jittered back-off: uniform under the doubling bound") {
  std::mt19937_64 random(7);
  for (int attempt = 0; attempt < 4; ++attempt) {
    double sum = 0, highest = 0;
    for (int i = 0; i < 10'000; ++i) {
      auto d = static_cast<double>(jittered_backoff(10ms, attempt, random).count());
      sum += d;
      highest = std::max(highest, d);
    }
    auto bound = 10e6 * (1 << attempt);
    CHECK(highest < bound);
    CHECK(sum / 10'000 == Approx(bound / 2).epsilon(0.03));
  }
  CHECK(jittered_backoff(0ms, 3, random).count() == 0);
}
