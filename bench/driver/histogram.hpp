#pragma once
/// A log-linear histogram after HdrHistogram's scheme: buckets double in width and each holds
/// 2^ceil(log2(2 x 10^digits)) sub-buckets, so every recorded value is kept to `digits`
/// significant digits, in constant memory, from 1 to `highest`. One per worker, merged after.
///
/// Values are nanoseconds throughout splitbench: 3 digits from 1 ns to 1 h take 221 KiB.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::bench {

class histogram {
 public:
  static constexpr std::uint64_t one_hour_ns = 3'600'000'000'000ULL;

  explicit histogram(int significant_digits = 3, std::uint64_t highest = one_hour_ns);

  /// Adds `count` samples of `value`; a value above highest() is kept as highest() and counted
  /// in saturated(), never dropped.
  void record(std::uint64_t value, std::uint64_t count = 1) noexcept {
    if (value > highest_) {
      saturated_ += count;
      value = highest_;
    }
    counts_[index_of(value)] += count;
    total_ += count;
    sum_ += value * count;
    sum_squares_ += static_cast<double>(value) * static_cast<double>(value) * static_cast<double>(count);
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }

  /// For closed-loop data only, and labelled so: records `value`, then the samples a stall hid,
  /// value - interval, value - 2 x interval, ... down to interval (HdrHistogram's correction).
  void record_corrected(std::uint64_t value, std::uint64_t expected_interval) noexcept;

  /// Adds every sample of `other`, which must have the same digits and highest.
  void merge(histogram const& other);

  void reset() noexcept;

  std::uint64_t count() const noexcept { return total_; }
  std::uint64_t min() const noexcept { return total_ ? min_ : 0; }
  std::uint64_t max() const noexcept { return max_; }
  std::uint64_t saturated() const noexcept { return saturated_; }
  double mean() const noexcept;
  double stddev() const noexcept;
  std::uint64_t highest() const noexcept { return highest_; }
  int significant_digits() const noexcept { return digits_; }

  /// The value at or below which `percentile` percent of the samples lie (0 < percentile <= 100):
  /// the sample of rank round(percentile/100 x count), reported as the highest value of its
  /// bucket (never below it, at most 10^-digits above it), clamped to [min, max].
  std::uint64_t value_at_percentile(double percentile) const noexcept;

  /// Every non-empty bucket in increasing order: f(highest value of the bucket, count).
  template <class F>
  void for_each_bucket(F f) const {
    for (std::size_t i = 0; i < counts_.size(); ++i)
      if (counts_[i]) f(highest_equivalent(value_of(i)), counts_[i]);
  }

  /// The histogram as text, exact and compact, to be decoded and merged later:
  /// "hist1 <digits> <highest> <min> <max> <sum> <saturated> <index>:<count>,..."
  std::string encode() const;
  /// The inverse of encode(); throws std::invalid_argument on text it did not make.
  static histogram decode(std::string_view text);

  /// The smallest and largest values that share a bucket with `value`.
  std::uint64_t lowest_equivalent(std::uint64_t value) const noexcept;
  std::uint64_t highest_equivalent(std::uint64_t value) const noexcept;

 private:
  std::size_t index_of(std::uint64_t value) const noexcept {
    int bucket = 63 - __builtin_clzll(value | sub_bucket_mask_) - sub_bucket_half_magnitude_;
    auto sub = static_cast<std::int64_t>(value >> bucket);
    return static_cast<std::size_t>(((bucket + 1) << sub_bucket_half_magnitude_) + (sub - sub_bucket_half_count_));
  }
  std::uint64_t value_of(std::size_t index) const noexcept;

  int digits_;
  std::uint64_t highest_;
  int sub_bucket_half_magnitude_;
  std::int64_t sub_bucket_half_count_;
  std::uint64_t sub_bucket_mask_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
  double sum_squares_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  std::uint64_t saturated_ = 0;
};

}  // namespace splitbench::bench
