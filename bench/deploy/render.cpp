#include "bench/deploy/render.hpp"

#include "bench/deploy/compose.hpp"
#include "bench/deploy/kubernetes.hpp"
#include "bench/deploy/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace splitbench::deploy {
namespace {

namespace json = boost::json;

std::string kustomization(deploy_spec const& spec, std::vector<std::string> const& resources, std::optional<std::string> base = {}) {
  json::object k{{"apiVersion", "kustomize.config.k8s.io/v1beta1"}, {"kind", "Kustomization"}, {"namespace", spec.ns}};
  if (base) k["bases"] = json::array{*base};
  json::array files;
  for (auto const& r : resources) files.emplace_back(r);
  k["resources"] = std::move(files);
  return to_yaml(k);
}

std::string header(std::string const& what) { return fmt::format("# {} (rendered by splitbench deploy)\n", what); }

bool renders(deploy_spec const& spec, target t) { return std::find(spec.targets.begin(), spec.targets.end(), t) != spec.targets.end(); }

}  // namespace

rendered_files render(deploy_spec const& spec) {
  rendered_files files;
  if (renders(spec, target::compose))
    files["compose/compose.yaml"] = header("docker-compose --profile monolith|split up") + to_yaml(compose_file(spec));
  if (!renders(spec, target::k8s)) return files;
  files["k8s/base/namespace.yaml"] = header("The namespace every object goes in") + to_yaml(namespace_object(spec));
  files["k8s/base/topology.yaml"] =
      header("Which processes each deployment runs, their Services, replicas and peers") + to_yaml(topology_config_map(spec));
  files["k8s/base/kustomization.yaml"] = kustomization(spec, {"namespace.yaml", "topology.yaml"});

  for (auto kind : spec.deployments) {
    auto name = std::string(bench::name_of(kind));
    std::vector<std::string> resources;
    for (auto const& g : topology_of(spec, kind)) {
      auto file = g.name + ".yaml";
      files["k8s/overlays/" + name + "/" + file] =
          header(fmt::format("{}: the {} process{}", name, g.name, g.front_door ? ", the front door" : "")) +
          to_yaml_stream({deployment_object(g, spec), service_object(g, spec)});
      resources.push_back(file);
    }
    files["k8s/overlays/" + name + "/kustomization.yaml"] = kustomization(spec, resources, "../../base");
    files["k8s/load/" + name + "/job.yaml"] =
        header(fmt::format("The load on {} in {} shards; every shard starts at the time in ConfigMap {}, key {}", name, spec.shards,
                           start_config_map_of(kind), start_key)) +
        to_yaml(load_job(spec, kind));
    files["k8s/load/" + name + "/kustomization.yaml"] = kustomization(spec, {"job.yaml"});
  }
  return files;
}

}  // namespace splitbench::deploy
