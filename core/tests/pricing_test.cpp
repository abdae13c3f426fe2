#include "core/pricing.hpp"

#include <catch2/catch.hpp>

using namespace splitbench;

namespace {
product_id first_of(catalog const& cat, std::string_view category, std::int64_t min_price = 0) {
  for (product_id id = 1;; ++id) {
    auto p = cat.find(id).value();
    if (p.category == category && p.price_cents >= min_price) return id;
  }
}
}  // namespace

TEST_CASE("basis points round half up to the cent") {
  CHECK(apply_basis_points(10'000, 725) == 725);
  CHECK(apply_basis_points(1, 5'000) == 1);      // 0.5 cent rounds up
  CHECK(apply_basis_points(1, 4'999) == 0);
  CHECK(apply_basis_points(333, 2'000) == 67);   // 66.6
  CHECK(apply_basis_points(0, 2'000) == 0);
}

TEST_CASE("a plain line: tier discount, then tax on what is left") {
  catalog cat;
  pricing prices(cat);
  auto id = first_of(cat, "garden");
  auto unit = cat.find(id).value().price_cents;
  auto q = prices.quote({{{id, 2}}, "US", "gold"}).value();
  REQUIRE(q.lines.size() == 1);
  auto const& l = q.lines[0];
  CHECK(l.unit_price_cents == unit);
  CHECK(l.subtotal_cents == 2 * unit);
  auto tier_off = (2 * unit * 700 + 5'000) / 10'000;
  CHECK(l.discount_cents == tier_off);
  CHECK(l.tax_cents == ((2 * unit - tier_off) * 725 + 5'000) / 10'000);
  CHECK(l.total_cents == 2 * unit - l.discount_cents + l.tax_cents);
  CHECK(l.promotion.empty());
  CHECK(q.total_cents == l.total_cents);
}

TEST_CASE("3 for 2 makes every third unit free") {
  catalog cat;
  pricing prices(cat);
  auto id = first_of(cat, "books");
  auto unit = cat.find(id).value().price_cents;
  auto two = prices.quote({{{id, 2}}, "EU", "standard"}).value().lines[0];
  CHECK(two.discount_cents == 0);
  CHECK(two.promotion.empty());
  auto seven = prices.quote({{{id, 7}}, "EU", "standard"}).value().lines[0];
  CHECK(seven.discount_cents == 2 * unit);
  CHECK(seven.promotion == "3 for 2");
  CHECK(seven.tax_cents == ((5 * unit) * 2'000 + 5'000) / 10'000);
}

TEST_CASE("bulk 10% from five units, then the tier on the rest") {
  catalog cat;
  pricing prices(cat);
  auto id = first_of(cat, "office");
  auto unit = cat.find(id).value().price_cents;
  CHECK(prices.quote({{{id, 4}}, "JP", "silver"}).value().lines[0].promotion.empty());
  auto l = prices.quote({{{id, 5}}, "JP", "platinum"}).value().lines[0];
  auto promo = (5 * unit * 1'000 + 5'000) / 10'000;
  auto tier_off = ((5 * unit - promo) * 1'200 + 5'000) / 10'000;
  CHECK(l.promotion == "bulk 10%");
  CHECK(l.discount_cents == promo + tier_off);
  CHECK(l.tax_cents == ((5 * unit - promo - tier_off) * 1'000 + 5'000) / 10'000);
}

TEST_CASE("quote totals are the exact sums of their lines") {
  catalog cat;
  pricing prices(cat);
  quote_request r{{}, "CH", "platinum"};
  for (product_id id = 1; id <= 50; ++id) r.items.push_back({id * 37, static_cast<std::int32_t>(id % 9 + 1)});
  auto q = prices.quote(r).value();
  std::int64_t sub = 0, disc = 0, tax = 0, total = 0;
  for (auto const& l : q.lines) {
    sub += l.subtotal_cents;
    disc += l.discount_cents;
    tax += l.tax_cents;
    total += l.total_cents;
    REQUIRE(l.total_cents == l.subtotal_cents - l.discount_cents + l.tax_cents);
  }
  CHECK(q.subtotal_cents == sub);
  CHECK(q.discount_cents == disc);
  CHECK(q.tax_cents == tax);
  CHECK(q.total_cents == total);
}

TEST_CASE("unknown regions and tiers are input errors, not defaults") {
  catalog cat;
  pricing prices(cat);
  CHECK(prices.quote({{{1, 1}}, "MARS", "gold"}).error() == error{errc::invalid_input, "unknown region 'MARS'"});
  CHECK(prices.quote({{{1, 1}}, "eu", "gold"}).error().code == errc::invalid_input);
  CHECK(prices.quote({{{1, 1}}, "EU", "diamond"}).error() == error{errc::invalid_input, "unknown tier 'diamond'"});
  CHECK(prices.quote({{{1, 0}}, "EU", "gold"}).error().code == errc::invalid_input);
  CHECK(prices.quote({{{10'001, 1}}, "EU", "gold"}).error().code == errc::not_found);
  CHECK(prices.quote({{}, "EU", "gold"}).error().code == errc::invalid_input);
}
