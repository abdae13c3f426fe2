#include "bench/driver/pacer.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace splitbench::bench;
using std::chrono::microseconds, std::chrono::milliseconds, std::chrono::nanoseconds, std::chrono::seconds;

namespace {
/// One connection served by a simulated server: each request takes service(j) once sent; a
/// request goes out at its due time or, if the connection is still busy, when it frees up.
struct simulated {
  std::vector<time_point> due, sent, done;
};

template <class Service>
simulated drive(pacer p, time_point t0, int n, Service service) {
  simulated s;
  auto now = t0;
  for (int j = 0; j < n; ++j) {
    auto next = p.next_due(now);
    if (next > now) now = next;  // the timer
    auto due = p.take(now);
    s.due.push_back(due);
    s.sent.push_back(now);
    now += service(j);
    s.done.push_back(now);
  }
  return s;
}
}  // namespace

TEST_CASE("open loop: due times come from a counter, exactly, never from summed sleeps") {
  time_point t0{seconds(100)};
  auto p = pacer::open_loop(t0, 3'000, 0, 1);  // 333.33... us apart: summing would drift
  for (std::uint64_t j : {0ULL, 1ULL, 2ULL, 3ULL, 2'999ULL, 3'000ULL, 3'000'000ULL})
    CHECK(p.due(j) == t0 + nanoseconds(llround(static_cast<double>(j) * 1e9 / 3'000)));
  CHECK(p.due(3'000) == t0 + seconds(1));
  CHECK(p.due(3'000'000) == t0 + seconds(1'000));
}

TEST_CASE("workers interleave: worker k of T takes requests k, k+T, ...") {
  time_point t0{};
  auto a = pacer::open_loop(t0, 1'000, 0, 4), b = pacer::open_loop(t0, 1'000, 3, 4);
  CHECK(a.due(0) == t0);
  CHECK(a.due(1) == t0 + milliseconds(4));
  CHECK(b.due(0) == t0 + milliseconds(3));
  CHECK(b.due(2) == t0 + milliseconds(11));
}

TEST_CASE("a fast server: every request is sent at its due time") {
  time_point t0{};
  auto s = drive(pacer::open_loop(t0, 1'000, 0, 1), t0, 100, [](int) { return microseconds(50); });
  for (std::size_t j = 0; j < 100; ++j) {
    REQUIRE(s.sent[j] == s.due[j]);
    REQUIRE(s.due[j] == t0 + milliseconds(j));
    REQUIRE(s.done[j] - s.due[j] == microseconds(50));
  }
}

TEST_CASE("a stall is charged to every request it delayed, then the schedule catches up") {
  time_point t0{};
  // 1 ms apart; request 10 takes 100 ms (a stall), the rest 100 us.
  auto s = drive(pacer::open_loop(t0, 1'000, 0, 1), t0, 300, [](int j) { return j == 10 ? milliseconds(100) : microseconds(100); });
  CHECK(s.done[10] - s.due[10] == milliseconds(100));
  // Requests 11..109 fell due during the stall: they go out back to back when it ends, each
  // counted from its own due time, so their latencies fall 1 ms at a time.
  CHECK(s.sent[11] == s.done[10]);
  CHECK(s.done[11] - s.due[11] == milliseconds(99) + microseconds(100));
  CHECK(s.done[12] - s.due[12] == milliseconds(98) + microseconds(200));
  for (int j = 12; j < 100; ++j) REQUIRE(s.sent[static_cast<std::size_t>(j)] == s.done[static_cast<std::size_t>(j - 1)]);
  // Catching up at 100 us per request against 1 ms per slot, it is back on schedule at request 121 (110 ms + 11 x 0.1 ms).
  std::size_t on_time = 0;
  for (std::size_t j = 11; j < s.due.size(); ++j)
    if (s.sent[j] == s.due[j]) {
      on_time = j;
      break;
    }
  CHECK(on_time == 121);
  for (std::size_t j = on_time; j < s.due.size(); ++j) REQUIRE(s.sent[j] == s.due[j]);
  // The corrected latencies a closed-loop tester would never have seen: one sample of 100 ms, but
  // here over a hundred samples above 1 ms.
  int slow = 0;
  for (std::size_t j = 0; j < s.due.size(); ++j) slow += s.done[j] - s.due[j] > milliseconds(1);
  CHECK(slow > 100);
}

TEST_CASE("closed loop: each request is due when it can be sent") {
  time_point t0{};
  auto s = drive(pacer::closed_loop(t0), t0, 10, [](int j) { return j == 3 ? milliseconds(50) : microseconds(10); });
  for (std::size_t j = 0; j < 10; ++j) REQUIRE(s.due[j] == s.sent[j]);
  CHECK(s.sent[4] == s.done[3]);
}
