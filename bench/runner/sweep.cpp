#include "bench/runner/sweep.hpp"

#include "bench/driver/hdr_codec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace splitbench::bench {

std::string_view name_of(step_outcome o) noexcept {
  switch (o) {
    case step_outcome::passed: return "passed";
    case step_outcome::failed: return "failed";
    case step_outcome::inconclusive: return "inconclusive";
  }
  return "?";
}

histogram merged_latency(std::vector<run_measurement> const& attempts) {
  histogram merged(3);
  for (auto const& a : attempts) merged.merge(decode_histogram(a.histogram));
  return merged;
}

void decide_step(sweep_step& step, step_rules const& rules) {
  double requests = 0, failures = 0, completed = 0, seconds = 0;
  bool saturated = false;
  for (auto const& a : step.attempts) {
    requests += static_cast<double>(a.requests);
    failures += static_cast<double>(a.errors + a.unsent);
    completed += a.throughput_rps * a.seconds;
    seconds += a.seconds;
    saturated = saturated || a.driver_saturated();
  }
  step.p99_us = static_cast<double>(merged_latency(step.attempts).value_at_percentile(99)) / 1e3;
  step.error_rate = requests > 0 ? failures / requests : 1;
  step.throughput_rps = seconds > 0 ? completed / seconds : 0;
  step.reason.clear();
  if (saturated) {
    step.outcome = step_outcome::inconclusive;
    step.reason = "the driver was saturated: its figures describe the driver, not the deployment";
    return;
  }
  std::vector<std::string> why;
  if (step.p99_us > rules.slo_p99_us) why.push_back(fmt::format("p99 {:.0f} µs over the SLO", step.p99_us));
  if (step.error_rate > rules.max_error_rate) why.push_back(fmt::format("{:.2f}% errors or unsent", step.error_rate * 100));
  if (step.throughput_rps < rules.min_completed * step.rate) why.push_back(fmt::format("completed {:.0f} req/s", step.throughput_rps));
  step.outcome = why.empty() ? step_outcome::passed : step_outcome::failed;
  for (auto const& w : why) step.reason += (step.reason.empty() ? "" : ", ") + w;
}

std::optional<double> capacity_search::next_rate() const {
  if (stopped_) return std::nullopt;
  if (!failed_) {
    // Rising: the next step up, the maximum itself as the last one.
    if (!passed_) return start_;
    if (*passed_ >= max_) return std::nullopt;
    return std::min(*passed_ * factor_, max_);
  }
  if (!passed_) {
    // The start failed: step down, a few times, to find a rate that passes.
    if (steps_down_ >= 3) return std::nullopt;
    return *failed_ / factor_;
  }
  if (*failed_ / *passed_ <= precision_) return std::nullopt;
  return std::round(std::sqrt(*passed_ * *failed_));  // bisect, geometrically
}

void capacity_search::record(double rate, step_outcome outcome) {
  switch (outcome) {
    case step_outcome::passed:
      if (!passed_ || rate > *passed_) passed_ = rate;
      break;
    case step_outcome::failed:
      if (!failed_ || rate < *failed_) failed_ = rate;
      if (!passed_) ++steps_down_;
      break;
    case step_outcome::inconclusive:
      stopped_ = true;  // nothing above this rate can be measured
      break;
  }
}

std::optional<capacity_bounds> capacity_search::bounds() const {
  if (!passed_) return std::nullopt;
  return capacity_bounds{*passed_, failed_};
}

}  // namespace splitbench::bench
