#pragma once
/// A seeded generator whose sequence is the same on every platform and compiler, unlike the
/// standard distributions: the catalog and the workload must be identical wherever they run.

#include <cstdint>

namespace splitbench {

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for generated data.
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t seed) noexcept : state_(seed) {}

  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// A value in [0, n), n > 0; the modulo bias is below 2^-40 for the n used here.
  std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }

 private:
  std::uint64_t state_;
};

}  // namespace splitbench
