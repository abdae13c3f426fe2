// splitbench-monolith: the whole storefront in one process, every service bound in-process.
//
//   splitbench-monolith --listen 127.0.0.1:8080 [--threads N] [--seed S] [--admin]

#include "api/front_door.hpp"
#include "cli/main.hpp"
#include "core/local.hpp"
#include "core/order_desk.hpp"
#include "core/storefront.hpp"
#include "host/admin.hpp"
#include "host/fault_gate.hpp"
#include "host/process.hpp"
#include "net/routed_app.hpp"

#include <boost/asio/io_context.hpp>

namespace splitbench::monolith {
namespace {

/// The state every thread shares; each piece is safe to use from any thread.
struct shop_state {
  explicit shop_state(std::uint64_t seed) : cat(seed), inv(seed, static_cast<product_id>(cat.size())), prices(cat) {}
  catalog cat;
  inventory inv;
  pricing prices;
  order_book book;
};

/// One thread's front door: the public API over in-process bindings of the shared state, each
/// delayed where --inject-latency names its service and, with --admin, through its fault switch.
struct monolith_app final : net::routed_app {
  monolith_app(shop_state& s, boost::asio::io_context& context, host::process_options const& o, host::fault_board& faults)
      : local_cat(s.cat), local_inv(s.inv), local_price(s.prices),
        catalog(host::maybe_switchable(switchable_cat, host::maybe_delayed(delayed_cat, local_cat, context, o.inject, "catalog"),
                                       context, faults, "catalog")),
        inventory(host::maybe_switchable(switchable_inv, host::maybe_delayed(delayed_inv, local_inv, context, o.inject, "inventory"),
                                         context, faults, "inventory")),
        pricing(host::maybe_switchable(switchable_price,
                                       host::maybe_delayed(delayed_price, local_price, context, o.inject, "pricing"), context,
                                       faults, "pricing")),
        desk(catalog, pricing, inventory, s.book),
        orders(host::maybe_switchable(switchable_desk, host::maybe_delayed(delayed_desk, desk, context, o.inject, "orders"),
                                      context, faults, "orders")),
        shop(catalog, inventory, pricing, orders) {
    api::add_public_routes(routes, shop);
  }
  local_catalog local_cat;
  local_inventory local_inv;
  local_pricing local_price;
  std::unique_ptr<host::delayed_catalog> delayed_cat;
  std::unique_ptr<host::delayed_inventory> delayed_inv;
  std::unique_ptr<host::delayed_pricing> delayed_price;
  std::unique_ptr<host::delayed_orders> delayed_desk;
  std::unique_ptr<host::switchable_catalog> switchable_cat;
  std::unique_ptr<host::switchable_inventory> switchable_inv;
  std::unique_ptr<host::switchable_pricing> switchable_price;
  std::unique_ptr<host::switchable_orders> switchable_desk;
  catalog_service& catalog;
  inventory_service& inventory;
  pricing_service& pricing;
  order_desk desk;
  orders_service& orders;
  storefront shop;
};

int run(int argc, char** argv) {
  host::process_options options;
  cli::command table{
      .name = "splitbench-monolith",
      .summary = "the whole storefront in one process, every service bound in-process, serving the public API until SIGINT or SIGTERM",
      .flags = host::server_flags(options),
      .examples = {"splitbench-monolith --listen 127.0.0.1:8080",
                   "splitbench-monolith --listen 127.0.0.1:8080 --threads 2 --inject-latency pricing=300us",
                   "splitbench-monolith --listen 127.0.0.1:8080 --admin"},
      .notes = std::string(host::admin_help) + " This process runs all four services: catalog, inventory, pricing and orders.",
  };
  cli::parse(argc, argv, 1, table);
  shop_state state(options.seed);
  auto faults = host::make_fault_board(options, {"catalog", "inventory", "pricing", "orders"});
  return host::serve("splitbench-monolith", options, *faults, [&state, &options, &faults](boost::asio::io_context& context) {
    return std::make_unique<monolith_app>(state, context, options, *faults);
  });
}

}  // namespace
}  // namespace splitbench::monolith

int main(int argc, char** argv) {
  return splitbench::cli::guarded_main("splitbench-monolith", [&] { return splitbench::monolith::run(argc, argv); });
}
