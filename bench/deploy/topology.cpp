#include "bench/deploy/topology.hpp"

#include "cli/values.hpp"
#include "host/topology.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace splitbench::deploy {
namespace {

std::string address_of(std::string const& service) { return fmt::format("{}:{}", service, process_port); }

}  // namespace

std::string front_door_of(bench::topology kind) { return kind == bench::topology::monolith() ? "monolith" : "gateway"; }

std::vector<process_group> topology_of(deploy_spec const& spec, bench::topology kind) {
  if (!(kind == bench::topology::monolith() || kind == bench::topology::split()))
    throw std::invalid_argument(fmt::format("the {} topology is not rendered for a cluster: deploy renders monolith and split", kind.name()));
  std::vector<process_group> groups;
  for (auto name : bench::process_names(kind)) {
    process_group g;
    g.name = name;
    g.deployment = kind;
    g.front_door = name == front_door_of(kind);
    for (auto const& r : spec.replicas)
      if (r.process == name) g.replicas = r.count;
    for (auto const& l : spec.cpu_limits)
      if (l.process == name) g.cpu_limit = l.cores;
    // As deployment.cpp starts it: the role, its peers, --listen, then what every process takes.
    if (kind == bench::topology::monolith()) {
      g.command = {"splitbench-monolith"};
    } else {
      g.command = {"splitbench-service", g.name};
      for (auto callee : host::callees_of(name)) {
        std::string peer(callee);
        g.peers.emplace_back(peer, address_of(peer));
        g.command.insert(g.command.end(), {"--" + peer, address_of(peer)});
      }
    }
    g.command.insert(g.command.end(), {"--listen", fmt::format("0.0.0.0:{}", process_port), "--threads", std::to_string(spec.threads),
                                       "--seed", std::to_string(spec.seed)});
    groups.push_back(std::move(g));
  }
  return groups;
}

std::vector<std::string> load_command(deploy_spec const& spec, bench::topology kind) {
  std::vector<std::string> c = {"splitbench", "load", "--shard", fmt::format("$(JOB_COMPLETION_INDEX)/{}", spec.shards),
                                "--start-at", "$(START_AT)"};
  if (spec.rate) c.insert(c.end(), {"--rate", cli::format_number(*spec.rate)});
  c.insert(c.end(), {"--duration", spec.duration, "--threads", std::to_string(spec.threads), "--workload", "storefront", "--json", "-",
                     fmt::format("http://{}:{}/", front_door_of(kind), process_port)});
  return c;
}

boost::json::value describe(std::vector<process_group> const& groups, deploy_spec const& spec, bench::topology kind) {
  boost::json::array processes;
  for (auto const& g : groups) {
    boost::json::object peers;
    for (auto const& [flag, address] : g.peers) peers[flag] = address;
    boost::json::array command;
    for (auto const& word : g.command) command.emplace_back(word);
    processes.push_back({{"name", g.name},
                         {"service", address_of(g.name)},
                         {"replicas", g.replicas},
                         {"cpu_limit_cores", g.cpu_limit ? boost::json::value(*g.cpu_limit) : nullptr},
                         {"peers", std::move(peers)},
                         {"command", std::move(command)}});
  }
  return {{"deployment", bench::name_of(kind)},
          {"front_door", fmt::format("http://{}:{}/", front_door_of(kind), process_port)},
          {"image", spec.image},
          {"processes", std::move(processes)}};
}

std::string cpu_quantity(double cores) {
  auto millis = static_cast<long>(std::llround(cores * 1000));
  return millis % 1000 == 0 ? std::to_string(millis / 1000) : fmt::format("{}m", millis);
}

}  // namespace splitbench::deploy
