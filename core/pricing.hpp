#pragma once
/// Prices in exact integer cents: list price, multi-buy promotions, tier discounts, regional tax.
/// Immutable once built, so any number of threads may use it.
///
/// Per line, in this order (each rounding is half up, to the cent):
///   subtotal = unit price x qty
///   promotion: "3 for 2" (books, toys): every third unit free;
///              "bulk 10%" (office, electronics): 10% off a line of 5 or more units
///   tier discount on what is left: standard 0%, silver 3%, gold 7%, platinum 12%
///   tax on the discounted amount: EU 20%, UK 20%, US 7.25%, CH 8.1%, JP 10%
///   total = subtotal - promotion - tier discount + tax
/// The quote's sums are the sums of its lines, so they are exact too.

#include "core/catalog.hpp"
#include "core/error.hpp"
#include "core/types.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace splitbench {

/// Tax rate of a region in basis points, or nothing for an unknown region.
std::optional<std::int64_t> tax_basis_points(std::string_view region) noexcept;

/// Discount of a customer tier in basis points, or nothing for an unknown tier.
std::optional<std::int64_t> tier_basis_points(std::string_view tier) noexcept;

/// a x bp / 10000 rounded half up, for a >= 0.
constexpr std::int64_t apply_basis_points(std::int64_t a, std::int64_t bp) noexcept {
  return (a * bp + 5'000) / 10'000;
}

class pricing {
 public:
  /// The price list: each product's list price and category, as the catalog of that seed has them.
  explicit pricing(catalog const& prices);

  /// Prices the lines in the request's order. Invalid input for an unknown region or tier, no
  /// items, over 50 items, or a quantity outside 1..1000; not_found for an unknown product.
  result<price_quote> quote(quote_request const& request) const;

 private:
  struct entry {
    std::int64_t price_cents;
    std::uint8_t promotion;  // 0 none, 1 three-for-two, 2 bulk
  };
  std::vector<entry> entries_;  // index id - 1
};

}  // namespace splitbench
