#pragma once
/// What `splitbench deploy` renders: which deployments, how many replicas of each process and
/// what CPU each may use, the image they run, and the sharded load that measures them. Plain
/// data, checked by the command before it gets here.

#include "bench/runner/deployment.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::deploy {

/// What the files are for: Kubernetes (kustomize) or docker-compose.
enum class target { k8s, compose };

struct deploy_spec {
  std::vector<target> targets{target::k8s, target::compose};
  std::vector<bench::topology> deployments{bench::topology::monolith(), bench::topology::split()};
  std::vector<bench::replica_spec> replicas;     ///< processes run more than once; the others once
  std::vector<bench::cpu_limit_spec> cpu_limits;  ///< limits.cpu (and requests.cpu) of the processes named
  std::string image;                              ///< the container image every process and the load run
  std::string ns = "splitbench";                  ///< the Kubernetes namespace
  int threads = 1;                                ///< threads of each process, and the default CPU limit in cores
  std::uint64_t seed = 42;                        ///< seed of every process's catalog and stock
  int shards = 2;                                 ///< pods of the load Job, each driving its share
  std::optional<double> rate;                     ///< the load's --rate; none: closed loop
  std::string duration = "30s";                   ///< the load's measured window, as `splitbench load --duration` takes it
};

}  // namespace splitbench::deploy
