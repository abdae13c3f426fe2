#pragma once
/// The Kubernetes objects of a deployment, built as data: a Deployment and a Service per process
/// group, the Namespace, the topology's ConfigMap, and the sharded load as an Indexed Job. The
/// files and kustomizations around them are render.hpp's.

#include "bench/deploy/topology.hpp"

#include <boost/json/value.hpp>

#include <string>

namespace splitbench::deploy {

/// The name of the ConfigMap whose key `start-at` the load Job of `kind` waits for: the one
/// wall-clock time every shard starts at.
std::string start_config_map_of(bench::topology kind);
/// That key.
inline constexpr char const* start_key = "start-at";

boost::json::value namespace_object(deploy_spec const& spec);

/// `splitbench-topology`: for each rendered deployment a key `<deployment>.yaml` saying which
/// processes run, their Services, replicas, CPU limits, peers and command lines.
boost::json::value topology_config_map(deploy_spec const& spec);

/// The group's pods: probes on /health, CPU and memory requested and limited, the three labels.
boost::json::value deployment_object(process_group const& group, deploy_spec const& spec);

/// The group's Service: its DNS name is what its callers' peer flags say.
boost::json::value service_object(process_group const& group, deploy_spec const& spec);

/// The load of `kind` in `spec.shards` pods (completionMode Indexed, parallelism = completions),
/// each printing its shard's JSON on stdout.
boost::json::value load_job(deploy_spec const& spec, bench::topology kind);

}  // namespace splitbench::deploy
