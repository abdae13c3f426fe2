#include "bench/runner/sweep.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;

namespace {

/// Runs a search against a deployment that passes every rate up to `capacity`.
capacity_search search_until(double capacity, double start = 1'000, double factor = 1.5, double max = 40'000, int* steps = nullptr) {
  capacity_search s(start, factor, max);
  int n = 0;
  while (auto rate = s.next_rate()) {
    s.record(*rate, *rate <= capacity ? step_outcome::passed : step_outcome::failed);
    REQUIRE(++n < 50);
  }
  if (steps) *steps = n;
  return s;
}

run_measurement attempt(double rate, double latency_us, std::uint64_t errors = 0, double utilisation = 0.2) {
  run_measurement m;
  m.rate = rate;
  m.seconds = 2;
  m.requests = static_cast<std::uint64_t>(rate * 2);
  m.errors = errors;
  m.responses = m.requests - errors;
  m.throughput_rps = static_cast<double>(m.responses) / 2;
  m.driver_utilisation = utilisation;
  histogram h(3);
  h.record(static_cast<std::uint64_t>(latency_us * 1e3), m.requests);
  m.histogram = h.encode();
  return m;
}

sweep_step step_at(double rate, std::vector<run_measurement> attempts) {
  sweep_step s;
  s.rate = rate;
  s.attempts = std::move(attempts);
  return s;
}

}  // namespace

TEST_CASE("the sweep rises, then bisects until the bounds are within 10%") {
  for (double capacity : {1'200.0, 7'777.0, 17'500.0, 31'000.0}) {
    int steps = 0;
    auto b = search_until(capacity, 1'000, 1.5, 40'000, &steps);
    INFO("capacity " << capacity << ", " << steps << " steps");
    REQUIRE(b.bounds());
    CHECK(b.bounds()->low <= capacity);
    REQUIRE(b.bounds()->high);
    CHECK(*b.bounds()->high > capacity);
    CHECK(*b.bounds()->high / b.bounds()->low <= 1.10);
    CHECK(steps <= 14);
  }
}

TEST_CASE("the sweep: a side that passes every step is a lower bound, and a start that fails steps down") {
  auto all = search_until(1e9);
  CHECK(all.bounds()->low == 40'000);
  CHECK_FALSE(all.bounds()->high);
  auto low = search_until(500);
  REQUIRE(low.bounds());
  CHECK(low.bounds()->low <= 500);
  CHECK(*low.bounds()->high > 500);
  CHECK_FALSE(search_until(1).bounds());  // nothing passed, even three steps down
}

TEST_CASE("the sweep stops at an inconclusive step: nothing above it was measured") {
  capacity_search s(1'000, 2, 40'000);
  s.record(*s.next_rate(), step_outcome::passed);
  s.record(*s.next_rate(), step_outcome::inconclusive);
  CHECK_FALSE(s.next_rate());
  CHECK(s.bounds()->low == 1'000);
  CHECK_FALSE(s.bounds()->high);
}

TEST_CASE("a step is decided on its attempts merged: p99, errors, completions, the driver") {
  step_rules rules{10'000, 0.001, 0.95};
  auto ok = step_at(2'000, {attempt(2'000, 500)});
  decide_step(ok, rules);
  CHECK(ok.outcome == step_outcome::passed);
  auto slow = step_at(2'000, {attempt(2'000, 12'000)});
  decide_step(slow, rules);
  CHECK(slow.outcome == step_outcome::failed);
  CHECK(slow.reason.find("p99 12000 µs over the SLO") == 0);
  // One stall in the first window: 1.5% of its requests at 20 ms. Merged with a clean second
  // window it is 0.75% of the requests, under the 1% a p99 allows: the step passes.
  auto stalled = attempt(2'000, 500);
  histogram h = histogram::decode(stalled.histogram);
  h.reset();
  h.record(500'000, 3'940);
  h.record(20'000'000, 60);
  stalled.histogram = h.encode();
  auto retried = step_at(2'000, {stalled});
  decide_step(retried, rules);
  CHECK(retried.outcome == step_outcome::failed);
  retried.attempts.push_back(attempt(2'000, 500));
  decide_step(retried, rules);
  CHECK(retried.outcome == step_outcome::passed);
  auto errors = step_at(2'000, {attempt(2'000, 500, 40)});
  decide_step(errors, rules);
  CHECK(errors.outcome == step_outcome::failed);
  auto driver = step_at(2'000, {attempt(2'000, 500, 0, 0.97)});
  decide_step(driver, rules);
  CHECK(driver.outcome == step_outcome::inconclusive);
}
