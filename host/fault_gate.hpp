#pragma once
/// Faults switched on and off while a process runs, applied where the service is bound: in the
/// monolith, in each in-process binding (a failing component fails its caller's call); in the
/// split, under the service's own routes (the process answers its callers late, or with the
/// status, as a real slow or failing peer would). Either way the flows, the stubs and the front
/// door do what they do with any such answer, so the public status is the one the code gives.
///
/// A slow call waits on a timer of the calling thread's io_context; no thread sleeps. A failed
/// call never reaches the wrapped binding: it completes at once with error_from_status(status),
/// the same error a stub makes of a peer's answer with that status.

#include "host/fault_switch.hpp"
#include "host/gated.hpp"
#include "host/inject.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <random>
#include <string_view>

namespace splitbench::host {

/// The gate (gated.hpp) of one thread's binding of one service: lets a call through untouched
/// while its switch is off, else as the action in force says. Each thread has its own, so the
/// draws take no lock.
class fault_gate {
 public:
  fault_gate(fault_switch const& faults, boost::asio::io_context& context, std::uint64_t seed)
      : switch_(&faults), context_(&context), random_(seed) {}

  template <class T, class Call>
  void pass(callback<T>&& done, Call&& call) {
    if (!switch_->on()) [[likely]] return call(std::move(done));
    faulted(std::move(done), call);
  }

 private:
  /// Apart from pass, so that what a call pays while the switch is off stays a load and a branch.
  template <class T, class Call>
  [[gnu::noinline]] void faulted(callback<T>&& done, Call& call) {
    auto action = switch_->current();
    if (!action || !affects(*action)) return call(std::move(done));
    if (action->kind == action_kind::error) return done(injected_error(*action));
    auto delay = action->delay.sample(random_);
    if (delay.count() == 0) return call(std::move(done));
    call(delayer(*context_, delay).wrap(std::move(done)));
  }

  bool affects(fault_action const& a) { return a.fraction >= 1 || std::bernoulli_distribution(a.fraction)(random_); }
  /// "injected fault in pricing: error=1:503", with that status.
  error injected_error(fault_action const& a) const;

  fault_switch const* switch_;
  boost::asio::io_context* context_;
  std::mt19937_64 random_;
};

/// The services, each through its switch.
using switchable_catalog = gated_catalog<fault_gate>;
using switchable_inventory = gated_inventory<fault_gate>;
using switchable_pricing = gated_pricing<fault_gate>;
using switchable_orders = gated_orders<fault_gate>;

/// `inner`, or a switchable copy of it held in `slot` when `faults` has a switch for `service`
/// (the process was started with --admin).
template <class Switchable>
typename Switchable::interface& maybe_switchable(std::unique_ptr<Switchable>& slot, typename Switchable::interface& inner,
                                                 boost::asio::io_context& context, fault_board& faults, std::string_view service) {
  auto* s = faults.find(service);
  if (s == nullptr) return inner;
  slot = std::make_unique<Switchable>(inner, fault_gate(*s, context, faults.next_seed()));
  return *slot;
}

}  // namespace splitbench::host
