#pragma once
/// The rank test behind `splitbench compare`, as Google Benchmark's compare.py uses it.

#include <vector>

namespace splitbench::bench {

struct mann_whitney {
  double u = 0;        ///< U of the first sample
  double p = 1;        ///< two-sided p-value
  bool exact = false;  ///< from the exact distribution (small samples, no ties), else normal approximation
};

/// Two-sided Mann-Whitney U test of whether `a` and `b` come from the same distribution.
/// Exact for samples of up to 20 each without ties; otherwise the normal approximation with
/// tie and continuity corrections. p = 1 when either sample is empty.
mann_whitney mann_whitney_u(std::vector<double> const& a, std::vector<double> const& b);

/// The smallest two-sided p-value an exact test of samples this size can reach: with 3 and 3
/// it is 0.1, so no difference can be significant at 0.05.
double smallest_p(std::size_t n, std::size_t m);

}  // namespace splitbench::bench
