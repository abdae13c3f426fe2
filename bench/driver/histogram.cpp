#include "bench/driver/histogram.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace splitbench::bench {

histogram::histogram(int significant_digits, std::uint64_t highest) : digits_(significant_digits), highest_(highest) {
  if (significant_digits < 1 || significant_digits > 5) throw std::invalid_argument("histogram digits must be 1..5");
  if (highest < 2 || highest > max_highest) throw std::invalid_argument("histogram highest must be 2..2^62");
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
  if (!(percentile < 100.0)) return max_;
  // One ulp down first, as HdrHistogram does: 99.9 is stored a hair above 99.9 and must not
  // round its rank up past the one it names.
  double p = std::nextafter(std::max(percentile, 0.0), 0.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total_) / 100.0));
  rank = std::clamp<std::uint64_t>(rank, 1, total_);
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

namespace {

[[noreturn]] void refuse(std::string_view why) {
  throw std::invalid_argument("not an encoded histogram: " + std::string(why));
}

/// A whole unsigned decimal number: no sign, no space, no overflow.
std::uint64_t number(std::string_view text, std::string_view what) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    refuse(std::string(what) + " '" + std::string(text) + "' is not a whole number");
  return n;
}

__extension__ typedef unsigned __int128 wide;  // sums of up to 2^64 values of up to 2^62

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    auto at = text.find(by, from);
    parts.push_back(text.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) return parts;
    from = at + 1;
  }
}

}  // namespace

histogram histogram::from_counts(int significant_digits, std::uint64_t highest, std::span<std::uint64_t const> counts) {
  histogram h(significant_digits, highest);
  if (counts.size() > h.counts_.size()) {
    auto last = counts.size();
    while (last > h.counts_.size() && counts[last - 1] == 0) --last;
    if (last > h.counts_.size()) refuse("a count past the largest bucket of its shape");
    counts = counts.first(last);
  }
  std::optional<std::size_t> first, last;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (!counts[i]) continue;
    if (counts[i] > UINT64_MAX - h.total_) refuse("the total count overflows");
    h.counts_[i] = counts[i];
    h.total_ += counts[i];
    if (!first) first = i;
    last = i;
  }
  if (!last) return h;
  if (*last > h.index_of(highest)) refuse("a count above the highest trackable value");
  wide sum = 0;
  for (std::size_t i = *first; i <= *last; ++i) {
    if (!h.counts_[i]) continue;
    // The middle of the bucket, as HdrHistogram's mean takes it.
    auto low = h.value_of(i);
    auto middle = low + (h.highest_equivalent(low) - low + 1) / 2;
    sum += static_cast<wide>(middle) * h.counts_[i];
    h.sum_squares_ += static_cast<double>(middle) * static_cast<double>(middle) * static_cast<double>(h.counts_[i]);
  }
  h.sum_ = sum > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(sum);
  h.min_ = h.value_of(*first);
  h.max_ = std::min(h.highest_equivalent(h.value_of(*last)), highest);
  return h;
}

void histogram::restore(totals const& t) {
  if (t.saturated > total_) refuse("more saturated samples than samples");
  if (total_ == 0) {
    if (t.min || t.max || t.sum || t.sum_squares != 0) refuse("min, max or sum without samples");
    return;
  }
  if (t.min > t.max || t.max > highest_) refuse("min above max, or max above highest");
  std::size_t first = counts_.size(), last = 0;
  wide low_sum = 0, high_sum = 0;  // what the counts allow the sum to be
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (!counts_[i]) continue;
    first = std::min(first, i);
    last = i;
    low_sum += static_cast<wide>(value_of(i)) * counts_[i];
    high_sum += static_cast<wide>(highest_equivalent(value_of(i))) * counts_[i];
  }
  if (index_of(t.min) != first || index_of(t.max) != last) refuse("min or max outside the buckets counted");
  if (t.sum < low_sum || t.sum > high_sum) refuse("sum outside what the counts allow");
  if (!(t.sum_squares >= 0)) refuse("a negative sum of squares");
  min_ = t.min;
  max_ = t.max;
  sum_ = t.sum;
  sum_squares_ = t.sum_squares;
  saturated_ = t.saturated;
}

histogram histogram::decode(std::string_view text) {
  // "hist1 <digits> <highest> <min> <max> <sum> <saturated> [<index>:<count>,...]"
  auto fields = split(text, ' ');
  if (fields.size() < 7 || fields.size() > 8 || fields[0] != "hist1") refuse("expected 'hist1' and six numbers");
  auto digits = number(fields[1], "digits");
  auto highest = number(fields[2], "highest");
  if (digits < 1 || digits > 5) refuse("digits must be 1..5");
  if (highest < 2 || highest > max_highest) refuse("highest must be 2..2^62");
  auto min = number(fields[3], "min");
  auto max = number(fields[4], "max");
  auto sum = number(fields[5], "sum");
  auto saturated = number(fields[6], "saturated");
  if (min > max) refuse("min above max");
  if (max > highest) refuse("max above highest");
  histogram h(static_cast<int>(digits), highest);
  std::size_t first = 0, last = 0;
  wide low_sum = 0, high_sum = 0;  // what the counts allow the sum to be
  if (fields.size() == 8 && !fields[7].empty()) {
    bool any = false;
    for (auto item : split(fields[7], ',')) {
      auto colon = item.find(':');
      if (colon == std::string_view::npos) refuse("entry '" + std::string(item) + "' is not index:count");
      auto index = number(item.substr(0, colon), "index");
      auto count = number(item.substr(colon + 1), "count");
      if (index >= h.counts_.size()) refuse("index " + std::to_string(index) + " out of range");
      if (any && index <= last) refuse("indices out of order");
      if (count == 0) refuse("a count of zero");
      if (count > UINT64_MAX - h.total_) refuse("the total count overflows");
      auto i = static_cast<std::size_t>(index);
      if (!any) first = i;
      last = i;
      any = true;
      h.counts_[i] = count;
      h.total_ += count;
      auto v = static_cast<double>(h.value_of(i));
      h.sum_squares_ += v * v * static_cast<double>(count);
      low_sum += static_cast<wide>(h.value_of(i)) * count;
      high_sum += static_cast<wide>(h.highest_equivalent(h.value_of(i))) * count;
    }
  }
  if (saturated > h.total_) refuse("more saturated samples than samples");
  if (h.total_ == 0) {
    if (min || max || sum) refuse("min, max or sum without samples");
    return h;
  }
  if (h.index_of(min) != first || h.index_of(max) != last) refuse("min or max outside the buckets counted");
  if (sum < low_sum || sum > high_sum) refuse("sum outside what the counts allow");
  h.sum_ = sum;
  h.saturated_ = saturated;
  h.min_ = min;
  h.max_ = max;
  return h;
}

}  // namespace splitbench::bench
