#pragma once
/// A latency histogram of fixed buckets, as Prometheus exposes one: written by one thread with
/// relaxed loads and stores (no locked add, no allocation, no lock), read by any thread at
/// scrape time and summed over threads there. The buckets are fixed so that every thread's
/// histograms, and every process's, add up bucket by bucket.
///
///   latency_histogram h;
///   h.record(std::chrono::microseconds(180));   // lands in the le="0.00025" bucket
///   auto s = h.snapshot();                       // counts per bucket, not yet cumulative

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace splitbench::net {

/// Upper bounds of the buckets in seconds, from 25 µs (a loopback hop) to 30 s (far past any
/// timeout); +Inf comes after them. Roughly 1-2.5-5 per decade, as Prometheus' defaults are.
inline constexpr std::array<double, 19> latency_bounds_seconds = {
    0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,     0.1,     0.25,   0.5,     1,      2.5,   5,      10,    30};

/// What a histogram held at one moment, plain numbers that add.
struct histogram_snapshot {
  std::array<std::uint64_t, latency_bounds_seconds.size() + 1> buckets{};  ///< per bucket, the last is +Inf
  std::uint64_t sum_ns = 0;

  std::uint64_t count() const noexcept {
    std::uint64_t n = 0;
    for (auto b : buckets) n += b;
    return n;
  }
  histogram_snapshot& operator+=(histogram_snapshot const& o) noexcept {
    for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += o.buckets[i];
    sum_ns += o.sum_ns;
    return *this;
  }
};

class latency_histogram {
 public:
  /// Counts one duration; only the owning thread calls it.
  void record(std::chrono::nanoseconds d) noexcept {
    auto ns = d.count() < 0 ? std::uint64_t{0} : static_cast<std::uint64_t>(d.count());
    bump(buckets_[bucket_of(ns)], 1);
    bump(sum_ns_, ns);
  }

  /// Any thread: the counts so far (a bucket written meanwhile may be one behind).
  histogram_snapshot snapshot() const noexcept {
    histogram_snapshot s;
    for (std::size_t i = 0; i < buckets_.size(); ++i) s.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    s.sum_ns = sum_ns_.load(std::memory_order_relaxed);
    return s;
  }

  /// The bucket of a duration: the first whose bound it does not exceed (Prometheus' `le`).
  static std::size_t bucket_of(std::uint64_t ns) noexcept {
    std::size_t i = 0;
    while (i < bounds_ns.size() && ns > bounds_ns[i]) ++i;
    return i;
  }

 private:
  static constexpr std::array<std::uint64_t, latency_bounds_seconds.size()> bounds_ns = [] {
    std::array<std::uint64_t, latency_bounds_seconds.size()> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint64_t>(latency_bounds_seconds[i] * 1e9 + 0.5);
    return out;
  }();

  static void bump(std::atomic<std::uint64_t>& a, std::uint64_t by) noexcept {
    a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  std::array<std::atomic<std::uint64_t>, latency_bounds_seconds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace splitbench::net
