#pragma once
/// The HTTP bindings of the seam: each service interface implemented by requests to that
/// service's process, the caller's side of its endpoints (endpoints.hpp). A peer's error answer
/// becomes the same error value the in-process binding would give, so the flows behave alike in
/// both builds.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"
#include "net/client.hpp"

namespace splitbench::split {

class http_catalog final : public catalog_service {
 public:
  explicit http_catalog(net::http_client& client) : client_(client) {}
  void get_product(product_id id, callback<product> done) override;
  void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) override;
  void search(search_query query, callback<search_result> done) override;

 private:
  net::http_client& client_;
};

class http_inventory final : public inventory_service {
 public:
  explicit http_inventory(net::http_client& client) : client_(client) {}
  void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) override;
  void reserve(std::vector<line> lines, callback<done> done) override;
  void release(std::vector<line> lines, callback<done> done) override;

 private:
  net::http_client& client_;
};

class http_pricing final : public pricing_service {
 public:
  explicit http_pricing(net::http_client& client) : client_(client) {}
  void quote(quote_request request, callback<price_quote> done) override;

 private:
  net::http_client& client_;
};

class http_orders final : public orders_service {
 public:
  explicit http_orders(net::http_client& client) : client_(client) {}
  void place(order_request request, callback<order> done) override;
  void get(order_id id, callback<order> done) override;

 private:
  net::http_client& client_;
};

}  // namespace splitbench::split
