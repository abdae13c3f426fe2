#include "bench/runner/measurement.hpp"

#include "bench/driver/hdr_codec.hpp"
#include "bench/driver/output.hpp"

#include <cmath>

namespace splitbench::bench {

latency_summary latency_summary::of(histogram const& h) {
  auto us = [](double ns) { return to_us(ns); };
  return {h.count(), us(static_cast<double>(h.min())), us(h.mean()), us(h.stddev()), us(static_cast<double>(h.value_at_percentile(50))),
          us(static_cast<double>(h.value_at_percentile(75))), us(static_cast<double>(h.value_at_percentile(90))),
          us(static_cast<double>(h.value_at_percentile(99))), us(static_cast<double>(h.value_at_percentile(99.9))),
          us(static_cast<double>(h.value_at_percentile(99.99))), us(static_cast<double>(h.max()))};
}

run_measurement measurement_of(load_result const& r, double rate, std::vector<route_kind> const& kinds, std::vector<process_cpu> cpu) {
  run_measurement m;
  m.rate = rate;
  m.seconds = r.measured_seconds;
  m.throughput_rps = r.throughput_rps();
  m.error_rps = r.error_rps();
  m.requests = r.requests;
  m.responses = r.all.responses - r.all.errors.status;
  m.errors = r.all.errors.total();
  m.timeouts = r.all.errors.timeout;
  m.unsent = r.unsent;
  m.late = r.late;
  m.in_flight_at_end = r.in_flight_at_end;
  m.error_rate = r.requests ? static_cast<double>(m.errors + m.unsent) / static_cast<double>(r.requests) : 0.0;
  m.latency = latency_summary::of(r.all.response_time);
  m.good_latency = latency_summary::of(r.all.good_response_time);
  m.service_time = latency_summary::of(r.all.service_time);
  m.send_lag = latency_summary::of(r.send_lag);
  m.queue_wait = latency_summary::of(r.queue_wait);
  m.hiccups = latency_summary::of(r.hiccups);
  m.histogram = encode_v2(r.all.response_time);
  for (std::size_t i = 0; i < r.routes.size(); ++i) {
    auto const& route = r.routes[i];
    route_measurement rm;
    rm.name = route.name;
    if (i < kinds.size()) rm.depth = hops_of(kinds[i]), rm.calls = calls_of(kinds[i]);
    rm.responses = route.responses - route.errors.status;
    rm.errors = route.errors.total();
    rm.latency = latency_summary::of(route.response_time);
    rm.service_time = latency_summary::of(route.service_time);
    rm.histogram = encode_v2(route.response_time);
    m.routes.push_back(std::move(rm));
  }
  m.cpu = std::move(cpu);
  for (auto const& p : m.cpu) m.cpu_seconds_total += p.seconds;
  m.cpu_us_per_request = m.responses ? m.cpu_seconds_total * 1e6 / static_cast<double>(m.responses) : 0.0;
  m.driver_utilisation = r.driver_utilisation();
  m.connections_busy = r.connections_busy;
  m.warnings = warnings_of(r);
  m.cancelled = r.cancelled;
  return m;
}

}  // namespace splitbench::bench
