#pragma once
/// Placed orders, kept in memory with sequential ids; safe to use from any number of threads.

#include "core/error.hpp"
#include "core/types.hpp"

#include <deque>
#include <mutex>

namespace splitbench {

class order_book {
 public:
  /// Stores the order under the next id (1, 2, ...) and returns it with that id.
  order add(std::string customer, price_quote price);

  /// The order with this id, or not_found.
  result<order> find(order_id id) const;

 private:
  mutable std::mutex mutex_;
  std::deque<order> orders_;  // index id - 1; a deque so that growing never copies old orders
};

}  // namespace splitbench
