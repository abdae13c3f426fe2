#include "bench/deploy/kubernetes.hpp"

#include "bench/deploy/yaml.hpp"

#include <fmt/format.h>

namespace splitbench::deploy {
namespace {

namespace json = boost::json;

/// What each process may use besides CPU: the catalog and stock are a few MB, the order book grows.
constexpr char const* memory_request = "128Mi";
constexpr char const* memory_limit = "512Mi";
/// The CPU a process without --cpu-limit asks for; its limit is then one core per thread.
constexpr char const* default_cpu_request = "250m";

json::object labels_of(std::string const& name, bench::topology kind) {
  return {{"app.kubernetes.io/name", name}, {"app.kubernetes.io/part-of", "splitbench"}, {"splitbench/deployment", bench::name_of(kind)}};
}

json::object metadata(std::string const& name, deploy_spec const& spec, json::object labels) {
  return {{"name", name}, {"namespace", spec.ns}, {"labels", std::move(labels)}};
}

json::array strings(std::vector<std::string> const& words) {
  json::array out;
  for (auto const& w : words) out.emplace_back(w);
  return out;
}

json::object probe(int period_seconds, int failures) {
  return {{"httpGet", {{"path", "/health"}, {"port", "http"}}}, {"periodSeconds", period_seconds}, {"timeoutSeconds", 2},
          {"failureThreshold", failures}};
}

}  // namespace

std::string start_config_map_of(bench::topology kind) { return fmt::format("load-{}-start", bench::name_of(kind)); }

json::value namespace_object(deploy_spec const& spec) {
  return {{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", spec.ns}, {"labels", {{"app.kubernetes.io/part-of", "splitbench"}}}}}};
}

json::value topology_config_map(deploy_spec const& spec) {
  json::object data;
  for (auto kind : spec.deployments)
    data[fmt::format("{}.yaml", bench::name_of(kind))] = to_yaml(describe(topology_of(spec, kind), spec, kind));
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", "splitbench-topology"}, {"namespace", spec.ns}, {"labels", {{"app.kubernetes.io/part-of", "splitbench"}}}}},
          {"data", std::move(data)}};
}

json::value deployment_object(process_group const& group, deploy_spec const& spec) {
  auto labels = labels_of(group.name, group.deployment);
  auto cpu_request = group.cpu_limit ? cpu_quantity(*group.cpu_limit) : default_cpu_request;
  auto cpu_limit = group.cpu_limit ? cpu_quantity(*group.cpu_limit) : std::to_string(spec.threads);
  json::object container{
      {"name", group.name},
      {"image", spec.image},
      {"command", strings(group.command)},
      {"ports", json::array{{{"name", "http"}, {"containerPort", process_port}, {"protocol", "TCP"}}}},
      // Ready once it answers /health; restarted when it stops answering for 30 s.
      {"readinessProbe", probe(2, 3)},
      {"livenessProbe", probe(10, 3)},
      {"resources", {{"requests", {{"cpu", cpu_request}, {"memory", memory_request}}}, {"limits", {{"cpu", cpu_limit}, {"memory", memory_limit}}}}},
  };
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", metadata(group.name, spec, labels)},
          {"spec",
           {{"replicas", group.replicas},
            {"selector", {{"matchLabels", labels}}},
            {"template", {{"metadata", {{"labels", labels}}}, {"spec", {{"containers", json::array{std::move(container)}}}}}}}}};
}

json::value service_object(process_group const& group, deploy_spec const& spec) {
  auto labels = labels_of(group.name, group.deployment);
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", metadata(group.name, spec, labels)},
          {"spec",
           {{"selector", labels},
            {"ports", json::array{{{"name", "http"}, {"port", process_port}, {"targetPort", "http"}, {"protocol", "TCP"}}}}}}};
}

json::value load_job(deploy_spec const& spec, bench::topology kind) {
  auto name = fmt::format("load-{}", bench::name_of(kind));
  auto labels = labels_of(name, kind);
  auto cores = std::to_string(spec.threads);
  json::object key{{"name", start_config_map_of(kind)}, {"key", start_key}};
  json::object start_at{{"name", "START_AT"}, {"valueFrom", {{"configMapKeyRef", std::move(key)}}}};
  json::object container{
      {"name", "load"},
      {"image", spec.image},
      {"command", strings(load_command(spec, kind))},
      // JOB_COMPLETION_INDEX is set by Kubernetes in an Indexed Job's pods; START_AT by the user.
      {"env", json::array{start_at}},
      {"resources", {{"requests", {{"cpu", cores}, {"memory", "256Mi"}}}, {"limits", {{"cpu", cores}, {"memory", "1Gi"}}}}},
  };
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", metadata(name, spec, labels)},
          {"spec",
           {{"completionMode", "Indexed"},
            {"completions", spec.shards},
            {"parallelism", spec.shards},
            // A shard tried again would start after t0 and measure another window: a failure stays one.
            {"backoffLimit", 0},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec", {{"restartPolicy", "Never"}, {"containers", json::array{std::move(container)}}}}}}}}};
}

}  // namespace splitbench::deploy
