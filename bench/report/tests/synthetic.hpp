#pragma once
// Measurements made by hand for the report's tests: every figure known in advance.

#include "bench/runner/measurement.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
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

}  // namespace splitbench::bench::testing
