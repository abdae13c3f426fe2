#include "bench/deploy/compose.hpp"
#include "bench/deploy/kubernetes.hpp"
#include "bench/deploy/render.hpp"
#include "bench/deploy/topology.hpp"

#include <boost/json/value.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

using namespace splitbench;
using namespace splitbench::deploy;
namespace json = boost::json;

namespace {

deploy_spec split_spec() {
  deploy_spec spec;
  spec.image = "splitbench:test";
  spec.deployments = {bench::topology::split()};
  spec.replicas = {{"catalog", 3}};
  spec.cpu_limits = {{"pricing", 0.5}};
  return spec;
}

process_group const& group(std::vector<process_group> const& groups, std::string const& name) {
  auto it = std::find_if(groups.begin(), groups.end(), [&](auto const& g) { return g.name == name; });
  REQUIRE(it != groups.end());
  return *it;
}

json::array const& containers(json::value const& workload) {
  return workload.at("spec").at("template").at("spec").at("containers").as_array();
}

}  // namespace

TEST_CASE("topology: the split's processes with their peers by Service name, as deployment.cpp starts them") {
  auto groups = topology_of(split_spec(), bench::topology::split());
  REQUIRE(groups.size() == 5);
  CHECK(groups.back().name == "gateway");
  CHECK(groups.back().front_door);
  CHECK(group(groups, "gateway").command ==
        std::vector<std::string>{"splitbench-service", "gateway", "--catalog", "catalog:8080", "--inventory", "inventory:8080", "--pricing",
                                 "pricing:8080", "--orders", "orders:8080", "--listen", "0.0.0.0:8080", "--threads", "1", "--seed", "42"});
  CHECK(group(groups, "orders").peers.size() == 3);
  CHECK(group(groups, "catalog").peers.empty());
  CHECK(group(groups, "catalog").replicas == 3);
  CHECK(group(groups, "pricing").cpu_limit == 0.5);
  CHECK_FALSE(group(groups, "inventory").cpu_limit);
}

TEST_CASE("topology: the monolith is one process listening on 8080") {
  deploy_spec spec;
  auto groups = topology_of(spec, bench::topology::monolith());
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].command == std::vector<std::string>{"splitbench-monolith", "--listen", "0.0.0.0:8080", "--threads", "1", "--seed", "42"});
}

TEST_CASE("topology: CPU as Kubernetes writes it") {
  CHECK(cpu_quantity(0.5) == "500m");
  CHECK(cpu_quantity(2) == "2");
  CHECK(cpu_quantity(0.01) == "10m");
  CHECK(cpu_quantity(1.25) == "1250m");
}

TEST_CASE("kubernetes: a Deployment's selector is its pods' labels and its Service's, CPU from --cpu-limit") {
  auto spec = split_spec();
  auto groups = topology_of(spec, bench::topology::split());
  auto d = deployment_object(group(groups, "pricing"), spec);
  auto s = service_object(group(groups, "pricing"), spec);
  auto const& labels = d.at("spec").at("template").at("metadata").at("labels");
  CHECK(d.at("spec").at("selector").at("matchLabels") == labels);
  CHECK(s.at("spec").at("selector") == labels);
  CHECK(labels.at("splitbench/deployment") == "split");
  CHECK(labels.at("app.kubernetes.io/part-of") == "splitbench");
  auto const& c = containers(d).at(0);
  CHECK(c.at("resources").at("limits").at("cpu") == "500m");
  CHECK(c.at("resources").at("requests").at("cpu") == "500m");
  CHECK(c.at("readinessProbe").at("httpGet").at("path") == "/health");
  CHECK(c.at("livenessProbe").at("httpGet").at("path") == "/health");
  CHECK(c.at("ports").at(0).at("name") == s.at("spec").at("ports").at(0).at("targetPort"));
  CHECK(deployment_object(group(groups, "catalog"), spec).at("spec").at("replicas") == 3);
  auto inventory = deployment_object(group(groups, "inventory"), spec);
  auto const& unlimited = containers(inventory).at(0);
  CHECK(unlimited.at("resources").at("limits").at("cpu") == "1");
  CHECK(unlimited.at("resources").at("requests").at("cpu") == "250m");
}

TEST_CASE("kubernetes: the load is an Indexed Job of one pod per shard, all starting at the ConfigMap's time") {
  auto spec = split_spec();
  spec.shards = 4;
  spec.rate = 2000;
  spec.duration = "1m";
  auto job = load_job(spec, bench::topology::split());
  CHECK(job.at("spec").at("completionMode") == "Indexed");
  CHECK(job.at("spec").at("completions") == 4);
  CHECK(job.at("spec").at("parallelism") == 4);
  auto const& c = containers(job).at(0);
  json::array expected{"splitbench", "load",       "--shard", "$(JOB_COMPLETION_INDEX)/4", "--start-at", "$(START_AT)", "--rate", "2000",
                       "--duration", "1m",         "--threads", "1", "--workload", "storefront", "--json", "-", "http://gateway:8080/"};
  CHECK(c.at("command") == expected);
  auto const& from = c.at("env").at(0).at("valueFrom").at("configMapKeyRef");
  CHECK(from.at("name") == "load-split-start");
  CHECK(from.at("key") == "start-at");
}

TEST_CASE("render: the layout, each overlay on the base, only what the targets ask for") {
  auto spec = split_spec();
  auto files = render(spec);
  std::vector<std::string> paths;
  for (auto const& [path, text] : files) paths.push_back(path);
  CHECK(paths == std::vector<std::string>{"compose/compose.yaml", "k8s/base/kustomization.yaml", "k8s/base/namespace.yaml",
                                          "k8s/base/topology.yaml", "k8s/load/split/job.yaml", "k8s/load/split/kustomization.yaml",
                                          "k8s/overlays/split/catalog.yaml", "k8s/overlays/split/gateway.yaml",
                                          "k8s/overlays/split/inventory.yaml", "k8s/overlays/split/kustomization.yaml",
                                          "k8s/overlays/split/orders.yaml", "k8s/overlays/split/pricing.yaml"});
  CHECK(files["k8s/overlays/split/kustomization.yaml"] ==
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "namespace: splitbench\n"
        "bases:\n"
        "  - ../../base\n"
        "resources:\n"
        "  - catalog.yaml\n"
        "  - inventory.yaml\n"
        "  - pricing.yaml\n"
        "  - orders.yaml\n"
        "  - gateway.yaml\n");
  spec.targets = {target::compose};
  CHECK(render(spec).size() == 1);
}

TEST_CASE("compose: each deployment a profile, the front door published, callers after their peers are healthy") {
  deploy_spec spec;
  spec.image = "splitbench:test";
  spec.replicas = {{"monolith", 2}};
  auto c = compose_file(spec);
  auto const& services = c.at("services");
  CHECK(services.at("monolith").at("ports").at(0) == "8080-8081:8080");
  CHECK(services.at("gateway").at("ports").at(0) == "9080:8080");
  CHECK(services.at("gateway").at("profiles").at(0) == "split");
  CHECK(services.at("orders").at("depends_on").at("pricing").at("condition") == "service_healthy");
  CHECK(services.at("catalog").as_object().count("ports") == 0);
  CHECK(services.at("monolith").at("deploy").at("replicas") == 2);
  CHECK(services.at("catalog").at("cpus") == 1.0);
}
