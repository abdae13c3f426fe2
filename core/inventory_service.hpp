#pragma once

#include "core/callback.hpp"
#include "core/types.hpp"

#include <vector>

namespace splitbench {

/// The seam to the inventory: bound in-process in the monolith, over HTTP in the split.
class inventory_service {
 public:
  virtual ~inventory_service() = default;
  /// Units in stock for each id, in order.
  virtual void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) = 0;
  /// All-or-nothing reservation of the lines' units; conflict when any is short.
  virtual void reserve(std::vector<line> lines, callback<done> done) = 0;
  /// Gives back what reserve took.
  virtual void release(std::vector<line> lines, callback<done> done) = 0;
};

}  // namespace splitbench
