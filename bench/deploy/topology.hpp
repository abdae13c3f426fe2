#pragma once
/// The processes a deployment runs on a cluster, as bench/runner/deployment.cpp starts them on
/// one machine: the same binaries and flags, but each process group listening on port 8080 of
/// its own pod or container and reaching its peers by their Service's DNS name, which spreads
/// connections over the replicas behind it. Kubernetes and compose are both rendered from this.

#include "bench/deploy/spec.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace splitbench::deploy {

/// Every process listens on this port in its own pod or container.
inline constexpr int process_port = 8080;

/// One process and its replicas: a Deployment and a Service, or a compose service.
struct process_group {
  std::string name;                ///< monolith, gateway, catalog, ...: the Service's and the DNS name
  bench::topology deployment = bench::topology::monolith();
  bool front_door = false;         ///< the one the load is sent to
  int replicas = 1;
  std::optional<double> cpu_limit;  ///< cores, from --cpu-limit
  std::vector<std::pair<std::string, std::string>> peers;  ///< (flag, "catalog:8080") of the services it calls
  std::vector<std::string> command;  ///< the container's whole command line
};

/// The groups of `kind`, in the order deployment.cpp starts them: the front door last.
std::vector<process_group> topology_of(deploy_spec const& spec, bench::topology kind);

/// The front door of `kind`: "monolith" or "gateway".
std::string front_door_of(bench::topology kind);

/// The command of one load shard's pod: `splitbench load --shard $(JOB_COMPLETION_INDEX)/N
/// --start-at $(START_AT) ... http://FRONT:8080/`, Kubernetes expanding both variables.
std::vector<std::string> load_command(deploy_spec const& spec, bench::topology kind);

/// The topology as data, for the ConfigMap a user (or a tool) reads to see what runs where.
boost::json::value describe(std::vector<process_group> const& groups, deploy_spec const& spec, bench::topology kind);

/// Cores as Kubernetes writes CPU: 0.5 -> "500m", 2 -> "2".
std::string cpu_quantity(double cores);

}  // namespace splitbench::deploy
