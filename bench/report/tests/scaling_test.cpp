// The scaling figures from hand-made measurements: efficiency, balance, memory per added replica
// and the cores needed for a rate, and the section that prints them.

#include "bench/report/scaling.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;

namespace {

scaling_point point(int replicas, double cores, double low, std::optional<double> high, std::uint64_t rss, std::vector<std::uint64_t> requests) {
  scaling_point p;
  p.replicas = replicas;
  p.cores = cores;
  p.capacity = capacity_bounds{low, high};
  p.peak_rss_bytes = rss;
  p.replica_requests = std::move(requests);
  return p;
}

scaling_measurement split_catalog() {
  scaling_measurement s;
  s.process = "catalog";
  s.cores_per_replica = 0.25;
  s.rate = 3000;
  s.points = {point(1, 1.25, 2000, 2200, 30 << 20, {40000}), point(2, 1.5, 3000, 3300, 36 << 20, {30000, 31000}),
              point(4, 2.0, 3200, std::nullopt, 48 << 20, {10000, 20000, 15000, 15000})};
  return s;
}

}  // namespace

TEST_CASE("scaling figures from hand numbers") {
  auto s = split_catalog();
  CHECK(*scaling_efficiency(s, s.points[0]) == Approx(1.0));
  CHECK(*scaling_efficiency(s, s.points[1]) == Approx(3000.0 / (2 * 2000)));  // 75%
  CHECK(*scaling_efficiency(s, s.points[2]) == Approx(3200.0 / (4 * 2000)));  // 40%
  CHECK_FALSE(replica_balance(s.points[0]));
  CHECK(*replica_balance(s.points[1]) == Approx(31000.0 / 30500));
  CHECK(*replica_balance(s.points[2]) == Approx(20000.0 / 15000));  // the busiest a third above the mean
  CHECK_FALSE(memory_per_added_replica(s, s.points[0]));
  CHECK(*memory_per_added_replica(s, s.points[1]) == Approx(6.0 * (1 << 20)));
  CHECK(*memory_per_added_replica(s, s.points[2]) == Approx(6.0 * (1 << 20)));  // 18 MiB over three added
  CHECK(*cores_needed(s) == 1.5);  // 3000 req/s first served with two replicas
  s.rate = 5000;
  CHECK_FALSE(cores_needed(s));
  s.points[0].capacity.reset();  // nothing passed with one replica: no efficiency against it
  CHECK_FALSE(scaling_efficiency(s, s.points[1]));
}

TEST_CASE("the scaling section: a row per replica count, the ideal beside, and the cores a rate needs") {
  run_result run;
  run.scenario.slo_p99_us = 10'000;
  deployment_measurement monolith, split;
  monolith.name = "monolith";
  monolith.scaling = scaling_measurement{"monolith", 0.25, 3000, {point(1, 0.25, 8000, 8800, 10 << 20, {}), point(2, 0.5, 15000, 16500, 20 << 20, {7000, 7100})}};
  split.name = "split";
  split.scaling = split_catalog();
  run.deployments = {monolith, split};
  auto md = scaling_markdown(run);
  INFO(md);
  CHECK(md.find("## Scaling") != std::string::npos);
  CHECK(md.find("every process (each replica) held to 0.25 cores") != std::string::npos);
  CHECK(md.find("| monolith | monolith | 2 | 0.5 | 15000–16500 req/s | 16000 req/s | 94% | 0.00 | 20.0 MiB | 10.0 MiB | 1.01 |") != std::string::npos);
  CHECK(md.find("| split | catalog | 4 | 2 | ≥ 3200 req/s | 8000 req/s | 40% or more |") != std::string::npos);
  CHECK(md.find("Cores allotted to serve 3000 req/s within the SLO: the monolith 0.25 cores and the split 1.5 cores.") != std::string::npos);
  run.deployments = {};
  CHECK(scaling_markdown(run).empty());
}
