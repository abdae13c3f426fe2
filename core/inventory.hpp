#pragma once
/// Stock per product, safe to use from any number of threads.

#include "core/error.hpp"
#include "core/types.hpp"

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace splitbench {

/// Limits on an order's lines; anything outside is invalid input.
inline constexpr std::size_t max_lines = 50;
inline constexpr std::int32_t max_qty = 1000;

class inventory {
 public:
  /// Stock for products 1..size, drawn from the seed: most have 1000..4999 units, one in 32 none
  /// (enough that a long run's orders do not empty the shelves).
  explicit inventory(std::uint64_t seed, product_id size);

  /// Units in stock now for each id, in order; not_found naming the first unknown id.
  result<std::vector<stock_level>> availability(std::span<product_id const> ids) const;

  /// Takes every line's units or none: conflict if any product has too few (lines naming the same
  /// product add up), not_found for an unknown id, invalid_input for a quantity outside 1..1000.
  result<done> reserve(std::span<line const> lines);

  /// Puts back units taken by reserve. Invalid input for an unknown id or a bad quantity.
  result<done> release(std::span<line const> lines);

 private:
  result<std::vector<line>> merged(std::span<line const> lines) const;

  mutable std::mutex mutex_;
  std::vector<std::int32_t> stock_;  // index id - 1
};

}  // namespace splitbench
