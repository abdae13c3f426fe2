#pragma once
/// The storefront's domain types, shared by every service and both builds.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace splitbench {

using product_id = std::uint32_t;
using order_id = std::uint64_t;

/// One product of the catalog. Prices are integer cents, never floating point.
struct product {
  product_id id = 0;
  std::string name;
  std::string category;
  std::int64_t price_cents = 0;
  std::int32_t weight_grams = 0;

  friend bool operator==(product const&, product const&) = default;
};

/// A product search: any of category and text, at most `limit` results.
struct search_query {
  std::string category;  ///< empty: every category
  std::string text;      ///< empty: no text match, products in id order
  int limit = 10;

  friend bool operator==(search_query const&, search_query const&) = default;
};

/// Search results, best first, with how many products matched before the limit.
struct search_result {
  std::vector<product> items;
  std::int64_t total = 0;

  friend bool operator==(search_result const&, search_result const&) = default;
};

/// An order line: a product and how many of it.
struct line {
  product_id id = 0;
  std::int32_t qty = 0;

  friend bool operator==(line const&, line const&) = default;
};

/// What a client asks a price for: lines, the tax region and the customer tier.
struct quote_request {
  std::vector<line> items;
  std::string region;
  std::string tier;

  friend bool operator==(quote_request const&, quote_request const&) = default;
};

/// One priced line; every amount in cents, total = subtotal - discount + tax.
struct priced_line {
  product_id id = 0;
  std::int32_t qty = 0;
  std::int64_t unit_price_cents = 0;
  std::int64_t subtotal_cents = 0;
  std::int64_t discount_cents = 0;  ///< promotion plus tier discount
  std::int64_t tax_cents = 0;
  std::int64_t total_cents = 0;
  std::string promotion;  ///< the promotion applied, empty if none

  friend bool operator==(priced_line const&, priced_line const&) = default;
};

/// A price for a list of lines; sums are the exact sums of the lines' amounts.
struct price_quote {
  std::string region;
  std::string tier;
  std::vector<priced_line> lines;
  std::int64_t subtotal_cents = 0;
  std::int64_t discount_cents = 0;
  std::int64_t tax_cents = 0;
  std::int64_t total_cents = 0;

  friend bool operator==(price_quote const&, price_quote const&) = default;
};

/// How many units of a product are in stock now.
struct stock_level {
  product_id id = 0;
  std::int32_t available = 0;

  friend bool operator==(stock_level const&, stock_level const&) = default;
};

/// The public quote: the price with each line's name and availability.
struct quote {
  price_quote price;
  std::vector<std::string> names;         ///< per line of price.lines
  std::vector<std::int32_t> available;    ///< per line of price.lines
  bool all_available = false;

  friend bool operator==(quote const&, quote const&) = default;
};

/// What a client sends to place an order.
struct order_request {
  std::string customer;
  quote_request items;

  friend bool operator==(order_request const&, order_request const&) = default;
};

/// A placed order, kept by the orders service.
struct order {
  order_id id = 0;
  std::string customer;
  price_quote price;

  friend bool operator==(order const&, order const&) = default;
};

/// Nothing, for operations that only succeed or fail.
struct done {
  friend bool operator==(done, done) = default;
  friend std::ostream& operator<<(std::ostream& os, done) { return os << "done"; }
};

}  // namespace splitbench
