// splitbench-service: one process of the split deployment, the gateway or one service.
// A peer's address may be a host name (a Service on a cluster), resolved once at start.
//
//   splitbench-service gateway   --listen A --catalog A --inventory A --pricing A --orders A
//   splitbench-service catalog   --listen A          (likewise inventory, pricing)
//   splitbench-service orders    --listen A --catalog A --inventory A --pricing A
//   ... --admin: each process also serves /admin/faults (host/admin.hpp)

#include "api/front_door.hpp"
#include "cli/flags.hpp"
#include "cli/main.hpp"
#include "cli/suggest.hpp"
#include "core/local.hpp"
#include "core/order_desk.hpp"
#include "core/storefront.hpp"
#include "host/admin.hpp"
#include "host/fault_gate.hpp"
#include "host/process.hpp"
#include "net/resolve.hpp"
#include "net/routed_app.hpp"
#include "split/service_routes.hpp"
#include "split/stubs.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <atomic>
#include <optional>

namespace splitbench::split {
namespace {

struct peers {
  std::vector<cli::host_port> catalog, inventory, pricing, orders;  ///< each peer's replicas
  net::client_options client;
};

/// Each peer given by name ("catalog:8080", a Service on a cluster) as the addresses the name has
/// now, each a replica, resolved once before serving so that no call waits on DNS. Throws
/// std::runtime_error naming the flag and the name when a name has no address.
void resolve_names(std::vector<cli::host_port>& replicas, char const* flag) {
  std::vector<cli::host_port> resolved;
  for (auto const& r : replicas) {
    auto addresses = net::resolve_ipv4(r.host);
    if (!addresses) throw std::runtime_error(fmt::format("--{} {}:{}: cannot resolve {}: {}", flag, r.host, r.port, r.host, addresses.error().message()));
    for (auto const& a : *addresses) resolved.push_back({a, r.port});
  }
  replicas = std::move(resolved);
}

/// A client of one peer, balanced over its replicas.
net::http_client client_of(boost::asio::io_context& context, char const* name, std::vector<cli::host_port> const& replicas,
                           net::client_options const& options) {
  std::vector<net::peer_address> addresses;
  for (auto const& r : replicas) addresses.push_back({r.host, r.port});
  // Each client draws its own network delays: with --threads N, N clients of one peer would
  // otherwise draw one sequence N times. Clients are made in one order at start, so a run with
  // the same seed draws the same delays again.
  static std::atomic<std::uint64_t> made{0};
  auto o = options;
  o.network_seed += 0x9E3779B97F4A7C15ULL * made++;
  return net::http_client(context, name, std::move(addresses), o);
}

/// The gateway: the public API over HTTP stubs of all four services.
struct gateway_app final : net::routed_app {
  gateway_app(boost::asio::io_context& context, peers const& p)
      : catalog_client(client_of(context, "catalog", p.catalog, p.client)),
        inventory_client(client_of(context, "inventory", p.inventory, p.client)),
        pricing_client(client_of(context, "pricing", p.pricing, p.client)),
        orders_client(client_of(context, "orders", p.orders, p.client)) {
    api::add_public_routes(routes, shop);
  }
  std::vector<net::http_client const*> clients() const override { return {&catalog_client, &inventory_client, &pricing_client, &orders_client}; }
  net::http_client catalog_client, inventory_client, pricing_client, orders_client;
  http_catalog catalog{catalog_client};
  http_inventory inventory{inventory_client};
  http_pricing pricing{pricing_client};
  http_orders orders{orders_client};
  storefront shop{catalog, inventory, pricing, orders};
};

/// The orders service: the order desk over HTTP stubs of its three peers, its routes over the
/// desk delayed if --inject-latency says so and, with --admin, through its fault switch.
struct orders_app final : net::routed_app {
  orders_app(boost::asio::io_context& context, peers const& p, order_book& book, host::process_options const& o,
             host::fault_board& faults)
      : catalog_client(client_of(context, "catalog", p.catalog, p.client)),
        inventory_client(client_of(context, "inventory", p.inventory, p.client)),
        pricing_client(client_of(context, "pricing", p.pricing, p.client)),
        desk(catalog, pricing, inventory, book) {
    add_orders_routes(routes, host::maybe_switchable(switchable, host::maybe_delayed(delayed, desk, context, o.inject, "orders"),
                                                     context, faults, "orders"));
  }
  std::vector<net::http_client const*> clients() const override { return {&catalog_client, &inventory_client, &pricing_client}; }
  net::http_client catalog_client, inventory_client, pricing_client;
  http_catalog catalog{catalog_client};
  http_inventory inventory{inventory_client};
  http_pricing pricing{pricing_client};
  order_desk desk;
  std::unique_ptr<host::delayed_orders> delayed;
  std::unique_ptr<host::switchable_orders> switchable;
};

/// A leaf service: its routes over its in-process binding, delayed if --inject-latency says so
/// and, with --admin, through its fault switch, so that it answers its callers as a slow or
/// failing service would.
template <class Binding, class Delayed, class Switchable, class Core>
struct leaf_app final : net::routed_app {
  template <class Interface>
  leaf_app(Core& core, boost::asio::io_context& context, host::process_options const& o, host::fault_board& faults,
           char const* service, void (*add)(net::router&, Interface&))
      : binding(core) {
    auto& delayed_binding = host::maybe_delayed<Delayed>(delayed, binding, context, o.inject, service);
    add(routes, host::maybe_switchable<Switchable>(switchable, delayed_binding, context, faults, service));
  }
  Binding binding;
  std::unique_ptr<Delayed> delayed;
  std::unique_ptr<Switchable> switchable;
};

/// A service another one calls: its flag and where its address goes.
struct peer {
  char const* name;
  std::vector<cli::host_port> peers::*slot;
};
constexpr peer catalog_peer{"catalog", &peers::catalog}, inventory_peer{"inventory", &peers::inventory},
    pricing_peer{"pricing", &peers::pricing}, orders_peer{"orders", &peers::orders};

struct service_role {
  char const* name;
  char const* summary;
  std::vector<peer> peers;  ///< the services it calls, each a required flag
};

std::vector<service_role> const& roles() {
  static std::vector<service_role> const all = {
      {"gateway", "the public API, each service reached over HTTP", {catalog_peer, inventory_peer, pricing_peer, orders_peer}},
      {"catalog", "the catalog service: product lookup and search", {}},
      {"inventory", "the inventory service: stock, availability, reservations", {}},
      {"pricing", "the pricing service: quotes with discounts, promotions and tax", {}},
      {"orders", "the orders service: places orders through catalog, pricing and inventory over HTTP",
       {catalog_peer, inventory_peer, pricing_peer}},
  };
  return all;
}

/// The page of splitbench-service alone: its roles and the options all of them take.
cli::command service_table(host::process_options& options) {
  cli::command c{
      .name = "splitbench-service",
      .summary = "one process of the split deployment, the gateway or one service, serving until SIGINT or SIGTERM",
      .flags = host::server_flags(options),
      .examples = {"splitbench-service catalog --listen 127.0.0.1:9001",
                   "splitbench-service gateway --listen 127.0.0.1:8080 --catalog 127.0.0.1:9001 --inventory 127.0.0.1:9002 "
                   "--pricing 127.0.0.1:9003 --orders 127.0.0.1:9004"},
      .commands_title = "roles",
      .usage = "splitbench-service ROLE [options]",
      .notes = std::string("'splitbench-service ROLE --help' shows a role's page, with the peers it needs. ") + host::admin_help +
               " The gateway runs none of the services: switch a fault on the process that runs it.",
  };
  for (auto const& r : roles()) c.commands.push_back({r.name, r.summary});
  return c;
}

/// The page and flags of one role: its peers first, each required, then what every server takes.
cli::command role_table(service_role const& r, host::process_options& options, peers& p) {
  cli::command c{.name = std::string("splitbench-service ") + r.name, .summary = r.summary};
  std::string example = c.name + " --listen 127.0.0.1:9000";
  int port = 9001;
  for (auto const& x : r.peers) {
    c.flags.push_back(cli::required(cli::addresses(x.name, p.*x.slot, std::string("address of the ") + x.name + " service, or of each of its replicas")));
    example += fmt::format(" --{} 127.0.0.1:{}", x.name, port++);
  }
  auto server = host::server_flags(options);
  c.flags.insert(c.flags.end(), server.begin(), server.end());
  // Every role takes it, so that one command line can start them all; only those with peers use it.
  c.flags.push_back(cli::duration("peer-timeout", p.client.timeout,
                                  r.peers.empty() ? "unused: this role calls no other service"
                                                  : "time a request to a peer may take (503 or 504 beyond)"));
  auto peer_help = [&](char const* text) { return r.peers.empty() ? std::string("unused: this role calls no other service") : std::string(text); };
  c.flags.push_back(cli::whole("peer-retries", p.client.retry.max_retries, 0, 10,
                               peer_help("retries of a failed peer call that is safe to repeat, after a jittered back-off, within the retry budget")));
  c.flags.push_back(cli::number("retry-budget", p.client.retry.budget, peer_help("retries per call to a peer, at most, over time"), "FRACTION"));
  c.flags.push_back(cli::whole("breaker-failures", p.client.breaker.failures, 0, 1'000,
                               peer_help("failures in a row that open a peer's circuit breaker; 0: no breaker")));
  c.flags.push_back(cli::duration("breaker-open", p.client.breaker.open_for,
                                  peer_help("how long an open breaker fails calls at once before one call probes the peer")));
  c.flags.push_back(cli::one_of("balance", {"rr", "p2c"}, "p2c",
                                peer_help("how a call picks a replica of a peer: in turn (rr), or the less busy of two drawn at random (p2c); a "
                                          "replica that cannot be reached or does not answer in time is ejected for a while, and a call that is "
                                          "safe to repeat is tried once more on another"),
                                [&p](std::string_view v) { p.client.policy = v == "rr" ? net::balance::round_robin : net::balance::p2c; }));
  c.flags.push_back({.name = "network-delay", .value = "DIST",
                     .type = "a duration (1ms), uniform(LOW,HIGH), normal(MEAN,STDDEV), lognormal(MEDIAN,SIGMA) or empirical(FILE)",
                     .help = peer_help("a one-way delay added to each direction of every call to a peer, drawn per call and direction "
                                       "(seeded by --seed) and waited on a timer: a network between this process and its peers"),
                     .set = [&p](std::string_view v) {
                       try {
                         p.client.network_delay = net::parse_distribution(v);
                       } catch (std::invalid_argument const& e) {
                         throw cli::usage_error(std::string("--network-delay: ") + e.what());
                       }
                     }});
  c.examples = {example};
  auto runs = std::string_view(r.name) == "gateway"
                  ? std::string(" The gateway runs none of the services: switch a fault on the process that runs it.")
                  : std::string(" This process runs the ") + r.name + " service.";
  c.notes = host::admin_help + runs;
  return c;
}

int run(int argc, char** argv) {
  host::process_options options;
  peers p;
  std::string role = argc > 1 ? argv[1] : "";
  if (argc < 2 || role.starts_with("-")) {
    cli::parse(argc, argv, 1, service_table(options));  // --help and --version; anything else lacks a role
    throw cli::usage_error("a ROLE comes first: splitbench-service gateway|catalog|inventory|pricing|orders [options]");
  }
  auto r = std::find_if(roles().begin(), roles().end(), [&](service_role const& x) { return role == x.name; });
  if (r == roles().end()) {
    std::vector<std::string> names;
    for (auto const& x : roles()) names.emplace_back(x.name);
    auto near = cli::nearest(role, names);
    throw cli::usage_error("unknown role '" + role + "'" +
                           (near ? "; did you mean '" + *near + "'?" : " (gateway, catalog, inventory, pricing or orders)"));
  }
  cli::parse(argc, argv, 2, role_table(*r, options, p));
  p.client.network_seed = options.seed;
  for (auto const& x : r->peers) resolve_names(p.*x.slot, x.name);
  auto const name = "splitbench-service " + role;

  // The gateway runs none of the four services: its faults board is empty, so with --admin it
  // answers GET /admin/faults and 404 to every PUT.
  auto faults = host::make_fault_board(options, role == "gateway" ? std::vector<std::string>{} : std::vector<std::string>{role});
  if (role == "gateway") {
    return host::serve(name.c_str(), options, *faults,
                       [&p](boost::asio::io_context& c) { return std::make_unique<gateway_app>(c, p); });
  }
  if (role == "orders") {
    order_book book;
    return host::serve(name.c_str(), options, *faults,
                       [&](boost::asio::io_context& c) { return std::make_unique<orders_app>(c, p, book, options, *faults); });
  }
  catalog cat(options.seed);
  if (role == "catalog") {
    return host::serve(name.c_str(), options, *faults, [&](boost::asio::io_context& c) {
      return std::make_unique<leaf_app<local_catalog, host::delayed_catalog, host::switchable_catalog, catalog const>>(
          cat, c, options, *faults, "catalog", &add_catalog_routes);
    });
  }
  if (role == "inventory") {
    inventory inv(options.seed, static_cast<product_id>(cat.size()));
    return host::serve(name.c_str(), options, *faults, [&](boost::asio::io_context& c) {
      return std::make_unique<leaf_app<local_inventory, host::delayed_inventory, host::switchable_inventory, inventory>>(
          inv, c, options, *faults, "inventory", &add_inventory_routes);
    });
  }
  if (role == "pricing") {
    pricing prices(cat);
    return host::serve(name.c_str(), options, *faults, [&](boost::asio::io_context& c) {
      return std::make_unique<leaf_app<local_pricing, host::delayed_pricing, host::switchable_pricing, pricing const>>(
          prices, c, options, *faults, "pricing", &add_pricing_routes);
    });
  }
  throw cli::usage_error("unknown role '" + role + "' (gateway, catalog, inventory, pricing or orders)");
}

}  // namespace
}  // namespace splitbench::split

int main(int argc, char** argv) {
  return splitbench::cli::guarded_main("splitbench-service", [&] { return splitbench::split::run(argc, argv); });
}
