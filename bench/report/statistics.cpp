#include "bench/report/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace splitbench::bench {
namespace {

/// Number of arrangements giving each U for samples of n and m without ties:
/// f(n, m, u) = f(n - 1, m, u - m) + f(n, m - 1, u).
std::vector<double> u_distribution(std::size_t n, std::size_t m) {
  // table[i][j] is the distribution for samples of i and j.
  std::vector<std::vector<std::vector<double>>> table(n + 1, std::vector<std::vector<double>>(m + 1));
  for (std::size_t i = 0; i <= n; ++i)
    for (std::size_t j = 0; j <= m; ++j) {
      auto& d = table[i][j];
      d.assign(i * j + 1, 0);
      if (i == 0 || j == 0) {
        d[0] = 1;
        continue;
      }
      for (std::size_t u = 0; u <= i * j; ++u) {
        if (u >= j && u - j < table[i - 1][j].size()) d[u] += table[i - 1][j][u - j];
        if (u < table[i][j - 1].size()) d[u] += table[i][j - 1][u];
      }
    }
  return table[n][m];
}

}  // namespace

double smallest_p(std::size_t n, std::size_t m) {
  if (n == 0 || m == 0) return 1;
  auto d = u_distribution(n, m);
  auto total = std::accumulate(d.begin(), d.end(), 0.0);
  return std::min(1.0, 2 * d[0] / total);
}

mann_whitney mann_whitney_u(std::vector<double> const& a, std::vector<double> const& b) {
  mann_whitney out;
  auto n = a.size(), m = b.size();
  if (n == 0 || m == 0) return out;
  // Mid-ranks of the pooled samples.
  std::vector<std::pair<double, int>> pooled;
  for (auto x : a) pooled.push_back({x, 0});
  for (auto x : b) pooled.push_back({x, 1});
  std::sort(pooled.begin(), pooled.end(), [](auto const& l, auto const& r) { return l.first < r.first; });
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < pooled.size();) {
    auto j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    auto t = static_cast<double>(j - i);
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    for (auto k = i; k < j; ++k)
      if (pooled[k].second == 0) rank_sum_a += mid;
    i = j;
  }
  auto nn = static_cast<double>(n), mm = static_cast<double>(m);
  out.u = rank_sum_a - nn * (nn + 1) / 2;
  auto u_min = std::min(out.u, nn * mm - out.u);
  if (!ties && n <= 20 && m <= 20) {
    auto d = u_distribution(n, m);
    auto total = std::accumulate(d.begin(), d.end(), 0.0);
    double tail = 0;
    for (std::size_t u = 0; u <= static_cast<std::size_t>(u_min); ++u) tail += d[u];
    out.p = std::min(1.0, 2 * tail / total);
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
