#pragma once
/// The one statistics module of splitbench: medians and quantiles, a confidence interval for a
/// median that assumes nothing about the distribution, and the rank test behind `compare`, as
/// Google Benchmark's statistics.cc and compare.py have them.

#include <cstddef>
#include <vector>

namespace splitbench::bench {

/// The median; NaN for no values.
double median(std::vector<double> values);

/// The q-quantile (0..1) by linear interpolation between order statistics; NaN for no values.
double quantile(std::vector<double> values, double q);

/// A confidence interval for the median of `values`, from order statistics: [x(k), x(n-k+1)]
/// with k the largest such that the interval covers the true median with probability >= level
/// (the sign test's interval; exact for any continuous distribution). With too few values for
/// that level (n < 6 at 95%) it is [min, max] and `coverage` says how much less it covers.
struct median_interval {
  double median = 0, low = 0, high = 0;
  double coverage = 0;  ///< the interval's exact coverage probability
  std::size_t n = 0;
};
median_interval median_ci(std::vector<double> values, double level = 0.95);

struct mann_whitney {
  double u = 0;        ///< U of the first sample
  double p = 1;        ///< two-sided p-value
  bool exact = false;  ///< from the exact permutation distribution (ties included), else normal approximation
};

/// Two-sided Mann-Whitney U test of whether `a` and `b` come from the same distribution. Exact
/// (the permutation distribution of the rank sum, with mid-ranks for ties) when the samples hold
/// 60 values or fewer together; otherwise the normal approximation with tie and continuity
/// corrections. p = 1 when either sample is empty.
mann_whitney mann_whitney_u(std::vector<double> const& a, std::vector<double> const& b);

/// The smallest two-sided p-value an exact test of samples this size can reach: with 3 and 3
/// it is 0.1, so no difference can be significant at 0.05.
double smallest_p(std::size_t n, std::size_t m);

}  // namespace splitbench::bench
