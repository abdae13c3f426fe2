#include "core/order_book.hpp"

#include <string>

namespace splitbench {

order order_book::add(std::string customer, price_quote price) {
  std::lock_guard lock(mutex_);
  orders_.push_back(order{first_kept_ + orders_.size(), std::move(customer), std::move(price)});
  if (orders_.size() > capacity_) {
    orders_.pop_front();
    ++first_kept_;
  }
  return orders_.back();
}

result<order> order_book::find(order_id id) const {
  std::lock_guard lock(mutex_);
  if (id == 0 || id >= first_kept_ + orders_.size()) return fail(errc::not_found, "no order " + std::to_string(id));
  if (id < first_kept_)
    return fail(errc::not_found, "order " + std::to_string(id) + " is no longer kept (only the last " + std::to_string(capacity_) + " are)");
  return orders_[id - first_kept_];
}

}  // namespace splitbench
