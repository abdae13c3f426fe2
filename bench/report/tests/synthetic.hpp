#pragma once
// Measurements made by hand for the report's tests: every figure known in advance.

#include "bench/runner/measurement.hpp"

#include <initializer_list>
#include <string>
#include <utility>

namespace splitbench::bench::testing {

/// A histogram of `count` samples at `us` microseconds each.
inline histogram flat(double us, std::uint64_t count = 100) {
  histogram h(3);
  h.record(static_cast<std::uint64_t>(us * 1e3), count);
  return h;
}

/// A repetition whose every route answers at one latency (µs), p50 = p99 = that value.
inline run_measurement repetition(std::initializer_list<std::pair<char const*, double>> routes, double cpu_us = 20, double rate = 500) {
  run_measurement m;
  m.rate = rate;
  m.seconds = 2;
  histogram all(3);
  for (auto [name, us] : routes) {
    auto h = flat(us);
    all.merge(h);
    route_measurement r;
    r.name = name;
    r.depth = std::string(name) == "order" ? 2 : 1;
    r.calls = std::string(name) == "quote" ? 3 : std::string(name) == "order" ? 4 : 1;
    r.responses = h.count();
    r.latency = latency_summary::of(h);
    r.service_time = r.latency;
    r.histogram = h.encode();
    m.routes.push_back(std::move(r));
  }
  m.requests = m.responses = all.count();
  m.throughput_rps = static_cast<double>(all.count()) / m.seconds;
  m.latency = m.good_latency = m.service_time = latency_summary::of(all);
  m.histogram = all.encode();
  m.cpu = {{"process", cpu_us * 1e-6 * static_cast<double>(all.count())}};
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
  run.scenario = {"default", "built-in", "name = \"default\"\ninject_latency = []\n[compare]\nrate = 500\n", 10'000, 40'000.0, 0.001, {}, 0.10};
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
