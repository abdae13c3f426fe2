#pragma once
// Measurements made by hand for the report's tests: every figure known in advance.

#include "bench/runner/measurement.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace splitbench::bench::testing {

/// A histogram of `count` samples at `us` microseconds each.
inline histogram flat(double us, std::uint64_t count = 100) {
  histogram h(3);
  h.record(static_cast<std::uint64_t>(us * 1e3), count);
  return h;
}

/// Every figure of a summary at `us` microseconds, as `latency_summary::of` gives for a histogram
/// whose samples all sit at `us`, without the histogram.
inline latency_summary summary_at(double us, std::uint64_t count) {
  latency_summary s;
  s.count = count;
  s.min = s.mean = s.p50 = s.p75 = s.p90 = s.p99 = s.p999 = s.p9999 = s.max = us;
  return s;
}

/// Whether a synthetic repetition carries its histograms. Tests that make thousands of reports and
/// read only the summaries go without: each histogram is a quarter of a megabyte to clear and encode.
enum class histograms { kept, omitted };

/// A repetition whose every route answers 100 requests at one latency (µs), p50 = p99 = that value.
inline run_measurement repetition(std::initializer_list<std::pair<char const*, double>> routes, double cpu_us = 20, double rate = 500,
                                  histograms kind = histograms::kept) {
  constexpr std::uint64_t per_route = 100;
  run_measurement m;
  m.rate = rate;
  m.seconds = 2;
  histogram all(3);
  std::vector<double> each;
  for (auto [name, us] : routes) {
    route_measurement r;
    r.name = name;
    r.depth = std::string(name) == "order" ? 2 : 1;
    r.calls = std::string(name) == "quote" ? 3 : std::string(name) == "order" ? 4 : 1;
    r.responses = per_route;
    if (kind == histograms::kept) {
      auto h = flat(us, per_route);
      all.merge(h);
      r.latency = latency_summary::of(h);
      r.histogram = h.encode();
    } else {
      r.latency = summary_at(us, per_route);
      each.push_back(us);
    }
    r.service_time = r.latency;
    m.routes.push_back(std::move(r));
  }
  m.requests = m.responses = per_route * m.routes.size();
  if (kind == histograms::kept) {
    m.latency = latency_summary::of(all);
    m.histogram = all.encode();
  } else {
    // Equal counts per route: the sample of rank ceil(q·n) lies in route (rank − 1) / per_route.
    std::sort(each.begin(), each.end());
    auto at = [&](double q) { return each[(static_cast<std::size_t>(std::ceil(q * static_cast<double>(m.responses))) - 1) / per_route]; };
    m.latency = summary_at(each.back(), m.responses);
    m.latency.min = each.front();
    m.latency.p50 = at(0.50), m.latency.p75 = at(0.75), m.latency.p90 = at(0.90);
  }
  m.good_latency = m.service_time = m.latency;
  m.throughput_rps = static_cast<double>(m.responses) / m.seconds;
  m.cpu = {{"process", cpu_us * 1e-6 * static_cast<double>(m.responses)}};
  m.cpu_seconds_total = m.cpu[0].seconds;
  m.cpu_us_per_request = cpu_us;
  return m;
}

/// A run of monolith and split with `reps` repetitions each, made by `make(deployment, rep)`.
template <class Make>
run_result run_of(int reps, Make make, std::optional<capacity_bounds> mono_capacity = capacity_bounds{10'000, 11'000},
                  std::optional<capacity_bounds> split_capacity = capacity_bounds{4'000, 4'400}) {
  run_result run;
  run.id = "20261125T000000Z-default";
  run.created = "2026-11-25T00:00:00Z";
  run.machine = {"test cpu", "Linux test", 2, 1 << 30};
  run.build = {"gcc test", "Release", "0123456789abcdef", false};
  run.scenario = {"default", "built-in", "name = \"default\"\ninject_latency = []\n[compare]\nrate = 500\n", 10'000, 40'000.0, 0.001, {}, {}, 0.10};
  run.floors.loopback_rtt = latency_summary::of(flat(30));
  run.floors.seam_call_ns = 50;
  for (std::string name : {"monolith", "split"}) {
    deployment_measurement d;
    d.name = name;
    d.processes = name == "monolith" ? std::vector<process_info>{{"monolith", "127.0.0.1:1", 10 << 20}}
                                     : std::vector<process_info>{{"catalog", "127.0.0.1:2", 6 << 20}, {"inventory", "127.0.0.1:3", 6 << 20},
                                                                 {"pricing", "127.0.0.1:4", 6 << 20}, {"orders", "127.0.0.1:5", 6 << 20},
                                                                 {"gateway", "127.0.0.1:6", 6 << 20}};
    for (auto const& p : d.processes) d.peak_rss_bytes += p.peak_rss_bytes;
    for (int rep = 0; rep < reps; ++rep) {
      d.compare.push_back(make(name, rep));
      d.compare_order.push_back(2 * rep + ((name == "split") != (rep % 2 == 1) ? 1 : 0));
    }
    d.capacity = name == "monolith" ? mono_capacity : split_capacity;
    run.deployments.push_back(std::move(d));
  }
  return run;
}

/// How a slice's failed requests failed.
enum class failed_as { server_errors, timeouts, connection_errors };

/// A route through a fault, its figures given: a timeline of 0.25 s slices over `seconds`, 25
/// requests due in each, all answered well in 300 µs except over [down_from, down_to), where
/// none is and each fails `how` at `p99_down_us`. The window's counts are of the slices
/// [window_from, window_to) touches.
struct route_through {
  char const* name;
  bool uses_target = false;
  double availability = 1, p99_during_us = 300;
  std::optional<double> time_to_detect_s = std::nullopt, time_to_recover_s = 0.0;
  double outage_s = 0;
  failed_as how = failed_as::server_errors;
  double down_from = 0, down_to = 0, p99_down_us = 300;
};

inline fault_route route_of(route_through const& t, double window_from, double window_to, double seconds, double slo_p99_us) {
  constexpr double slice_s = 0.25;
  constexpr std::uint64_t due = 25;
  fault_route r;
  r.name = t.name;
  r.uses_target = t.uses_target;
  r.availability = t.availability;
  r.p99_during_us = t.p99_during_us;
  r.pre_fault_p99_us = 300;
  r.time_to_detect_s = t.time_to_detect_s;
  r.outage_s = t.outage_s;
  r.time_to_recover_s = t.time_to_recover_s;
  r.time_to_available_s = t.time_to_recover_s;  // answering again when healthy again, here
  r.broken = t.availability < 0.99 || t.p99_during_us > slo_p99_us;
  for (double start = 0; start < seconds - 1e-9; start += slice_s) {
    slice_figures s;
    s.start_s = start;
    s.due = due;
    bool down = start + slice_s > t.down_from && start < t.down_to;
    s.good = down ? 0 : due;
    if (down) {
      (t.how == failed_as::server_errors ? s.server_errors : t.how == failed_as::timeouts ? s.timeouts : s.connection_errors) = due;
      if (start + slice_s > window_from && start < window_to)
        (t.how == failed_as::server_errors ? r.status_5xx : t.how == failed_as::timeouts ? r.timeouts : r.connection_errors) += due;
    }
    s.p50_us = s.p99_us = down ? t.p99_down_us : 300;
    r.timeline.push_back(s);
  }
  return r;
}

/// One fault run of one deployment: `spec` with its parts, 400 req/s for 8 s in 0.25 s slices.
inline fault_measurement fault_of(char const* spec, char const* service, char const* kind, double at_s, std::optional<double> for_s,
                                  double window_end_s, char const* process, bool restart, std::vector<restart_record> restarts,
                                  std::vector<route_through> const& routes, double slo_p99_us = 10'000) {
  fault_measurement f;
  f.spec = spec, f.service = service, f.kind = kind, f.at_s = at_s, f.for_s = for_s, f.window_end_s = window_end_s;
  f.process = process, f.restart = restart, f.rate = 400, f.seconds = 8, f.slice_s = 0.25;
  f.restarts = std::move(restarts);
  for (auto const& t : routes) {
    f.routes.push_back(route_of(t, at_s, window_end_s, f.seconds, slo_p99_us));
    if (f.routes.back().broken) f.blast_radius.push_back(t.name);
    if (t.uses_target) f.call_graph.push_back(t.name);
  }
  return f;
}

/// Two faults measured in both deployments of `run`, every figure chosen by hand:
///
/// pricing:kill@3s/1s: the split keeps product and search, fails quote and order fast with 5xx
/// until 0.25 s after pricing is ready again (4.02 s); the monolith loses every route to
/// connection errors until 0.15 s after it is ready again (4.1 s). With `restart` false nothing
/// is started again: quote and order (split) and every route (monolith) never recover.
///
/// catalog:hang@3s/1s: every route of both times out while catalog is stopped; the split's order
/// never recovers, its others are back within 0.75 s; nothing exits.
inline void add_faults(run_result& run, bool restart = true) {
  using r = route_through;
  auto recovered = [&](double s) { return restart ? std::optional<double>(s) : std::nullopt; };
  auto back = [&](char const* process, double exit_s, double spawn_s, double listening_s, double ready_s, double first_good_s) {
    return restart ? restart_record{process, exit_s, "killed by signal 9", spawn_s, listening_s, ready_s, first_good_s}
                   : restart_record{process, exit_s, "killed by signal 9", {}, {}, {}, {}};
  };
  double split_end = restart ? 4.02 : 4, mono_end = restart ? 4.1 : 4, down_to = restart ? 4.25 : 8;
  double outage = restart ? 1.25 : 5;
  run.scenario.faults = {"pricing:kill@3s/1s", "catalog:hang@3s/1s"};
  for (auto& d : run.deployments) {
    if (d.name == "split") {
      d.faults.push_back(fault_of("pricing:kill@3s/1s", "pricing", "kill", 3, 1.0, split_end, "pricing", restart,
                                  {back("pricing", 3.002, 4, 4.01, 4.02, 4.25)},
                                  {r{"product"}, r{"search"},
                                   r{"quote", true, 0, 400, 0.0, recovered(0.25), outage, failed_as::server_errors, 3, down_to, 400},
                                   r{"order", true, 0, 400, 0.0, recovered(0.25), outage, failed_as::server_errors, 3, down_to, 400}}));
      d.faults.push_back(fault_of("catalog:hang@3s/1s", "catalog", "hang", 3, 1.0, 4, "catalog", restart, {},
                                  {r{"product", true, 0, 2e6, 0.0, 0.5, 1.5, failed_as::timeouts, 3, 4.5, 2e6},
                                   r{"search", true, 0, 2e6, 0.0, 0.5, 1.5, failed_as::timeouts, 3, 4.5, 2e6},
                                   r{"quote", true, 0, 2e6, 0.0, 0.75, 1.75, failed_as::timeouts, 3, 4.75, 2e6},
                                   r{"order", true, 0, 2e6, 0.0, std::nullopt, 5, failed_as::timeouts, 3, 8, 2e6}}));
    } else {
      std::vector<route_through> all;
      for (auto name : {"product", "search", "quote", "order"})
        all.push_back(r{name, std::string(name) == "quote" || std::string(name) == "order", 0, 1200, 0.0, recovered(0.15), outage,
                        failed_as::connection_errors, 3, down_to, 1200});
      d.faults.push_back(fault_of("pricing:kill@3s/1s", "pricing", "kill", 3, 1.0, mono_end, "monolith", restart,
                                  {back("monolith", 3.001, 4, 4.05, 4.1, 4.25)}, all));
      for (auto& t : all) t.uses_target = true, t.how = failed_as::timeouts, t.p99_during_us = t.p99_down_us = 2e6, t.time_to_recover_s = 0.25, t.outage_s = 1.25,
                    t.down_to = 4.25;
      d.faults.push_back(fault_of("catalog:hang@3s/1s", "catalog", "hang", 3, 1.0, 4, "monolith", restart, {}, all));
    }
  }
}

/// Three repetitions a deployment of the four routes, the split 100 µs slower on each.
inline run_result four_routes() {
  return run_of(3, [](std::string const& d, int rep) {
    double added = d == "split" ? 100 : 0;
    return repetition({{"product", 50 + rep + added}, {"search", 50 + rep + added}, {"quote", 60 + rep + added}, {"order", 70 + rep + added}});
  });
}

/// four_routes() with the faults of add_faults().
inline run_result faulted_run(bool restart = true) {
  auto run = four_routes();
  add_faults(run, restart);
  return run;
}

}  // namespace splitbench::bench::testing
