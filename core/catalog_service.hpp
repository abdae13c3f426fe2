#pragma once

#include "core/callback.hpp"
#include "core/types.hpp"

#include <vector>

namespace splitbench {

/// The seam to the catalog: bound in-process in the monolith, over HTTP in the split.
class catalog_service {
 public:
  virtual ~catalog_service() = default;
  /// One product, or not_found.
  virtual void get_product(product_id id, callback<product> done) = 0;
  /// Products in the order of `ids`, or not_found naming the first unknown id.
  virtual void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) = 0;
  /// Ranked search (see catalog::search).
  virtual void search(search_query query, callback<search_result> done) = 0;
};

}  // namespace splitbench
