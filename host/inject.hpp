#pragma once
/// Latency injection: `--inject-latency pricing=300us` makes every operation of that service
/// answer that much later, in either build, so users can ask "what if pricing were slower or
/// further away?". The delay runs on the calling thread's own io_context; no thread sleeps.

#include "host/gated.hpp"

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

/// Wraps callbacks so that they run `delay` after the answer is ready; as a gate (gated.hpp),
/// delays every call.
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

  template <class T, class Call>
  void pass(callback<T>&& done, Call&& call) const {
    call(wrap(std::move(done)));
  }

 private:
  boost::asio::io_context& context_;
  std::chrono::nanoseconds delay_;
};

/// The services, each answering a fixed delay later than the binding they wrap.
using delayed_catalog = gated_catalog<delayer>;
using delayed_inventory = gated_inventory<delayer>;
using delayed_pricing = gated_pricing<delayer>;
using delayed_orders = gated_orders<delayer>;

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
