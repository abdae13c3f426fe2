#include "core/order_book.hpp"

#include <string>

namespace splitbench {

order order_book::add(std::string customer, price_quote price) {
  std::lock_guard lock(mutex_);
  orders_.push_back(order{orders_.size() + 1, std::move(customer), std::move(price)});
  return orders_.back();
}

result<order> order_book::find(order_id id) const {
  std::lock_guard lock(mutex_);
  if (id == 0 || id > orders_.size()) return fail(errc::not_found, "no order " + std::to_string(id));
  return orders_[id - 1];
}

}  // namespace splitbench
