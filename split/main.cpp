// splitbench-service: one process of the split deployment, the gateway or one service.
//
//   splitbench-service gateway   --listen A --catalog A --inventory A --pricing A --orders A
//   splitbench-service catalog   --listen A          (likewise inventory, pricing)
//   splitbench-service orders    --listen A --catalog A --inventory A --pricing A

#include "api/front_door.hpp"
#include "api/process.hpp"
#include "cli/main.hpp"
#include "core/local.hpp"
#include "core/order_desk.hpp"
#include "core/storefront.hpp"
#include "split/service_routes.hpp"
#include "split/stubs.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <optional>

namespace splitbench::split {
namespace {

struct peers {
  std::optional<cli::host_port> catalog, inventory, pricing, orders;
  net::client_options client;
};

/// The gateway: the public API over HTTP stubs of all four services.
struct gateway_app final : api::routed_app {
  gateway_app(boost::asio::io_context& context, peers const& p)
      : catalog_client(context, "catalog", p.catalog->host, p.catalog->port, p.client),
        inventory_client(context, "inventory", p.inventory->host, p.inventory->port, p.client),
        pricing_client(context, "pricing", p.pricing->host, p.pricing->port, p.client),
        orders_client(context, "orders", p.orders->host, p.orders->port, p.client) {
    api::add_public_routes(routes, shop);
  }
  net::http_client catalog_client, inventory_client, pricing_client, orders_client;
  http_catalog catalog{catalog_client};
  http_inventory inventory{inventory_client};
  http_pricing pricing{pricing_client};
  http_orders orders{orders_client};
  storefront shop{catalog, inventory, pricing, orders};
};

/// The orders service: the order desk over HTTP stubs of its three peers.
struct orders_app final : api::routed_app {
  orders_app(boost::asio::io_context& context, peers const& p, order_book& book, std::vector<api::injected_latency> const& inject)
      : catalog_client(context, "catalog", p.catalog->host, p.catalog->port, p.client),
        inventory_client(context, "inventory", p.inventory->host, p.inventory->port, p.client),
        pricing_client(context, "pricing", p.pricing->host, p.pricing->port, p.client),
        desk(catalog, pricing, inventory, book) {
    add_orders_routes(routes, api::maybe_delayed(delayed, desk, context, inject, "orders"));
  }
  net::http_client catalog_client, inventory_client, pricing_client;
  http_catalog catalog{catalog_client};
  http_inventory inventory{inventory_client};
  http_pricing pricing{pricing_client};
  order_desk desk;
  std::unique_ptr<api::delayed_orders> delayed;
};

/// A leaf service: its routes over its in-process binding, delayed if --inject-latency says so.
template <class Binding, class Delayed, class Core>
struct leaf_app final : api::routed_app {
  template <class Interface>
  leaf_app(Core& core, boost::asio::io_context& context, std::vector<api::injected_latency> const& inject, char const* service,
           void (*add)(net::router&, Interface&))
      : binding(core) {
    add(routes, api::maybe_delayed<Delayed>(delayed, binding, context, inject, service));
  }
  Binding binding;
  std::unique_ptr<Delayed> delayed;
};

int run(int argc, char** argv) {
  if (argc < 2) throw cli::usage_error("usage: splitbench-service gateway|catalog|inventory|pricing|orders --listen HOST:PORT [options]");
  std::string role = argv[1];
  api::process_options options;
  peers p;
  auto flags = api::server_flags(options);
  auto peer_flag = [](char const* name, std::optional<cli::host_port>& slot) {
    return cli::flag{name, true, [&slot](std::string_view v) { slot = cli::parse_host_port(v); },
                     std::string("address of the ") + name + " service"};
  };
  flags.push_back(peer_flag("catalog", p.catalog));
  flags.push_back(peer_flag("inventory", p.inventory));
  flags.push_back(peer_flag("pricing", p.pricing));
  flags.push_back(peer_flag("orders", p.orders));
  flags.push_back({"peer-timeout", true,
                   [&p](std::string_view v) { p.client.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(cli::parse_duration(v)); },
                   "time a request to a peer may take (503/504 beyond)"});
  auto rest = cli::parse(argc, argv, 2, flags);
  if (!rest.empty()) throw cli::usage_error("unexpected argument '" + rest[0] + "'");

  auto need = [&](std::optional<cli::host_port> const& peer, char const* name) {
    if (!peer) throw cli::usage_error(role + " needs --" + name + " HOST:PORT");
  };
  auto const name = "splitbench-service " + role;

  if (role == "gateway") {
    need(p.catalog, "catalog"), need(p.inventory, "inventory"), need(p.pricing, "pricing"), need(p.orders, "orders");
    return api::serve(name.c_str(), options, [&p](boost::asio::io_context& c) { return std::make_unique<gateway_app>(c, p); });
  }
  if (role == "orders") {
    need(p.catalog, "catalog"), need(p.inventory, "inventory"), need(p.pricing, "pricing");
    order_book book;
    return api::serve(name.c_str(), options,
                      [&](boost::asio::io_context& c) { return std::make_unique<orders_app>(c, p, book, options.inject); });
  }
  catalog cat(options.seed);
  auto const& inject = options.inject;
  if (role == "catalog") {
    return api::serve(name.c_str(), options, [&](boost::asio::io_context& c) {
      return std::make_unique<leaf_app<local_catalog, api::delayed_catalog, catalog const>>(cat, c, inject, "catalog", &add_catalog_routes);
    });
  }
  if (role == "inventory") {
    inventory inv(options.seed, static_cast<product_id>(cat.size()));
    return api::serve(name.c_str(), options, [&](boost::asio::io_context& c) {
      return std::make_unique<leaf_app<local_inventory, api::delayed_inventory, inventory>>(inv, c, inject, "inventory", &add_inventory_routes);
    });
  }
  if (role == "pricing") {
    pricing prices(cat);
    return api::serve(name.c_str(), options, [&](boost::asio::io_context& c) {
      return std::make_unique<leaf_app<local_pricing, api::delayed_pricing, pricing const>>(prices, c, inject, "pricing", &add_pricing_routes);
    });
  }
  throw cli::usage_error("unknown role '" + role + "' (gateway, catalog, inventory, pricing or orders)");
}

}  // namespace
}  // namespace splitbench::split

int main(int argc, char** argv) {
  return splitbench::cli::guarded_main("splitbench-service", [&] { return splitbench::split::run(argc, argv); });
}
