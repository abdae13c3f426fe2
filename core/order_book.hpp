#pragma once
/// Placed orders, kept in memory with sequential ids; safe to use from any number of threads.
/// Only the most recent `capacity` orders are kept, so that memory stays flat however long a
/// service runs; an older id answers not_found, saying so.

#include "core/error.hpp"
#include "core/types.hpp"

#include <deque>
#include <mutex>

namespace splitbench {

class order_book {
 public:
  static constexpr std::size_t default_capacity = 10'000;

  explicit order_book(std::size_t capacity = default_capacity) : capacity_(capacity) {}

  /// Stores the order under the next id (1, 2, ...) and returns it with that id.
  order add(std::string customer, price_quote price);

  /// The order with this id, or not_found.
  result<order> find(order_id id) const;

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  order_id first_kept_ = 1;  // the id of orders_.front()
  std::deque<order> orders_;  // a deque so that growing never copies old orders
};

}  // namespace splitbench
