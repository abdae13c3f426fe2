#pragma once
/// Latency injection: `--inject-latency pricing=300us` makes every operation of that service
/// answer that much later, in either build, so users can ask "what if pricing were slower or
/// further away?". The delay runs on the calling thread's own io_context; no thread sleeps.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::host {

/// One --inject-latency: a service and the delay added to each of its operations.
struct injected_latency {
  std::string service;  ///< catalog, inventory, pricing or orders
  std::chrono::nanoseconds delay{};
};

/// Parses "SERVICE=DURATION"; throws cli::usage_error for an unknown service or duration.
injected_latency parse_injection(std::string_view text);

/// The delay injected into `service`, zero if none.
std::chrono::nanoseconds delay_for(std::vector<injected_latency> const& injections, std::string_view service);

/// Wraps callbacks so that they run `delay` after the answer is ready.
class delayer {
 public:
  delayer(boost::asio::io_context& context, std::chrono::nanoseconds delay) : context_(context), delay_(delay) {}

  template <class T>
  callback<T> wrap(callback<T> done) const {
    return [&context = context_, delay = delay_, done = std::move(done)](result<T> r) {
      auto timer = std::make_shared<boost::asio::steady_timer>(context, delay);
      timer->async_wait([timer, done, r = std::move(r)](boost::system::error_code) { done(r); });
    };
  }

 private:
  boost::asio::io_context& context_;
  std::chrono::nanoseconds delay_;
};

/// A binding of `Interface` that answers `delay` later than `inner` would; the classes below
/// forward each operation through it.
template <class Interface>
class delayed : public Interface {
 public:
  using interface = Interface;
  delayed(Interface& inner, delayer d) : inner_(inner), d_(d) {}

 protected:
  Interface& inner_;
  delayer d_;
};

/// The catalog, delayed.
class delayed_catalog final : public delayed<catalog_service> {
 public:
  using delayed::delayed;
  void get_product(product_id id, callback<product> done) override { inner_.get_product(id, d_.wrap(std::move(done))); }
  void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) override {
    inner_.get_products(std::move(ids), d_.wrap(std::move(done)));
  }
  void search(search_query q, callback<search_result> done) override { inner_.search(std::move(q), d_.wrap(std::move(done))); }
};

/// The inventory, delayed.
class delayed_inventory final : public delayed<inventory_service> {
 public:
  using delayed::delayed;
  void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) override {
    inner_.availability(std::move(ids), d_.wrap(std::move(done)));
  }
  void reserve(std::vector<line> lines, callback<done> cb) override { inner_.reserve(std::move(lines), d_.wrap(std::move(cb))); }
  void release(std::vector<line> lines, callback<done> cb) override { inner_.release(std::move(lines), d_.wrap(std::move(cb))); }
};

/// Pricing, delayed.
class delayed_pricing final : public delayed<pricing_service> {
 public:
  using delayed::delayed;
  void quote(quote_request r, callback<price_quote> done) override { inner_.quote(std::move(r), d_.wrap(std::move(done))); }
};

/// The orders service, delayed.
class delayed_orders final : public delayed<orders_service> {
 public:
  using delayed::delayed;
  void place(order_request r, callback<order> done) override { inner_.place(std::move(r), d_.wrap(std::move(done))); }
  void get(order_id id, callback<order> done) override { inner_.get(id, d_.wrap(std::move(done))); }
};

/// `inner`, or a delayed copy of it held in `slot` when `service` has a delay injected.
template <class Delayed>
typename Delayed::interface& maybe_delayed(std::unique_ptr<Delayed>& slot, typename Delayed::interface& inner,
                                           boost::asio::io_context& context, std::vector<injected_latency> const& injections,
                                           std::string_view service) {
  auto d = delay_for(injections, service);
  if (d.count() == 0) return inner;
  slot = std::make_unique<Delayed>(inner, delayer(context, d));
  return *slot;
}

}  // namespace splitbench::host
