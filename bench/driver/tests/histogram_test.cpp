#include "bench/driver/histogram.hpp"
#include "core/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using splitbench::splitmix64;
using splitbench::bench::histogram;

namespace {

/// Percentiles in thousandths of a percent, so the reference ranks below are exact integers.
constexpr std::uint64_t percentiles_milli[] = {0, 1, 1'000, 10'000, 25'000, 33'333, 50'000, 66'667, 75'000,
                                               90'000, 99'000, 99'900, 99'990, 99'999, 100'000};

/// HdrHistogram's definition, on sorted samples: the smallest sample v with at least p% of the
/// samples at or below it. Rank r is the least integer with r / n >= p / 100 (at least 1).
std::uint64_t exact_percentile(std::vector<std::uint64_t> const& sorted, std::uint64_t milli) {
  auto n = static_cast<std::uint64_t>(sorted.size());
  auto rank = (milli * n + 100'000 - 1) / 100'000;  // ceil(milli x n / 100000), in integers
  return sorted[static_cast<std::size_t>(std::clamp<std::uint64_t>(rank, 1, n)) - 1];
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
  for (auto milli : percentiles_milli) {
    auto exact = exact_percentile(samples, milli);
    auto got = h.value_at_percentile(static_cast<double>(milli) / 1000.0);
    INFO("percentile " << static_cast<double>(milli) / 1000.0 << " of " << samples.size() << ": exact " << exact << " got " << got);
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
  SECTION("small counts, where rounding the rank to nearest and up differ") {
    for (std::uint64_t n = 1; n <= 40; ++n) {
      std::vector<std::uint64_t> v;
      for (std::uint64_t i = 1; i <= n; ++i) v.push_back(i * 1'000);
      check_against_exact(v);
    }
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

TEST_CASE("the rank rounds up: the p-th percentile has at least p% of the samples at or below it") {
  histogram h;
  for (std::uint64_t v : {1, 2, 3, 4, 5}) h.record(v);
  CHECK(h.value_at_percentile(0) == 1);
  CHECK(h.value_at_percentile(20) == 1);
  CHECK(h.value_at_percentile(25) == 2);  // rank ceil(1.25) = 2; to nearest would say 1
  CHECK(h.value_at_percentile(50) == 3);
  CHECK(h.value_at_percentile(61) == 4);  // rank ceil(3.05) = 4
  CHECK(h.value_at_percentile(99.9) == 5);
  CHECK(h.value_at_percentile(100) == 5);
  histogram hundred;
  for (std::uint64_t v = 1; v <= 100; ++v) hundred.record(v);
  CHECK(hundred.value_at_percentile(99) == 99);  // 99.0 x 100 / 100 is not rounded up to rank 100
  CHECK(hundred.value_at_percentile(99.9) == 100);
}

TEST_CASE("three significant digits from 1 us to 60 s, in the memory histogram.hpp states") {
  histogram h;
  for (std::uint64_t v = 1'000; v <= 60'000'000'000ULL; v = v * 11 / 10) {
    REQUIRE(h.highest_equivalent(v) - h.lowest_equivalent(v) + 1 <= std::max<std::uint64_t>(1, v / 1'000));
    REQUIRE(h.lowest_equivalent(v) <= v);
    REQUIRE(h.highest_equivalent(v) >= v);
  }
  // histogram.hpp: 3 digits from 1 ns to 1 h take 33 x 1024 counters, 264 KiB.
  CHECK((h.memory_bytes() - sizeof(histogram)) == 33 * 1024 * 8);
  CHECK(h.memory_bytes() / 1024 == 264);
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
  CHECK(histogram::decode(histogram().encode()).count() == 0);
  histogram saturated(2, 1'000);
  saturated.record(7);
  saturated.record(5'000);
  auto s = histogram::decode(saturated.encode());
  CHECK(s.saturated() == 1);
  CHECK(s.encode() == saturated.encode());
}

TEST_CASE("decode refuses malformed text with invalid_argument, never a loop or a crash") {
  histogram h(3, 1'000'000);
  h.record(1'000);
  h.record(2'000);
  auto good = h.encode();  // "hist1 3 1000000 1000 2000 3000 0 <i>:1,<j>:1"
  REQUIRE_NOTHROW(histogram::decode(good));
  auto pairs = good.substr(good.rfind(' ') + 1);
  auto i = pairs.substr(0, pairs.find(':'));
  auto j = pairs.substr(pairs.find(',') + 1, pairs.rfind(':') - pairs.find(',') - 1);
  std::vector<std::string> const malformed = {
           "", "nonsense", "hist1", "hist2 3 1000000 0 0 0 0 ", "hist1 3 1000000 0 0 0",
           "hist1 0 1000000 0 0 0 0 ", "hist1 6 1000000 0 0 0 0 ", "hist1 99999999999 1000000 0 0 0 0 ",
           "hist1 3 1 0 0 0 0 ", "hist1 3 0 0 0 0 0 ",
           "hist1 3 18446744073709551615 0 0 0 0 ",  // would loop for ever sizing the buckets
           "hist1 3 18446744073709551616 0 0 0 0 ",  // does not fit 64 bits
           "hist1 3 -1000000 0 0 0 0 ", "hist1 -3 1000000 0 0 0 0 ", "hist1 3 1000000 -1 0 0 0 ",
           "hist1 3 1000000 0 0 0 -1 ", "hist1 3 1000000 0 0 0 0 0:-1", "hist1 3 1000000 0 0 0 0 -1:1",
           "hist1 3 1000000 +1000 2000 3000 0 " + pairs, "hist1 3 1000000 0x10 2000 3000 0 " + pairs,
           "hist1 3 1000000 2000 1000 3000 0 " + pairs,     // min > max
           "hist1 3 1000 1000 2000 3000 0 " + pairs,        // max > highest
           "hist1 3 1000000 1000 2000 3000 3 " + pairs,     // more saturated than samples
           "hist1 3 1000000 5 2000 3000 0 " + pairs,        // min outside the first bucket counted
           "hist1 3 1000000 1000 900000 3000 0 " + pairs,   // max outside the last bucket counted
           "hist1 3 1000000 1000 2000 10 0 " + pairs,       // sum below what the counts allow
           "hist1 3 1000000 1000 2000 999999 0 " + pairs,   // and above
           "hist1 3 1000000 1000 2000 3000 0 " + j + ":1," + i + ":1",  // out of order
           "hist1 3 1000000 1000 1000 2000 0 " + i + ":1," + i + ":1",  // repeated
           "hist1 3 1000000 1000 2000 3000 0 " + i + ":0," + j + ":1",  // a zero count
           "hist1 3 1000000 1000 2000 3000 0 " + i + ":18446744073709551615," + j + ":1",  // total overflows
           "hist1 3 1000000 1000 2000 3000 0 " + i + ":1," + "99999999:1",  // index out of range
           "hist1 3 1000000 1000 2000 3000 0 " + i + ":1," + "18446744073709551616:1",
           "hist1 3 1000000 1000 2000 3000 0 " + i + "-1",  // not index:count
           "hist1 3 1000000 1000 2000 3000 0 " + i + ":1,",  // an empty entry
           "hist1 3 1000000 1000 2000 3000 0 " + pairs + " trailing",
           "hist1  3 1000000 1000 2000 3000 0 " + pairs,
           "hist1 3 1000000 0 0 5 0 ",  // a sum without samples
           "hist1 3 1000000 0 7 0 0 ",  // a max without samples
       };
  for (auto const& bad : malformed) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(histogram::decode(bad), std::invalid_argument);
  }
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
