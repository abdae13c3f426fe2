#include "bench/faults/impact.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;

namespace {

/// A slice of `due` requests: `good` answered in `good_us`, the rest failed at `bad_us`.
interval_stats slice(std::uint64_t due, std::uint64_t good, double good_us = 200, double bad_us = 2'000'000) {
  interval_stats s;
  s.due = due;
  s.good = good;
  s.server_errors = due - good;
  s.response_time.record(static_cast<std::uint64_t>(good_us * 1e3), good);
  s.response_time.record(static_cast<std::uint64_t>(bad_us * 1e3), due - good);
  return s;
}

/// `n` healthy slices of 100 requests.
std::vector<interval_stats> steady(std::size_t n) { return std::vector<interval_stats>(n, slice(100, 100)); }

}  // namespace

TEST_CASE("impact: an untouched route is fully available, never detected, recovered at once") {
  auto t = steady(20);  // 5 s in 250 ms slices
  auto i = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  CHECK(i.availability == 1.0);
  CHECK(i.pre_fault_p99_us == Approx(200).epsilon(0.01));
  CHECK(i.healthy_p99_limit_us == Approx(240).epsilon(0.01));
  CHECK(i.p99_during_us == Approx(200).epsilon(0.01));
  CHECK_FALSE(i.time_to_detect_s);
  CHECK(i.outage_s == 0);
  REQUIRE(i.time_to_recover_s);
  CHECK(*i.time_to_recover_s == 0);
  CHECK_FALSE(i.broken);
}

TEST_CASE("impact: a route down for 1 s, then back") {
  auto t = steady(20);
  for (std::size_t k = 4; k < 8; ++k) t[k] = slice(100, 0);  // 1.0 s to 2.0 s: every request fails
  auto i = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  CHECK(i.availability == 0.0);
  CHECK(i.p99_during_us == Approx(2'000'000).epsilon(0.01));
  CHECK(i.broken);
  REQUIRE(i.time_to_detect_s);
  CHECK(*i.time_to_detect_s == 0);
  CHECK(i.outage_s == Approx(1.0));
  REQUIRE(i.time_to_recover_s);
  CHECK(*i.time_to_recover_s == Approx(0.0));
}

TEST_CASE("impact: recovery waits for three healthy slices in a row, slow ones included") {
  auto t = steady(24);
  for (std::size_t k = 4; k < 8; ++k) t[k] = slice(100, 0);
  t[8] = slice(100, 100, 2'000);   // answers again, but at 10x the latency: not healthy
  t[9] = slice(100, 100);
  t[10] = slice(100, 99);          // one failure in 100: under 99.9%
  // 11, 12, 13 healthy: recovered at 2.75 s, 0.75 s after the window's end at 2.0 s; answering
  // well from 8 to 9, but 10 failed one: available again from 11 as well.
  auto i = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  REQUIRE(i.time_to_recover_s);
  CHECK(*i.time_to_recover_s == Approx(0.75));
  REQUIRE(i.time_to_available_s);
  CHECK(*i.time_to_available_s == Approx(0.75));
  t[10] = slice(100, 100);
  auto j = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  REQUIRE(j.time_to_available_s);
  CHECK(*j.time_to_available_s == Approx(0.0));  // 8, 9, 10 answered well, slowly at first
  CHECK(*j.time_to_recover_s == Approx(0.25));   // 9, 10, 11 healthy
  CHECK(i.outage_s == Approx(6 * 0.25));  // slices 4-8 and 10
  CHECK(i.availability == 0.0);
}

TEST_CASE("impact: a route that never comes back has no time to recover") {
  auto t = steady(12);
  for (std::size_t k = 4; k < 12; ++k) t[k] = slice(100, 0);
  auto i = impact_of(t, 0.25, {1.0, 1.5}, 10'000);
  CHECK_FALSE(i.time_to_recover_s);
  CHECK_FALSE(i.time_to_available_s);
  CHECK(i.outage_s == Approx(2.0));
  CHECK(i.broken);
}

TEST_CASE("impact: detection at the first unhealthy slice after the start, partial availability") {
  auto t = steady(20);
  t[5] = slice(100, 90);  // 1.25 s: 10% fail
  t[6] = slice(100, 50);
  auto i = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  REQUIRE(i.time_to_detect_s);
  CHECK(*i.time_to_detect_s == Approx(0.25));
  CHECK(i.availability == Approx(340.0 / 400));
  CHECK(i.broken);
  CHECK(i.outage_s == Approx(0.5));
}

TEST_CASE("impact: slow but answering breaks the SLO, not availability") {
  auto t = steady(20);
  for (std::size_t k = 4; k < 8; ++k) t[k] = slice(100, 100, 50'000);
  auto i = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  CHECK(i.availability == 1.0);
  CHECK(i.p99_during_us == Approx(50'000).epsilon(0.01));
  CHECK(i.broken);
}

TEST_CASE("impact: a slice is held to the noisiest slice before the fault, not to the merged p99") {
  auto t = steady(20);
  t[2] = slice(98, 98);           // one noisy slice before the fault: 2 of its 100 took 1 ms
  t[2].due = t[2].good = 100;
  t[2].response_time.record(1'000'000, 2);
  for (std::size_t k = 4; k < 8; ++k) t[k] = slice(100, 0);
  t[9] = slice(100, 100, 1'100);  // as noisy as before: healthy
  auto i = impact_of(t, 0.25, {1.0, 2.0}, 10'000);
  CHECK(i.pre_fault_p99_us == Approx(200).epsilon(0.01));
  CHECK(i.healthy_p99_limit_us == Approx(1'200).epsilon(0.01));
  REQUIRE(i.time_to_recover_s);
  CHECK(*i.time_to_recover_s == Approx(0.0));
}

TEST_CASE("impact: a fault from the window's start is judged against the SLO") {
  auto t = steady(8);
  t[0] = slice(100, 0);
  auto i = impact_of(t, 0.25, {0.0, 0.25}, 10'000);
  CHECK(i.healthy_p99_limit_us == 10'000);
  REQUIRE(i.time_to_recover_s);
  CHECK(*i.time_to_recover_s == Approx(0.0));
  CHECK(i.outage_s == Approx(0.25));
}

TEST_CASE("impact: slow slices after the route answers well again are not outage") {
  auto t = steady(24);
  for (std::size_t k = 4; k < 6; ++k) t[k] = slice(100, 0);  // down 1.0-1.5 s
  t[7] = slice(100, 100, 2'000);                               // a slow slice later: noise settling
  auto i = impact_of(t, 0.25, {1.0, 1.5}, 10'000);
  CHECK(i.outage_s == Approx(0.5));
  REQUIRE(i.time_to_available_s);
  CHECK(*i.time_to_available_s == Approx(0.0));
  REQUIRE(i.time_to_recover_s);
  CHECK(*i.time_to_recover_s == Approx(0.5));  // 8, 9, 10: after the slow slice
}
