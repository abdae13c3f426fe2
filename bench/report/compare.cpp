#include "bench/report/compare.hpp"

#include "bench/driver/files.hpp"
#include "bench/report/report.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sys/stat.h>

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
  return std::any_of(metrics.begin(), metrics.end(), [](auto const& m) { return m.gated && m.result == verdict::regressed; });
}

json::object load_report(std::string const& path) {
  struct stat st{};
  auto file = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? path + "/report.json" : path;
  std::string text;
  try {
    text = read_file(file);
  } catch (std::exception const& e) {
    throw compare_error(e.what());
  }
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw compare_error(file + " is not JSON: " + (ec ? ec.message() : "not an object"));
  try {
    check_report(v.as_object());
  } catch (std::exception const& e) {
    throw compare_error(file + ": " + e.what());
  }
  return std::move(v.as_object());
}

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// The scenario as run, less what may legitimately differ between the two sides of a
/// comparison: injected latency is what a comparison is often about.
std::string comparable_settings(json::object const& report) {
  std::string toml(report.at("scenario").at("toml").as_string());
  std::string out;
  std::size_t start = 0;
  while (start < toml.size()) {
    auto end = toml.find('\n', start);
    if (end == std::string::npos) end = toml.size();
    auto line = toml.substr(start, end - start);
    if (line.rfind("inject_latency", 0) != 0) out += line + "\n";
    start = end + 1;
  }
  return out;
}

std::vector<double> per_repetition(json::array const& runs, std::string const& route, std::string_view metric) {
  std::vector<double> out;
  for (auto const& r : runs) {
    auto const& run = r.as_object();
    if (metric == "CPU per request") {
      out.push_back(run.at("cpu_us_per_request").to_number<double>());
      continue;
    }
    json::value const* lat = nullptr;
    if (route == "all") lat = &run.at("latency_us");
    else if (auto const* routes = run.if_contains("routes"); routes && routes->as_object().contains(route))
      lat = &routes->at(route).at("latency_us");
    if (lat) out.push_back(lat->at(metric == "latency p50" ? "p50" : "p99").to_number<double>());
  }
  return out;
}

void judge(metric_change& m, double threshold, double alpha) {
  m.base_median = median(m.base);
  m.new_median = median(m.now);
  m.change = m.base_median != 0 ? m.new_median / m.base_median - 1 : 0;
  if (!m.gated) {
    m.result = verdict::info;
    return;
  }
  m.test = mann_whitney_u(m.base, m.now);
  (void)threshold;
  (void)alpha;
}

/// Verdicts for every gated metric at once. Many figures are tested together, so noise alone
/// would eventually make one of them look significant: Holm's step-down procedure keeps the
/// chance of any false alarm at alpha. A figure is then a regression (or an improvement) only
/// when it is significant after that correction and changed by at least the threshold.
void decide(std::vector<metric_change>& metrics, double threshold, double alpha) {
  std::vector<metric_change*> gated;
  for (auto& m : metrics)
    if (m.gated) gated.push_back(&m);
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

}  // namespace

comparison compare_reports(json::object const& base, json::object const& now, double threshold, double alpha) {
  comparison c;
  c.threshold = threshold;
  c.alpha = alpha;
  c.base_id = std::string(base.at("id").as_string());
  c.new_id = std::string(now.at("id").as_string());
  std::string base_name(base.at("scenario").at("name").as_string()), new_name(now.at("scenario").at("name").as_string());
  if (base_name != new_name) throw compare_error(fmt::format("reports of different scenarios: '{}' and '{}'", base_name, new_name));
  if (comparable_settings(base) != comparable_settings(now))
    throw compare_error(fmt::format("reports of scenario '{}' with different settings; compare runs of the same settings", base_name));
  c.scenario = base_name;
  if (base.at("partial").as_bool() || now.at("partial").as_bool()) c.notes.push_back("a report is partial: some figures may be missing");

  auto const& bd = base.at("deployments").as_object();
  auto const& nd = now.at("deployments").as_object();
  std::size_t fewest = SIZE_MAX;
  for (auto const& [name, b] : bd) {
    if (!nd.contains(name)) {
      c.notes.push_back(fmt::format("'{}' is only in the base report", std::string(name)));
      continue;
    }
    auto const& base_runs = b.at("compare").as_array();
    auto const& new_runs = nd.at(name).at("compare").as_array();
    std::vector<std::string> routes;
    if (!base_runs.empty())
      if (auto const* r = base_runs[0].as_object().if_contains("routes"))
        for (auto const& [route, _] : r->as_object()) routes.emplace_back(route);
    routes.emplace_back("all");
    for (auto const& route : routes) {
      for (std::string_view metric : {"latency p50", "latency p99", "CPU per request"}) {
        if (metric == "CPU per request" && route != "all") continue;
        metric_change m;
        m.deployment = name;
        m.route = route;
        m.metric = metric;
        m.unit = "µs";
        m.base = per_repetition(base_runs, route, metric);
        m.now = per_repetition(new_runs, route, metric);
        if (m.base.empty() || m.now.empty()) continue;
        fewest = std::min({fewest, m.base.size(), m.now.size()});
        judge(m, threshold, alpha);
        c.metrics.push_back(std::move(m));
      }
    }
    // Throughput at the SLO is one number a run: shown, never gated.
    auto tput = [](json::object const& report, std::string_view deployment) -> std::vector<double> {
      auto const& s = report.at("answer").at("deployments").at(deployment).at("throughput_at_slo_rps");
      return s.is_null() ? std::vector<double>{} : std::vector<double>{s.to_number<double>()};
    };
    auto bt = tput(base, name), nt = tput(now, name);
    if (!bt.empty() && !nt.empty()) {
      metric_change m;
      m.deployment = name;
      m.route = "all";
      m.metric = "throughput at SLO";
      m.unit = "req/s";
      m.base = bt;
      m.now = nt;
      m.gated = false;
      judge(m, threshold, alpha);
      c.metrics.push_back(std::move(m));
    }
  }
  for (auto const& [name, _] : nd)
    if (!bd.contains(name)) c.notes.push_back(fmt::format("'{}' is only in the new report", std::string(name)));
  decide(c.metrics, threshold, alpha);
  auto gated = std::count_if(c.metrics.begin(), c.metrics.end(), [](auto const& m) { return m.gated; });
  if (fewest != SIZE_MAX && gated > 0 && smallest_p(fewest, fewest) >= alpha / static_cast<double>(gated))
    c.notes.push_back(fmt::format("only {} repetitions a side: with {} figures tested together the rank test would need p < {:.4f}, but "
                                  "its smallest p is {:.4f}, so no change can be called a regression; use {} or more repetitions",
                                  fewest, gated, alpha / static_cast<double>(gated), smallest_p(fewest, fewest),
                                  [&] {
                                    std::size_t n = fewest;
                                    while (n < 20 && smallest_p(n, n) >= alpha / static_cast<double>(gated)) ++n;
                                    return n;
                                  }()));
  return c;
}

namespace {
std::string value(double v, std::string const& unit) {
  if (std::isnan(v)) return "–";
  if (unit == "req/s") return fmt::format("{:.0f} req/s", v);
  return std::fabs(v) >= 1000 ? fmt::format("{:.2f} ms", v / 1e3) : fmt::format("{:.1f} µs", v);
}
std::string p_of(metric_change const& m) { return m.gated ? fmt::format("{:.4f}", m.test.p) : "–"; }
std::string summary(comparison const& c) {
  int counts[5] = {};
  for (auto const& m : c.metrics) counts[static_cast<int>(m.result)]++;
  return fmt::format("{} regressed, {} improved, {} within noise, {} unchanged", counts[1], counts[0], counts[3], counts[2]);
}
}  // namespace

std::string to_text(comparison const& c) {
  std::string out = fmt::format("splitbench compare: {} -> {} (scenario '{}')\n", c.base_id, c.new_id, c.scenario);
  out += fmt::format("test: two-sided Mann-Whitney U over repetitions, Holm-corrected across figures, alpha {}; threshold {:.0f}%\n\n",
                     c.alpha, c.threshold * 100);
  out += fmt::format("{:<10} {:<8} {:<18} {:>12} {:>12} {:>9} {:>8}  {}\n", "deployment", "route", "metric", "base", "new", "change", "p", "verdict");
  for (auto const& m : c.metrics)
    out += fmt::format("{:<10} {:<8} {:<18} {:>12} {:>12} {:>+8.1f}% {:>8}  {}\n", m.deployment, m.route, m.metric, value(m.base_median, m.unit),
                       value(m.new_median, m.unit), m.change * 100, p_of(m), name_of(m.result));
  for (auto const& n : c.notes) out += "note: " + n + "\n";
  out += '\n';
  out += summary(c);
  out += c.regressed() ? ": REGRESSION\n" : "\n";
  return out;
}

std::string to_markdown(comparison const& c) {
  std::string out = fmt::format("### splitbench compare: {}\n\n", c.regressed() ? "regression" : "no regression");
  out += fmt::format("{} ({} → {}, scenario `{}`). Verdicts: two-sided Mann-Whitney U over the repetitions, Holm-corrected across figures (alpha {}), and a {:.0f}% threshold; "
                     "medians shown.\n\n",
                     summary(c), c.base_id, c.new_id, c.scenario, c.alpha, c.threshold * 100);
  out += "| deployment | route | metric | base | new | change | p | verdict |\n|---|---|---|---:|---:|---:|---:|---|\n";
  for (auto const& m : c.metrics)
    out += fmt::format("| {} | {} | {} | {} | {} | {:+.1f}% | {} | {} |\n", m.deployment, m.route, m.metric, value(m.base_median, m.unit),
                       value(m.new_median, m.unit), m.change * 100, p_of(m),
                       m.result == verdict::regressed ? "**regressed**" : std::string(name_of(m.result)));
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
  return {{"schema", "splitbench.compare/1"},
          {"base", c.base_id},
          {"new", c.new_id},
          {"scenario", c.scenario},
          {"test", "Mann-Whitney U, two-sided, over repetitions; Holm's correction across gated figures"},
          {"alpha", c.alpha},
          {"threshold", c.threshold},
          {"regressed", c.regressed()},
          {"metrics", std::move(metrics)},
          {"notes", json::value_from(c.notes)}};
}

}  // namespace splitbench::bench
