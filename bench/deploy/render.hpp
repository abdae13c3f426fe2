#pragma once
/// `splitbench deploy`'s whole output: every file it writes, by its path under the output
/// directory, so that the command only writes them and tests read them without a disk.
///
///   k8s/base/                      Namespace, the topology's ConfigMap, kustomization.yaml
///   k8s/overlays/<deployment>/     a Deployment and a Service per process group
///   k8s/load/<deployment>/         the sharded load, an Indexed Job
///   compose/compose.yaml           the same processes, one compose profile per deployment
///
/// The kustomizations use what kubectl 1.20's kustomize (v2.0.3) and kustomize v5 both read:
/// `namespace`, `resources` of files and `bases` for the base directory (v2.0.3 takes no
/// directory in `resources`; v5 reads `bases` with a deprecation warning).

#include "bench/deploy/spec.hpp"

#include <map>
#include <string>

namespace splitbench::deploy {

/// Relative path -> file text.
using rendered_files = std::map<std::string, std::string>;

rendered_files render(deploy_spec const& spec);

}  // namespace splitbench::deploy
