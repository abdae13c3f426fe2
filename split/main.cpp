// splitbench-service: one process of a split deployment: the gateway, one service, or a group of
// services in one process (a topology's group, host/topology.hpp). A peer's address may be a host
// name (a Service on a cluster), resolved once at start.
//
//   splitbench-service gateway   --listen A --catalog A --inventory A --pricing A --orders A
//   splitbench-service catalog   --listen A          (likewise inventory, pricing)
//   splitbench-service orders    --listen A --catalog A --inventory A --pricing A
//   splitbench-service --services gateway,catalog --listen A --inventory A --pricing A --orders A
//   ... --admin: each process also serves /admin/faults (host/admin.hpp)

#include "cli/flags.hpp"
#include "cli/main.hpp"
#include "cli/suggest.hpp"
#include "host/admin.hpp"
#include "host/process.hpp"
#include "host/topology.hpp"
#include "net/resolve.hpp"
#include "split/group.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace splitbench::split {
namespace {

/// Each peer given by name ("catalog:8080", a Service on a cluster) as the addresses the name has
/// now, each a replica, resolved once before serving so that no call waits on DNS. Throws
/// std::runtime_error naming the flag and the name when a name has no address.
std::vector<net::peer_address> resolved(std::vector<cli::host_port> const& replicas, std::string const& flag) {
  std::vector<net::peer_address> out;
  for (auto const& r : replicas) {
    auto addresses = net::resolve_ipv4(r.host);
    if (!addresses) throw std::runtime_error(fmt::format("--{} {}:{}: cannot resolve {}: {}", flag, r.host, r.port, r.host, addresses.error().message()));
    for (auto const& a : *addresses) out.push_back({a, r.port});
  }
  return out;
}

struct service_role {
  char const* name;
  char const* summary;
};

constexpr service_role roles[] = {
    {"gateway", "the public API, each service reached over HTTP"},
    {"catalog", "the catalog service: product lookup and search"},
    {"inventory", "the inventory service: stock, availability, reservations"},
    {"pricing", "the pricing service: quotes with discounts, promotions and tax"},
    {"orders", "the orders service: places orders through catalog, pricing and inventory over HTTP"},
};

std::vector<std::string> role_names() {
  std::vector<std::string> names;
  for (auto const& r : roles) names.emplace_back(r.name);
  return names;
}

/// The page of splitbench-service alone: its roles and the options all of them take.
cli::command service_table(host::process_options& options, std::string& services) {
  cli::command c{
      .name = "splitbench-service",
      .summary = "one process of a split deployment, the gateway, one service or a group of services, serving until SIGINT or SIGTERM",
      .flags = host::server_flags(options),
      .examples = {"splitbench-service catalog --listen 127.0.0.1:9001",
                   "splitbench-service gateway --listen 127.0.0.1:8080 --catalog 127.0.0.1:9001 --inventory 127.0.0.1:9002 "
                   "--pricing 127.0.0.1:9003 --orders 127.0.0.1:9004",
                   "splitbench-service --services pricing,orders --listen 127.0.0.1:9003 --catalog 127.0.0.1:9001 --inventory 127.0.0.1:9002"},
      .commands_title = "roles",
      .usage = "splitbench-service ROLE [options]  or  splitbench-service --services S1,S2,... [options]",
      .notes = std::string("'splitbench-service ROLE --help' shows a role's page, with the peers it needs; "
                           "'splitbench-service --services S1,S2 --help' a group's. Services in one group call each other in-process "
                           "(through the codec with --binding serialized), and the others over HTTP. ") +
               host::admin_help + " The gateway runs none of the services: switch a fault on the process that runs it.",
  };
  c.flags.insert(c.flags.begin(), cli::text("services", services, "S1,S2,...", "the services one process runs, in place of a ROLE"));
  for (auto const& r : roles) c.commands.push_back({r.name, r.summary});
  return c;
}

/// What a group's command line sets beyond the server's flags.
struct group_flags {
  std::map<std::string, std::vector<cli::host_port>> peers;
  net::client_options client;
  bool serialized = false;
  std::string services;  ///< read before the page is made (services_flag); here so the parser accepts it
};

/// The page and flags of a group: its peers first, each required, then what every server takes.
cli::command group_table(std::vector<std::string> const& services, host::process_options& options, group_flags& g) {
  auto name = services.size() == 1 ? "splitbench-service " + services.front() : "splitbench-service --services " + fmt::format("{}", fmt::join(services, ","));
  std::string summary;
  if (services.size() == 1) {
    for (auto const& r : roles)
      if (services.front() == r.name) summary = r.summary;
  } else {
    summary = fmt::format("a process running {} together: calls between them in-process, to the others over HTTP", fmt::join(services, ", "));
  }
  cli::command c{.name = name, .summary = summary};
  auto peers = host::peers_of(services);
  std::string example = c.name + " --listen 127.0.0.1:9000";
  int port = 9001;
  for (auto const& peer : peers) {
    c.flags.push_back(cli::required(cli::addresses(peer, g.peers[peer], "address of the " + peer + " service, or of each of its replicas")));
    example += fmt::format(" --{} 127.0.0.1:{}", peer, port++);
  }
  c.flags.push_back(cli::text("services", g.services, "S1,S2,...", "the services this process runs (a role given first runs one)"));
  auto server = host::server_flags(options);
  c.flags.insert(c.flags.end(), server.begin(), server.end());
  c.flags.push_back(cli::one_of("binding", {"local", "serialized"}, "local",
                                services.size() > 1 ? "how the group's services call each other: directly (local), or through the codec as "
                                                      "an HTTP call would encode and decode, with no socket (serialized)"
                                                    : "unused: one service calls no other in its process",
                                [&g](std::string_view v) { g.serialized = v == "serialized"; }));
  // Every role takes them, so that one command line can start them all; only those with peers use them.
  auto peer_help = [&](char const* text) { return peers.empty() ? std::string("unused: this process calls no other service") : std::string(text); };
  c.flags.push_back(cli::duration("peer-timeout", g.client.timeout, peer_help("time a request to a peer may take (503 or 504 beyond)")));
  c.flags.push_back(cli::whole("peer-retries", g.client.retry.max_retries, 0, 10,
                               peer_help("retries of a failed peer call that is safe to repeat, after a jittered back-off, within the retry budget")));
  c.flags.push_back(cli::number("retry-budget", g.client.retry.budget, peer_help("retries per call to a peer, at most, over time"), "FRACTION"));
  c.flags.push_back(cli::whole("breaker-failures", g.client.breaker.failures, 0, 1'000,
                               peer_help("failures in a row that open a peer's circuit breaker; 0: no breaker")));
  c.flags.push_back(cli::duration("breaker-open", g.client.breaker.open_for,
                                  peer_help("how long an open breaker fails calls at once before one call probes the peer")));
  c.flags.push_back(cli::one_of("balance", {"rr", "p2c"}, "p2c",
                                peer_help("how a call picks a replica of a peer: in turn (rr), or the less busy of two drawn at random (p2c); a "
                                          "replica that cannot be reached or does not answer in time is ejected for a while, and a call that is "
                                          "safe to repeat is tried once more on another"),
                                [&g](std::string_view v) { g.client.policy = v == "rr" ? net::balance::round_robin : net::balance::p2c; }));
  c.flags.push_back({.name = "network-delay", .value = "DIST",
                     .type = "a duration (1ms), uniform(LOW,HIGH), normal(MEAN,STDDEV), lognormal(MEDIAN,SIGMA) or empirical(FILE)",
                     .help = peer_help("a one-way delay added to each direction of every call to a peer, drawn per call and direction "
                                       "(seeded by --seed) and waited on a timer: a network between this process and its peers"),
                     .set = [&g](std::string_view v) {
                       try {
                         g.client.network_delay = net::parse_distribution(v);
                       } catch (std::invalid_argument const& e) {
                         throw cli::usage_error(std::string("--network-delay: ") + e.what());
                       }
                     }});
  c.examples = {example};
  std::vector<std::string> run;
  for (auto const& s : services)
    if (s != "gateway") run.push_back(s);
  c.notes = host::admin_help + (run.empty() ? std::string(" The gateway runs none of the services: switch a fault on the process that runs it.")
                                            : fmt::format(" This process runs the {} service{}.", fmt::join(run, ", "), run.size() > 1 ? "s" : ""));
  return c;
}

/// The services of `--services LIST` (or `--services=LIST`) anywhere in the arguments; empty when
/// absent. Throws cli::usage_error for an unknown or repeated service.
std::vector<std::string> services_flag(int argc, char** argv) {
  std::string list;
  bool given = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--services" && i + 1 < argc && !std::string_view(argv[i + 1]).starts_with("-")) list = argv[i + 1], given = true;
    else if (a.starts_with("--services=")) list = std::string(a.substr(11)), given = true;
  }
  if (!given) return {};
  std::vector<std::string> services;
  std::string_view rest = list;
  for (;;) {
    auto comma = rest.find(',');
    std::string s(rest.substr(0, comma));
    if (std::find(std::begin(host::all_services), std::end(host::all_services), s) == std::end(host::all_services)) {
      auto near = cli::nearest(s, role_names());
      throw cli::usage_error(fmt::format("--services {}: no service is named '{}'{}", list, s,
                                         near ? fmt::format("; did you mean '{}'?", *near) : " (gateway, catalog, inventory, pricing, orders)"));
    }
    if (std::find(services.begin(), services.end(), s) != services.end())
      throw cli::usage_error(fmt::format("--services {}: {} is named twice", list, s));
    services.push_back(std::move(s));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  host::sort_services(services);
  return services;
}

int run(int argc, char** argv) {
  host::process_options options;
  std::string role = argc > 1 ? argv[1] : "";
  auto services = services_flag(argc, argv);
  int first = 1;
  if (!role.starts_with("-") && !role.empty()) {
    auto names = role_names();
    if (std::find(names.begin(), names.end(), role) == names.end()) {
      if (role.find_first_of("+,") != std::string::npos) {
        auto list = role;
        std::replace(list.begin(), list.end(), '+', ',');
        throw cli::usage_error("unknown role '" + role + "': a group of services is given as --services " + list);
      }
      auto near = cli::nearest(role, names);
      throw cli::usage_error("unknown role '" + role + "'" +
                             (near ? "; did you mean '" + *near + "'?" : " (gateway, catalog, inventory, pricing or orders)"));
    }
    if (!services.empty()) throw cli::usage_error("a ROLE or --services, not both: the role is the group of its one service");
    services = {role};
    first = 2;
  }
  if (services.empty()) {
    std::string unused;
    cli::parse(argc, argv, 1, service_table(options, unused));  // --help and --version; anything else lacks a role
    throw cli::usage_error("a ROLE or --services comes first: splitbench-service gateway|catalog|inventory|pricing|orders [options]");
  }
  group_flags g;
  cli::parse(argc, argv, first, group_table(services, options, g));
  group_peers peers;
  peers.client = g.client;
  peers.client.network_seed = options.seed;
  for (auto const& [service, replicas] : g.peers) peers.replicas[service] = resolved(replicas, service);
  auto const name = "splitbench-service " + fmt::format("{}", fmt::join(services, "+"));

  // A process that runs the gateway alone has an empty fault board, so with --admin it answers
  // GET /admin/faults and 404 to every PUT.
  std::vector<std::string> switchable;
  for (auto const& s : services)
    if (s != "gateway") switchable.push_back(s);
  auto faults = host::make_fault_board(options, switchable);
  group_state state(services, options.seed);
  return host::serve(name.c_str(), options, *faults, [&](boost::asio::io_context& c) {
    return make_group_app(state, c, options, *faults, peers, g.serialized);
  });
}

}  // namespace
}  // namespace splitbench::split

int main(int argc, char** argv) {
  return splitbench::cli::guarded_main("splitbench-service", [&] { return splitbench::split::run(argc, argv); });
}
