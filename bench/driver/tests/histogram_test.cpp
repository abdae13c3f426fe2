#include "bench/driver/histogram.hpp"
#include "core/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using splitbench::splitmix64;
using splitbench::bench::histogram;

namespace {

/// The sample of rank round(p/100 x n), the definition value_at_percentile documents.
std::uint64_t exact_percentile(std::vector<std::uint64_t> const& sorted, double p) {
  auto rank = static_cast<std::size_t>(std::llround(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

/// Every percentile is at or above the exact one and within 10^-3 of it (relative).
void check_against_exact(std::vector<std::uint64_t> samples) {
  histogram h;
  for (auto v : samples) h.record(v);
  std::sort(samples.begin(), samples.end());
  REQUIRE(h.count() == samples.size());
  CHECK(h.min() == samples.front());
  CHECK(h.max() == samples.back());
  long double sum = 0;
  for (auto v : samples) sum += static_cast<long double>(v);
  CHECK(h.mean() == Approx(static_cast<double>(sum / samples.size())).epsilon(1e-12));
  for (double p : {0.001, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 99.999, 100.0}) {
    auto exact = exact_percentile(samples, p);
    auto got = h.value_at_percentile(p);
    INFO("percentile " << p << " exact " << exact << " got " << got);
    REQUIRE(got >= exact);
    REQUIRE(static_cast<double>(got - exact) <= static_cast<double>(exact) * 1e-3);
  }
}

}  // namespace

TEST_CASE("percentiles match sorted samples: uniform, log-uniform, exponential") {
  splitmix64 rng(1);
  std::vector<std::uint64_t> uniform, log_uniform, exponential;
  for (int i = 0; i < 100'000; ++i) {
    uniform.push_back(1 + rng.below(10'000'000));
    double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
    log_uniform.push_back(static_cast<std::uint64_t>(std::exp(u * std::log(60e9))));  // 1 ns .. 60 s
    exponential.push_back(1 + static_cast<std::uint64_t>(-std::log(1 - u) * 50'000.0));
  }
  check_against_exact(uniform);
  check_against_exact(log_uniform);
  check_against_exact(exponential);
}

TEST_CASE("percentiles match sorted samples: adversarial shapes") {
  SECTION("one value") { check_against_exact(std::vector<std::uint64_t>(1'000, 123'456)); }
  SECTION("a single sample") { check_against_exact({42}); }
  SECTION("bucket edges: powers of two and their neighbours") {
    std::vector<std::uint64_t> v;
    for (int b = 0; b < 42; ++b)
      for (std::int64_t d : {-1, 0, 1}) {
        auto x = static_cast<std::int64_t>(1ULL << b) + d;
        if (x >= 1) v.push_back(static_cast<std::uint64_t>(x));
      }
    check_against_exact(v);
  }
  SECTION("two clusters nine orders of magnitude apart") {
    std::vector<std::uint64_t> v(9'990, 20'000);
    v.insert(v.end(), 10, 30'000'000'000ULL);
    check_against_exact(v);
  }
  SECTION("tiny values are exact") {
    std::vector<std::uint64_t> v;
    for (std::uint64_t i = 1; i <= 2'047; ++i) v.push_back(i);
    histogram h;
    for (auto x : v) h.record(x);
    for (std::uint64_t i = 1; i <= 2'047; ++i) REQUIRE(h.highest_equivalent(i) == i);
    check_against_exact(v);
  }
}

TEST_CASE("three significant digits from 1 us to 60 s take under 256 KiB") {
  histogram h;
  for (std::uint64_t v = 1'000; v <= 60'000'000'000ULL; v = v * 11 / 10) {
    REQUIRE(h.highest_equivalent(v) - h.lowest_equivalent(v) + 1 <= std::max<std::uint64_t>(1, v / 1'000));
    REQUIRE(h.lowest_equivalent(v) <= v);
    REQUIRE(h.highest_equivalent(v) >= v);
  }
}

TEST_CASE("values above the range are kept at its top and counted, never dropped") {
  histogram h(3, 1'000'000);
  h.record(5);
  h.record(2'000'000);
  CHECK(h.count() == 2);
  CHECK(h.saturated() == 1);
  CHECK(h.max() == 1'000'000);
}

TEST_CASE("merging per-thread histograms equals recording into one") {
  splitmix64 rng(7);
  histogram all, a, b;
  for (int i = 0; i < 50'000; ++i) {
    auto v = 1 + rng.below(1'000'000'000);
    all.record(v);
    (i % 3 ? a : b).record(v);
  }
  histogram merged;
  merged.merge(a);
  merged.merge(b);
  CHECK(merged.count() == all.count());
  CHECK(merged.min() == all.min());
  CHECK(merged.max() == all.max());
  CHECK(merged.mean() == Approx(all.mean()));
  for (double p : {50.0, 90.0, 99.0, 99.9}) CHECK(merged.value_at_percentile(p) == all.value_at_percentile(p));
  histogram other_shape(2);
  CHECK_THROWS(merged.merge(other_shape));
}

TEST_CASE("encode and decode round-trip exactly") {
  splitmix64 rng(3);
  histogram h;
  for (int i = 0; i < 10'000; ++i) h.record(1 + rng.below(5'000'000));
  auto back = histogram::decode(h.encode());
  CHECK(back.count() == h.count());
  CHECK(back.min() == h.min());
  CHECK(back.max() == h.max());
  CHECK(back.mean() == h.mean());
  for (double p : {1.0, 50.0, 99.0, 99.99}) CHECK(back.value_at_percentile(p) == h.value_at_percentile(p));
  CHECK(back.encode() == h.encode());
  CHECK_THROWS(histogram::decode("nonsense"));
  CHECK(histogram::decode(histogram().encode()).count() == 0);
}

TEST_CASE("record_corrected adds back the samples a stall hid") {
  histogram h;
  h.record_corrected(1'000, 100);  // 1000, 900, ..., 100
  CHECK(h.count() == 10);
  CHECK(h.min() == 100);
  CHECK(h.max() == 1'000);
  histogram plain;
  plain.record_corrected(50, 100);
  CHECK(plain.count() == 1);
}
