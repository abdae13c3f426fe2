// splitbench-monolith: the whole storefront in one process, every service bound in-process.
//
//   splitbench-monolith --listen 127.0.0.1:8080 [--threads N] [--seed S]

#include "api/front_door.hpp"
#include "api/process.hpp"
#include "core/local.hpp"
#include "core/order_desk.hpp"
#include "core/storefront.hpp"

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

/// One thread's front door: the public API over in-process bindings of the shared state.
struct monolith_app final : api::routed_app {
  explicit monolith_app(shop_state& s) : catalog(s.cat), inventory(s.inv), pricing(s.prices), desk(catalog, pricing, inventory, s.book) {
    api::add_public_routes(routes, shop);
  }
  local_catalog catalog;
  local_inventory inventory;
  local_pricing pricing;
  order_desk desk;
  storefront shop{catalog, inventory, pricing, desk};
};

int run(int argc, char** argv) {
  api::process_options options;
  auto rest = cli::parse(argc, argv, 1, api::server_flags(options));
  if (!rest.empty()) throw cli::usage_error("unexpected argument '" + rest[0] + "'");
  shop_state state(options.seed);
  return api::serve("splitbench-monolith", options,
                    [&state](boost::asio::io_context&) { return std::make_unique<monolith_app>(state); });
}

}  // namespace
}  // namespace splitbench::monolith

int main(int argc, char** argv) {
  return splitbench::api::guarded_main("splitbench-monolith", [&] { return splitbench::monolith::run(argc, argv); });
}
