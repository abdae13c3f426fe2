#include "bench/driver/result.hpp"

#include <algorithm>
#include <stdexcept>

namespace splitbench::bench {

void error_counts::count(failure kind) noexcept {
  switch (kind) {
    case failure::connect: ++connect; break;
    case failure::refused: ++refused; break;
    case failure::read: ++read; break;
    case failure::write: ++write; break;
    case failure::timeout: ++timeout; break;
    case failure::parse: ++parse; break;
    case failure::unsent:
    case failure::in_flight: break;
  }
}

void error_counts::merge(error_counts const& o) noexcept {
  connect += o.connect;
  refused += o.refused;
  read += o.read;
  write += o.write;
  timeout += o.timeout;
  parse += o.parse;
  status += o.status;
}

void second_stats::merge(second_stats const& o) {
  responses += o.responses;
  errors += o.errors;
  response_time.merge(o.response_time);
  p50_ns = response_time.value_at_percentile(50);
  p99_ns = response_time.value_at_percentile(99);
}

void interval_stats::merge(interval_stats const& o) {
  due += o.due;
  good += o.good;
  client_errors += o.client_errors;
  server_errors += o.server_errors;
  timeouts += o.timeouts;
  connection_errors += o.connection_errors;
  unanswered += o.unanswered;
  response_time.merge(o.response_time);
}

void route_result::merge(route_result const& o) {
  if (name.empty()) name = o.name;
  response_time.merge(o.response_time);
  good_response_time.merge(o.good_response_time);
  service_time.merge(o.service_time);
  responses += o.responses;
  errors.merge(o.errors);
  for (std::size_t c = 0; c < status_classes.size(); ++c) status_classes[c] += o.status_classes[c];
  good_in_window += o.good_in_window;
  errors_in_window += o.errors_in_window;
  if (o.timing) {
    if (!timing) timing.emplace();
    timing->merge(*o.timing);
  }
  if (intervals.size() < o.intervals.size()) intervals.resize(o.intervals.size());
  for (std::size_t i = 0; i < o.intervals.size(); ++i) intervals[i].merge(o.intervals[i]);
}

void load_result::merge(load_result const& o) {
  if (routes.empty()) {
    for (auto const& r : o.routes) routes.push_back(route_result{r.name});
  }
  if (routes.size() != o.routes.size()) throw std::invalid_argument("cannot merge results of different routes");
  for (std::size_t i = 0; i < routes.size(); ++i) routes[i].merge(o.routes[i]);
  all.merge(o.all);
  open_loop = open_loop || o.open_loop;
  target_rate += o.target_rate;
  if (start_unix_ns == 0) start_unix_ns = o.start_unix_ns;
  measured_seconds = std::max(measured_seconds, o.measured_seconds);
  requests += o.requests;
  unsent += o.unsent;
  late += o.late;
  in_flight_at_end += o.in_flight_at_end;
  send_lag.merge(o.send_lag);
  queue_wait.merge(o.queue_wait);
  hiccups.merge(o.hiccups);
  if (connections + o.connections > 0)
    connections_busy = (connections_busy * connections + o.connections_busy * o.connections) / (connections + o.connections);
  reconnects += o.reconnects;
  if (per_second.size() < o.per_second.size()) per_second.resize(o.per_second.size());
  for (std::size_t s = 0; s < o.per_second.size(); ++s) per_second[s].merge(o.per_second[s]);
  interval_log.insert(interval_log.end(), o.interval_log.begin(), o.interval_log.end());
  driver_cpu_seconds += o.driver_cpu_seconds;
  threads += o.threads;
  connections += o.connections;
  cancelled = cancelled || o.cancelled;
}

}  // namespace splitbench::bench
