#include "bench/report/report.hpp"

#include "bench/driver/histogram.hpp"
#include "bench/runner/scenario.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace splitbench::bench {
namespace json = boost::json;

namespace {

double num(json::value const& v) { return v.is_null() ? std::nan("") : v.to_number<double>(); }

json::value const* find(json::object const& o, std::initializer_list<std::string_view> path) {
  json::object const* at = &o;
  json::value const* v = nullptr;
  for (auto key : path) {
    if (!at) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    v = &it->value();
    at = v->is_object() ? &v->get_object() : nullptr;
  }
  return v;
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

json::value range_of(std::vector<double> const& v) {
  if (v.empty()) return nullptr;
  return json::array{*std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

double round2(double x) { return std::round(x * 100) / 100; }

/// A deployment's compare runs merged: per route (and "all"), p50 and p99 of the merged
/// histograms in microseconds, and each repetition's p50 and p99.
struct merged_latency {
  double p50 = std::nan(""), p99 = std::nan("");
  std::vector<double> rep_p50, rep_p99;
  std::uint64_t responses = 0;
};

merged_latency merge_runs(json::array const& runs, std::string_view route) {
  merged_latency m;
  std::optional<histogram> all;
  for (auto const& run : runs) {
    auto const& r = run.as_object();
    json::value const* h = route == "all" ? find(r, {"histogram"}) : find(r, {"routes", route, "histogram"});
    if (!h || !h->is_string()) continue;
    auto one = histogram::decode(h->get_string());
    if (one.count() == 0) continue;
    m.rep_p50.push_back(static_cast<double>(one.value_at_percentile(50)) / 1e3);
    m.rep_p99.push_back(static_cast<double>(one.value_at_percentile(99)) / 1e3);
    if (!all) all.emplace(one.significant_digits(), one.highest());
    all->merge(one);
  }
  if (all && all->count()) {
    m.p50 = static_cast<double>(all->value_at_percentile(50)) / 1e3;
    m.p99 = static_cast<double>(all->value_at_percentile(99)) / 1e3;
    m.responses = all->count();
  }
  return m;
}

std::vector<std::string> routes_in(json::object const& report) {
  std::vector<std::string> out;
  for (auto r : all_routes) {
    for (auto const& [name, d] : report.at("deployments").as_object()) {
      auto const& runs = d.at("compare").as_array();
      if (!runs.empty() && find(runs[0].as_object(), {"routes", name_of(r)})) {
        out.emplace_back(name_of(r));
        break;
      }
    }
  }
  return out;
}

int hops_by_name(std::string_view route) {
  for (auto r : all_routes)
    if (name_of(r) == route) return hops_of(r);
  return 1;
}
int calls_by_name(std::string_view route) {
  for (auto r : all_routes)
    if (name_of(r) == route) return calls_of(r);
  return 1;
}

json::object deployment_summary(json::object const& d) {
  json::object s;
  std::vector<double> cpu;
  for (auto const& run : d.at("compare").as_array()) cpu.push_back(num(run.at("cpu_us_per_request")));
  s["cpu_us_per_request"] = cpu.empty() ? json::value(nullptr) : json::value(round2(median(cpu)));
  s["cpu_us_per_request_range"] = range_of(cpu);
  s["repetitions"] = cpu.size();
  auto const& sweep = d.at("sweep").as_array();
  if (sweep.empty()) {
    s["throughput_at_slo_rps"] = nullptr;
  } else {
    double best = 0;
    for (auto const& p : sweep)
      if (p.at("passed").as_bool()) best = std::max(best, num(p.at("throughput_rps")));
    s["throughput_at_slo_rps"] = std::round(best);
    s["sweep_limited"] = sweep.back().at("passed").as_bool();  // every step passed: the sweep's max, not the deployment's, is the limit
  }
  s["peak_rss_bytes"] = d.contains("peak_rss_bytes") ? d.at("peak_rss_bytes") : json::value(nullptr);
  s["processes"] = d.at("processes").as_array().size();
  s["failed"] = !d.at("failure").is_null();
  return s;
}

std::string us(double x) {
  if (std::isnan(x)) return "–";
  return std::fabs(x) >= 1000 ? fmt::format("{:.2f} ms", x / 1e3) : fmt::format("{:.1f} µs", x);
}

/// A number as people write it: "2", "1.13".
std::string plain(json::value const& v) {
  auto x = num(v);
  return std::isnan(x) ? "–" : x == std::round(x) ? fmt::format("{:.0f}", x) : fmt::format("{:.2f}", x);
}

std::string pct(double x) { return std::isnan(x) ? "–" : fmt::format("{:.0f}%", x * 100); }
std::string times(double x) { return std::isnan(x) ? "–" : fmt::format("{:.2f}×", x); }
std::string mib(double bytes) { return std::isnan(bytes) ? "–" : fmt::format("{:.1f} MiB", bytes / 1048576.0); }

}  // namespace

void check_report(json::object const& report) {
  auto schema = find(report, {"schema"});
  if (!schema || !schema->is_string()) throw std::runtime_error("not a splitbench report (no schema)");
  if (schema->get_string() != report_schema)
    throw std::runtime_error(fmt::format("report schema '{}' is not one this version reads ({})", std::string(schema->get_string()), report_schema));
  for (auto key : {"id", "scenario", "deployments", "floors", "answer", "machine", "build"})
    if (!report.contains(key)) throw std::runtime_error(fmt::format("report has no '{}'", key));
  for (auto const& [name, d] : report.at("deployments").as_object()) {
    if (!d.is_object() || !d.as_object().contains("compare") || !d.as_object().contains("sweep"))
      throw std::runtime_error(fmt::format("report's deployment '{}' has no measurements", std::string(name)));
  }
}

json::object answer_of(json::object const& report) {
  json::object answer;
  auto const& deployments = report.at("deployments").as_object();
  json::object summaries;
  for (auto const& [name, d] : deployments) summaries[name] = deployment_summary(d.as_object());
  answer["deployments"] = summaries;
  if (!deployments.contains("monolith") || !deployments.contains("split")) return answer;
  auto const& mono_runs = deployments.at("monolith").at("compare").as_array();
  auto const& split_runs = deployments.at("split").at("compare").as_array();
  if (mono_runs.empty() || split_runs.empty()) return answer;

  double loopback = num(*find(report, {"floors", "loopback_rtt_us", "p50"}));
  auto names = routes_in(report);
  names.emplace_back("all");
  json::object routes;
  double hops_weighted = 0, responses = 0;
  for (auto const& route : names) {
    auto m = merge_runs(mono_runs, route), s = merge_runs(split_runs, route);
    json::object r{{"monolith_p50_us", round2(m.p50)}, {"monolith_p99_us", round2(m.p99)},
                   {"split_p50_us", round2(s.p50)},    {"split_p99_us", round2(s.p99)},
                   {"added_p50_us", round2(s.p50 - m.p50)}, {"added_p99_us", round2(s.p99 - m.p99)}};
    std::vector<double> rep_added;
    for (std::size_t i = 0; i < std::min(m.rep_p50.size(), s.rep_p50.size()); ++i) rep_added.push_back(round2(s.rep_p50[i] - m.rep_p50[i]));
    r["added_p50_us_by_repetition"] = json::value_from(rep_added);
    if (route != "all") {
      auto hops = hops_by_name(route);
      r["hops"] = hops;
      r["internal_calls"] = calls_by_name(route);
      hops_weighted += hops * static_cast<double>(m.responses);
      responses += static_cast<double>(m.responses);
      r["added_per_hop_p50_us"] = round2((s.p50 - m.p50) / hops);
      r["added_per_hop_p99_us"] = round2((s.p99 - m.p99) / hops);
    } else {
      auto hops = responses > 0 ? hops_weighted / responses : 1.0;
      r["hops"] = round2(hops);
      r["added_per_hop_p50_us"] = round2((s.p50 - m.p50) / hops);
      r["added_per_hop_p99_us"] = round2((s.p99 - m.p99) / hops);
    }
    r["added_per_hop_p50_vs_loopback"] = round2(num(r["added_per_hop_p50_us"]) / loopback);
    routes[route] = std::move(r);
  }
  answer["routes"] = routes;

  json::object overall = routes["all"].as_object();
  auto const& ms = summaries["monolith"].as_object();
  auto const& ss = summaries["split"].as_object();
  auto ratio = [](json::value const& a, json::value const& b) -> json::value {
    if (a.is_null() || b.is_null() || num(b) == 0) return nullptr;
    return std::round(num(a) / num(b) * 1000) / 1000;
  };
  overall["throughput_ratio"] = ratio(ss.at("throughput_at_slo_rps"), ms.at("throughput_at_slo_rps"));
  overall["cpu_ratio"] = ratio(ss.at("cpu_us_per_request"), ms.at("cpu_us_per_request"));
  overall["memory_ratio"] = ratio(ss.at("peak_rss_bytes"), ms.at("peak_rss_bytes"));
  overall["loopback_rtt_p50_us"] = loopback;
  answer["overall"] = overall;
  return answer;
}

std::string headline_of(json::object const& report) {
  auto const* o = find(report, {"answer", "overall"});
  if (!o) return "Only one deployment was measured (or none finished its compare phase), so there is no comparison.";
  auto const& a = o->as_object();
  auto slo = find(report, {"scenario", "slo_p99_us"});
  auto slo_text = slo ? us(num(*slo)) : std::string("SLO");
  std::string text = fmt::format("The split adds {} per request at p50 and {} at p99 ({} per internal hop at p50, {} a loopback round trip)",
                                 us(num(a.at("added_p50_us"))), us(num(a.at("added_p99_us"))), us(num(a.at("added_per_hop_p50_us"))),
                                 times(num(a.at("added_per_hop_p50_vs_loopback"))));
  auto const* ms = find(report, {"answer", "deployments", "monolith"});
  auto const* ss = find(report, {"answer", "deployments", "split"});
  auto limited = [](json::value const* d) {
    return d && d->as_object().contains("sweep_limited") && d->as_object().at("sweep_limited").as_bool();
  };
  if (limited(ms) && limited(ss)) {
    text += fmt::format("; both kept p99 within {} up to the sweep's maximum, so neither's limit was found", slo_text);
  } else if (!a.at("throughput_ratio").is_null()) {
    text += fmt::format("; it serves {} of the monolith's throughput with p99 within {}{}", pct(num(a.at("throughput_ratio"))), slo_text,
                        limited(ss) ? " (the split reached the sweep's maximum)" : limited(ms) ? " (the monolith reached the sweep's maximum)" : "");
  }
  if (!a.at("cpu_ratio").is_null()) text += fmt::format(" and costs {} the CPU per request", times(num(a.at("cpu_ratio"))));
  return text + ".";
}

std::string render_markdown(json::object const& report) {
  std::string md;
  auto out = std::back_inserter(md);
  auto const& scenario_toml = report.at("scenario").at("toml").as_string();
  fmt::format_to(out, "# splitbench: {} ({})\n\n", std::string(report.at("scenario").at("name").as_string()),
                 std::string(report.at("id").as_string()));
  if (report.at("partial").as_bool()) fmt::format_to(out, "> **Partial run**: interrupted; only what was measured before is here.\n\n");
  fmt::format_to(out, "**{}**\n\n", headline_of(report));

  auto const* answer = find(report, {"answer"});
  auto const& deployments = report.at("deployments").as_object();
  std::string compare_how;
  for (auto const& [name, d] : deployments) {
    auto const& runs = d.at("compare").as_array();
    if (!runs.empty()) {
      compare_how = fmt::format("{} repetitions at {:.0f} req/s, alternating deployments; open loop, latency from each request's due time",
                                runs.size(), num(runs[0].at("rate")));
      break;
    }
  }
  if (auto const* routes = find(report, {"answer", "routes"})) {
    fmt::format_to(out, "## Latency per route\n\n{}.\n\n", compare_how);
    fmt::format_to(out, "| route | hops | monolith p50 | monolith p99 | split p50 | split p99 | added p50 | added p99 | added per hop, p50 | per hop / loopback |\n");
    fmt::format_to(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (auto const& [route, v] : routes->as_object()) {
      auto const& r = v.as_object();
      fmt::format_to(out, "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", std::string(route), plain(r.at("hops")),
                     us(num(r.at("monolith_p50_us"))), us(num(r.at("monolith_p99_us"))), us(num(r.at("split_p50_us"))),
                     us(num(r.at("split_p99_us"))), us(num(r.at("added_p50_us"))), us(num(r.at("added_p99_us"))),
                     us(num(r.at("added_per_hop_p50_us"))), times(num(r.at("added_per_hop_p50_vs_loopback"))));
    }
    auto const& all = routes->at("all").as_object();
    auto const& reps = all.at("added_p50_us_by_repetition").as_array();
    if (!reps.empty()) {
      std::string list;
      for (auto const& x : reps) list += (list.empty() ? "" : ", ") + us(num(x));
      fmt::format_to(out, "\nAdded p50, overall, in each repetition: {}.\n", list);
    }
    fmt::format_to(out, "\n");
  }

  fmt::format_to(out, "## Cost\n\n| | {} |\n|---|{}\n", [&] {
    std::string h;
    for (auto const& [name, d] : deployments) h += (h.empty() ? "" : " | ") + std::string(name);
    return h;
  }(), [&] {
    std::string h;
    for (std::size_t i = 0; i < deployments.size(); ++i) h += "---:|";
    return h;
  }());
  auto row = [&](char const* label, auto cell) {
    fmt::format_to(out, "| {} |", label);
    for (auto const& [name, d] : deployments) fmt::format_to(out, " {} |", cell(answer->at("deployments").at(name).as_object()));
    fmt::format_to(out, "\n");
  };
  row("processes", [](json::object const& s) { return plain(s.at("processes")); });
  row("throughput at the SLO", [](json::object const& s) {
    if (s.at("throughput_at_slo_rps").is_null()) return std::string("not swept");
    auto rps = num(s.at("throughput_at_slo_rps"));
    if (rps == 0) return std::string("below the sweep's start");
    return fmt::format("{:.0f} req/s{}", rps, s.contains("sweep_limited") && s.at("sweep_limited").as_bool() ? " (sweep's max)" : "");
  });
  row("CPU per request (median, range)", [](json::object const& s) {
    if (s.at("cpu_us_per_request").is_null()) return std::string("–");
    auto const& r = s.at("cpu_us_per_request_range").as_array();
    return fmt::format("{} ({:.1f}..{:.1f})", us(num(s.at("cpu_us_per_request"))), num(r[0]), num(r[1]));
  });
  row("memory (peak RSS, all processes)", [](json::object const& s) { return mib(num(s.at("peak_rss_bytes"))); });
  if (auto const* o = find(report, {"answer", "overall"})) {
    fmt::format_to(out, "\nSplit / monolith: throughput at the SLO {}, CPU per request {}, memory {}.\n",
                   times(num(o->at("throughput_ratio"))), times(num(o->at("cpu_ratio"))), times(num(o->at("memory_ratio"))));
  }

  bool any_sweep = false;
  for (auto const& [name, d] : deployments) any_sweep = any_sweep || !d.at("sweep").as_array().empty();
  if (any_sweep) {
    fmt::format_to(out, "\n## Sweep\n\nEach step once per deployment; a step passes when the deployment keeps up (95% of the rate), p99 is within the SLO and errors stay under the limit.\n\n");
    fmt::format_to(out, "| deployment | rate | achieved | p50 | p99 | errors | CPU/request | passed |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (auto const& [name, d] : deployments)
      for (auto const& p : d.at("sweep").as_array())
        fmt::format_to(out, "| {} | {:.0f} | {:.0f} | {} | {} | {} | {} | {} |\n", std::string(name), num(p.at("rate")),
                       num(p.at("throughput_rps")), us(num(p.at("latency_us").at("p50"))), us(num(p.at("latency_us").at("p99"))),
                       plain(p.at("errors")), us(num(p.at("cpu_us_per_request"))), p.at("passed").as_bool() ? "yes" : "no");
  }

  auto const& floors = report.at("floors").as_object();
  fmt::format_to(out, "\n## Floors, measured in the same run\n\n- loopback TCP round trip (100 B out, 200 B back, paced): p50 {}, p99 {}\n- in-process call through the seam: {:.0f} ns\n",
                 us(num(floors.at("loopback_rtt_us").at("p50"))), us(num(floors.at("loopback_rtt_us").at("p99"))), num(floors.at("seam_call_ns")));

  for (auto const& [name, d] : deployments)
    if (!d.at("failure").is_null()) fmt::format_to(out, "\n**{} failed during the run:**\n\n```\n{}\n```\n", std::string(name), std::string(d.at("failure").as_string()));
  auto const& warnings = report.at("warnings").as_array();
  if (!warnings.empty()) {
    fmt::format_to(out, "\n## Warnings\n\n");
    for (auto const& w : warnings) fmt::format_to(out, "- {}\n", std::string(w.as_string()));
  }
  auto const& m = report.at("machine").as_object();
  auto const& b = report.at("build").as_object();
  fmt::format_to(out, "\n## How this was measured\n\n- machine: {}, {} cores, {}, {}\n- build: {}, {}, commit {}{}\n- scenario ({}):\n\n```toml\n{}```\n",
                 std::string(m.at("cpu_model").as_string()), plain(m.at("cores")), std::string(m.at("kernel").as_string()),
                 mib(num(m.at("memory_bytes"))), std::string(b.at("compiler").as_string()), std::string(b.at("build_type").as_string()),
                 std::string(b.at("commit").as_string()).substr(0, 12), b.at("dirty").as_bool() ? " (with uncommitted changes)" : "",
                 std::string(report.at("scenario").at("source").as_string()), std::string(scenario_toml));
  return md;
}

}  // namespace splitbench::bench
