#include "bench/report/compare.hpp"

#include "bench/report/format.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace splitbench::bench {
namespace json = boost::json;

std::string_view name_of(verdict v) noexcept {
  switch (v) {
    case verdict::improved: return "improved";
    case verdict::regressed: return "REGRESSED";
    case verdict::unchanged: return "unchanged";
    case verdict::within_noise: return "within noise";
    case verdict::info: return "not tested";
  }
  return "?";
}

bool comparison::regressed() const noexcept {
  return !failed_gates.empty() ||
         std::any_of(metrics.begin(), metrics.end(), [](auto const& m) { return m.gated && m.result == verdict::regressed; });
}

namespace {

/// The scenario as run, less what may legitimately differ between the two sides of a
/// comparison: injected latency is what a comparison is often about, and the faults and their
/// settings change no gated figure. Read back as a scenario, so that a report written before a
/// field existed compares with one that has it at its default.
scenario comparable_settings(run_result const& r) {
  scenario s;
  try {
    s = parse_scenario(r.scenario.toml, "the scenario of report " + r.id);
  } catch (scenario_error const& e) {
    throw compare_error(e.what());
  }
  scenario defaults;
  s.inject_latency.clear();
  s.source.clear();
  s.faults.clear();
  s.fault_rate = defaults.fault_rate;
  s.fault_duration = defaults.fault_duration;
  s.fault_slice = defaults.fault_slice;
  s.fault_restart = defaults.fault_restart;
  return s;
}

enum class figure { p50, p99, cpu };

std::vector<double> per_repetition(std::vector<run_measurement> const& runs, std::string const& route, figure f) {
  std::vector<double> out;
  for (auto const& run : runs) {
    if (f == figure::cpu) {
      if (!run.cpu.empty()) out.push_back(run.cpu_us_per_request);  // none: not measured (a target without /metrics)
      continue;
    }
    latency_summary const* lat = route == "all" ? &run.latency : nullptr;
    for (auto const& r : run.routes)
      if (r.name == route) lat = &r.latency;
    if (lat && lat->count > 0) out.push_back(f == figure::p50 ? lat->p50 : lat->p99);
  }
  return out;
}

/// Verdicts for every gated metric at once. Many figures are tested together, so noise alone
/// would eventually make one of them look significant: Holm's step-down procedure keeps the
/// chance of any false alarm at alpha. A figure is then a regression (or an improvement) only
/// when it is significant after that correction and changed by at least the threshold.
void decide(std::vector<metric_change>& metrics, double threshold, double alpha) {
  std::vector<metric_change*> gated;
  for (auto& m : metrics) {
    m.base_median = median(m.base);
    m.new_median = median(m.now);
    m.change = m.base_median != 0 ? m.new_median / m.base_median - 1 : 0;
    if (m.gated) m.test = mann_whitney_u(m.base, m.now), gated.push_back(&m);
    else m.result = verdict::info;
  }
  std::sort(gated.begin(), gated.end(), [](auto* a, auto* b) { return a->test.p < b->test.p; });
  bool still_rejecting = true;
  for (std::size_t k = 0; k < gated.size(); ++k) {
    auto& m = *gated[k];
    still_rejecting = still_rejecting && m.test.p < alpha / static_cast<double>(gated.size() - k);
    if (std::fabs(m.change) < threshold) m.result = verdict::unchanged;
    else if (!still_rejecting) m.result = verdict::within_noise;
    else m.result = m.change > 0 ? verdict::regressed : verdict::improved;  // every gated metric: lower is better
  }
}

/// Errors, timeouts and unsent requests of a deployment's compare phase, as fractions of the requests due.
struct failure_rates {
  double errors = 0, timeouts = 0, unsent = 0;
};
failure_rates rates_of(deployment_measurement const& d) {
  double requests = 0, errors = 0, timeouts = 0, unsent = 0;
  for (auto const& r : d.compare) {
    requests += static_cast<double>(r.requests);
    errors += static_cast<double>(r.errors);
    timeouts += static_cast<double>(r.timeouts);
    unsent += static_cast<double>(r.unsent);
  }
  if (requests == 0) return {};
  return {errors / requests, timeouts / requests, unsent / requests};
}

/// The gates beside the figures, for one deployment present in both reports.
void gate(comparison& c, deployment_measurement const& b, deployment_measurement const& n, double tolerance) {
  if (n.failure && !b.failure) c.failed_gates.push_back(fmt::format("{} failed during the new run: {}", n.name, n.failure->substr(0, n.failure->find('\n'))));
  auto br = rates_of(b), nr = rates_of(n);
  auto rose = [&](char const* what, double before, double after) {
    if (after > before + tolerance)
      c.failed_gates.push_back(fmt::format("{}: {} rose from {:.3f}% to {:.3f}% of requests (tolerance {:.3f} points)", n.name, what, before * 100,
                                           after * 100, tolerance * 100));
  };
  rose("errors", br.errors, nr.errors);
  rose("timeouts", br.timeouts, nr.timeouts);
  rose("unsent requests", br.unsent, nr.unsent);
  if (b.sweep_cpu_budget != n.sweep_cpu_budget) {
    if (!b.sweep.empty() && !n.sweep.empty()) {
      auto budget = [](std::optional<double> cores) { return cores ? cores_text(*cores) : std::string("none"); };
      c.notes.push_back(fmt::format("{}: throughput at the SLO not compared: swept on a CPU budget of {} in the base and {} in the new run", n.name,
                                    budget(b.sweep_cpu_budget), budget(n.sweep_cpu_budget)));
    }
    return;
  }
  if (b.capacity && !n.capacity && !n.sweep.empty())
    c.failed_gates.push_back(fmt::format("{}: no step of the sweep passed, where the base served {}", n.name, capacity_text(*b.capacity)));
  if (b.capacity && n.capacity) {
    // Below the base's bounds by more than the threshold, as a ratio as latency is judged: the
    // new upper bound under the base's lower one divided by 1 + threshold.
    auto new_high = n.capacity->high.value_or(INFINITY);
    if (new_high < b.capacity->low / (1 + c.threshold))
      c.failed_gates.push_back(fmt::format("{}: throughput at the SLO {} is below the base's {} by more than {}", n.name, capacity_text(*n.capacity),
                                           capacity_text(*b.capacity), format_percent(c.threshold)));
  }
}

/// Whether a deployment's p99 was mostly the machine's: in most repetitions the machine's own
/// stalls (hiccup p99) were a quarter or more of the p99 measured.
bool tail_is_the_machines(deployment_measurement const& d) {
  std::size_t machine = 0;
  for (auto const& r : d.compare) machine += r.hiccups.count > 0 && r.hiccups.p99 * 4 >= r.latency.p99 ? 1 : 0;
  return machine * 2 > d.compare.size();
}

metric_change figure_of(std::string deployment, std::string route, std::string metric, std::string unit, std::vector<double> base,
                        std::vector<double> now) {
  metric_change m;
  m.deployment = std::move(deployment), m.route = std::move(route), m.metric = std::move(metric), m.unit = std::move(unit);
  m.base = std::move(base), m.now = std::move(now);
  return m;
}

void add_figures(comparison& c, deployment_measurement const& b, deployment_measurement const& n, std::size_t& fewest) {
  bool machine_tail = tail_is_the_machines(b) || tail_is_the_machines(n);
  if (machine_tail)
    c.notes.push_back(fmt::format("{}: the machine's own stalls were of the order of p99 in {} report: its p99 figures are shown, "
                                  "not tested, since they measure the machine rather than the code", n.name,
                                  tail_is_the_machines(b) && tail_is_the_machines(n) ? "either" : tail_is_the_machines(b) ? "the base" : "the new"));
  std::vector<std::string> routes;
  if (!b.compare.empty())
    for (auto const& r : b.compare.front().routes) routes.push_back(r.name);
  routes.emplace_back("all");
  for (auto const& route : routes)
    for (auto [f, name] : {std::pair{figure::p50, "latency p50"}, {figure::p99, "latency p99"}, {figure::cpu, "CPU per request"}}) {
      if (f == figure::cpu && route != "all") continue;
      auto m = figure_of(n.name, route, name, "µs", per_repetition(b.compare, route, f), per_repetition(n.compare, route, f));
      if (m.base.empty()) continue;
      if (m.now.empty()) {
        c.failed_gates.push_back(fmt::format("{}: {} of {} is missing from the new report", n.name, name, route));
        continue;
      }
      fewest = std::min({fewest, m.base.size(), m.now.size()});
      if (f == figure::p99 && machine_tail) m.gated = false;
      c.metrics.push_back(std::move(m));
    }
  if (b.capacity && n.capacity && b.sweep_cpu_budget == n.sweep_cpu_budget) {
    auto m = figure_of(n.name, "all", "throughput at SLO", "req/s", {b.capacity->low}, {n.capacity->low});
    m.gated = false;  // one number a run: decided by its bounds, above
    c.metrics.push_back(std::move(m));
  }
}

}  // namespace

comparison compare_reports(run_result const& base, run_result const& now, double threshold, double alpha) {
  comparison c;
  c.threshold = threshold;
  c.alpha = alpha;
  c.base_id = base.id;
  c.new_id = now.id;
  if (base.scenario.name != now.scenario.name)
    throw compare_error(fmt::format("reports of different scenarios: '{}' and '{}'", base.scenario.name, now.scenario.name));
  if (comparable_settings(base) != comparable_settings(now))
    throw compare_error(fmt::format("reports of scenario '{}' with different settings; compare runs of the same settings", base.scenario.name));
  c.scenario = base.scenario.name;
  if (now.partial) c.failed_gates.push_back("the new report is partial: the run was interrupted");
  if (base.partial) c.notes.push_back("the base report is partial: some figures may be missing");

  std::size_t fewest = SIZE_MAX;
  for (auto const& b : base.deployments) {
    auto const* n = now.find(b.name);
    if (!n) {
      c.failed_gates.push_back(fmt::format("'{}' is only in the base report", b.name));
      continue;
    }
    gate(c, b, *n, base.scenario.max_error_rate);
    add_figures(c, b, *n, fewest);
  }
  for (auto const& n : now.deployments)
    if (!base.find(n.name)) c.notes.push_back(fmt::format("'{}' is only in the new report", n.name));
  decide(c.metrics, threshold, alpha);
  auto gated = std::count_if(c.metrics.begin(), c.metrics.end(), [](auto const& m) { return m.gated; });
  if (fewest != SIZE_MAX && gated > 0 && smallest_p(fewest, fewest) >= alpha / static_cast<double>(gated)) {
    std::size_t enough = fewest;
    while (enough < 30 && smallest_p(enough, enough) >= alpha / static_cast<double>(gated)) ++enough;
    c.notes.push_back(fmt::format("only {} repetitions a side: with {} figures tested together the rank test would need p < {:.4f}, but "
                                  "its smallest p is {:.4f}, so no change can be called a regression; use {} or more repetitions",
                                  fewest, gated, alpha / static_cast<double>(gated), smallest_p(fewest, fewest), enough));
  }
  return c;
}

namespace {
std::string value(double v, std::string const& unit) { return unit == "req/s" ? format_rate(v) : format_us(v); }
std::string p_of(metric_change const& m) { return m.gated ? fmt::format("{:.4f}", m.test.p) : "–"; }
std::string summary(comparison const& c) {
  int counts[5] = {};
  for (auto const& m : c.metrics) counts[static_cast<int>(m.result)]++;
  return fmt::format("{} regressed, {} improved, {} within noise, {} unchanged; {} gate{} failed", counts[1], counts[0], counts[3], counts[2],
                     c.failed_gates.size(), c.failed_gates.size() == 1 ? "" : "s");
}
}  // namespace

std::string to_text(comparison const& c) {
  std::string out = fmt::format("splitbench compare: {} -> {} (scenario '{}')\n", c.base_id, c.new_id, c.scenario);
  out += fmt::format("test: two-sided Mann-Whitney U over repetitions (exact, ties included), Holm-corrected across figures, alpha {}; "
                     "threshold {:.0f}%\n\n", c.alpha, c.threshold * 100);
  out += fmt::format("{:<10} {:<8} {:<18} {:>12} {:>12} {:>9} {:>8}  {}\n", "deployment", "route", "metric", "base", "new", "change", "p", "verdict");
  for (auto const& m : c.metrics)
    out += fmt::format("{:<10} {:<8} {:<18} {:>12} {:>12} {:>+8.1f}% {:>8}  {}\n", m.deployment, m.route, m.metric, value(m.base_median, m.unit),
                       value(m.new_median, m.unit), m.change * 100, p_of(m), name_of(m.result));
  for (auto const& g : c.failed_gates) out += "REGRESSED: " + g + "\n";
  for (auto const& n : c.notes) out += "note: " + n + "\n";
  out += '\n';
  out += summary(c);
  out += c.regressed() ? ": REGRESSION\n" : "\n";
  return out;
}

std::string to_markdown(comparison const& c) {
  std::string out = fmt::format("### splitbench compare: {}\n\n", c.regressed() ? "regression" : "no regression");
  out += fmt::format("{} ({} → {}, scenario `{}`). Verdicts: two-sided Mann-Whitney U over the repetitions (exact, ties included), "
                     "Holm-corrected across figures (alpha {}), and a {:.0f}% threshold; medians shown.\n\n",
                     summary(c), c.base_id, c.new_id, c.scenario, c.alpha, c.threshold * 100);
  out += "| deployment | route | metric | base | new | change | p | verdict |\n|---|---|---|---:|---:|---:|---:|---|\n";
  for (auto const& m : c.metrics)
    out += fmt::format("| {} | {} | {} | {} | {} | {:+.1f}% | {} | {} |\n", m.deployment, m.route, m.metric, value(m.base_median, m.unit),
                       value(m.new_median, m.unit), m.change * 100, p_of(m),
                       m.result == verdict::regressed ? "**regressed**" : std::string(name_of(m.result)));
  for (auto const& g : c.failed_gates) out += "\n- **regressed**: " + g + "\n";
  for (auto const& n : c.notes) out += "\n> " + n + "\n";
  return out;
}

json::object to_json(comparison const& c) {
  json::array metrics;
  for (auto const& m : c.metrics) {
    metrics.push_back(json::object{{"deployment", m.deployment}, {"route", m.route}, {"metric", m.metric}, {"unit", m.unit},
                                   {"base", json::value_from(m.base)}, {"new", json::value_from(m.now)},
                                   {"base_median", m.base_median}, {"new_median", m.new_median}, {"change", m.change},
                                   {"p", m.gated ? json::value(m.test.p) : json::value(nullptr)}, {"exact", m.test.exact},
                                   {"verdict", name_of(m.result)}, {"gated", m.gated}});
  }
  return {{"schema", "splitbench.compare/2"},
          {"base", c.base_id},
          {"new", c.new_id},
          {"scenario", c.scenario},
          {"test", "Mann-Whitney U, two-sided, exact with ties, over repetitions; Holm's correction across gated figures"},
          {"alpha", c.alpha},
          {"threshold", c.threshold},
          {"regressed", c.regressed()},
          {"metrics", std::move(metrics)},
          {"failed_gates", json::value_from(c.failed_gates)},
          {"notes", json::value_from(c.notes)}};
}

}  // namespace splitbench::bench
