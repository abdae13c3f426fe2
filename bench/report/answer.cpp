#include "bench/report/answer.hpp"

#include "bench/driver/hdr_codec.hpp"
#include "bench/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace splitbench::bench {
namespace {

constexpr char const* all_routes_name = "all";

/// p50 and p99 of a route's histograms over every repetition, merged exactly, in µs.
std::pair<double, double> merged_percentiles(std::vector<run_measurement> const& runs, std::string const& route) {
  std::optional<histogram> merged;
  for (auto const& run : runs) {
    std::string const* encoded = &run.histogram;
    if (route != all_routes_name) {
      auto it = std::find_if(run.routes.begin(), run.routes.end(), [&](auto const& r) { return r.name == route; });
      if (it == run.routes.end()) continue;
      encoded = &it->histogram;
    }
    auto h = decode_histogram(*encoded);
    if (!merged) merged.emplace(h.significant_digits(), h.highest());
    merged->merge(h);
  }
  if (!merged || merged->count() == 0) return {std::nan(""), std::nan("")};
  return {static_cast<double>(merged->value_at_percentile(50)) / 1e3, static_cast<double>(merged->value_at_percentile(99)) / 1e3};
}

latency_summary const* route_latency(run_measurement const& run, std::string const& route) {
  if (route == all_routes_name) return &run.latency;
  for (auto const& r : run.routes)
    if (r.name == route) return &r.latency;
  return nullptr;
}

deployment_answer deployment_of(deployment_measurement const& d) {
  deployment_answer a;
  a.name = d.name;
  a.processes = d.processes.size();
  a.repetitions = d.compare.size();
  std::vector<double> cpu;
  if (d.resources_measured)
    for (auto const& run : d.compare) cpu.push_back(run.cpu_us_per_request);
  a.cpu_us_per_request = median_ci(cpu);
  a.resources_measured = d.resources_measured;
  a.capacity = d.capacity;
  a.swept = !d.sweep.empty();
  if (a.swept) a.sweep_cpu_budget = d.sweep_cpu_budget;
  a.peak_rss_bytes = d.peak_rss_bytes;
  a.failed = d.failure.has_value();
  return a;
}

route_answer route_of(std::string const& name, std::vector<run_measurement> const& mono, std::vector<run_measurement> const& split) {
  route_answer r;
  r.name = name;
  for (auto const& route : split.front().routes)
    if (route.name == name) {
      r.depth = route.depth;
      r.calls = route.calls;
    }
  std::tie(r.monolith_p50, r.monolith_p99) = merged_percentiles(mono, name);
  std::tie(r.split_p50, r.split_p99) = merged_percentiles(split, name);
  std::vector<double> added_p50, added_p99;
  for (std::size_t i = 0; i < std::min(mono.size(), split.size()); ++i) {
    auto const* m = route_latency(mono[i], name);
    auto const* s = route_latency(split[i], name);
    if (!m || !s || m->count == 0 || s->count == 0) continue;
    added_p50.push_back(round2(s->p50 - m->p50));
    added_p99.push_back(round2(s->p99 - m->p99));
  }
  r.added_p50 = median_ci(added_p50);
  r.added_p99 = median_ci(added_p99);
  r.added_p50_by_repetition = added_p50;
  return r;
}

/// Least squares, no intercept, of added = per_depth × depth + per_call × calls over the routes.
void fit_hops(std::vector<route_answer> const& routes, hop_cost& h) {
  double dd = 0, dc = 0, cc = 0, dy = 0, cy = 0;
  std::size_t n = 0;
  for (auto const& r : routes) {
    if (r.name == all_routes_name || std::isnan(r.added_p50.median)) continue;
    double d = r.depth, c = r.calls, y = r.added_p50.median;
    dd += d * d, dc += d * c, cc += c * c, dy += d * y, cy += c * y;
    ++n;
  }
  auto det = dd * cc - dc * dc;
  if (n < 3 || std::fabs(det) < 1e-9) return;
  h.per_depth_us = round2((dy * cc - cy * dc) / det);
  h.per_call_us = round2((cy * dd - dy * dc) / det);
  for (auto const& r : routes)
    if (r.name != all_routes_name && !std::isnan(r.added_p50.median))
      h.residuals_us.emplace_back(r.name, round2(r.added_p50.median - (*h.per_depth_us * r.depth + *h.per_call_us * r.calls)));
}


}  // namespace

ratio_bounds throughput_ratio(capacity_bounds const& split, capacity_bounds const& mono) {
  ratio_bounds r;
  r.value = round3(split.low / mono.low);
  if (mono.high) r.low = round3(split.low / *mono.high);
  if (split.high) r.high = round3(*split.high / mono.low);
  return r;
}

std::vector<route_answer> routes_of(std::vector<run_measurement> const& monolith, std::vector<run_measurement> const& split) {
  std::vector<route_answer> out;
  if (monolith.empty() || split.empty()) return out;
  for (auto const& route : split.front().routes) out.push_back(route_of(route.name, monolith, split));
  out.push_back(route_of(all_routes_name, monolith, split));
  return out;
}

namespace {

/// `other` against the monolith, repetition i against repetition i.
deployment_comparison compare_with(run_result const& run, deployment_measurement const& mono, deployment_measurement const& other) {
  deployment_comparison c;
  c.name = other.name;
  c.routes = routes_of(mono.compare, other.compare);
  auto& o = c.overall;
  o.added_p50 = c.routes.back().added_p50;
  o.added_p99 = c.routes.back().added_p99;
  std::vector<double> cpu_ratios;
  bool resources = mono.resources_measured && other.resources_measured;
  for (std::size_t i = 0; resources && i < std::min(mono.compare.size(), other.compare.size()); ++i)
    if (mono.compare[i].cpu_us_per_request > 0) cpu_ratios.push_back(round3(other.compare[i].cpu_us_per_request / mono.compare[i].cpu_us_per_request));
  o.cpu_ratio = median_ci(cpu_ratios);
  if (other.capacity && mono.capacity && mono.capacity->low > 0) o.throughput_ratio = throughput_ratio(*other.capacity, *mono.capacity);
  if (resources && mono.peak_rss_bytes > 0) o.memory_ratio = round3(static_cast<double>(other.peak_rss_bytes) / static_cast<double>(mono.peak_rss_bytes));
  o.loopback_rtt_p50_us = run.floors.loopback_rtt.p50;
  for (auto const& r : c.routes)
    if (r.depth == 1 && r.calls == 1 && !std::isnan(r.added_p50.median)) {
      o.per_hop.one_call_route_us = r.added_p50.median;
      break;
    }
  fit_hops(c.routes, o.per_hop);
  if (o.per_hop.one_call_route_us && o.loopback_rtt_p50_us > 0) o.per_hop.vs_loopback = round2(*o.per_hop.one_call_route_us / o.loopback_rtt_p50_us);
  return c;
}

}  // namespace

answer answer_of(run_result const& run) {
  answer a;
  for (auto const& d : run.deployments) a.deployments.push_back(deployment_of(d));
  auto const* mono = run.find("monolith");
  if (!mono || mono->compare.empty()) return a;
  for (auto const& d : run.deployments)
    if (d.name != "monolith" && !d.compare.empty()) a.comparisons.push_back(compare_with(run, *mono, d));
  if (a.comparisons.empty()) return a;
  auto primary = std::find_if(a.comparisons.begin(), a.comparisons.end(), [](auto const& c) { return c.name == "split"; });
  if (primary == a.comparisons.end()) primary = a.comparisons.begin();
  a.compared = primary->name;
  a.routes = primary->routes;
  a.overall = primary->overall;
  return a;
}

std::string who_of(std::string const& name) { return name == "split" || name == "serialized" ? "the " + name : "the " + name + " deployment"; }

std::string headline_of(run_result const& run, answer const& a) {
  if (!a.overall)
    return "There is no comparison: the monolith and at least one other deployment must both finish their compare phase, and here they did not.";
  auto const& o = *a.overall;
  auto slo = format_us(run.scenario.slo_p99_us);
  auto who = who_of(a.compared);
  std::string text = fmt::format("{}{} adds {} at p50 and {} at p99", char(std::toupper(who.front())), who.substr(1), with_interval(o.added_p50),
                                 with_interval(o.added_p99));
  if (o.per_hop.one_call_route_us)
    text += fmt::format(" ({} for one internal hop, {} a loopback round trip)", format_us(*o.per_hop.one_call_route_us), format_times(o.per_hop.vs_loopback));
  auto ms = std::find_if(a.deployments.begin(), a.deployments.end(), [](auto const& d) { return d.name == "monolith"; });
  auto ss = std::find_if(a.deployments.begin(), a.deployments.end(), [&](auto const& d) { return d.name == a.compared; });
  auto budget = ms != a.deployments.end() && ss != a.deployments.end() && ms->sweep_cpu_budget && ms->sweep_cpu_budget == ss->sweep_cpu_budget
                    ? " on " + cores_text(*ss->sweep_cpu_budget) + " each"
                    : std::string();
  if (o.throughput_ratio && ms != a.deployments.end() && ss != a.deployments.end()) {
    auto const& t = *o.throughput_ratio;
    text += fmt::format("; with p99 within {}{} it serves {}", slo, budget, capacity_text(*ss->capacity));
    text += fmt::format(" against the monolith's {}: a ratio of {}", capacity_text(*ms->capacity), ratio_text(t));
  } else if (ms != a.deployments.end() && ss != a.deployments.end() && ms->swept) {
    text += fmt::format("; with p99 within {}{} {} serves {} and the monolith {}", slo, budget, who,
                        ss->capacity ? capacity_text(*ss->capacity) : std::string("no step of the sweep"),
                        ms->capacity ? capacity_text(*ms->capacity) : std::string("no step of the sweep"));
  }
  if (o.cpu_ratio.n > 0) text += fmt::format("; it costs {} the CPU per request", with_interval(o.cpu_ratio, format_times));
  return text + ".";
}

}  // namespace splitbench::bench
