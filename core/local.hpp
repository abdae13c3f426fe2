#pragma once
/// The in-process bindings of the seam: each answers from the core object it wraps, before
/// returning. The monolith binds every service this way; each split service binds its own.

#include "core/catalog.hpp"
#include "core/catalog_service.hpp"
#include "core/inventory.hpp"
#include "core/inventory_service.hpp"
#include "core/pricing.hpp"
#include "core/pricing_service.hpp"

namespace splitbench {

class local_catalog final : public catalog_service {
 public:
  explicit local_catalog(catalog const& c) : catalog_(c) {}
  void get_product(product_id id, callback<product> done) override { done(catalog_.find(id)); }
  void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) override {
    done(catalog_.find_all(ids));
  }
  void search(search_query query, callback<search_result> done) override { done(catalog_.search(query)); }

 private:
  catalog const& catalog_;
};

class local_inventory final : public inventory_service {
 public:
  explicit local_inventory(inventory& i) : inventory_(i) {}
  void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) override {
    done(inventory_.availability(ids));
  }
  void reserve(std::vector<line> lines, callback<done> done) override { done(inventory_.reserve(lines)); }
  void release(std::vector<line> lines, callback<done> done) override { done(inventory_.release(lines)); }

 private:
  inventory& inventory_;
};

class local_pricing final : public pricing_service {
 public:
  explicit local_pricing(pricing const& p) : pricing_(p) {}
  void quote(quote_request request, callback<price_quote> done) override { done(pricing_.quote(request)); }

 private:
  pricing const& pricing_;
};

}  // namespace splitbench
