#pragma once
/// The orders service's logic: placing an order asks catalog, pricing and inventory at once,
/// then keeps the order. The same code runs in the monolith and in the split's orders process;
/// only the bindings of its three peers differ.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/order_book.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"

namespace splitbench {

class order_desk final : public orders_service {
 public:
  order_desk(catalog_service& catalog, pricing_service& pricing, inventory_service& inventory, order_book& book)
      : catalog_(catalog), pricing_(pricing), inventory_(inventory), book_(book) {}

  /// Errors, by precedence whatever order the answers arrive in: invalid input (the request
  /// itself, then an unknown product), then pricing's, then inventory's (conflict when short).
  /// A reservation made while another call failed is released before answering.
  void place(order_request request, callback<order> done) override;
  void get(order_id id, callback<order> done) override { done(book_.find(id)); }

 private:
  catalog_service& catalog_;
  pricing_service& pricing_;
  inventory_service& inventory_;
  order_book& book_;
};

/// Checks what every use case checks of an order's lines: 1..50 items, ids >= 1, qty 1..1000.
result<done> validate_items(quote_request const& request);

/// Checks a customer name: 1..100 bytes.
result<done> validate_customer(std::string const& customer);

/// The ids of the lines, in order.
std::vector<product_id> ids_of(std::vector<line> const& lines);

/// An unknown product in a request's body is the client's mistake: not_found becomes invalid_input.
error as_input_error(error e);

}  // namespace splitbench
