#include "bench/report/statistics.hpp"
#include "core/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace splitbench::bench;

namespace {

/// The two-sided p-value by brute force: every way of choosing which pooled values are "a".
double permutation_p(std::vector<double> const& a, std::vector<double> const& b) {
  std::vector<double> pooled(a);
  pooled.insert(pooled.end(), b.begin(), b.end());
  auto n = a.size(), total = pooled.size();
  // Mid-ranks.
  std::vector<double> sorted(pooled);
  std::sort(sorted.begin(), sorted.end());
  auto rank = [&](double x) {
    auto lo = std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin();
    auto hi = std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin();
    return (static_cast<double>(lo + 1) + static_cast<double>(hi)) / 2;
  };
  double mean = static_cast<double>(n) * static_cast<double>(total + 1) / 2, observed = 0;
  for (auto x : a) observed += rank(x);
  std::size_t extreme = 0, all = 0;
  for (std::uint32_t mask = 0; mask < (1u << total); ++mask) {
    if (static_cast<std::size_t>(__builtin_popcount(mask)) != n) continue;
    double sum = 0;
    for (std::size_t i = 0; i < total; ++i)
      if (mask & (1u << i)) sum += rank(pooled[i]);
    ++all;
    if (std::fabs(sum - mean) >= std::fabs(observed - mean) - 1e-9) ++extreme;
  }
  return static_cast<double>(extreme) / static_cast<double>(all);
}

}  // namespace

TEST_CASE("Mann-Whitney U: exact p-values for small samples") {
  auto r = mann_whitney_u({1, 2, 3}, {4, 5, 6});
  CHECK(r.exact);
  CHECK(r.u == 0);
  CHECK(r.p == Approx(0.1));  // 2 of the C(6,3) = 20 orderings are this extreme
  CHECK(mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}).p == Approx(2.0 / 252));
  CHECK(mann_whitney_u({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5}).p == Approx(2.0 / 252));  // two-sided
  CHECK(mann_whitney_u({}, {1}).p == 1);
  CHECK(smallest_p(3, 3) == Approx(0.1));
  CHECK(smallest_p(5, 5) == Approx(2.0 / 252));
  CHECK(smallest_p(2, 2) == Approx(1.0 / 3));
  CHECK(smallest_p(10, 10) == Approx(2.0 / 184756));
}

TEST_CASE("Mann-Whitney U: with ties, the exact permutation distribution, checked by brute force") {
  splitbench::splitmix64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> a(1 + rng.below(7)), b(1 + rng.below(7));
    auto levels = 1 + rng.below(5);  // few distinct values: many ties
    for (auto& x : a) x = static_cast<double>(rng.below(levels));
    for (auto& x : b) x = static_cast<double>(rng.below(levels)) + (trial % 3 == 0 ? 1 : 0);
    auto r = mann_whitney_u(a, b);
    INFO("trial " << trial);
    REQUIRE(r.exact);
    REQUIRE(r.p == Approx(permutation_p(a, b)).margin(1e-12));
  }
  // All equal: no evidence at all.
  CHECK(mann_whitney_u({5, 5, 5, 5}, {5, 5, 5, 5}).p == Approx(1));
}

TEST_CASE("Mann-Whitney U: large samples take the normal approximation") {
  std::vector<double> a, b;
  for (int i = 0; i < 40; ++i) a.push_back(i), b.push_back(i + 20);
  auto r = mann_whitney_u(a, b);
  CHECK_FALSE(r.exact);
  CHECK(r.p < 1e-4);
}

TEST_CASE("median and quantiles") {
  CHECK(std::isnan(median({})));
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 2, 3}) == 2.5);
  CHECK(quantile({1, 2, 3, 4, 5}, 0.25) == 2);
}

TEST_CASE("the median's confidence interval from order statistics has the coverage it says") {
  // n = 10: [x(2), x(9)] covers with 1 - 2 x P(B(10, 1/2) <= 1) = 1 - 22/1024.
  std::vector<double> ten{10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  auto ci = median_ci(ten);
  CHECK(ci.median == 5.5);
  CHECK(ci.low == 2);
  CHECK(ci.high == 9);
  CHECK(ci.coverage == Approx(1 - 22.0 / 1024));
  // n = 6: [x(1), x(6)], 1 - 2/64 = 96.9%; n = 5 cannot reach 95%: [min, max], and says so.
  CHECK(median_ci({1, 2, 3, 4, 5, 6}).coverage == Approx(1 - 2.0 / 64));
  auto five = median_ci({1, 2, 3, 4, 5});
  CHECK(five.low == 1);
  CHECK(five.high == 5);
  CHECK(five.coverage < 0.95);
  // Simulated: a 95% interval misses the true median of a skewed distribution at most ~5% of the time.
  splitbench::splitmix64 rng(3);
  int misses = 0, trials = 4000;
  double true_median = std::log(2.0);  // of the exponential distribution with rate 1
  for (int t = 0; t < trials; ++t) {
    std::vector<double> v(12);
    for (auto& x : v) x = -std::log(1 - static_cast<double>(rng.next() >> 11) * 0x1.0p-53);
    auto c = median_ci(v);
    if (true_median < c.low || true_median > c.high) ++misses;
  }
  CHECK(static_cast<double>(misses) / trials < 0.05);
}
