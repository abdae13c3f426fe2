#include "bench/driver/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace splitbench::bench {

histogram::histogram(int significant_digits, std::uint64_t highest) : digits_(significant_digits), highest_(highest) {
  if (significant_digits < 1 || significant_digits > 5) throw std::invalid_argument("histogram digits must be 1..5");
  if (highest < 2) throw std::invalid_argument("histogram highest must be at least 2");
  auto largest_single_unit = 2 * static_cast<std::uint64_t>(std::pow(10, significant_digits));
  int sub_bucket_magnitude = static_cast<int>(std::ceil(std::log2(static_cast<double>(largest_single_unit))));
  sub_bucket_half_magnitude_ = sub_bucket_magnitude - 1;
  std::int64_t sub_bucket_count = std::int64_t(1) << sub_bucket_magnitude;
  sub_bucket_half_count_ = sub_bucket_count / 2;
  sub_bucket_mask_ = static_cast<std::uint64_t>(sub_bucket_count - 1);
  std::uint64_t smallest_untrackable = static_cast<std::uint64_t>(sub_bucket_count);
  int buckets = 1;
  while (smallest_untrackable <= highest) {
    smallest_untrackable <<= 1;
    ++buckets;
  }
  counts_.assign(static_cast<std::size_t>((buckets + 1) * sub_bucket_half_count_), 0);
}

std::uint64_t histogram::value_of(std::size_t index) const noexcept {
  auto i = static_cast<std::int64_t>(index);
  std::int64_t bucket = (i >> sub_bucket_half_magnitude_) - 1;
  std::int64_t sub = (i & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {
    sub -= sub_bucket_half_count_;
    bucket = 0;
  }
  return static_cast<std::uint64_t>(sub) << bucket;
}

std::uint64_t histogram::lowest_equivalent(std::uint64_t value) const noexcept { return value_of(index_of(value)); }

std::uint64_t histogram::highest_equivalent(std::uint64_t value) const noexcept {
  int bucket = 63 - __builtin_clzll(value | sub_bucket_mask_) - sub_bucket_half_magnitude_;
  return lowest_equivalent(value) + (std::uint64_t(1) << bucket) - 1;
}

void histogram::record_corrected(std::uint64_t value, std::uint64_t expected_interval) noexcept {
  record(value);
  if (expected_interval == 0) return;
  for (auto missing = value > expected_interval ? value - expected_interval : 0; missing >= expected_interval;
       missing -= expected_interval)
    record(missing);
}

void histogram::merge(histogram const& other) {
  if (other.digits_ != digits_ || other.highest_ != highest_)
    throw std::invalid_argument("cannot merge histograms of different shapes");
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
  saturated_ += other.saturated_;
  if (other.total_) {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
}

void histogram::reset() noexcept {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = sum_ = saturated_ = max_ = 0;
  sum_squares_ = 0;
  min_ = UINT64_MAX;
}

double histogram::mean() const noexcept { return total_ ? static_cast<double>(sum_) / static_cast<double>(total_) : 0.0; }

double histogram::stddev() const noexcept {
  if (total_ < 2) return 0.0;
  auto m = mean();
  auto var = sum_squares_ / static_cast<double>(total_) - m * m;
  return var > 0 ? std::sqrt(var) : 0.0;
}

std::uint64_t histogram::value_at_percentile(double percentile) const noexcept {
  if (total_ == 0) return 0;
  if (percentile >= 100.0) return max_;
  auto rank = static_cast<std::uint64_t>(std::llround(percentile / 100.0 * static_cast<double>(total_)));
  if (rank < 1) rank = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(highest_equivalent(value_of(i)), min_, max_);
  }
  return max_;
}

std::string histogram::encode() const {
  std::ostringstream out;
  out << "hist1 " << digits_ << ' ' << highest_ << ' ' << min() << ' ' << max_ << ' ' << sum_ << ' ' << saturated_ << ' ';
  bool first = true;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (!counts_[i]) continue;
    out << (first ? "" : ",") << i << ':' << counts_[i];
    first = false;
  }
  return out.str();
}

histogram histogram::decode(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string magic;
  int digits = 0;
  std::uint64_t highest = 0, min = 0, max = 0, sum = 0, saturated = 0;
  if (!(in >> magic >> digits >> highest >> min >> max >> sum >> saturated) || magic != "hist1")
    throw std::invalid_argument("not an encoded histogram");
  histogram h(digits, highest);
  std::string pairs;
  in >> pairs;
  std::istringstream list(pairs);
  for (std::string item; std::getline(list, item, ',');) {
    auto colon = item.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("bad histogram entry '" + item + "'");
    auto index = std::stoull(item.substr(0, colon));
    auto count = std::stoull(item.substr(colon + 1));
    if (index >= h.counts_.size()) throw std::invalid_argument("histogram index out of range");
    h.counts_[index] += count;
    h.total_ += count;
    auto v = static_cast<double>(h.value_of(index));
    h.sum_squares_ += v * v * static_cast<double>(count);
  }
  h.sum_ = sum;
  h.saturated_ = saturated;
  if (h.total_) {
    h.min_ = min;
    h.max_ = max;
  }
  return h;
}

}  // namespace splitbench::bench
