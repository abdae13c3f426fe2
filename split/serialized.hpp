#pragma once
/// The serialized bindings of the seam: each service interface implemented by an in-process call
/// that still goes through the codec as an HTTP call does. The request is written as the stub
/// writes it (stubs.hpp), read as the service's route reads it (service_routes.hpp), the answer
/// (or the error, with its status) written as the route writes it and read as the stub reads it;
/// no socket, no HTTP framing. Between the in-process bindings (core/local.hpp) and the HTTP ones,
/// it separates what encoding costs from what the transport costs.
///
/// What it leaves out with the transport: the server's body and header limits (a body too large
/// for a service's --body-limit is answered 413 over HTTP, and passed here), and the event loop's
/// turn: the answer comes back before the call returns, as an in-process call's does.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"

namespace splitbench::split {

class serialized_catalog final : public catalog_service {
 public:
  explicit serialized_catalog(catalog_service& inner) : inner_(inner) {}
  void get_product(product_id id, callback<product> done) override;
  void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) override;
  void search(search_query query, callback<search_result> done) override;

 private:
  catalog_service& inner_;
};

class serialized_inventory final : public inventory_service {
 public:
  explicit serialized_inventory(inventory_service& inner) : inner_(inner) {}
  void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) override;
  void reserve(std::vector<line> lines, callback<done> done) override;
  void release(std::vector<line> lines, callback<done> done) override;

 private:
  inventory_service& inner_;
};

class serialized_pricing final : public pricing_service {
 public:
  explicit serialized_pricing(pricing_service& inner) : inner_(inner) {}
  void quote(quote_request request, callback<price_quote> done) override;

 private:
  pricing_service& inner_;
};

class serialized_orders final : public orders_service {
 public:
  explicit serialized_orders(orders_service& inner) : inner_(inner) {}
  void place(order_request request, callback<order> done) override;
  void get(order_id id, callback<order> done) override;

 private:
  orders_service& inner_;
};

}  // namespace splitbench::split
