#pragma once
/// A log-linear histogram after HdrHistogram's scheme: buckets double in width and each holds
/// 2^ceil(log2(2 x 10^digits)) sub-buckets, so every recorded value is kept to `digits`
/// significant digits, in constant memory, from 1 to `highest`. One per worker, merged after.
///
/// Values are nanoseconds throughout splitbench: 3 digits from 1 ns to 1 h take 33 x 1024
/// counters of 8 bytes, 264 KiB (memory_bytes() says so for any shape).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::bench {

class histogram {
 public:
  static constexpr std::uint64_t one_hour_ns = 3'600'000'000'000ULL;

  /// The largest `highest` accepted, as in HdrHistogram: half the range of a signed 64-bit value.
  static constexpr std::uint64_t max_highest = std::uint64_t(1) << 62;

  /// Throws std::invalid_argument unless 1 <= significant_digits <= 5 and 2 <= highest <= max_highest.
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

  /// HdrHistogram's value at a percentile: the smallest recorded value with at least `percentile`
  /// percent of the samples at or below it, i.e. the sample of rank ceil(percentile/100 x count)
  /// (at least 1), reported as the highest value of its bucket (never below the sample, at most
  /// 10^-digits above it) and clamped to [min, max]. 100 (or more) gives max().
  ///
  /// Example: of 1, 2, 3, 4, 5, p25 is 2 (rank ceil(1.25) = 2), not 1 as rounding to nearest says.
  std::uint64_t value_at_percentile(double percentile) const noexcept;

  /// Every non-empty bucket in increasing order: f(highest value of the bucket, count).
  template <class F>
  void for_each_bucket(F f) const {
    for (std::size_t i = 0; i < counts_.size(); ++i)
      if (counts_[i]) f(highest_equivalent(value_of(i)), counts_[i]);
  }

  /// The histogram as text, exact and compact, to be decoded and merged later:
  /// "hist1 <digits> <highest> <min> <max> <sum> <saturated> <index>:<count>,..."
  /// The form results before HdrHistogram's V2 hold (committed baselines): splitbench writes
  /// encode_v2 (hdr_codec.hpp) now and reads both (decode_histogram).
  std::string encode() const;
  /// The inverse of encode(); throws std::invalid_argument on text it could not have made:
  /// bad bounds, negative or overflowing numbers, min > max, indices out of range or out of
  /// order, a total that overflows, min, max or sum that the counts contradict.
  static histogram decode(std::string_view text);

  /// What HdrHistogram's encodings leave out and splitbench keeps beside them (in JSON fields of
  /// their own): the exact extremes, the sum (the mean), the sum of squares (the stddev) and the
  /// samples kept as highest().
  struct totals {
    std::uint64_t min = 0, max = 0, sum = 0;
    double sum_squares = 0;
    std::uint64_t saturated = 0;
  };
  totals exact_totals() const noexcept { return {min(), max_, sum_, sum_squares_, saturated_}; }

  /// The counters in HdrHistogram's index order (unit 1): what its encodings carry.
  std::span<std::uint64_t const> counts() const noexcept { return counts_; }

  /// A histogram from counters in HdrHistogram's index order, as a decoder reads them; `counts`
  /// may be shorter than this shape's. Without totals its min and max are the bounds of the first
  /// and last buckets counted and its sum counts each sample at its bucket's middle, as
  /// HdrHistogram's own are; `restore` sets the exact ones. Throws std::invalid_argument on a
  /// shape the constructor refuses, counters past it or above `highest`, or a total that overflows.
  static histogram from_counts(int significant_digits, std::uint64_t highest, std::span<std::uint64_t const> counts);

  /// Sets the totals that encode() or exact_totals() gave for these counts; throws
  /// std::invalid_argument when the counts contradict them (min or max outside the buckets
  /// counted, a sum they cannot make, more saturated samples than samples).
  void restore(totals const& t);

  /// The bytes this histogram holds, its counters and itself.
  std::size_t memory_bytes() const noexcept { return sizeof(*this) + counts_.capacity() * sizeof(std::uint64_t); }

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
