#include "bench/report/markdown.hpp"

#include "bench/report/breakdown.hpp"
#include "bench/report/distance.hpp"
#include "bench/report/faults.hpp"
#include "bench/report/format.hpp"
#include "bench/report/payload.hpp"
#include "bench/report/scaling.hpp"
#include "os/cgroup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace splitbench::bench {
namespace {

using out_t = std::back_insert_iterator<std::string>;

void latency_section(out_t out, run_result const& run, answer const& a) {
  auto const* mono = run.find("monolith");
  auto const& other = a.compared;
  fmt::format_to(out, "## Latency per route\n\n{} repetitions a deployment at {:.0f} req/s, in ABBA order after one discarded warm-up "
                      "repetition each; open loop, latency from each request's due time, failures included at the time they failed. "
                      "*added* is the median of the paired differences (repetition i of {} against repetition i of the monolith), "
                      "with its 95% confidence interval; the p50 and p99 of each deployment are of every repetition's histogram merged.\n\n",
                 mono->compare.size(), mono->compare.front().rate, who_of(other));
  fmt::format_to(out, "| route | depth | calls | monolith p50 | monolith p99 | {0} p50 | {0} p99 | added p50 [95% CI] | added p99 [95% CI] |\n", other);
  fmt::format_to(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (auto const& r : a.routes)
    fmt::format_to(out, "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", r.name, r.name == "all" ? "" : std::to_string(r.depth),
                   r.name == "all" ? "" : std::to_string(r.calls), format_us(r.monolith_p50), format_us(r.monolith_p99), format_us(r.split_p50),
                   format_us(r.split_p99), with_interval(r.added_p50), with_interval(r.added_p99));
  auto const& all = a.routes.back();
  if (!all.added_p50_by_repetition.empty()) {
    std::string list;
    for (auto x : all.added_p50_by_repetition) list += (list.empty() ? "" : ", ") + format_us(x);
    fmt::format_to(out, "\nAdded p50, every route together, in each pair of repetitions: {}.\n", list);
  }
  auto const& hop = a.overall->per_hop;
  fmt::format_to(out, "\n**Per internal hop.** ");
  if (hop.one_call_route_us)
    fmt::format_to(out, "From the route with one internal call (one hop): {} at p50, {} the loopback round trip of {}. ",
                   format_us(*hop.one_call_route_us), format_times(hop.vs_loopback), format_us(a.overall->loopback_rtt_p50_us));
  if (hop.per_depth_us && hop.per_call_us) {
    std::string residuals;
    for (auto const& [route, x] : hop.residuals_us) residuals += fmt::format("{}{} {}", residuals.empty() ? "" : ", ", route, format_us(x));
    fmt::format_to(out, "A least-squares fit over the routes, added p50 ≈ a·depth + b·calls, gives a = {} per hop in sequence and b = {} "
                        "per call (residuals: {}).",
                   format_us(*hop.per_depth_us), format_us(*hop.per_call_us), residuals);
  }
  fmt::format_to(out, "\n\n");
}

void cost_section(out_t out, run_result const& run, answer const& a) {
  fmt::format_to(out, "## Cost\n\n|");
  for (auto const& d : a.deployments) fmt::format_to(out, " | {}", d.name);
  fmt::format_to(out, " |\n|---|");
  for (std::size_t i = 0; i < a.deployments.size(); ++i) fmt::format_to(out, "---:|");
  fmt::format_to(out, "\n");
  auto row = [&](char const* label, auto cell) {
    fmt::format_to(out, "| {} |", label);
    for (auto const& d : a.deployments) fmt::format_to(out, " {} |", cell(d));
    fmt::format_to(out, "\n");
  };
  row("processes", [](deployment_answer const& d) { return d.processes || d.resources_measured ? std::to_string(d.processes) : std::string("not known"); });
  row(fmt::format("throughput with p99 within {}", format_us(run.scenario.slo_p99_us)).c_str(), [](deployment_answer const& d) {
    if (!d.swept) return std::string("not swept");
    return d.capacity ? capacity_text(*d.capacity) : std::string("no step passed");
  });
  row("CPU per request, median [95% CI]", [](deployment_answer const& d) {
    return d.resources_measured ? with_interval(d.cpu_us_per_request) : std::string("not measured (no /metrics)");
  });
  row("memory (peak RSS, all processes)", [](deployment_answer const& d) {
    return d.resources_measured ? format_mib(static_cast<double>(d.peak_rss_bytes)) : std::string("not measured (no /metrics)");
  });
  if (a.overall) {
    auto const& o = *a.overall;
    fmt::format_to(out, "\nRatios to the monolith, {}: throughput at the SLO {}, CPU per request {}, memory {}.\n", a.compared,
                   o.throughput_ratio ? ratio_text(*o.throughput_ratio) : std::string("–"), with_interval(o.cpu_ratio, format_times),
                   o.memory_ratio ? format_times(*o.memory_ratio) : std::string("–"));
  }
}

/// Every deployment against the monolith, where the run measured more than one beside it.
void topologies_section(out_t out, run_result const& run, answer const& a) {
  fmt::format_to(out, "## Every deployment against the monolith\n\nEach deployment's repetitions were paired with the monolith's "
                      "(repetition i with repetition i; the deployments took turns in forward, then reverse order). *added* is the median of "
                      "the paired differences with its 95% confidence interval; ratios are the deployment's over the monolith's.\n\n");
  fmt::format_to(out, "| deployment | processes | added p50 [95% CI] | added p99 [95% CI] | CPU per request | throughput at the SLO | memory |\n"
                      "|---|---:|---:|---:|---:|---:|---:|\n");
  for (auto const& c : a.comparisons) {
    auto const* d = run.find(c.name);
    auto const& o = c.overall;
    fmt::format_to(out, "| {} | {} | {} | {} | {} | {} | {} |\n", c.name, d ? d->processes.size() : 0, with_interval(o.added_p50),
                   with_interval(o.added_p99), o.cpu_ratio.n ? with_interval(o.cpu_ratio, format_times) : std::string("–"),
                   o.throughput_ratio ? ratio_text(*o.throughput_ratio) : std::string("–"), o.memory_ratio ? format_times(*o.memory_ratio) : std::string("–"));
  }
  fmt::format_to(out, "\nAdded p50 per route [95% CI]:\n\n| route |");
  for (auto const& c : a.comparisons) fmt::format_to(out, " {} |", c.name);
  fmt::format_to(out, "\n|---|");
  for (std::size_t i = 0; i < a.comparisons.size(); ++i) fmt::format_to(out, "---:|");
  fmt::format_to(out, "\n");
  for (std::size_t r = 0; r < a.comparisons.front().routes.size(); ++r) {
    fmt::format_to(out, "| {} |", a.comparisons.front().routes[r].name);
    for (auto const& c : a.comparisons) fmt::format_to(out, " {} |", r < c.routes.size() ? with_interval(c.routes[r].added_p50) : std::string("–"));
    fmt::format_to(out, "\n");
  }
  fmt::format_to(out, "\n");
}

void sweep_section(out_t out, run_result const& run) {
  fmt::format_to(out, "\n## Sweep\n\nThe rate rises by the scenario's factor until a step fails, then bisects between the last step that "
                      "passed and the first that failed until they are within 10%. A step passes when p99 (failures included) is within "
                      "{}, errors stay at or under {} and the deployment completes 95% of the rate; a failing step is run again and decided "
                      "on both windows merged; a step the driver could not drive is inconclusive, never a pass.\n\n",
                 format_us(run.scenario.slo_p99_us), format_percent(run.scenario.max_error_rate));
  // What CPU each side was swept on: said once where all had the same.
  std::vector<deployment_measurement const*> swept;
  for (auto const& d : run.deployments)
    if (!d.sweep.empty()) swept.push_back(&d);
  bool same = std::all_of(swept.begin(), swept.end(), [&](auto* d) { return d->sweep_cpu_budget == swept.front()->sweep_cpu_budget; });
  auto budget = [&](std::string const& who, std::optional<double> cores) {
    if (!cores) return fmt::format("{} swept without a CPU budget: throughput is what {} got of the machine beside the driver.\n", who,
                                   same && swept.size() > 1 ? "each" : "it");
    auto period = static_cast<double>(os::shortest_cpu_period(*cores).count());
    return fmt::format("{} held to {} while swept: all of a deployment's processes in one control group whose CFS quota is {} of every {} "
                       "period, so that {} the same CPU and the driver the rest of the machine.\n",
                       who, cores_text(*cores), format_us(*cores * period), format_us(period), same && swept.size() > 1 ? "each gets" : "it gets");
  };
  if (same && !swept.empty()) fmt::format_to(out, "{}", budget(swept.size() > 1 ? "Every deployment was" : swept.front()->name + " was", swept.front()->sweep_cpu_budget));
  else
    for (auto* d : swept) fmt::format_to(out, "{}", budget(d->name + " was", d->sweep_cpu_budget));
  fmt::format_to(out, "\n| deployment | rate | completed | p50 | p99 | errors | unsent | CPU/request | hiccup p99 | outcome |\n");
  fmt::format_to(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (auto const& d : run.deployments)
    for (auto const& s : d.sweep)
      for (std::size_t i = 0; i < s.attempts.size(); ++i) {
        auto const& r = s.attempts[i];
        bool last = i + 1 == s.attempts.size();
        fmt::format_to(out, "| {} | {:.0f} | {:.0f} | {} | {} | {} | {} | {} | {} | {} |\n", d.name, s.rate, r.throughput_rps, format_us(r.latency.p50),
                       format_us(r.latency.p99), r.errors, r.unsent, format_us(r.cpu_us_per_request), format_us(r.hiccups.p99),
                       last ? std::string(name_of(s.outcome)) + (s.reason.empty() ? "" : ": " + s.reason) : "run again");
      }
}

void hiccup_section(out_t out, run_result const& run) {
  fmt::format_to(out, "\n## The machine's own stalls\n\nWhile every repetition ran, a thread of the driver slept 1 ms at a time and "
                      "recorded how late it woke (as jHiccup does): what the platform alone adds to any request.\n\n");
  fmt::format_to(out, "| deployment | repetition | hiccup p99 | hiccup max | response p99 |\n|---|---:|---:|---:|---:|\n");
  for (auto const& d : run.deployments)
    for (std::size_t i = 0; i < d.compare.size(); ++i)
      fmt::format_to(out, "| {} | {} | {} | {} | {} |\n", d.name, i + 1, format_us(d.compare[i].hiccups.p99), format_us(d.compare[i].hiccups.max),
                     format_us(d.compare[i].latency.p99));
}

void provenance_section(out_t out, run_result const& run) {
  auto const& f = run.floors;
  fmt::format_to(out, "\n## Floors, measured in the same run\n\n- loopback TCP round trip (100 B out, 200 B back, paced): p50 {}, p99 {}\n"
                      "- in-process call through the seam: {:.0f} ns\n",
                 format_us(f.loopback_rtt.p50), format_us(f.loopback_rtt.p99), f.seam_call_ns);
  if (run.network != "loopback") fmt::format_to(out, "- network: {}\n", run.network);
  if (f.target_rtt)
    fmt::format_to(out, "- GET /health round trip to {}, the first target's front door: p50 {}, p99 {}\n", f.target, format_us(f.target_rtt->p50),
                   format_us(f.target_rtt->p99));
  for (auto const& d : run.deployments)
    if (d.target) fmt::format_to(out, "- {} was not started here: measured at {}{}\n", d.name, *d.target,
                                 d.resources_measured ? fmt::format(", its CPU and memory read from {} /metrics (memory: the most resident memory of the samples "
                                                                                  "taken at the windows' edges, not a peak the process kept)",
                                                                                  d.processes.size())
                                                     : std::string(", its CPU and memory not measured"));
  for (auto const& d : run.deployments)
    if (d.failure) fmt::format_to(out, "\n**{} failed during the run:**\n\n```\n{}\n```\n", d.name, *d.failure);
  if (!run.warnings.empty()) {
    fmt::format_to(out, "\n## Warnings\n\n");
    for (auto const& w : run.warnings) fmt::format_to(out, "- {}\n", w);
  }
  auto const& m = run.machine;
  auto const& b = run.build;
  fmt::format_to(out, "\n## How this was measured\n\n- machine: {}, {} cores, {}, {}\n- build: {}, {}, commit {}{}\n- scenario ({}):\n\n```toml\n{}```\n",
                 m.cpu_model, m.cores, m.kernel, format_mib(static_cast<double>(m.memory_bytes)), b.compiler, b.build_type, b.commit.substr(0, 12),
                 b.dirty ? " (with uncommitted changes)" : "", run.scenario.source, run.scenario.toml);
}

}  // namespace

std::string render_markdown(run_result const& run, answer const& a) {
  std::string md;
  auto out = std::back_inserter(md);
  fmt::format_to(out, "# splitbench: {} ({})\n\n", run.scenario.name, run.id);
  if (run.partial) fmt::format_to(out, "> **Partial run**: interrupted; only what was measured before is here.\n\n");
  fmt::format_to(out, "**{}**\n\n", headline_of(run, a));
  if (a.overall) latency_section(out, run, a);
  if (a.comparisons.size() > 1) topologies_section(out, run, a);
  cost_section(out, run, a);
  if (std::any_of(run.deployments.begin(), run.deployments.end(), [](auto const& d) { return !d.sweep.empty(); })) sweep_section(out, run);
  if (std::any_of(run.deployments.begin(), run.deployments.end(), [](auto const& d) { return !d.compare.empty(); })) hiccup_section(out, run);
  md += faults_markdown(run);
  md += scaling_markdown(run);
  md += distance_markdown(run);
  md += payload_markdown(run);
  md += breakdown_markdown(run);
  provenance_section(out, run);
  return md;
}

}  // namespace splitbench::bench
