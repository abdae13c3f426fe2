#pragma once

#include "core/callback.hpp"
#include "core/types.hpp"

namespace splitbench {

/// The seam to the orders service: bound in-process in the monolith, over HTTP in the split.
class orders_service {
 public:
  virtual ~orders_service() = default;
  /// Prices, reserves and stores an order: invalid_input, conflict (out of stock), or the order.
  virtual void place(order_request request, callback<order> done) = 0;
  /// A stored order, or not_found.
  virtual void get(order_id id, callback<order> done) = 0;
};

}  // namespace splitbench
