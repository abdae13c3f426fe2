#include "split/group.hpp"

#include "api/front_door.hpp"
#include "core/local.hpp"
#include "core/order_book.hpp"
#include "core/order_desk.hpp"
#include "core/storefront.hpp"
#include "host/fault_gate.hpp"
#include "host/topology.hpp"
#include "split/serialized.hpp"
#include "split/service_routes.hpp"
#include "split/stubs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <stdexcept>

namespace splitbench::split {

struct group_state::data {
  std::optional<catalog> cat;
  std::optional<inventory> inv;
  std::optional<pricing> prices;
  std::optional<order_book> book;
};

group_state::group_state(std::vector<std::string> services, std::uint64_t seed)
    : services_(std::move(services)), data_(std::make_unique<data>()) {
  if (runs("catalog") || runs("pricing") || runs("inventory")) data_->cat.emplace(seed);  // pricing prices it, inventory stocks it
  if (runs("inventory")) data_->inv.emplace(seed, static_cast<product_id>(data_->cat->size()));
  if (runs("pricing")) data_->prices.emplace(*data_->cat);
  if (runs("orders")) data_->book.emplace();
}

group_state::~group_state() = default;

bool group_state::runs(std::string_view service) const noexcept {
  return std::find(services_.begin(), services_.end(), service) != services_.end();
}

namespace {

/// One thread's bindings of the group: what each service's routes serve (in-process, delayed if
/// --inject-latency names it, through its fault switch with --admin), and what callers in the
/// process use (that, through the codec when serialized, or the HTTP stub of a peer).
class group_app final : public net::routed_app {
 public:
  group_app(group_state& state, boost::asio::io_context& context, host::process_options const& o, host::fault_board& faults,
            group_peers const& peers, bool serialized)
      : context_(context), options_(o), faults_(faults), peers_(peers), serialized_(serialized) {
    for (auto const& peer : host::peers_of(state.services()))
      if (!peers.replicas.contains(peer)) throw std::invalid_argument(fmt::format("no address of {}, which this group calls", peer));
    auto& d = state.state();
    catalog_service* catalog = nullptr;
    inventory_service* inventory = nullptr;
    pricing_service* pricing = nullptr;
    orders_service* orders = nullptr;
    if (state.runs("catalog")) {
      auto& served = served_by<host::delayed_catalog, host::switchable_catalog>(keep(std::make_unique<local_catalog>(*d.cat)), "catalog");
      if (host::called_from_outside(state.services(), "catalog")) add_catalog_routes(routes, served);
      catalog = &inside<serialized_catalog>(served);
    } else if (peers.replicas.contains("catalog")) {
      catalog = &keep(std::make_unique<http_catalog>(client("catalog")));
    }
    if (state.runs("inventory")) {
      auto& served = served_by<host::delayed_inventory, host::switchable_inventory>(keep(std::make_unique<local_inventory>(*d.inv)), "inventory");
      if (host::called_from_outside(state.services(), "inventory")) add_inventory_routes(routes, served);
      inventory = &inside<serialized_inventory>(served);
    } else if (peers.replicas.contains("inventory")) {
      inventory = &keep(std::make_unique<http_inventory>(client("inventory")));
    }
    if (state.runs("pricing")) {
      auto& served = served_by<host::delayed_pricing, host::switchable_pricing>(keep(std::make_unique<local_pricing>(*d.prices)), "pricing");
      if (host::called_from_outside(state.services(), "pricing")) add_pricing_routes(routes, served);
      pricing = &inside<serialized_pricing>(served);
    } else if (peers.replicas.contains("pricing")) {
      pricing = &keep(std::make_unique<http_pricing>(client("pricing")));
    }
    if (state.runs("orders")) {
      auto& desk = keep(std::make_unique<order_desk>(*catalog, *pricing, *inventory, *d.book));
      auto& served = served_by<host::delayed_orders, host::switchable_orders>(desk, "orders");
      if (host::called_from_outside(state.services(), "orders")) add_orders_routes(routes, served);
      orders = &inside<serialized_orders>(served);
    } else if (peers.replicas.contains("orders")) {
      orders = &keep(std::make_unique<http_orders>(client("orders")));
    }
    if (state.runs("gateway")) api::add_public_routes(routes, keep(std::make_unique<storefront>(*catalog, *inventory, *pricing, *orders)));
  }

  ~group_app() override {
    while (!kept_.empty()) kept_.pop_back();  // callers before what they call
  }

  std::vector<net::http_client const*> clients() const override {
    std::vector<net::http_client const*> out;
    for (auto const& c : clients_) out.push_back(c.get());
    return out;
  }

 private:
  template <class T>
  T& keep(std::unique_ptr<T> p) {
    auto& r = *p;
    kept_.emplace_back(std::move(p));
    return r;
  }

  /// `binding` as its routes and its callers see it: delayed, then switchable.
  template <class Delayed, class Switchable>
  typename Delayed::interface& served_by(typename Delayed::interface& binding, char const* service) {
    std::unique_ptr<Delayed> delayed;
    std::unique_ptr<Switchable> switchable;
    auto& served = host::maybe_switchable(switchable, host::maybe_delayed(delayed, binding, context_, options_.inject, service), context_,
                                          faults_, service);
    if (delayed) keep(std::move(delayed));  // kept after what they wrap, so destroyed before it
    if (switchable) keep(std::move(switchable));
    return served;
  }

  /// What a caller in this process uses of a service the group runs.
  template <class Serialized, class Interface>
  Interface& inside(Interface& served) {
    if (!serialized_) return served;
    return keep(std::make_unique<Serialized>(served));
  }

  /// A client of peer `service`, balanced over its replicas. Each client draws its own network
  /// delays: with --threads N, N clients of one peer would otherwise draw one sequence N times.
  /// Clients are made in one order at start, so a run with the same seed draws the same delays.
  net::http_client& client(char const* service) {
    static std::atomic<std::uint64_t> made{0};
    auto o = peers_.client;
    o.network_seed += 0x9E3779B97F4A7C15ULL * made++;
    clients_.push_back(std::make_unique<net::http_client>(context_, service, peers_.replicas.at(service), o));
    return *clients_.back();
  }

  boost::asio::io_context& context_;
  host::process_options const& options_;
  host::fault_board& faults_;
  group_peers const& peers_;
  bool serialized_;
  std::vector<std::unique_ptr<net::http_client>> clients_;
  std::vector<std::shared_ptr<void>> kept_;  ///< bindings and their wrappers, each after what it calls
};

}  // namespace

std::unique_ptr<net::routed_app> make_group_app(group_state& state, boost::asio::io_context& context, host::process_options const& options,
                                                host::fault_board& faults, group_peers const& peers, bool serialized) {
  return std::make_unique<group_app>(state, context, options, faults, peers, serialized);
}

}  // namespace splitbench::split
