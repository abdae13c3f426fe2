#pragma once
/// The public use cases, written once against the seam. The monolith's front door and the split's
/// gateway both call these; only the bindings they hand in differ.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"

namespace splitbench {

class storefront {
 public:
  storefront(catalog_service& catalog, inventory_service& inventory, pricing_service& pricing, orders_service& orders)
      : catalog_(catalog), inventory_(inventory), pricing_(pricing), orders_(orders) {}

  void get_product(product_id id, callback<product> done) { catalog_.get_product(id, std::move(done)); }
  void search(search_query query, callback<search_result> done) { catalog_.search(std::move(query), std::move(done)); }

  /// Asks catalog (names), inventory (stock) and pricing at once and joins their answers.
  /// Errors by precedence: the request itself, catalog's (an unknown product is invalid input),
  /// pricing's, inventory's.
  void quote(quote_request request, callback<quote> done);

  void place_order(order_request request, callback<order> done) { orders_.place(std::move(request), std::move(done)); }
  void get_order(order_id id, callback<order> done) { orders_.get(id, std::move(done)); }

 private:
  catalog_service& catalog_;
  inventory_service& inventory_;
  pricing_service& pricing_;
  orders_service& orders_;
};

}  // namespace splitbench
