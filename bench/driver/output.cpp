#include "bench/driver/output.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

namespace splitbench::bench {
namespace json = boost::json;

double microseconds_of(double ns) { return std::round(ns / 10.0) / 100.0; }

namespace {
double us(std::uint64_t ns) { return microseconds_of(static_cast<double>(ns)); }
double us(double ns) { return microseconds_of(ns); }

json::object errors_json(error_counts const& e) {
  return {{"connect", e.connect}, {"read", e.read}, {"write", e.write},
          {"timeout", e.timeout}, {"status", e.status}, {"parse", e.parse}};
}
}  // namespace

json::object latency_json(histogram const& h) {
  return {{"count", h.count()},
          {"min", us(h.min())},
          {"mean", us(h.mean())},
          {"stddev", us(h.stddev())},
          {"p50", us(h.value_at_percentile(50))},
          {"p75", us(h.value_at_percentile(75))},
          {"p90", us(h.value_at_percentile(90))},
          {"p99", us(h.value_at_percentile(99))},
          {"p999", us(h.value_at_percentile(99.9))},
          {"p9999", us(h.value_at_percentile(99.99))},
          {"max", us(h.max())}};
}

std::vector<std::string> warnings_of(load_result const& r) {
  std::vector<std::string> w;
  if (r.cancelled) w.push_back("the run was cut short; figures cover only what was measured");
  if (r.open_loop && r.measured_seconds > 0) {
    auto achieved = r.throughput_rps();
    if (achieved < 0.95 * r.target_rate)
      w.push_back(fmt::format("achieved {:.0f} req/s, {:.0f}% of the target {:.0f}: the server or the connections could not keep up",
                              achieved, 100 * achieved / r.target_rate, r.target_rate));
  }
  if (r.unsent > 0)
    w.push_back(fmt::format("{} requests due in the window were never sent: more connections are needed for this rate", r.unsent));
  if (r.driver_utilisation() > 0.85)
    w.push_back(fmt::format("the driver's threads were {:.0f}% busy: it may be measuring itself; add threads or lower the rate",
                            100 * r.driver_utilisation()));
  if (r.open_loop && r.connections_busy > 0.8)
    w.push_back(fmt::format("the connections were busy {:.0f}% of the window: requests queued for a free connection "
                            "(queue wait p99 {:.1f} us); more connections are needed for this rate",
                            100 * r.connections_busy, us(r.queue_wait.value_at_percentile(99))));
  if (r.hiccups.count() > 0 && r.all.response_time.count() > 0 &&
      r.hiccups.value_at_percentile(99) * 4 >= r.all.response_time.value_at_percentile(99))
    w.push_back(fmt::format("the machine's own stalls (hiccup p99 {:.1f} us, max {:.1f} us) are of the order of the p99 measured "
                            "({:.1f} us): p99 here is the machine's, not the code's",
                            us(r.hiccups.value_at_percentile(99)), us(r.hiccups.max()), us(r.all.response_time.value_at_percentile(99))));
  if (r.in_flight_at_end > 0)
    w.push_back(fmt::format("{} requests were still unanswered at the end; they are in the tail at the run's deadline", r.in_flight_at_end));
  if (r.errors.total() > 0)
    w.push_back(fmt::format("{} errors (connect {}, read {}, write {}, timeout {}, status {}, parse {})",
                            r.errors.total(), r.errors.connect, r.errors.read, r.errors.write,
                            r.errors.timeout, r.errors.status, r.errors.parse));
  if (r.all.response_time.saturated() > 0) w.push_back("some latencies exceeded the histogram's range and were kept as its maximum");
  return w;
}

json::object to_json(load_result const& r, std::string const& url) {
  json::object o;
  o["schema"] = load_schema;
  o["url"] = url;
  o["mode"] = r.open_loop ? "open" : "closed";
  o["latency_measured_from"] = r.open_loop ? "due time (coordinated omission corrected)" : "send time (closed loop)";
  if (r.open_loop) o["target_rate"] = r.target_rate;
  o["threads"] = r.threads;
  o["connections"] = r.connections;
  o["measured_seconds"] = r.measured_seconds;
  o["throughput_rps"] = std::round(r.throughput_rps() * 10) / 10;
  o["error_rps"] = std::round(r.error_rps() * 10) / 10;
  o["requests"] = r.requests;
  o["responses"] = r.all.responses;
  o["errors"] = r.errors.total();
  o["errors_by_kind"] = errors_json(r.errors);
  o["unsent"] = r.unsent;
  o["late"] = r.late;
  o["in_flight_at_end"] = r.in_flight_at_end;
  o["reconnects"] = r.reconnects;
  o["latency_us"] = latency_json(r.all.response_time);
  o["good_latency_us"] = latency_json(r.all.good_response_time);
  o["service_time_us"] = latency_json(r.all.service_time);
  if (r.open_loop) {
    o["send_lag_us"] = latency_json(r.send_lag);
    o["queue_wait_us"] = latency_json(r.queue_wait);
  }
  o["connections_busy"] = std::round(r.connections_busy * 1000) / 1000;
  o["hiccups_us"] = latency_json(r.hiccups);
  json::object classes;
  for (unsigned c = 1; c <= 5; ++c) classes[fmt::format("{}xx", c)] = r.all.status_classes[c];
  o["status_classes"] = std::move(classes);
  json::array routes;
  for (auto const& route : r.routes) {
    routes.push_back(json::object{{"name", route.name},
                                  {"responses", route.responses},
                                  {"errors", route.errors.total()},
                                  {"good_latency_us", latency_json(route.good_response_time)},
                                  {"latency_us", latency_json(route.response_time)},
                                  {"service_time_us", latency_json(route.service_time)},
                                  {"histogram", route.response_time.encode()}});
  }
  o["routes"] = std::move(routes);
  json::array seconds;
  for (std::size_t s = 0; s < r.per_second.size(); ++s)
    seconds.push_back(json::object{{"second", s + 1},
                                   {"responses", r.per_second[s].responses},
                                   {"errors", r.per_second[s].errors},
                                   {"p50_us", us(r.per_second[s].p50_ns)},
                                   {"p99_us", us(r.per_second[s].p99_ns)}});
  o["per_second"] = std::move(seconds);
  o["driver"] = json::object{{"cpu_seconds", r.driver_cpu_seconds},
                             {"cpu_us_per_request", std::round(r.driver_cpu_us_per_request() * 100) / 100},
                             {"utilisation", std::round(r.driver_utilisation() * 1000) / 1000}};
  o["histogram"] = r.all.response_time.encode();
  json::array warnings;
  for (auto& w : warnings_of(r)) warnings.push_back(json::string(w));
  o["warnings"] = std::move(warnings);
  o["cancelled"] = r.cancelled;
  return o;
}

std::string summary_text(load_result const& r, std::string const& url) {
  std::string out;
  auto it = std::back_inserter(out);
  auto const& rt = r.all.response_time;
  auto const& st = r.all.service_time;
  fmt::format_to(it, "{} loop against {}: {} threads, {} connections, {:.2f}s measured\n", r.open_loop ? "Open" : "Closed",
                 url, r.threads, r.connections, r.measured_seconds);
  auto row = [&](char const* name, histogram const& h) {
    fmt::format_to(it, "  {:<14} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f}\n", name,
                   us(h.value_at_percentile(50)), us(h.value_at_percentile(90)), us(h.value_at_percentile(99)),
                   us(h.value_at_percentile(99.9)), us(h.max()), us(h.mean()), us(h.stddev()));
  };
  fmt::format_to(it, "  {:<14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}   (microseconds)\n", "", "p50", "p90", "p99",
                 "p99.9", "max", "mean", "stdev");
  if (r.open_loop) {
    row("response time", rt);
    row("good responses", r.all.good_response_time);
    row("service time", st);
    row("queue wait", r.queue_wait);
    row("send lag", r.send_lag);
    row("hiccups", r.hiccups);
    fmt::format_to(it, "  response time counts from each request's due time (coordinated omission corrected), failures\n"
                       "  included at the time they failed; service time from its actual send; queue wait is the time a\n"
                       "  due request waited for a free connection, send lag the driver's own lateness after that;\n"
                       "  hiccups are how late a 1 ms sleep woke: the machine's own stalls.\n");
  } else {
    row("latency", st);
    fmt::format_to(it, "  closed loop: latency counts from each actual send and is not corrected for coordinated omission.\n");
  }
  fmt::format_to(it, "\n  Percentile spectrum ({}):\n", r.open_loop ? "response time" : "latency");
  for (double p : {50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 100.0})
    fmt::format_to(it, "  {:>8.3f}%  {:>10.1f} us\n", p, us((r.open_loop ? rt : st).value_at_percentile(p)));
  fmt::format_to(it, "\n  {} requests due, {} good responses completed in {:.2f}s: {:.1f} req/s; errors {:.1f}/s", r.requests, r.completed,
                 r.measured_seconds, r.throughput_rps(), r.error_rps());
  if (r.open_loop) fmt::format_to(it, " (target {:.1f})", r.target_rate);
  fmt::format_to(it, "\n  status: 2xx {} 3xx {} 4xx {} 5xx {}\n", r.all.status_classes[2], r.all.status_classes[3],
                 r.all.status_classes[4], r.all.status_classes[5]);
  fmt::format_to(it, "  errors: connect {} read {} write {} timeout {} status {} parse {}; unsent {}, late {}, unanswered at the end {}\n",
                 r.errors.connect, r.errors.read, r.errors.write, r.errors.timeout, r.errors.status, r.errors.parse, r.unsent, r.late,
                 r.in_flight_at_end);
  fmt::format_to(it, "  driver: {:.2f} us CPU per request, {:.0f}% of its threads busy\n", r.driver_cpu_us_per_request(),
                 100 * r.driver_utilisation());
  for (auto& w : warnings_of(r)) fmt::format_to(it, "  WARNING: {}\n", w);
  return out;
}

}  // namespace splitbench::bench
