#include "bench/faults/impact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace splitbench::bench {
namespace {

double us(std::uint64_t ns) { return static_cast<double>(ns) / 1e3; }

bool healthy(interval_stats const& s, double p99_limit_us) {
  if (s.due == 0) return true;
  return static_cast<double>(s.good) >= 0.999 * static_cast<double>(s.due) && us(s.response_time.value_at_percentile(99)) <= p99_limit_us;
}

}  // namespace

route_impact impact_of(std::vector<interval_stats> const& slices, double slice_s, fault_window w, double slo_p99_us) {
  route_impact out;
  auto n = slices.size();
  auto index_of = [&](double t) { return std::min(n, static_cast<std::size_t>(std::max(0.0, std::floor(t / slice_s + 1e-9)))); };
  auto first = index_of(w.at_s);                          // the slice the fault starts in
  auto past = std::max(first + 1, index_of(std::max(w.end_s, w.at_s) - 1e-9) + 1);  // one past the last slice it touches
  past = std::min(past, n);

  histogram before = slices.empty() ? histogram(2, 60'000'000'000ULL) : histogram(slices[0].response_time.significant_digits(), slices[0].response_time.highest());
  double worst_slice_us = 0;
  for (std::size_t i = 0; i < first; ++i) {
    before.merge(slices[i].response_time);
    if (slices[i].due) worst_slice_us = std::max(worst_slice_us, us(slices[i].response_time.value_at_percentile(99)));
  }
  out.pre_fault_p99_us = us(before.value_at_percentile(99));
  out.healthy_p99_limit_us = first > 0 ? 1.2 * worst_slice_us : slo_p99_us;

  histogram during = before;
  during.reset();
  std::uint64_t due = 0, good = 0;
  for (auto i = first; i < past; ++i) {
    due += slices[i].due;
    good += slices[i].good;
    during.merge(slices[i].response_time);
  }
  out.availability = due ? static_cast<double>(good) / static_cast<double>(due) : 1.0;
  out.p99_during_us = us(during.value_at_percentile(99));
  out.broken = out.availability < 0.99 || out.p99_during_us > slo_p99_us;

  // Recovery: from the slice the window ends in, the first of `healthy_in_a_row` healthy slices.
  auto from = index_of(std::max(w.end_s, w.at_s));
  auto first_run = [&](double p99_limit_us) -> std::optional<std::size_t> {
    for (auto i = from; i + healthy_in_a_row <= n; ++i) {
      bool run = true;
      for (std::size_t k = i; k < i + healthy_in_a_row; ++k) run = run && healthy(slices[k], p99_limit_us);
      if (run) return i;
    }
    return std::nullopt;
  };
  auto since_end = [&](std::size_t i) { return std::max(0.0, static_cast<double>(i) * slice_s - w.end_s); };
  auto recovered = first_run(out.healthy_p99_limit_us);
  if (recovered) out.time_to_recover_s = since_end(*recovered);
  auto available = first_run(std::numeric_limits<double>::infinity());
  if (available) out.time_to_available_s = since_end(*available);

  // The outage lasts while the fault acts and until the route answers well again: slow slices
  // after that are the p99's noise settling, counted in the time to recover, not the outage.
  auto until = std::min(n, available ? std::max(*available, past) : n);
  int bad = 0;
  for (auto i = first; i < until; ++i) {
    if (healthy(slices[i], out.healthy_p99_limit_us)) continue;
    ++bad;
    if (!out.time_to_detect_s) out.time_to_detect_s = std::max(0.0, static_cast<double>(i) * slice_s - w.at_s);
  }
  out.outage_s = bad * slice_s;
  return out;
}

}  // namespace splitbench::bench
