#include "bench/report/scaling.hpp"

#include "bench/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace splitbench::bench {

std::optional<double> scaling_efficiency(scaling_measurement const& s, scaling_point const& p) {
  if (s.points.empty() || !s.points.front().capacity || !p.capacity || s.points.front().replicas != 1) return std::nullopt;
  return p.capacity->low / (p.replicas * s.points.front().capacity->low);
}

std::optional<double> replica_balance(scaling_point const& p) {
  if (p.replica_requests.size() < 2) return std::nullopt;
  auto total = std::accumulate(p.replica_requests.begin(), p.replica_requests.end(), 0.0);
  if (total <= 0) return std::nullopt;
  auto most = static_cast<double>(*std::max_element(p.replica_requests.begin(), p.replica_requests.end()));
  return most / (total / static_cast<double>(p.replica_requests.size()));
}

std::optional<double> memory_per_added_replica(scaling_measurement const& s, scaling_point const& p) {
  if (s.points.empty() || p.replicas < 2 || s.points.front().replicas != 1) return std::nullopt;
  return (static_cast<double>(p.peak_rss_bytes) - static_cast<double>(s.points.front().peak_rss_bytes)) / (p.replicas - 1);
}

std::optional<double> cores_needed(scaling_measurement const& s) {
  std::optional<double> fewest;
  for (auto const& p : s.points)
    if (p.capacity && p.capacity->low >= s.rate && (!fewest || p.cores < *fewest)) fewest = p.cores;
  return fewest;
}

std::string scaling_markdown(run_result const& run) {
  std::vector<deployment_measurement const*> scaled;
  for (auto const& d : run.deployments)
    if (d.scaling && !d.scaling->points.empty()) scaled.push_back(&d);
  if (scaled.empty()) return {};
  auto const& first = *scaled.front()->scaling;
  std::string out = fmt::format(
      "\n## Scaling\n\nEach deployment started again with more replicas of one process, every process (each replica) held to {} "
      "through a cgroup of its own in the shortest CFS period the kernel allows, and swept to its throughput with p99 within {} "
      "as above. Efficiency is X(n) / (n · X(1)); balance, the most requests a replica served over the mean of them.\n\n",
      cores_text(first.cores_per_replica), format_us(run.scenario.slo_p99_us));
  out += "| deployment | replicas of | replicas | cores allotted | throughput at the SLO | ideal | efficiency | cores used | memory | per added replica | balance |\n";
  out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (auto const* d : scaled) {
    auto const& s = *d->scaling;
    for (auto const& p : s.points) {
      auto efficiency = scaling_efficiency(s, p);
      auto balance = replica_balance(p);
      auto memory = memory_per_added_replica(s, p);
      auto ideal = s.points.front().capacity ? fmt::format("{:.0f} req/s", s.points.front().capacity->low * p.replicas) : std::string("–");
      out += fmt::format("| {} | {} | {} | {:g} | {} | {} | {} | {:.2f} | {} | {} | {} |\n", d->name, s.process, p.replicas, p.cores,
                         p.capacity ? capacity_text(*p.capacity) : std::string("no step passed"), p.replicas == 1 ? "–" : ideal,
                         efficiency ? fmt::format("{:.0f}%{}", *efficiency * 100, p.capacity->high ? "" : " or more") : std::string("–"),
                         p.cores_used, format_mib(static_cast<double>(p.peak_rss_bytes)),
                         memory ? format_mib(*memory) : std::string("–"), balance ? fmt::format("{:.2f}", *balance) : std::string("–"));
    }
  }
  std::vector<std::string> needs;
  for (auto const* d : scaled) {
    auto cores = cores_needed(*d->scaling);
    needs.push_back(cores ? fmt::format("the {} {}", d->name, cores_text(*cores))
                          : fmt::format("the {} more than its largest ({:g} cores)", d->name, d->scaling->points.back().cores));
  }
  std::string joined;
  for (std::size_t i = 0; i < needs.size(); ++i) joined += (i == 0 ? "" : i + 1 == needs.size() ? " and " : ", ") + needs[i];
  out += fmt::format("\nCores allotted to serve {} within the SLO: {}.\n", format_rate(first.rate), joined);
  return out;
}

}  // namespace splitbench::bench
