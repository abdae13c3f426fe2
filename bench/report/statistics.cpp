#include "bench/report/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

namespace splitbench::bench {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// P(Binomial(n, 1/2) <= k).
double binomial_cdf_half(std::size_t n, std::size_t k) {
  double term = std::pow(0.5, static_cast<double>(n)), sum = 0;
  for (std::size_t i = 0; i <= k && i <= n; ++i) {
    sum += term;
    term = term * static_cast<double>(n - i) / static_cast<double>(i + 1);
  }
  return sum;
}

/// Ways to choose `n` of the pooled values with each sum of doubled mid-ranks: the exact
/// permutation distribution of the first sample's rank sum, ties included.
std::vector<double> rank_sum_distribution(std::vector<std::int64_t> const& doubled_ranks, std::size_t n) {
  std::int64_t total = std::accumulate(doubled_ranks.begin(), doubled_ranks.end(), std::int64_t{0});
  auto width = static_cast<std::size_t>(total) + 1;
  // ways[k][s]: subsets of size k with sum s, over the values seen so far.
  std::vector<std::vector<double>> ways(n + 1, std::vector<double>(width, 0));
  ways[0][0] = 1;
  std::size_t seen = 0;
  for (auto r : doubled_ranks) {
    ++seen;
    for (std::size_t k = std::min(n, seen); k >= 1; --k)
      for (std::size_t s = width; s-- > static_cast<std::size_t>(r);) ways[k][s] += ways[k - 1][s - static_cast<std::size_t>(r)];
  }
  return ways[n];
}

}  // namespace

double median(std::vector<double> v) { return quantile(std::move(v), 0.5); }

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return nan;
  std::sort(v.begin(), v.end());
  auto pos = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(pos));
  auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

median_interval median_ci(std::vector<double> v, double level) {
  median_interval out;
  out.n = v.size();
  if (v.empty()) {
    out.median = out.low = out.high = nan;
    return out;
  }
  std::sort(v.begin(), v.end());
  out.median = median(v);
  auto n = v.size();
  // The largest k (1-based) with coverage 1 - 2 P(B <= k - 1) still at least `level`.
  std::size_t k = 0;
  while (k + 1 <= n / 2 && 1 - 2 * binomial_cdf_half(n, k) >= level) ++k;
  if (k == 0) {
    out.low = v.front();
    out.high = v.back();
    out.coverage = 1 - 2 * std::pow(0.5, static_cast<double>(n));
  } else {
    out.low = v[k - 1];
    out.high = v[n - k];
    out.coverage = 1 - 2 * binomial_cdf_half(n, k - 1);
  }
  return out;
}

double smallest_p(std::size_t n, std::size_t m) {
  if (n == 0 || m == 0) return 1;
  // The most extreme arrangement, all of one sample below the other: 2 / C(n + m, n).
  double combinations = 1;
  for (std::size_t i = 1; i <= n; ++i) combinations = combinations * static_cast<double>(m + i) / static_cast<double>(i);
  return std::min(1.0, 2 / combinations);
}

mann_whitney mann_whitney_u(std::vector<double> const& a, std::vector<double> const& b) {
  mann_whitney out;
  auto n = a.size(), m = b.size();
  if (n == 0 || m == 0) return out;
  // Doubled mid-ranks of the pooled samples (whole numbers, so the exact distribution is a table).
  std::vector<std::pair<double, int>> pooled;
  for (auto x : a) pooled.push_back({x, 0});
  for (auto x : b) pooled.push_back({x, 1});
  std::sort(pooled.begin(), pooled.end(), [](auto const& l, auto const& r) { return l.first < r.first; });
  std::vector<std::int64_t> doubled(pooled.size());
  std::int64_t rank_sum_a2 = 0;
  double tie_term = 0;
  for (std::size_t i = 0; i < pooled.size();) {
    auto j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    auto mid2 = static_cast<std::int64_t>(i + 1 + j);  // 2 x the mean of ranks i+1 .. j
    auto t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    for (auto k = i; k < j; ++k) {
      doubled[k] = mid2;
      if (pooled[k].second == 0) rank_sum_a2 += mid2;
    }
    i = j;
  }
  auto nn = static_cast<double>(n), mm = static_cast<double>(m);
  out.u = static_cast<double>(rank_sum_a2) / 2 - nn * (nn + 1) / 2;
  if (n + m <= 60) {
    auto ways = rank_sum_distribution(doubled, n);
    auto mean2 = static_cast<std::int64_t>(n * (n + m + 1));  // 2 x the expected rank sum
    auto observed = std::llabs(rank_sum_a2 - mean2);
    double extreme = 0, all = 0;
    for (std::size_t s = 0; s < ways.size(); ++s) {
      all += ways[s];
      if (std::llabs(static_cast<std::int64_t>(s) - mean2) >= observed) extreme += ways[s];
    }
    out.p = std::min(1.0, extreme / all);
    out.exact = true;
    return out;
  }
  auto mean = nn * mm / 2;
  auto variance = nn * mm / 12 * ((nn + mm + 1) - tie_term / ((nn + mm) * (nn + mm - 1)));
  if (variance <= 0) return out;  // every value equal: no evidence of a difference
  auto z = (std::fabs(out.u - mean) - 0.5) / std::sqrt(variance);
  out.p = std::min(1.0, std::erfc(std::max(0.0, z) / std::sqrt(2.0)));
  return out;
}

}  // namespace splitbench::bench
