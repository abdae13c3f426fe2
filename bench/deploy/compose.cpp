#include "bench/deploy/compose.hpp"

#include "bench/deploy/topology.hpp"

#include <fmt/format.h>

namespace splitbench::deploy {

int published_port_of(bench::topology kind) { return kind == bench::topology::monolith() ? 8080 : 9080; }

boost::json::value compose_file(deploy_spec const& spec) {
  namespace json = boost::json;
  json::object services;
  for (auto kind : spec.deployments) {
    auto groups = topology_of(spec, kind);
    for (auto const& g : groups) {
      json::array command;
      for (auto const& word : g.command) command.emplace_back(word);
      json::object service{
          {"image", spec.image},
          {"command", std::move(command)},
          {"profiles", json::array{bench::name_of(kind)}},
          {"labels", {{"app.kubernetes.io/name", g.name}, {"app.kubernetes.io/part-of", "splitbench"}, {"splitbench/deployment", bench::name_of(kind)}}},
          {"cpus", g.cpu_limit ? *g.cpu_limit : static_cast<double>(spec.threads)},
          {"mem_limit", "512m"},
          {"healthcheck",
           {{"test", json::array{"CMD", "curl", "-fsS", "-o", "/dev/null", fmt::format("http://127.0.0.1:{}/health", process_port)}},
            {"interval", "2s"},
            {"timeout", "2s"},
            {"retries", 15}}},
          {"deploy", {{"replicas", g.replicas}}},
      };
      if (!g.peers.empty()) {
        // A caller resolves its peers' names when it starts: they are up first.
        json::object depends;
        for (auto const& [peer, address] : g.peers) depends[peer] = {{"condition", "service_healthy"}};
        service["depends_on"] = std::move(depends);
      }
      if (g.front_door) {
        auto first = published_port_of(kind);
        auto host = g.replicas > 1 ? fmt::format("{}-{}", first, first + g.replicas - 1) : std::to_string(first);
        service["ports"] = json::array{fmt::format("{}:{}", host, process_port)};
      }
      services[g.name] = std::move(service);
    }
  }
  return {{"services", std::move(services)}};
}

}  // namespace splitbench::deploy
