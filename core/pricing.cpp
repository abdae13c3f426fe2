#include "core/pricing.hpp"

#include "core/inventory.hpp"

#include <string>

namespace splitbench {
namespace {

constexpr std::uint8_t no_promotion = 0, three_for_two = 1, bulk_ten = 2;
constexpr std::string_view promotion_names[] = {"", "3 for 2", "bulk 10%"};

std::uint8_t promotion_of(std::string_view category) {
  if (category == "books" || category == "toys") return three_for_two;
  if (category == "office" || category == "electronics") return bulk_ten;
  return no_promotion;
}

}  // namespace

std::optional<std::int64_t> tax_basis_points(std::string_view region) noexcept {
  if (region == "EU" || region == "UK") return 2'000;
  if (region == "US") return 725;
  if (region == "CH") return 810;
  if (region == "JP") return 1'000;
  return std::nullopt;
}

std::optional<std::int64_t> tier_basis_points(std::string_view tier) noexcept {
  if (tier == "standard") return 0;
  if (tier == "silver") return 300;
  if (tier == "gold") return 700;
  if (tier == "platinum") return 1'200;
  return std::nullopt;
}

pricing::pricing(catalog const& prices) {
  entries_.reserve(prices.size());
  for (product_id id = 1; id <= prices.size(); ++id) {
    auto p = prices.find(id).value();
    entries_.push_back({p.price_cents, promotion_of(p.category)});
  }
}

result<price_quote> pricing::quote(quote_request const& request) const {
  auto tax = tax_basis_points(request.region);
  if (!tax) return fail(errc::invalid_input, "unknown region '" + request.region + "'");
  auto tier = tier_basis_points(request.tier);
  if (!tier) return fail(errc::invalid_input, "unknown tier '" + request.tier + "'");
  if (request.items.empty()) return fail(errc::invalid_input, "items must not be empty");
  if (request.items.size() > max_lines) return fail(errc::invalid_input, "at most 50 items");

  price_quote q;
  q.region = request.region;
  q.tier = request.tier;
  q.lines.reserve(request.items.size());
  for (auto const& item : request.items) {
    if (item.qty < 1 || item.qty > max_qty) return fail(errc::invalid_input, "qty must be between 1 and 1000");
    if (item.id == 0 || item.id > entries_.size())
      return fail(errc::not_found, "no product " + std::to_string(item.id));
    auto const& e = entries_[item.id - 1];
    priced_line l;
    l.id = item.id;
    l.qty = item.qty;
    l.unit_price_cents = e.price_cents;
    l.subtotal_cents = e.price_cents * item.qty;
    std::int64_t promo = 0;
    if (e.promotion == three_for_two) promo = e.price_cents * (item.qty / 3);
    if (e.promotion == bulk_ten && item.qty >= 5) promo = apply_basis_points(l.subtotal_cents, 1'000);
    if (promo > 0) l.promotion = std::string(promotion_names[e.promotion]);
    auto after_promo = l.subtotal_cents - promo;
    auto tier_off = apply_basis_points(after_promo, *tier);
    auto net = after_promo - tier_off;
    l.discount_cents = promo + tier_off;
    l.tax_cents = apply_basis_points(net, *tax);
    l.total_cents = net + l.tax_cents;
    q.subtotal_cents += l.subtotal_cents;
    q.discount_cents += l.discount_cents;
    q.tax_cents += l.tax_cents;
    q.total_cents += l.total_cents;
    q.lines.push_back(std::move(l));
  }
  return q;
}

}  // namespace splitbench
