#pragma once
/// The compose file of the rendered deployments: the same processes and commands as on
/// Kubernetes, each deployment a compose profile, health checked on /health, held to its CPUs.

#include "bench/deploy/spec.hpp"

#include <boost/json/value.hpp>

namespace splitbench::deploy {

/// The host port the front door of `kind` is published on: 8080 for the monolith, 9080 for the
/// split, so that both can be up at once; each further replica of a front door on the next port.
int published_port_of(bench::topology kind);

/// compose.yaml's content as data.
boost::json::value compose_file(deploy_spec const& spec);

}  // namespace splitbench::deploy
